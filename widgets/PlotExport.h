// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Figure export for any QCustomPlot: PNG (size and scale), PDF (vector), SVG (vector, through
// QSvgGenerator since QCustomPlot has no saveSvg). Writes go through a temporary file and are
// renamed into place, so a failed export leaves an existing file whole. GUI thread only.
#include <QSize>
#include <QString>
#include <optional>

class QCustomPlot;
class QWidget;

namespace opteq {

// Format from the suffix: png, pdf or svg. width/height 0: the widget's size; scale: PNG pixel
// density (a 800×600 figure at scale 2 is 1600×1200 pixels); fontScale: fonts, lines and markers
// (for a figure shown small in a paper or large on a slide). title: the figure's title when the
// plot shows none in the window (the landscape); a plot's own title is kept. Returns an empty
// string on success, else why it failed.
//
// What an export changes for the file only (the window's plot is restored afterwards): the plot
// is laid out at the export's size (titles re-wrap, legends re-flow), a plot with equal aspect
// (fitEqualAspect) is re-fitted to it, GUI instructions are left out of every text
// (exportedText), and fonts are rendered at exportFontDpi() in every format.
QString exportPlot(QCustomPlot* plot, const QString& path, int width = 0, int height = 0, double scale = 1.0, double fontScale = 1.0,
                   const QString& title = {});
// A window text as an exported figure says it: no "(click a point)", "press Compute", "drag to
// pan", and "the Landscape tab's slice" becomes "the landscape's slice".
QString exportedText(const QString& text);
// The resolution fonts are rendered at in PNG, PDF and SVG alike (a PNG's pixels per inch): a
// 9 pt title is the same fraction of the figure in each. A PDF's page is the figure's size at
// this resolution (800 × 600 at 96 dpi is 600 × 450 pt), so text keeps its point size in print.
int exportFontDpi();
QString exportWidgetPng(QWidget* widget, const QString& path);
void copyPlotToClipboard(QCustomPlot* plot);

}  // namespace opteq

namespace opteq {

struct FigureSize {
    int width = 800, height = 600;
    double scale = 2.0;       // PNG pixel density
    double fontScale = 1.0;   // fonts, lines and markers
};

// Asks for the exported figure's size, PNG scale and font scale (modal; GUI thread). nullopt when cancelled.
std::optional<FigureSize> askFigureSize(QWidget* parent, QSize current);

}  // namespace opteq

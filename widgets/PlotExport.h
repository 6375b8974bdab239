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
// (for a figure shown small in a paper or large on a slide). Returns an empty string on success,
// else why it failed.
QString exportPlot(QCustomPlot* plot, const QString& path, int width = 0, int height = 0, double scale = 1.0, double fontScale = 1.0);
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

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Figure export for any QCustomPlot: PNG (size and scale), PDF (vector), SVG (vector, through
// QSvgGenerator since QCustomPlot has no saveSvg). Writes go through a temporary file and are
// renamed into place, so a failed export leaves an existing file whole. GUI thread only.
#include <QString>

class QCustomPlot;
class QWidget;

namespace opteq {

// Format from the suffix: png, pdf or svg. width/height 0: the widget's size. Returns an empty
// string on success, else why it failed.
QString exportPlot(QCustomPlot* plot, const QString& path, int width = 0, int height = 0, double scale = 1.0);
QString exportWidgetPng(QWidget* widget, const QString& path);
void copyPlotToClipboard(QCustomPlot* plot);

}  // namespace opteq

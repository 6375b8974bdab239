// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Colours shared by every view (so a run or a start has the same colour everywhere).
#include <QColor>
#include <qcustomplot.h>

namespace opteq {

QColor seriesColor(int index);
// Perceptually ordered dark-blue → green → yellow map for E (QCustomPlot 2.1 has no viridis).
QCPColorGradient landscapeGradient();
QColor maskColor();   // where E = +inf

}  // namespace opteq

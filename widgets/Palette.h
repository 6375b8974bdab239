// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "SolverSettings.h"
// Colours shared by every view (so a run or a start has the same colour everywhere).
#include <QColor>
#include <qcustomplot.h>

namespace opteq {

QColor seriesColor(int index);
// One colour per solver, the same in every scene and plot (picard is always the same orange,
// anderson the same blue, whichever is the scene's method); a prior scheme on top is black.
QColor methodColor(Method method, bool withPrior);
// Perceptually ordered dark-blue → green → yellow map for E (QCustomPlot 2.1 has no viridis).
QCPColorGradient landscapeGradient();
QColor maskColor();   // where E = +inf
// The same gradient blended 65% towards white (under the phase plane's arrows).
QCPColorGradient washedOut(const QCPColorGradient& g);

}  // namespace opteq

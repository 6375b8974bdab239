// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the theory views add to a landscape plot (issue #13): Fix T drawn as the set it is, with
// the prior's analytic choice on it, and the phase plane (the field T(z) − z as arrows, the
// nullclines, where they cross). GUI thread; they only draw results computed in jobs.
#include "FixedPointSet.h"
#include "PhasePlane.h"

#include <qcustomplot.h>
#include <vector>

namespace opteq {

// A set of equilibria as a polyline (closed: a filled polygon) in plot coordinates, white on a
// dark outline, with a legend icon showing both. Shared by Fix T on a landscape and W(Fix T) on
// the unit layer's p-plane.
std::vector<QCPAbstractPlottable*> drawEquilibriumSet(QCustomPlot* plot, QVector<double> s, QVector<double> t, bool closed,
                                                      const QString& name);
// Plottables it adds to `plot` (the caller owns their removal).
std::vector<QCPAbstractPlottable*> drawFixedPointSet(QCustomPlot* plot, const FixSetReport& report, const Plane& plane);
// n: the model's size (names the nullclines T₁(z) = z₁ for n = 2, the slice components otherwise).
std::vector<QCPAbstractPlottable*> drawPhaseField(QCustomPlot* plot, const PhaseField& field, int n);
// Colour of an arrow of relative magnitude r ∈ [0, 1]: light blue (slow) to dark red (fast).
QColor phaseArrowColor(double r);

}  // namespace opteq

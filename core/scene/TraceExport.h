// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Text exports of engine results (SCENES.md command line and the GUI's export menu).
// Pure functions returning bytes; writing them is the caller's job (atomically).
#include "BasinMap.h"
#include "Landscape.h"
#include "RateMap.h"
#include "Trace.h"

#include <QByteArray>
#include <QString>

namespace opteq {

// One row per iterate: start,iteration,z0..z{n-1},abs_residual,rel_residual,objective.
// Rows are written for the stored iterates (all of them unless the trace was down-sampled).
QByteArray tracesToCsv(const std::vector<Trace>& traces, int n);
QByteArray tracesToJson(const std::vector<Trace>& traces, const QString& sceneName, double spectralNorm);
// x,y,objective (inf outside dom f).
QByteArray gridToCsv(const Grid& grid);
// i,j,start_s,start_t,end_s,end_t,end_z0,iterations,status.
QByteArray basinsToCsv(const BasinMap& map);
QByteArray rateMapToCsv(const RateMap& map);
// %.17g: round-trips doubles exactly.
QByteArray formatNumber(double v);

}  // namespace opteq

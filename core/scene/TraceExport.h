// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Text exports of engine results (SCENES.md command line and the GUI's export menu).
// Pure functions returning bytes; writing them is the caller's job (atomically).
#include "BasinMap.h"
#include "Landscape.h"
#include "RateMap.h"
#include "SceneSolution.h"
#include "Trace.h"

#include <QByteArray>
#include <QString>

namespace opteq {

// One row per iterate of every solver run: method,start,iteration,z1..zn,abs_residual,
// rel_residual,objective (starts numbered from 1, as everywhere in the explorer). Rows are written
// for the stored iterates (all of them unless the trace was down-sampled).
QByteArray tracesToCsv(const std::vector<SolverRun>& runs, int n);
// {"scene", "spectral_norm", "traces": [{"method", "start", "status", …, "trace": [...]}]}.
QByteArray tracesToJson(const std::vector<SolverRun>& runs, const QString& sceneName, double spectralNorm);
// The CSV's numbers as rows of a matrix (for .npy): method index (0 = the scene's solver, then
// the compared ones in the scene's order), start, iteration, z1..zn, abs/rel residual, objective.
std::vector<double> tracesToRows(const std::vector<SolverRun>& runs, int n);
// x,y,objective (inf outside dom f).
QByteArray gridToCsv(const Grid& grid);
// i,j,start_s,start_t,end_s,end_t,end_z0,iterations,status.
QByteArray basinsToCsv(const BasinMap& map);
QByteArray rateMapToCsv(const RateMap& map);
// %.17g: round-trips doubles exactly.
QByteArray formatNumber(double v);

}  // namespace opteq

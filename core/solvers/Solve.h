// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The public solve API: one start, or a batch of starts in parallel (OpenMP, each start stopping
// on its own). Pure functions of their arguments.
#include "JobControl.h"
#include "TraceRecorder.h"

#include <vector>

namespace opteq {

// Runs one solve (method or prior scheme) from z0, recording what opts asks for. Thread-safe for
// distinct traces.
Trace solve(const SolverContext& ctx, const Eigen::VectorXd& z0, const TraceOptions& opts = {},
            const std::atomic<bool>* cancel = nullptr);

std::vector<Trace> solveBatch(const SolverContext& ctx, const std::vector<Eigen::VectorXd>& starts,
                              const TraceOptions& opts = {}, const JobControl& job = {});

// The per-iteration contraction factor estimated from a residual curve: the geometric mean ratio
// over the second half of the iterations above the tolerance floor (0 when too short).
double observedRate(const std::vector<double>& residuals);
// The same window read on log–log axes: the slope s of residual ∝ k^s over the second half (−1 for
// Halpern's O(1/k)); what a sublinear scheme reports instead of a ratio. NaN when too short.
double observedSlope(const std::vector<double>& residuals);

}  // namespace opteq

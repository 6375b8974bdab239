// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Basin maps: for a grid of starts on a plane, where each start ends, after how many
// iterations, and with which status. Parallel over rows with OpenMP; cancellable.
#include "JobControl.h"
#include "Plane.h"
#include "SolverContext.h"

#include <cstdint>
#include <initializer_list>
#include <utility>

namespace opteq {

struct BasinMap {
    GridSpec spec;
    Plane plane;
    std::vector<double> endS, endT;        // final state in plane coordinates, row-major like Grid
    std::vector<double> endFirst;          // first state coordinate of the final state (z_1)
    std::vector<int> iterations;
    std::vector<std::uint8_t> status;      // SolveStatus
    bool complete = true;
    size_t index(int i, int j) const { return size_t(j) * spec.nx + i; }
    int cells() const { return spec.nx * spec.ny; }
};

// [lo, hi] of the first end coordinate over converged cells of the given maps (a shared colour
// scale, so maps with and without a prior compare cell by cell); (0, 1) when none converged.
std::pair<double, double> endRange(std::initializer_list<const BasinMap*> maps);

// What a basin map says in numbers (the window shows them under the map; `opteq basins --json`
// prints them): how the cells ended, how many distinct end points the converged cells reached
// (clusters of ends closer than endTolerance, in plane coordinates) and the largest distance
// between two converged ends.
struct BasinSummary {
    int cells = 0, converged = 0, diverged = 0, maxIter = 0, cancelled = 0;
    int distinctEnds = 0;   // -1 when the ends are too far apart for the tolerance to count them
    double endSpread = 0;
};
BasinSummary summarizeBasins(const BasinMap& map, double endTolerance);

// How far apart two converged ends may be and still be one equilibrium: with ‖W‖₂ < 1 a state
// with residual <= tol lies within tol / (1 − ‖W‖₂²) of z*, so two ends within twice that (×10
// for safety) are the same point. Without a contraction there is no such bound: 100·tol, which
// covers the O(1/k) tails of Halpern-type schemes stopped at residual tol. Never below 1e-12.
double endTolerance(const SolverContext& ctx);

BasinMap computeBasins(const SolverContext& ctx, const Plane& plane, const GridSpec& spec, const JobControl& job = {});

}  // namespace opteq

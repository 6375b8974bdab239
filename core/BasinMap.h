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

BasinMap computeBasins(const SolverContext& ctx, const Plane& plane, const GridSpec& spec, const JobControl& job = {});

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The n = 2 kernel behind basin maps: one grid row at a time in structure-of-arrays form
// (z1[], z2[] for the row's still-running cells), so the 2×2 product, σ (SIMD, VectorActivation.h)
// and the residual run over contiguous arrays; finished cells are compacted out after every
// iteration. The stop rule is the shared one (Trace.h), so a cell ends exactly where the
// per-start solver would. No allocation per cell; the caller runs rows in parallel.
#include "Plane.h"
#include "SolverContext.h"

#include <atomic>
#include <cstdint>
#include <vector>

namespace opteq {

struct BasinMap;

// Whether the kernel applies: n = 2, Picard or KM, no prior of way 2, no regularizer folded into
// σ (those go through the general prox).
bool basin2DApplies(const SolverContext& ctx);

// Scratch arrays for one row, reused across rows by one thread.
struct Basin2DScratch {
    std::vector<double> z1, z2, t1, t2, first, res;
    std::vector<int> cell;
};

// Solves every cell of row j of map (whose spec and plane are set) and writes its results.
// Cells still running when cancel is set (polled every 64 iterations) keep status Cancelled.
void solveBasinRow2D(const SolverContext& ctx, int j, BasinMap& map, Basin2DScratch& scratch,
                     const std::atomic<bool>* cancel = nullptr);

}  // namespace opteq

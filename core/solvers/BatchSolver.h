// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The batched engine: many columns at once as matrix–matrix products,
//   Z ← σ(WᵀW Z + C),
// where every column is its own problem: its own start (many starts of one scene) and, when C
// has columns, its own bias c = U x + b (many inputs: a data set, a decision map, training).
// The active columns are split between the OpenMP threads, each doing one Eigen GEMM on its
// block and then σ, the residual and the update column by column while the block is in cache.
// Every column stops on its own (per sample, not per batch) and is swapped out of the active
// block. Picard, KM and Anderson run batched; other methods and the priors of way 2 solve each
// column with the per-start solver (in parallel). Final states only: the per-start path
// (Solve.h) keeps traces. Allocation-free inside the iteration after Anderson's first m steps.
#include "JobControl.h"
#include "SolverContext.h"
#include "Trace.h"

#include <vector>

namespace opteq {

struct BatchResult {
    Eigen::MatrixXd Z;                 // final states, one column per problem
    std::vector<int> iterations;
    std::vector<SolveStatus> status;
    std::vector<double> residual;
    long long columnIterations = 0;    // Σ over columns of iterations actually performed
};

// Solves column j from Z0.col(j) with bias C.col(j), or ctx.c() for every column when C is
// empty. C must be empty or have Z0's shape.
BatchResult solveBatchDense(const SolverContext& ctx, const Eigen::MatrixXd& Z0, const JobControl& job = {},
                            const Eigen::MatrixXd& C = Eigen::MatrixXd());

// Whether solveBatchDense runs ctx batched (else it falls back to one start per thread).
bool runsBatched(const SolverContext& ctx);

// E(z_j) for every column (bias ctx.c() or C.col(j)), with one product for all columns.
std::vector<double> columnObjectives(const SolverContext& ctx, const Eigen::MatrixXd& Z,
                                     const Eigen::MatrixXd& C = Eigen::MatrixXd());

}  // namespace opteq

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
// The implicit gradient's adjoint (solveBatchAdjoint) runs on the same iteration code.
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
// empty. C must be empty or have Z0's shape. preActivation (optional): receives A z_j + c_j at
// each reported state z_j (what σ' is evaluated at for the implicit gradient), without a product.
BatchResult solveBatchDense(const SolverContext& ctx, const Eigen::MatrixXd& Z0, const JobControl& job = {},
                            const Eigen::MatrixXd& C = Eigen::MatrixXd(), Eigen::MatrixXd* preActivation = nullptr);

// The same engine on the implicit gradient's adjoint g_j = D_j (A g_j + gz_j) (MATH.md §7), one
// column per sample, from g_j = D_j gz_j; column j stops when its step is at most
// s.tol × max(‖D_j gz_j‖, ‖g_j‖) (relative to its own scale) or at s.maxIter. s.method Anderson
// mixes (AndersonMixing, s.memory, s.lambda, s.beta), KM relaxes, anything else is Picard.
BatchResult solveBatchAdjoint(const Eigen::MatrixXd& A, const Eigen::MatrixXd& D, const Eigen::MatrixXd& GZ,
                              const SolverSettings& s, const JobControl& job = {});

// Whether solveBatchDense runs ctx batched (else it falls back to one start per thread).
bool runsBatched(const SolverContext& ctx);

// E(z_j) for every column (bias ctx.c() or C.col(j)), with one product for all columns.
std::vector<double> columnObjectives(const SolverContext& ctx, const Eigen::MatrixXd& Z,
                                     const Eigen::MatrixXd& C = Eigen::MatrixXd());

}  // namespace opteq

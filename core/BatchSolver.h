// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Many starts at once as matrix–matrix products: Z ← σ(WᵀW Z + c 1ᵀ) with the columns split
// between the OpenMP threads (each thread one Eigen GEMM on its block; Eigen itself stays
// single-threaded). Every column stops on its own (per sample, not per batch): converged columns
// are swapped out of the active block. Picard, KM and Anderson run batched; the other methods and
// the priors fall back to solveBatch, one start per thread. Final states only, no traces.
#include "JobControl.h"
#include "SolverContext.h"
#include "Trace.h"

namespace opteq {

struct BatchResult {
    Eigen::MatrixXd Z;                 // final states, one column per start
    std::vector<int> iterations;
    std::vector<SolveStatus> status;
    std::vector<double> residual;
    long long columnIterations = 0;    // Σ over columns of iterations actually performed
};

BatchResult solveBatchDense(const SolverContext& ctx, const Eigen::MatrixXd& Z0, const JobControl& job = {});

}  // namespace opteq

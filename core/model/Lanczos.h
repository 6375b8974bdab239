// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The one Lanczos iteration of the engine: extreme eigenvalues of a symmetric operator given only
// as y = S x. Used for ‖W‖₂ (largest eigenvalue of WᵀW) and for the Jacobian spectrum of large
// models (top eigenvalues of D^{1/2} WᵀW D^{1/2}). Pure function; the apply callback runs on the
// calling thread (it may use OpenMP inside).
#include <Eigen/Dense>
#include <functional>
#include <vector>

namespace opteq {

using SymmetricApply = std::function<void(const Eigen::VectorXd& x, Eigen::VectorXd& y)>;

struct LanczosResult {
    std::vector<double> top;   // the `count` largest Ritz values, descending
    double smallest = 0;       // the smallest Ritz value (an upper estimate of λmin)
    int steps = 0;
    bool converged = false;    // the Ritz values asked for stopped moving (or the space was exhausted)
};

// Lanczos with full reorthogonalisation (twice: "twice is enough") from a fixed random start
// (reproducible). Stops when the `count` top Ritz values (and, with trackSmallest, the smallest)
// moved by at most relTol·|θ| over three steps, the Krylov space is exhausted, or after maxSteps.
LanczosResult lanczosExtremes(const SymmetricApply& apply, Eigen::Index n, int count, double relTol = 1e-14,
                              int maxSteps = 400, bool trackSmallest = false);

}  // namespace opteq

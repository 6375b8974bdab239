// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The per-iteration record of one solve (MATH.md §6). An immutable value once returned, so it can
// cross threads by copy/move.
#include <Eigen/Dense>
#include <algorithm>
#include <limits>
#include <string>
#include <vector>

namespace opteq {

enum class SolveStatus { Converged, MaxIter, Diverged, Cancelled };
const char* statusName(SolveStatus s);

// The stop rule every solver shares (MATH.md §6), for iterate k with residual res, the first
// residual first and the prior step size step (0 without a prior). Returns true with the status
// when the solve must stop; finite checks of the state are the caller's.
inline bool stopRule(int k, double res, double first, double step, double tol, int maxIter, SolveStatus& status)
{
    if (!(res == res) || res == std::numeric_limits<double>::infinity()) { status = SolveStatus::Diverged; return true; }
    if (res <= tol && step <= tol) { status = SolveStatus::Converged; return true; }
    if (res > 1e6 * std::max(first, tol)) { status = SolveStatus::Diverged; return true; }
    if (k >= maxIter) { status = SolveStatus::MaxIter; return true; }
    return false;
}

struct TraceOptions {
    bool storeIterates = true;     // keep z_k (down-sampled past maxStoredIterates)
    bool storeScalars = true;      // keep residuals and objective per iteration
    bool computeObjective = true;  // E(z_k) costs a pass over f; basin maps skip it
    int maxStoredIterates = 4096;  // past this, every other stored iterate is dropped (stride doubles)
};

struct Trace {
    std::vector<Eigen::VectorXd> iterates;   // z_k for k in iterateIndex
    std::vector<int> iterateIndex;
    std::vector<double> absResidual;         // ‖T z_k - z_k‖, k = 0..iterations
    std::vector<double> relResidual;         // ‖T z_k - z_k‖ / (‖T z_k‖ + 1e-12)
    std::vector<double> objective;           // E(z_k)
    Eigen::VectorXd z;                       // the final iterate
    SolveStatus status = SolveStatus::MaxIter;
    int iterations = 0;                      // k of the final iterate
    double residual = 0;                     // its absolute residual
    double finalObjective = 0;
    std::string note;                        // e.g. "Anderson fell back to Picard 3 times"
    bool drift = false;                      // max_iter drifting off at a constant step: the note says Fix T appears empty
};

}  // namespace opteq

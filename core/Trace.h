// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The per-iteration record of one solve (MATH.md §6). An immutable value once returned, so it can
// cross threads by copy/move.
#include <Eigen/Dense>
#include <string>
#include <vector>

namespace opteq {

enum class SolveStatus { Converged, MaxIter, Diverged, Cancelled };
const char* statusName(SolveStatus s);

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
};

}  // namespace opteq

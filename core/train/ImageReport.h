// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the Train tab's image views draw for one set of weights, computed off the GUI thread (the
// TrainingController's job) and `opteq export --plot samples|confusion|filters`: the test split's
// evaluation (predictions, confusion matrix, how often each unit is active), each unit's filter
// norm ‖U row‖, and the equilibrium of one chosen test image with its residual curve. It grows
// with n, d and the test split, so the GUI thread never makes one. No Qt.
#include "Evaluation.h"
#include "Scene.h"
#include "Trace.h"

#include <memory>

namespace opteq {

// One image's equilibrium z* from z₀ = 0 under the scene's solver (no prior: the network's own).
struct ImageEquilibrium {
    int row = -1;                       // test row (−1: none chosen)
    Eigen::VectorXd z;                  // n
    std::vector<double> residuals;      // ‖T z_k − z_k‖, k = 0..iterations
    int iterations = 0;
    SolveStatus status = SolveStatus::MaxIter;
    int predicted = -1;                 // argmax of V z* + c (−1 without a readout)
};

struct ImageReport {
    std::shared_ptr<const Evaluation> test;   // of the test split (null: an untrained network)
    Eigen::VectorXd filterNorm;               // n: ‖U_i‖ of each unit's input filter
    ImageEquilibrium chosen;
    bool cancelled = false;                   // the job was cancelled while the test split was evaluated: incomplete
};

// `evaluation` is the Trainer's own of these weights when it has one (lastTestEvaluation: not
// solved again), else null and the test split is evaluated here. chosenRow < 0 or past the split
// gives no equilibrium. An untrained network (no readout) gets the filters only.
// The job's cancel flag is read inside that evaluation (all 10 000 Fashion-MNIST test images take
// a few hundred ms): cancelled, the report is incomplete (cancelled set) and must not be shown.
ImageReport imageReport(const Scene& scene, const Dataset& test, std::shared_ptr<const Evaluation> evaluation, int chosenRow,
                        const JobControl& job = {});

// The equilibrium of input x (one image) of a trained scene, as the strip shows it.
ImageEquilibrium imageEquilibrium(const Scene& scene, const Eigen::VectorXd& x);

}  // namespace opteq

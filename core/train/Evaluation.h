// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A network's weights measured on a data set: loss, accuracy, the confusion matrix and how the
// forward solve went. The batched engine's forward pass (forwardPass) over the rows in chunks of
// 4096; the one evaluation path: `opteq evaluate` and Trainer::evaluate (training's per-epoch
// train and test numbers) both call it, so they agree exactly. No Qt.
#include "ImplicitGradient.h"

#include <functional>
#include <limits>

namespace opteq {

struct Evaluation {
    int size = 0;                                              // rows evaluated
    double loss = std::numeric_limits<double>::quiet_NaN();    // batch mean of the scene's loss
    double accuracy = std::numeric_limits<double>::quiet_NaN();   // classification only
    Eigen::MatrixXi confusion;                // K × K counts, row = true class, column = predicted
    std::vector<double> perClassAccuracy;     // K; NaN for a class with no rows
    double iterationsMean = std::numeric_limits<double>::quiet_NaN();   // forward iterations per row
    long long unconverged = 0;                // rows whose forward solve stopped at max_iter (or diverged)
    double zeroFraction = std::numeric_limits<double>::quiet_NaN();   // entries of z* with |z_i| <= 1e-12: the sparsity a prior buys
    std::string problem;                      // non-empty: a row diverged (the numbers are then not trustworthy)
    // Per row: the predicted class (the largest output; empty for regression). The confusion
    // matrix is these counted against the labels, so a view can list the rows behind a cell.
    std::vector<int> predicted;
    // Per unit: how many rows have |z*_i| > kActiveThreshold (how often the unit is active).
    std::vector<int> activeCount;
    static constexpr double kActiveThreshold = 1e-3;
};

// `shape` gives the layers and priors, `w` the weights; empty data gives size 0 and NaNs.
// chunkDone (optional) is called after every chunk of rows with (chunks done, chunks); the job's
// cancel flag is read inside the forward solves and between chunks: a cancelled evaluation
// returns early with problem "cancelled" (its numbers are then not the data set's).
Evaluation evaluateNetwork(const Model& shape, const NetworkWeights& w, const SolverSettings& solver, LossKind loss, const Dataset& data,
                           const JobControl& job = {}, const std::function<void(int, int)>& chunkDone = {});
// Rows per chunk of evaluateNetwork (n or d × this many columns at a time).
constexpr int kEvaluationChunk = 4096;

}  // namespace opteq

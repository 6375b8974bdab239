// SPDX-License-Identifier: GPL-3.0-or-later
#include "Evaluation.h"

#include <cmath>

namespace opteq {

Evaluation evaluateNetwork(const Model& shape, const NetworkWeights& w, const SolverSettings& solver, LossKind loss, const Dataset& data)
{
    Evaluation e;
    e.size = data.size();
    if (e.size == 0) return e;
    // One column per row: the batched engine's layout (d × N), made once.
    const Eigen::MatrixXd X = data.X.transpose();
    const bool labelled = !data.labels.empty();
    const Eigen::MatrixXd T = labelled ? Eigen::MatrixXd() : Eigen::MatrixXd(data.targets.transpose());
    const BatchView b{X, labelled ? &data.labels : nullptr, labelled ? nullptr : &T};
    const ForwardPass f = forwardPass(networkModel(shape, w), w.V, w.c, X, solver);
    const LossValue lv = evaluateLoss(f.Y, b, loss);
    e.loss = lv.loss;
    e.iterationsMean = double(f.iterations) / e.size;
    e.unconverged = f.failed;
    e.problem = f.problem;
    if (!labelled) return e;
    e.accuracy = double(lv.correct) / e.size;
    // Predicted class: the largest output, as evaluateLoss counts `correct` (the first on a tie).
    const int K = int(f.Y.rows());
    e.confusion = Eigen::MatrixXi::Zero(K, K);
    for (int j = 0; j < e.size; ++j) {
        Eigen::Index predicted = 0;
        f.Y.col(j).maxCoeff(&predicted);
        const int truth = data.labels[size_t(j)];
        if (truth >= 0 && truth < K) ++e.confusion(truth, Eigen::Index(predicted));
    }
    e.perClassAccuracy.resize(size_t(K));
    for (int k = 0; k < K; ++k) {
        const int rowTotal = e.confusion.row(k).sum();
        e.perClassAccuracy[size_t(k)] = rowTotal ? double(e.confusion(k, k)) / rowTotal : std::nan("");
    }
    return e;
}

}  // namespace opteq

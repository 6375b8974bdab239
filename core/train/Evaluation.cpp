// SPDX-License-Identifier: GPL-3.0-or-later
#include "Evaluation.h"

#include <algorithm>
#include <cmath>

namespace opteq {

Evaluation evaluateNetwork(const Model& shape, const NetworkWeights& w, const SolverSettings& solver, LossKind loss, const Dataset& data,
                           const JobControl& job, const std::function<void(int, int)>& chunkDone)
{
    Evaluation e;
    e.size = data.size();
    if (e.size == 0) return e;
    const bool labelled = !data.labels.empty();
    const Model model = networkModel(shape, w);
    const int K = int(w.V.rows());
    if (labelled) {
        e.confusion = Eigen::MatrixXi::Zero(K, K);
        e.predicted.assign(size_t(e.size), 0);
    }
    e.activeCount.assign(size_t(w.W.cols()), 0);
    // In chunks of rows: each chunk's inputs, Ux + b, equilibria and outputs are n or d × chunk,
    // so evaluating all 60 000 Fashion-MNIST training images costs a few tens of MB rather than a
    // transposed copy of the whole set (376 MB) and n × 60 000 matrices beside it.
    constexpr int kChunk = kEvaluationChunk;
    const int chunks = (e.size + kChunk - 1) / kChunk;
    // The cancel flag only: the engine's own progress (columns of one chunk) is not the caller's.
    const JobControl solveJob{job.cancel, {}};
    double lossSum = 0;
    long long correct = 0, iterations = 0, zeros = 0;
    for (int from = 0; from < e.size; from += kChunk) {
        if (job.cancelled()) { e.problem = "cancelled"; return e; }
        const int B = std::min(kChunk, e.size - from);
        const Eigen::MatrixXd X = data.X.middleRows(from, B).transpose();   // the batched engine's layout: one column per row
        const std::vector<int> labels = labelled ? std::vector<int>(data.labels.begin() + from, data.labels.begin() + from + B) : std::vector<int>();
        const Eigen::MatrixXd T = labelled ? Eigen::MatrixXd() : Eigen::MatrixXd(data.targets.middleRows(from, B).transpose());
        const BatchView b{X, labelled ? &labels : nullptr, labelled ? nullptr : &T};
        const ForwardPass f = forwardPass(model, w.V, w.c, X, solver, solveJob);
        if (job.cancelled()) { e.problem = "cancelled"; return e; }
        const LossValue lv = evaluateLoss(f.Y, b, loss);
        lossSum += lv.loss * B;   // evaluateLoss gives the chunk's mean
        correct += lv.correct;
        iterations += f.iterations;
        zeros += (f.Z.array().abs() <= 1e-12).count();
        e.unconverged += f.failed;
        for (Eigen::Index j = 0; j < f.Z.cols(); ++j)
            for (Eigen::Index i = 0; i < f.Z.rows() && size_t(i) < e.activeCount.size(); ++i)
                if (std::abs(f.Z(i, j)) > Evaluation::kActiveThreshold) ++e.activeCount[size_t(i)];
        if (e.problem.empty() && !f.problem.empty())
            e.problem = "rows " + std::to_string(from + 1) + ".." + std::to_string(from + B) + ": " + f.problem;
        // Reported before the cheap per-row counting below, so regression data reports too.
        if (chunkDone) chunkDone(from / kChunk + 1, chunks);
        if (!labelled) continue;
        // Predicted class: the largest output, as evaluateLoss counts `correct` (the first on a tie).
        for (int j = 0; j < B; ++j) {
            Eigen::Index predicted = 0;
            f.Y.col(j).maxCoeff(&predicted);
            const int truth = labels[size_t(j)];
            e.predicted[size_t(from + j)] = int(predicted);
            if (truth >= 0 && truth < K) ++e.confusion(truth, Eigen::Index(predicted));
        }
    }
    e.loss = lossSum / e.size;
    e.iterationsMean = double(iterations) / e.size;
    e.zeroFraction = double(zeros) / (double(e.size) * double(std::max<Eigen::Index>(1, w.W.cols())));
    if (!labelled) return e;
    e.accuracy = double(correct) / e.size;
    e.perClassAccuracy.resize(size_t(K));
    for (int k = 0; k < K; ++k) {
        const int rowTotal = e.confusion.row(k).sum();
        e.perClassAccuracy[size_t(k)] = rowTotal ? double(e.confusion(k, k)) / rowTotal : std::nan("");
    }
    return e;
}

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
// evaluateNetwork (issue #20), the one evaluation path of `opteq evaluate` and the trainer: over
// more rows than one chunk (4096) it gives what one forward pass of all rows gives, computed here
// independently: the confusion matrix of the argmax outputs (rows = true class), accuracy = its
// trace / N, the mean loss, per-class accuracy, the iterations per row.
#include "Evaluation.h"
#include "TestHelpers.h"
#include "Trainer.h"

#include <random>

using namespace opteq;

class TestEvaluation : public QObject {
    Q_OBJECT
private slots:
    void chunksAgreeWithOneForwardPass()
    {
        Activation tanh;
        tanh.type = ActivationType::Tanh;
        const int n = 6, d = 3, K = 4, N = 9001;   // two full chunks and a part
        const Model shape = withUntrainedNetwork(defaultScene(), n, tanh).model();
        std::mt19937_64 rng(7);
        std::normal_distribution<double> g;
        auto draw = [&](int r, int c, double s) { return Eigen::MatrixXd(Eigen::MatrixXd::NullaryExpr(r, c, [&] { return s * g(rng); })); };
        NetworkWeights w{draw(n, n, 1), draw(n, d, 1), draw(K, n, 1), draw(n, 1, 0.1), draw(K, 1, 0.1)};
        w.W *= 0.6 / spectralNorm(w.W);
        Dataset data;
        data.X = draw(N, d, 1);
        data.classes = K;
        for (int i = 0; i < N; ++i) data.labels.push_back(int(rng() % K));
        SolverSettings solver;
        solver.tol = 1e-10;
        const Evaluation e = evaluateNetwork(shape, w, solver, LossKind::CrossEntropy, data);

        // Independently: one pass of all rows, argmax and softmax cross-entropy written out.
        const Eigen::MatrixXd X = data.X.transpose();
        const ForwardPass f = forwardPass(networkModel(shape, w), w.V, w.c, X, solver);
        Eigen::MatrixXi confusion = Eigen::MatrixXi::Zero(K, K);
        double loss = 0;
        for (int j = 0; j < N; ++j) {
            Eigen::Index p;
            f.Y.col(j).maxCoeff(&p);
            ++confusion(data.labels[size_t(j)], p);
            const double top = f.Y.col(j).maxCoeff();
            loss += std::log((f.Y.col(j).array() - top).exp().sum()) + top - f.Y(data.labels[size_t(j)], j);
        }
        QCOMPARE(e.size, N);
        QVERIFY(e.confusion == confusion);
        QCOMPARE(e.confusion.sum(), N);
        QCOMPARE(e.accuracy, double(confusion.trace()) / N);
        QVERIFY2(std::abs(e.loss - loss / N) <= 1e-12 * std::abs(loss / N), qPrintable(QString::number(e.loss - loss / N)));
        for (int k = 0; k < K; ++k) QCOMPARE(e.perClassAccuracy[size_t(k)], double(confusion(k, k)) / confusion.row(k).sum());
        QVERIFY(std::abs(e.iterationsMean - double(f.iterations) / N) <= 0.01 * e.iterationsMean);
        QCOMPARE(e.unconverged, 0LL);
        QVERIFY(e.problem.empty());
        // A class without rows has no accuracy (null in JSON), not 0.
        Dataset three = data;
        for (int& l : three.labels) l = l % 3;
        QVERIFY(std::isnan(evaluateNetwork(shape, w, solver, LossKind::CrossEntropy, three).perClassAccuracy[3]));
    }
};

QTEST_APPLESS_MAIN(TestEvaluation)
#include "tst_evaluation.moc"

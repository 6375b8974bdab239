// SPDX-License-Identifier: GPL-3.0-or-later
// The implicit gradient of MATH.md §7 against central finite differences of the loss through a
// fully converged forward solve, for every smooth activation and every weight; the unrolled
// gradient tends to it; ReLU's subgradient at inactive units; the adjoint contracts; Anderson's
// adjoint equals Picard's; a batch split between threads is still the batch's gradient.
#include "DeepGenerator.h"
#include "ImplicitGradient.h"
#include "TestHelpers.h"

#include <omp.h>
#include <random>

using namespace opteq;

namespace {

struct Problem {
    Model shape;
    NetworkWeights w;
    Eigen::MatrixXd X;
    std::vector<int> labels;
    Eigen::MatrixXd targets;
};

Problem randomProblem(const Activation& act, int n, int d, int K, int B, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> g;
    auto normal = [&](int r, int c, double s) { return Eigen::MatrixXd(Eigen::MatrixXd::NullaryExpr(r, c, [&] { return s * g(rng); })); };
    Problem p{makeRandomModel(n, act, 0.8, seed), {}, {}, {}, {}};
    p.w.W = p.shape.W();
    p.w.U = normal(n, d, 0.7);
    p.w.b = normal(n, 1, 0.3);
    p.w.V = normal(K, n, 0.8);
    p.w.c = normal(K, 1, 0.2);
    p.X = normal(d, B, 1.0);
    for (int j = 0; j < B; ++j) p.labels.push_back(j % K);
    p.targets = normal(K, B, 1.0);
    return p;
}

SolverSettings tight()
{
    SolverSettings s;
    s.method = Method::Anderson;
    s.tol = 1e-14;
    s.maxIter = 20000;
    return s;
}

double lossOf(const Problem& p, const NetworkWeights& w, LossKind kind)
{
    const Model m = networkModel(p.shape, w);
    const ForwardPass f = forwardPass(m, w.V, w.c, p.X, tight());
    return evaluateLoss(f.Y, BatchView{p.X, &p.labels, &p.targets}, kind).loss;
}

// Central differences of every entry of one weight, compared entry by entry (relative 1e-5 of
// the largest entry of that gradient, which keeps tiny entries from demanding absolute 1e-16).
void checkAgainstFiniteDifferences(const Problem& p, LossKind kind, const char* what)
{
    const Model m = networkModel(p.shape, p.w);
    const GradientResult r = computeGradient(m, p.w, BatchView{p.X, &p.labels, &p.targets}, kind, tight(), GradientKind::Implicit);
    QVERIFY2(r.ok(), r.problem.c_str());
    auto check = [&](auto member, const char* name) {
        const Eigen::MatrixXd analytic = r.grad.*member;
        Eigen::MatrixXd numeric(analytic.rows(), analytic.cols());
        for (Eigen::Index i = 0; i < analytic.rows(); ++i)
            for (Eigen::Index j = 0; j < analytic.cols(); ++j) {
                const double h = 1e-5;
                NetworkWeights plus = p.w, minus = p.w;
                (plus.*member)(i, j) += h;
                (minus.*member)(i, j) -= h;
                numeric(i, j) = (lossOf(p, plus, kind) - lossOf(p, minus, kind)) / (2 * h);
            }
        const double scale = std::max(analytic.cwiseAbs().maxCoeff(), 1e-8);
        const double err = (analytic - numeric).cwiseAbs().maxCoeff() / scale;
        QVERIFY2(err < 1e-5, qPrintable(QString("%1 %2: relative error %3").arg(what, name).arg(err)));
    };
    check(&NetworkWeights::W, "W");
    check(&NetworkWeights::U, "U");
    check(&NetworkWeights::V, "V");
    // b and c are vectors: same check through a matrix view.
    auto checkVec = [&](Eigen::VectorXd NetworkWeights::*member, const char* name) {
        const Eigen::VectorXd analytic = r.grad.*member;
        Eigen::VectorXd numeric(analytic.size());
        for (Eigen::Index i = 0; i < analytic.size(); ++i) {
            const double h = 1e-5;
            NetworkWeights plus = p.w, minus = p.w;
            (plus.*member)(i) += h;
            (minus.*member)(i) -= h;
            numeric(i) = (lossOf(p, plus, kind) - lossOf(p, minus, kind)) / (2 * h);
        }
        const double err = (analytic - numeric).cwiseAbs().maxCoeff() / std::max(analytic.cwiseAbs().maxCoeff(), 1e-8);
        QVERIFY2(err < 1e-5, qPrintable(QString("%1 %2: relative error %3").arg(what, name).arg(err)));
    };
    checkVec(&NetworkWeights::b, "b");
    checkVec(&NetworkWeights::c, "c");
}

}  // namespace

class TestGradient : public QObject {
    Q_OBJECT
private slots:
    void implicitGradientMatchesFiniteDifferences_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("loss");
        for (ActivationType t : {ActivationType::Tanh, ActivationType::Logistic, ActivationType::Arctan, ActivationType::Softsign,
                                 ActivationType::Elu, ActivationType::Softplus, ActivationType::Identity})
            for (int n : {3, 6}) {
                QTest::addRow("%s n=%d ce", Activation::typeName(t), n) << int(t) << n << int(LossKind::CrossEntropy);
                if (n == 3) QTest::addRow("%s n=%d mse", Activation::typeName(t), n) << int(t) << n << int(LossKind::MeanSquaredError);
            }
    }
    void implicitGradientMatchesFiniteDifferences()
    {
        QFETCH(int, type);
        QFETCH(int, n);
        QFETCH(int, loss);
        Activation a;
        a.type = ActivationType(type);
        const Problem p = randomProblem(a, n, 2, 3, 7, 100 + std::uint64_t(n) + std::uint64_t(type));
        checkAgainstFiniteDifferences(p, LossKind(loss), Activation::typeName(a.type));
    }

    void unrolledTendsToImplicitAndJacobianFreeDiffers()
    {
        Activation a;
        a.type = ActivationType::Tanh;
        const Problem p = randomProblem(a, 8, 2, 3, 16, 5);
        const Model m = networkModel(p.shape, p.w);
        const BatchView batch{p.X, &p.labels, nullptr};
        const GradientResult exact = computeGradient(m, p.w, batch, LossKind::CrossEntropy, tight(), GradientKind::Implicit);
        const GradientResult longUnroll = computeGradient(m, p.w, batch, LossKind::CrossEntropy, tight(), GradientKind::Unrolled, 400);
        const GradientResult shortUnroll = computeGradient(m, p.w, batch, LossKind::CrossEntropy, tight(), GradientKind::Unrolled, 2);
        const GradientResult free = computeGradient(m, p.w, batch, LossKind::CrossEntropy, tight(), GradientKind::JacobianFree);
        QVERIFY(exact.ok() && longUnroll.ok() && shortUnroll.ok() && free.ok());
        // Through a converged solve, backpropagating k steps sums the adjoint's series to k terms:
        // k = 400 at contraction ≤ 0.64 is the implicit gradient to round-off.
        const double err = (longUnroll.grad.W - exact.grad.W).norm() / exact.grad.W.norm();
        QVERIFY2(err < 1e-10, qPrintable(QString::number(err)));
        OPTEQ_COMPARE_NEAR((longUnroll.grad.b - exact.grad.b).norm() / exact.grad.b.norm(), 0.0, 1e-10);
        // The cheap estimators point roughly the same way but are not the gradient.
        const double cosShort = gradientCosine(shortUnroll.grad, exact.grad), cosFree = gradientCosine(free.grad, exact.grad);
        QVERIFY2(cosShort > 0.5 && cosShort < 1 - 1e-6, qPrintable(QString::number(cosShort)));
        QVERIFY2(cosFree > 0.0 && cosFree < 1 - 1e-6, qPrintable(QString::number(cosFree)));
        QCOMPARE(gradientCosine(exact.grad, exact.grad), 1.0);
        // V and c do not depend on the estimator (they need no adjoint).
        QCOMPARE(free.grad.V, exact.grad.V);
    }

    void reluSubgradientAtInactiveUnits()
    {
        // ReLU units with v < 0 are inactive: σ'(v) = 0 there, so their adjoint entries and the
        // rows of ∂L/∂U and ∂L/∂b are exactly 0; the finite differences agree (away from v = 0
        // the loss is smooth).
        Activation a;   // relu
        Problem p = randomProblem(a, 6, 2, 2, 5, 9);
        p.w.b(0) = -50.0;   // unit 1 is off for every sample
        p.w.b(1) = -50.0;
        const Model m = networkModel(p.shape, p.w);
        const GradientResult r = computeGradient(m, p.w, BatchView{p.X, &p.labels, nullptr}, LossKind::CrossEntropy, tight(),
                                                 GradientKind::Implicit);
        QVERIFY(r.ok());
        QCOMPARE(r.grad.b(0), 0.0);
        QCOMPARE(r.grad.b(1), 0.0);
        QCOMPARE(r.grad.U.row(0).cwiseAbs().maxCoeff(), 0.0);
        QVERIFY(r.grad.b.cwiseAbs().maxCoeff() > 0);   // the active units do carry a gradient
        checkAgainstFiniteDifferences(p, LossKind::CrossEntropy, "relu");
    }

    void adjointStopsRelativeToTheGradientsScale()
    {
        // ∂L/∂y carries the batch mean's 1/B: with B = 2000 the adjoint's right-hand side is
        // ~1e-4. An absolute floor (tol × max(1, ‖g‖)) stopped such columns at ~1e-4 relative
        // error; relative to the column's own scale it is within ~tol of the exact solve.
        const int n = 12;
        Activation tanh;
        tanh.type = ActivationType::Tanh;
        Problem p = randomProblem(tanh, n, 3, 3, 4, 7);
        const Eigen::MatrixXd A = p.shape.WtW();
        std::mt19937_64 rng(3);
        std::uniform_real_distribution<double> u(0.2, 1.0);
        const Eigen::MatrixXd D = Eigen::MatrixXd::NullaryExpr(n, 4, [&] { return u(rng); });
        const Eigen::MatrixXd GZ = 1e-4 * Eigen::MatrixXd::NullaryExpr(n, 4, [&] { return u(rng) - 0.6; });
        Eigen::MatrixXd G;
        long long iterations = 0;
        const double tol = 1e-8;
        QVERIFY(solveAdjoint(A, D, GZ, tol, 10000, G, &iterations).empty());
        for (Eigen::Index j = 0; j < G.cols(); ++j) {
            // (I − D A) g = D gz, solved directly.
            const Eigen::MatrixXd M = Eigen::MatrixXd::Identity(n, n) - D.col(j).asDiagonal() * A;
            const Eigen::VectorXd exact = M.partialPivLu().solve(D.col(j).cwiseProduct(GZ.col(j)));
            OPTEQ_VERIFY_LE((G.col(j) - exact).norm() / exact.norm(), 1e-6);
        }
    }

    void andersonAdjointMatchesPicardAdjoint()
    {
        // The adjoint by Anderson mixing on the batched engine gives the Picard adjoint's
        // gradient: the same fixed point of g = D (A g + gz), each to a relative 1e-10.
        Activation tanh;
        tanh.type = ActivationType::Tanh;
        const Problem p = randomProblem(tanh, 24, 5, 4, 40, 11);
        const Model m = networkModel(p.shape, p.w);
        SolverSettings picard;
        picard.method = Method::Picard;
        picard.tol = 1e-13;
        picard.maxIter = 20000;
        SolverSettings anderson = picard;
        anderson.method = Method::Anderson;
        const BatchView batch{p.X, &p.labels, nullptr};
        const GradientResult a = computeGradient(m, p.w, batch, LossKind::CrossEntropy, picard, GradientKind::Implicit, 5, {}, &picard);
        const GradientResult b = computeGradient(m, p.w, batch, LossKind::CrossEntropy, picard, GradientKind::Implicit, 5, {}, &anderson);
        QVERIFY2(a.ok() && b.ok(), (a.problem + b.problem).c_str());
        QVERIFY(a.adjointUnconverged == 0 && b.adjointUnconverged == 0);
        auto rel = [](const auto& x, const auto& y) { return (x - y).norm() / std::max(y.norm(), 1e-300); };
        OPTEQ_VERIFY_LE(rel(b.grad.W, a.grad.W), 1e-10);
        OPTEQ_VERIFY_LE(rel(b.grad.U, a.grad.U), 1e-10);
        OPTEQ_VERIFY_LE(rel(b.grad.b, a.grad.b), 1e-10);
        QCOMPARE(b.grad.V, a.grad.V);   // the readout's gradient does not go through the adjoint
        // Anderson needs fewer products here (a linear map: it is GMRES-like).
        QVERIFY2(b.adjointIterations < a.adjointIterations,
                 qPrintable(QString("anderson %1, picard %2").arg(b.adjointIterations).arg(a.adjointIterations)));
        // The adjoint alone against the direct solve of (I − D A) g = D gz.
        std::mt19937_64 rng(5);
        std::uniform_real_distribution<double> u(0.2, 1.0);
        const Eigen::MatrixXd A = p.shape.WtW();
        const Eigen::MatrixXd D = Eigen::MatrixXd::NullaryExpr(24, 6, [&] { return u(rng); });
        const Eigen::MatrixXd GZ = 1e-3 * Eigen::MatrixXd::NullaryExpr(24, 6, [&] { return u(rng) - 0.6; });
        Eigen::MatrixXd G;
        long long iterations = 0;
        QVERIFY(solveAdjoint(A, D, GZ, anderson, G, &iterations).empty());
        for (Eigen::Index j = 0; j < G.cols(); ++j) {
            const Eigen::MatrixXd M = Eigen::MatrixXd::Identity(24, 24) - D.col(j).asDiagonal() * A;
            const Eigen::VectorXd exact = M.partialPivLu().solve(D.col(j).cwiseProduct(GZ.col(j)));
            OPTEQ_VERIFY_LE((G.col(j) - exact).norm() / exact.norm(), 1e-10);
        }
    }

    void batchSplitBetweenThreadsMatchesFiniteDifferences()
    {
        // A batch of 70 is split between two threads (each computes its block's gradient, the
        // blocks are summed by their share of the batch mean): still the gradient of the batch's
        // loss, entry by entry against central differences, and equal to the one-thread result.
        const int before = omp_get_max_threads();
        omp_set_num_threads(2);
        Activation tanh;
        tanh.type = ActivationType::Tanh;
        const Problem p = randomProblem(tanh, 5, 3, 3, 70, 21);
        checkAgainstFiniteDifferences(p, LossKind::CrossEntropy, "tanh, 2 blocks");
        const Model m = networkModel(p.shape, p.w);
        const BatchView batch{p.X, &p.labels, nullptr};
        const GradientResult two = computeGradient(m, p.w, batch, LossKind::CrossEntropy, tight(), GradientKind::Implicit);
        omp_set_num_threads(1);
        const GradientResult one = computeGradient(m, p.w, batch, LossKind::CrossEntropy, tight(), GradientKind::Implicit);
        omp_set_num_threads(before);
        QVERIFY(two.ok() && one.ok());
        OPTEQ_VERIFY_LE((two.grad.W - one.grad.W).norm() / one.grad.W.norm(), 1e-12);
        OPTEQ_VERIFY_LE((two.grad.U - one.grad.U).norm() / one.grad.U.norm(), 1e-12);
        OPTEQ_VERIFY_LE(std::abs(two.loss - one.loss), 1e-12 * std::abs(one.loss));
        QCOMPARE(two.correct, one.correct);
        QCOMPARE(two.forwardIterations, one.forwardIterations);
    }

    void divergingModelIsReportedNotUsed()
    {
        Activation a;
        a.type = ActivationType::Identity;
        Problem p = randomProblem(a, 4, 2, 2, 6, 3);
        p.w.W *= 1.5 / p.shape.spectralNorm();   // ‖W‖₂ = 1.5: identity σ, the iteration explodes
        const Model m = networkModel(p.shape, p.w);
        SolverSettings s;
        s.maxIter = 2000;
        const GradientResult r = computeGradient(m, p.w, BatchView{p.X, &p.labels, nullptr}, LossKind::CrossEntropy, s,
                                                 GradientKind::Implicit);
        QVERIFY(!r.ok());
        QVERIFY2(QString::fromStdString(r.problem).contains("diverged"), r.problem.c_str());
    }
};

QTEST_GUILESS_MAIN(TestGradient)
#include "tst_gradient.moc"

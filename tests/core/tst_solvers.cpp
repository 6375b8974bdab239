// SPDX-License-Identifier: GPL-3.0-or-later
// MATH.md §2 and §6: every solver reaches the minimiser of E on contractive models.
#include "BatchSolver.h"
#include "DeepGenerator.h"
#include "Solve.h"
#include "TestHelpers.h"

#include <random>

using namespace opteq;

Q_DECLARE_METATYPE(opteq::Activation)

namespace {
Activation act(ActivationType t)
{
    Activation a;
    a.type = t;
    a.slope = 0.2;
    a.lo = -0.5;
    a.hi = 0.8;
    a.lambda = 0.1;
    return a;
}

// The subdifferential of f at t contains g? Written from the potentials' definitions (not from
// the prox code): closed forms for the kinked rows, a finite difference of f for the smooth ones.
bool subgradientContains(const Activation& a, double t, double g, double tol)
{
    switch (a.type) {
    case ActivationType::Identity: return std::abs(g) <= tol;
    case ActivationType::Relu: return t > tol ? std::abs(g) <= tol : (t >= -tol && g <= tol);
    case ActivationType::Clip:
        if (t > a.lo + tol && t < a.hi - tol) return std::abs(g) <= tol;
        return std::abs(t - a.lo) <= tol ? g <= tol : (std::abs(t - a.hi) <= tol && g >= -tol);
    case ActivationType::LeakyRelu: return std::abs(g - (t < 0 ? (1 / a.slope - 1) * t : 0.0)) <= tol;
    case ActivationType::SoftThreshold:
        return std::abs(t) > tol ? std::abs(g - a.lambda * (t > 0 ? 1 : -1)) <= tol : std::abs(g) <= a.lambda + tol;
    default: {
        const double h = 1e-7 * (1 + std::abs(t));
        const double fd = (a.potential(t + h) - a.potential(t - h)) / (2 * h);
        return std::abs(fd - g) <= 1e-4 * (1 + std::abs(g));
    }
    }
}
// ‖T z − z‖ recomputed from the model (T z = σ(WᵀW z + c)), not read from the solver's record.
double fixedPointResidual(const Model& m, const Eigen::VectorXd& c, const Eigen::VectorXd& z)
{
    Eigen::VectorXd Tz = m.WtW() * z + c;
    m.applyProx(Tz);
    return (Tz - z).norm();
}
}  // namespace

class TestSolvers : public QObject {
    Q_OBJECT
private slots:
    void allSolversReachTheMinimiserOfE_data()
    {
        QTest::addColumn<Activation>("a");
        QTest::addColumn<int>("n");
        for (int t = 0; t < Activation::typeCount; ++t)
            for (int n : {2, 13, 60, 200})
                QTest::addRow("%s n=%d", Activation::typeName(ActivationType(t)), n) << act(ActivationType(t)) << n;
    }
    void allSolversReachTheMinimiserOfE()
    {
        QFETCH(Activation, a);
        QFETCH(int, n);
        const Model model = makeRandomModel(n, a, 0.9, 1000 + n + 31 * int(a.type));
        const Eigen::VectorXd x = Eigen::VectorXd::Constant(n, 0.3);
        const Eigen::VectorXd c = model.bias(x);
        std::mt19937_64 rng(7);
        std::uniform_real_distribution<double> u(-1, 1);
        Eigen::VectorXd z0(n);
        for (int i = 0; i < n; ++i) z0(i) = u(rng);

        Eigen::VectorXd reference;
        for (int m = 0; m < SolverSettings::methodCount; ++m) {
            SolverSettings s;
            s.method = Method(m);
            s.tol = 1e-10;
            s.maxIter = 5000;
            const SolverContext ctx(model, x, s);
            const Trace t = solve(ctx, z0, {});
            const QString who = QString("%1 on %2 n=%3").arg(SolverSettings::methodName(s.method)).arg(a.name().c_str()).arg(n);
            QVERIFY2(t.status == SolveStatus::Converged, qPrintable(who + ": " + statusName(t.status)));
            OPTEQ_VERIFY_LE(fixedPointResidual(model, c, t.z), s.tol);   // the state returned is the one that converged
            QCOMPARE(int(t.absResidual.size()), t.iterations + 1);
            if (m == 0) reference = t.z;
            else OPTEQ_VERIFY_LE((t.z - reference).norm(), 1e-7);
        }
        // Optimality of E at z: 0 ∈ ∂f(z) + (I - WᵀW) z - c, i.e. (WᵀW z + c - z)_i ∈ ∂f(z_i).
        const Eigen::VectorXd g = model.WtW() * reference + c - reference;
        for (int i = 0; i < n; ++i)
            QVERIFY2(subgradientContains(a, reference(i), g(i), 1e-7),
                     qPrintable(QString("coordinate %1: z=%2, needed subgradient %3").arg(i).arg(reference(i)).arg(g(i))));
        // E at z is no larger than at 1000 random nearby points.
        const double E = model.objective(reference, c);
        for (int k = 0; k < 1000; ++k) {
            Eigen::VectorXd d(n);
            for (int i = 0; i < n; ++i) d(i) = u(rng);
            const double scale = (k % 3 == 0) ? 1e-2 : (k % 3 == 1 ? 1e-4 : 0.3);
            const double Ep = model.objective(reference + scale * d / std::sqrt(double(n)), c);
            OPTEQ_VERIFY_LE(E, Ep + 1e-11 * (1 + std::abs(E)));
        }
    }

    // ‖z_k - z*‖ <= ‖W‖₂^{2k} ‖z_0 - z*‖ for plain iteration.
    void contractionBound_data()
    {
        QTest::addColumn<Activation>("a");
        for (int t = 0; t < Activation::typeCount; ++t)
            QTest::addRow("%s", Activation::typeName(ActivationType(t))) << act(ActivationType(t));
    }
    void contractionBound()
    {
        QFETCH(Activation, a);
        for (int n : {2, 30, 150}) {
            const Model model = makeRandomModel(n, a, 0.8, 77 + n);
            SolverSettings s;
            s.tol = 1e-13;
            s.maxIter = 400;
            const SolverContext ctx(model, Eigen::VectorXd::Constant(n, -0.2), s);
            const Eigen::VectorXd z0 = Eigen::VectorXd::LinSpaced(n, -2, 2);
            const Trace t = solve(ctx, z0, {});
            QCOMPARE(t.status, SolveStatus::Converged);
            const double q = std::pow(model.spectralNorm(), 2);
            const double e0 = (z0 - t.z).norm();
            for (size_t r = 0; r < t.iterates.size(); ++r) {
                const int k = t.iterateIndex[r];
                OPTEQ_VERIFY_LE((t.iterates[r] - t.z).norm(), std::pow(q, k) * e0 + 2e-13);
            }
        }
    }

    void spectralNormIsExactAndPowerIterationAgrees()
    {
        Eigen::MatrixXd W = Eigen::MatrixXd::Zero(3, 3);
        W.diagonal() << 0.2, -0.9, 0.5;
        QCOMPARE(spectralNorm(W), 0.9);
        // Large: power iteration branch against a known SVD.
        const int n = 500;
        Eigen::MatrixXd Q = Eigen::MatrixXd::Random(n, n).householderQr().householderQ();
        Eigen::VectorXd sv = Eigen::VectorXd::LinSpaced(n, 0.1, 0.97);
        const Eigen::MatrixXd A = Q * sv.asDiagonal() * Q.transpose();
        OPTEQ_COMPARE_NEAR(spectralNorm(A), 0.97, 1e-12);
        // Random rectangular matrices both ways round, against a dense SVD (close top singular
        // values: where plain power iteration is slow or stops early).
        for (auto [rows, cols] : {std::pair{170, 300}, std::pair{420, 250}, std::pair{600, 600}}) {
            const Eigen::MatrixXd R = Eigen::MatrixXd::Random(rows, cols);
            const double exact = Eigen::BDCSVD<Eigen::MatrixXd>(R).singularValues()(0);
            OPTEQ_COMPARE_NEAR(spectralNorm(R) / exact, 1.0, 1e-12);
        }
    }

    void divergenceIsDetected()
    {
        LayerSpec l;
        l.size = 2;
        l.activation.type = ActivationType::Identity;
        const Model model({l}, 1.3 * Eigen::MatrixXd::Identity(2, 2), Eigen::MatrixXd::Identity(2, 2), Eigen::VectorXd::Zero(2));
        for (int m = 0; m < SolverSettings::methodCount; ++m) {
            SolverSettings s;
            s.method = Method(m);
            s.maxIter = 5000;
            const SolverContext ctx(model, Eigen::Vector2d(0.1, 0.2), s);
            const Trace t = solve(ctx, Eigen::Vector2d(1, 1), {});
            // T z = 1.69 z + c is expansive but has one fixed point, z* = −c / 0.69: a method may
            // only claim convergence there (‖T z − z‖ = 0.69 ‖z − z*‖); any other must stop.
            const QString who = SolverSettings::methodName(s.method);
            if (t.status == SolveStatus::Converged) {
                const Eigen::Vector2d zStar = -Eigen::Vector2d(0.1, 0.2) / 0.69;
                OPTEQ_VERIFY_LE((t.z - zStar).norm(), 1.01 * s.tol / 0.69);
            } else {
                QVERIFY2(t.status == SolveStatus::Diverged || t.status == SolveStatus::MaxIter, qPrintable(who));
            }
            QVERIFY(t.iterations <= s.maxIter);
        }
        SolverSettings s;
        const SolverContext ctx(model, Eigen::Vector2d(0.1, 0.2), s);
        const Trace t = solve(ctx, Eigen::Vector2d(1, 1), {});
        QCOMPARE(t.status, SolveStatus::Diverged);
        QVERIFY(!t.note.empty());
    }

    void maxIterAndCancel()
    {
        const Model model = makeRandomModel(20, act(ActivationType::Tanh), 0.999, 3);
        SolverSettings s;
        s.maxIter = 10;
        s.tol = 1e-15;
        const SolverContext ctx(model, Eigen::VectorXd::Ones(20), s);
        const Trace t = solve(ctx, Eigen::VectorXd::Zero(20), {});
        QCOMPARE(t.status, SolveStatus::MaxIter);
        QCOMPARE(t.iterations, 10);
        std::atomic<bool> cancel{true};
        s.maxIter = 100000;
        const SolverContext ctx2(model, Eigen::VectorXd::Ones(20), s);
        const Trace c = solve(ctx2, Eigen::VectorXd::Zero(20), {}, &cancel);
        QCOMPARE(c.status, SolveStatus::Cancelled);
        QVERIFY(c.iterations <= 1);
    }

    // solveBatch is solve() for each start in an OpenMP loop: the serial solves check the loop
    // (each start its own, nothing shared between threads, bit for bit), the equilibrium checks
    // the answer itself.
    void batchMatchesSingleSolves()
    {
        const Model model = makeRandomModel(8, act(ActivationType::Softplus), 0.95, 11);
        SolverSettings s;
        s.method = Method::Anderson;
        const SolverContext ctx(model, Eigen::VectorXd::Zero(8), s);
        std::vector<Eigen::VectorXd> starts;
        for (int i = 0; i < 40; ++i) starts.push_back(Eigen::VectorXd::Constant(8, 0.1 * i - 2));
        const std::vector<Trace> batch = solveBatch(ctx, starts);
        QCOMPARE(batch.size(), starts.size());
        for (size_t i = 0; i < starts.size(); ++i) {
            const Trace t = solve(ctx, starts[i]);
            QCOMPARE(batch[i].iterations, t.iterations);   // per sample: each start stops on its own
            QVERIFY((batch[i].z - t.z).norm() == 0.0);
            QCOMPARE(batch[i].status, SolveStatus::Converged);
            OPTEQ_VERIFY_LE(fixedPointResidual(model, ctx.c(), batch[i].z), s.tol);
            // ‖W‖₂ = 0.95: one equilibrium, every start within tol / (1 − ‖W‖₂²) of it.
            OPTEQ_VERIFY_LE((batch[i].z - batch[0].z).norm(), 2 * s.tol / (1 - 0.95 * 0.95));
        }
        QVERIFY(batch.front().iterations != batch.back().iterations);   // the starts really stop apart
    }

    void denseBatchMatchesPerSampleSolves_data()
    {
        QTest::addColumn<int>("method");
        for (Method m : {Method::Picard, Method::KM, Method::Anderson, Method::Fista})
            QTest::addRow("%s", SolverSettings::methodName(m)) << int(m);
    }
    void denseBatchMatchesPerSampleSolves()
    {
        QFETCH(int, method);
        const int n = 40, B = 37;
        const Model model = makeRandomModel(n, act(ActivationType::Tanh), 0.9, 21);
        SolverSettings s;
        s.method = Method(method);
        s.tol = 1e-10;
        const SolverContext ctx(model, Eigen::VectorXd::Constant(n, 0.2), s);
        Eigen::MatrixXd Z0 = Eigen::MatrixXd::Random(n, B) * 2.0;
        Z0.col(5) *= 50;   // a start far away takes longer: it must not hold the others back
        const BatchResult r = solveBatchDense(ctx, Z0);
        for (int j = 0; j < B; ++j) {
            const Trace t = solve(ctx, Z0.col(j));
            QCOMPARE(r.status[j], SolveStatus::Converged);
            OPTEQ_VERIFY_LE((r.Z.col(j) - t.z).norm(), 1e-9);
            QVERIFY(std::abs(r.iterations[j] - t.iterations) <= 1);   // GEMM vs GEMV rounding
            OPTEQ_VERIFY_LE(fixedPointResidual(model, ctx.c(), r.Z.col(j)), s.tol);
        }
        QVERIFY(r.iterations[5] > r.iterations[0]);
    }

    void longRunsDownsampleStoredIterates()
    {
        const Model model = makeRandomModel(4, act(ActivationType::Tanh), 0.9999, 5);
        SolverSettings s;
        s.maxIter = 20000;
        s.tol = 1e-300;
        TraceOptions o;
        o.maxStoredIterates = 100;
        const SolverContext ctx(model, Eigen::VectorXd::Ones(4), s);
        const Trace t = solve(ctx, Eigen::VectorXd::Zero(4), o);
        QVERIFY(t.iterates.size() <= 101);
        QCOMPARE(t.iterateIndex.back(), t.iterations);
        QCOMPARE(int(t.absResidual.size()), t.iterations + 1);   // scalars stay exact
    }

    void peacemanRachfordRefusesIndefiniteResolvent()
    {
        LayerSpec l;
        l.size = 2;
        const Model model({l}, 3.0 * Eigen::MatrixXd::Identity(2, 2), Eigen::MatrixXd::Identity(2, 2), Eigen::VectorXd::Zero(2));
        SolverSettings s;
        s.method = Method::PeacemanRachford;
        const SolverContext ctx(model, Eigen::Vector2d(1, 1), s);
        QVERIFY(!ctx.problem().empty());
        const Trace t = solve(ctx, Eigen::Vector2d(0, 0));
        QCOMPARE(t.status, SolveStatus::Diverged);
        QVERIFY(QString::fromStdString(t.note).contains("positive definite"));
    }

    void deepGeneratorIsBlockBidiagonal()
    {
        DeepSpec spec;
        LayerSpec a, b, c;
        a.size = 3; b.size = 2; c.size = 4;
        spec.layers = {a, b, c};
        spec.targetNorm = 0.95;
        const Model m = makeDeepModel(spec);
        QCOMPARE(m.n(), 9);
        OPTEQ_COMPARE_NEAR(m.spectralNorm(), 0.95, 1e-10);
        // Layer 0 and layer 2 are not coupled directly: WᵀW only links neighbours.
        QVERIFY(m.W().block(0, 5, 3, 4).isZero());        // above the diagonal blocks
        QVERIFY(m.W().block(5, 0, 4, 3).isZero());        // two layers below
        QVERIFY(m.WtW().block(0, 5, 3, 4).isZero());
    }
};

QTEST_GUILESS_MAIN(TestSolvers)
#include "tst_solvers.moc"

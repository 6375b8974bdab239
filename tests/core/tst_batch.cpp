// SPDX-License-Identifier: GPL-3.0-or-later
// The batched engine (BatchSolver.h) and the n = 2 basin kernel (Basin2D.h) against the per-start
// solver, which the rest of the suite checks against the theory: same end states, same statuses,
// same iteration counts, with one bias column per input and with a shared one.
#include "AndersonMixing.h"
#include "BasinMap.h"
#include "BatchSolver.h"
#include "DeepGenerator.h"
#include "Solve.h"
#include "TestHelpers.h"

#include <atomic>
#include <random>

using namespace opteq;

namespace {

Eigen::MatrixXd randomMatrix(int rows, int cols, unsigned seed, double scale)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> g(0.0, scale);
    Eigen::MatrixXd M(rows, cols);
    for (Eigen::Index k = 0; k < M.size(); ++k) M.data()[k] = g(rng);
    return M;
}

}  // namespace

class TestBatch : public QObject {
    Q_OBJECT
private slots:
    void andersonWeightsStayAccurateOnNearlyParallelResiduals()
    {
        // Near convergence Anderson's residuals are nearly parallel: cond(G) ~ 1e7 here, so the
        // normal equations (cond(GᵀG) ~ 1e14) keep ~2 digits of α; a QR of G keeps ~9. Reference:
        // the same least squares in its unconstrained form, α_m = 1 − Σ_{i<m} α_i, min ‖g_m + Dβ‖
        // with D = [g_i − g_m], by column-pivoting QR.
        std::mt19937 rng(3);
        std::normal_distribution<double> g;
        const int n = 200, m = 4;
        const Eigen::VectorXd base = Eigen::VectorXd::NullaryExpr(n, [&] { return g(rng); });
        Eigen::MatrixXd G(n, m);
        for (int i = 0; i < m; ++i) G.col(i) = base + 1e-7 * std::pow(3.0, i) * Eigen::VectorXd::NullaryExpr(n, [&] { return g(rng); });
        const Eigen::MatrixXd X = Eigen::MatrixXd::Zero(n, m);
        AndersonWorkspace ws;
        Eigen::VectorXd alpha(m);
        QVERIFY(andersonWeights(X, G, 0.0, ws, alpha));
        Eigen::MatrixXd D(n, m - 1);
        for (int i = 0; i < m - 1; ++i) D.col(i) = G.col(i) - G.col(m - 1);
        const Eigen::VectorXd beta = D.colPivHouseholderQr().solve(-G.col(m - 1));
        Eigen::VectorXd ref(m);
        ref.head(m - 1) = beta;
        ref(m - 1) = 1.0 - beta.sum();
        QVERIFY2((alpha - ref).norm() <= 1e-6 * ref.norm(), qPrintable(QString("error %1").arg((alpha - ref).norm() / ref.norm())));
        OPTEQ_COMPARE_NEAR(alpha.sum(), 1.0, 1e-10);
    }

    void andersonRegularisationDoesNotDrownTheNewestResidual()
    {
        // While a start converges its residuals fall geometrically, so a Tikhonov term scaled by
        // the history's mean residual² (the oldest's) outweighed the newest residual, and a longer
        // memory made Anderson slower: on this batch memory 8 took 19.95 iterations on average
        // against 12.58 for memory 3, and memory 5 14.64 at λ = 1e-4 against 11.44 at λ = 1e-8.
        // Scaled by the smallest it must not hurt: the default λ = 1e-4 within 5% of λ = 1e-8,
        // and memory 8 no slower than memory 3 (now 11.44, 11.44; 10.84 against 12.58).
        const int n = 256, d = 16, B = 64;
        Activation a;
        a.type = ActivationType::Tanh;
        const Model m0 = makeRandomModel(n, a, 0.9, 7);
        const Model model(m0.layers(), m0.W(), randomMatrix(n, d, 11, 0.6), Eigen::VectorXd::Constant(n, 0.05));
        Eigen::MatrixXd C = model.U() * randomMatrix(d, B, 12, 1.0);
        C.colwise() += model.b();
        auto average = [&](int memory, double lambda) {
            SolverSettings s;
            s.method = Method::Anderson;
            s.tol = 1e-8;
            s.memory = memory;
            s.lambda = lambda;
            const BatchResult r = solveBatchDense(SolverContext(model, Eigen::VectorXd::Zero(d), s), Eigen::MatrixXd::Zero(n, B), {}, C);
            for (SolveStatus st : r.status) if (st != SolveStatus::Converged) return 1e9;
            return double(r.columnIterations) / B;
        };
        const double m3 = average(3, 1e-4), m5 = average(5, 1e-4), m5weak = average(5, 1e-8), m8 = average(8, 1e-4);
        qInfo("Anderson iterations on average: memory 3 %.2f, 5 %.2f (λ = 1e-8: %.2f), 8 %.2f", m3, m5, m5weak, m8);
        QVERIFY2(m5 <= 1.05 * m5weak, qPrintable(QString("λ = 1e-4 took %1 against %2").arg(m5).arg(m5weak)));
        QVERIFY2(m8 <= m3, qPrintable(QString("memory 8 took %1 against memory 3's %2").arg(m8).arg(m3)));
    }

    void perColumnBiasMatchesPerStartSolves_data()
    {
        QTest::addColumn<int>("method");
        QTest::addColumn<int>("activation");
        QTest::addColumn<int>("n");
        for (Method m : {Method::Picard, Method::KM, Method::Anderson, Method::Fista})
            for (ActivationType a : {ActivationType::Tanh, ActivationType::Relu, ActivationType::Softplus})
                for (int n : {13, 60})
                    QTest::newRow(qPrintable(QString("%1 %2 n=%3").arg(SolverSettings::methodName(m), Activation::typeName(a)).arg(n)))
                        << int(m) << int(a) << n;
    }
    void perColumnBiasMatchesPerStartSolves()
    {
        QFETCH(int, method);
        QFETCH(int, activation);
        QFETCH(int, n);
        Activation act;
        act.type = ActivationType(activation);
        const Model model = makeRandomModel(n, act, 0.9, 11);
        SolverSettings s;
        s.method = Method(method);
        s.tol = 1e-10;
        s.maxIter = 3000;
        const SolverContext ctx(model, Eigen::VectorXd::Zero(model.d()), s);
        const int B = 37;   // not a multiple of the thread count or the SIMD width
        const Eigen::MatrixXd C = randomMatrix(n, B, 3, 1.0);
        const Eigen::MatrixXd Z0 = randomMatrix(n, B, 4, 0.5).cwiseAbs();   // inside every domain's closure
        const BatchResult r = solveBatchDense(ctx, Z0, {}, C);
        TraceOptions o;
        o.storeIterates = false;
        long long total = 0;
        for (int j = 0; j < B; ++j) {
            const Trace t = solve(ctx.withBias(C.col(j)), Z0.col(j), o);
            QCOMPARE(statusName(r.status[j]), statusName(t.status));
            QVERIFY2(std::abs(r.iterations[j] - t.iterations) <= 1,
                     qPrintable(QString("column %1: %2 iterations batched, %3 per start").arg(j).arg(r.iterations[j]).arg(t.iterations)));
            OPTEQ_VERIFY_LE((r.Z.col(j) - t.z).norm(), 1e-8);
            // The reported state really is an equilibrium of its own problem (its own c).
            Eigen::VectorXd Tz = model.WtW() * r.Z.col(j) + C.col(j);
            model.applyProx(Tz);
            OPTEQ_VERIFY_LE((Tz - r.Z.col(j)).norm(), 1e-9);
            total += r.iterations[j];
        }
        QCOMPARE(r.columnIterations, total);
    }

    void cancelledColumnsReportTheirLastState_data()
    {
        QTest::addColumn<int>("method");
        QTest::newRow("picard") << int(Method::Picard);
        QTest::newRow("anderson") << int(Method::Anderson);
    }

    void cancelledColumnsReportTheirLastState()
    {
        // Cancelled when the first column converges: every column still running reports z_k, the
        // state it had reached at its iteration count k (the engine alternates two state buffers
        // per thread, so this checks it hands back the right one), equal to the per-start solver
        // stopped at max_iter = k; the converged ones their equilibrium.
        Activation act;
        act.type = ActivationType::Tanh;
        const int n = 48, B = 40;
        const Model model = makeRandomModel(n, act, 0.9, 5);
        QFETCH(int, method);
        SolverSettings s;
        s.method = Method(method);
        s.tol = 1e-10;
        s.maxIter = 3000;
        const SolverContext ctx(model, Eigen::VectorXd::Zero(model.d()), s);
        Eigen::MatrixXd C = randomMatrix(n, B, 6, 1.0);
        for (int j = 0; j < B; ++j) C.col(j) *= 0.05 + 0.1 * j;   // small offsets converge first
        const Eigen::MatrixXd Z0 = Eigen::MatrixXd::Zero(n, B);
        std::atomic<bool> cancel{false};
        JobControl job{&cancel, [&](double) { cancel = true; }};
        const BatchResult r = solveBatchDense(ctx, Z0, job, C);
        int cancelled = 0;
        TraceOptions o;
        o.storeIterates = false;
        for (int j = 0; j < B; ++j) {
            SolverSettings stop = s;
            if (r.status[j] == SolveStatus::Cancelled) {
                ++cancelled;
                stop.maxIter = r.iterations[j];
                stop.tol = 1e-300;
            } else {
                QCOMPARE(r.status[j], SolveStatus::Converged);
            }
            const Trace t = solve(SolverContext(model, Eigen::VectorXd::Zero(model.d()), stop).withBias(C.col(j)), Z0.col(j), o);
            QCOMPARE(t.iterations, r.iterations[j]);
            OPTEQ_VERIFY_LE((r.Z.col(j) - t.z).norm(), 1e-9);
        }
        QVERIFY2(cancelled >= B / 4, qPrintable(QString("%1 of %2 columns cancelled").arg(cancelled).arg(B)));
    }

    void sharedBiasIsTheSceneInput()
    {
        // Without C every column uses ctx.c(): the batch equals solving each start of one scene.
        Activation act;
        act.type = ActivationType::Tanh;
        const Model model = makeRandomModel(40, act, 0.95, 2);
        SolverSettings s;
        s.method = Method::Anderson;
        s.tol = 1e-11;
        const SolverContext ctx(model, Eigen::VectorXd::Constant(model.d(), 0.4), s);
        const Eigen::MatrixXd Z0 = randomMatrix(40, 9, 8, 0.3);
        const BatchResult r = solveBatchDense(ctx, Z0);
        const Trace ref = solve(ctx, Eigen::VectorXd::Zero(40));
        for (int j = 0; j < 9; ++j) {
            QCOMPARE(r.status[j], SolveStatus::Converged);
            OPTEQ_VERIFY_LE((r.Z.col(j) - ref.z).norm(), 1e-9);   // unique equilibrium: every start ends there
        }
        const std::vector<double> E = columnObjectives(ctx, r.Z);
        for (int j = 0; j < 9; ++j) OPTEQ_COMPARE_NEAR(E[j], model.objective(r.Z.col(j), ctx.c()), 1e-10);
    }

    void divergingColumnsStopOnTheirOwn()
    {
        // ‖W‖₂ > 1 with identity σ: columns with a large start diverge, the others are unaffected.
        Activation act;
        act.type = ActivationType::Identity;
        Eigen::MatrixXd W(2, 2);
        W << 1.2, 0, 0, 0.5;
        const Model model({LayerSpec{2, act, {}}}, W, Eigen::MatrixXd::Identity(2, 2), Eigen::VectorXd::Zero(2));
        SolverSettings s;
        s.maxIter = 500;
        const SolverContext ctx(model, Eigen::VectorXd::Zero(2), s);
        Eigen::MatrixXd Z0(2, 3);
        Z0 << 0, 1, 0, 0, 0, 1;   // (0,0) is a fixed point; (1,0) diverges along e1; (0,1) converges
        const BatchResult r = solveBatchDense(ctx, Z0);
        QCOMPARE(r.status[0], SolveStatus::Converged);
        QCOMPARE(r.status[1], SolveStatus::Diverged);
        QCOMPARE(r.status[2], SolveStatus::Converged);
        QCOMPARE(r.iterations[0], 0);
    }

    void runawayStartIsDivergedAsPerStart()
    {
        // A start at 1e200: the per-start recorder calls it diverged (|z| > 1e150) before the
        // first step; the batched engine and the 2-D kernel must say the same, not "converged".
        Activation act;
        act.type = ActivationType::Tanh;
        Eigen::MatrixXd W(2, 2);
        W << 0.5, 0.1, 0.0, 0.4;
        const Model model({LayerSpec{2, act, {}}}, W, Eigen::MatrixXd::Identity(2, 2), Eigen::VectorXd::Zero(2));
        for (Method m : {Method::Picard, Method::Anderson}) {
            SolverSettings s;
            s.method = m;
            const SolverContext ctx(model, Eigen::VectorXd::Zero(2), s);
            Eigen::MatrixXd Z0(2, 2);
            Z0 << 1e200, 0.3, 0, 0.2;
            const BatchResult r = solveBatchDense(ctx, Z0);
            QCOMPARE(r.status[0], solve(ctx, Z0.col(0)).status);
            QCOMPARE(r.status[0], SolveStatus::Diverged);
            QCOMPARE(r.status[1], SolveStatus::Converged);
        }
        SolverSettings s;
        const SolverContext ctx(model, Eigen::VectorXd::Zero(2), s);
        GridSpec g;
        g.x0 = 1e200;
        g.x1 = 2e200;
        g.nx = 3;
        g.ny = 1;
        const BasinMap map = computeBasins(ctx, Plane::coordinate(2, 0, 1, Eigen::VectorXd::Zero(2)), g);
        for (int i = 0; i < 3; ++i) QCOMPARE(SolveStatus(map.status[i]), SolveStatus::Diverged);
    }

    void basinKernel2DMatchesPerCellSolves_data()
    {
        QTest::addColumn<int>("method");
        QTest::addColumn<int>("activation");
        for (Method m : {Method::Picard, Method::KM})
            for (ActivationType a : {ActivationType::Relu, ActivationType::Tanh, ActivationType::Elu, ActivationType::Clip})
                QTest::newRow(qPrintable(QString("%1 %2").arg(SolverSettings::methodName(m), Activation::typeName(a)))) << int(m) << int(a);
    }
    void basinKernel2DMatchesPerCellSolves()
    {
        QFETCH(int, method);
        QFETCH(int, activation);
        Activation act;
        act.type = ActivationType(activation);
        Eigen::MatrixXd W(2, 2);
        W << 0.7, -0.3, 0.2, 0.6;
        Eigen::VectorXd b(2);
        b << 0.3, -0.2;
        // Two layers of size 1 with different activations: the kernel must take each coordinate's own σ.
        Activation second;
        second.type = ActivationType::Softsign;
        const Model model({LayerSpec{1, act, {}}, LayerSpec{1, second, {}}}, W, Eigen::MatrixXd::Identity(2, 2), b);
        SolverSettings s;
        s.method = Method(method);
        s.tol = 1e-9;
        s.maxIter = 400;
        const SolverContext ctx(model, Eigen::VectorXd::Zero(2), s);
        Plane plane;
        plane.origin = Eigen::Vector2d(0.1, -0.1);
        plane.u = Eigen::Vector2d(1.0, 0.5);
        plane.v = Eigen::Vector2d(-0.2, 1.0);
        GridSpec g;
        g.nx = 37;
        g.ny = 11;
        const BasinMap map = computeBasins(ctx, plane, g);
        TraceOptions o;
        o.storeIterates = false;
        for (int j = 0; j < g.ny; ++j)
            for (int i = 0; i < g.nx; ++i) {
                const Trace t = solve(ctx, plane.point(g.x(i), g.y(j)), o);
                const size_t k = map.index(i, j);
                QCOMPARE(statusName(SolveStatus(map.status[k])), statusName(t.status));
                QCOMPARE(map.iterations[k], t.iterations);
                const Eigen::Vector2d q = plane.project(t.z);
                OPTEQ_COMPARE_NEAR(map.endS[k], q(0), 1e-12);
                OPTEQ_COMPARE_NEAR(map.endT[k], q(1), 1e-12);
                OPTEQ_COMPARE_NEAR(map.endFirst[k], t.z(0), 1e-12);
            }
    }

    void summaryCountsOneEquilibriumForAContraction()
    {
        // ‖W‖₂ < 1: one equilibrium; the ends differ only within the solver tolerance, and the
        // summary must say so (one distinct end), however the colour scale would stretch them.
        Activation act;
        act.type = ActivationType::Identity;
        Eigen::MatrixXd W(2, 2);
        W << 0.99, 0, 0, 0.3;
        const Model model({LayerSpec{2, act, {}}}, W, Eigen::MatrixXd::Identity(2, 2), Eigen::Vector2d(0.05, 0.1));
        SolverSettings s;
        s.tol = 1e-9;
        s.maxIter = 5000;
        const SolverContext ctx(model, Eigen::VectorXd::Zero(2), s);
        GridSpec g;
        g.nx = g.ny = 24;
        const BasinMap map = computeBasins(ctx, Plane::coordinate(2, 0, 1, Eigen::VectorXd::Zero(2)), g);
        const BasinSummary sum = summarizeBasins(map, endTolerance(ctx));
        QCOMPARE(sum.cells, 576);
        QCOMPARE(sum.converged, 576);
        QCOMPARE(sum.distinctEnds, 1);
        QVERIFY(sum.endSpread > 0);                          // they do differ, in the last digits
        OPTEQ_VERIFY_LE(sum.endSpread, endTolerance(ctx));   // but by less than the tolerance
        // And the map is coloured as one equilibrium, not as a scale stretched over round-off.
        QVERIFY(basinColouring({&map}, endTolerance(ctx)).single);
    }

    void summaryCountsARayOfEquilibria()
    {
        // MATH.md §5: W = diag(1, 0.5), ReLU, c = (0, c2): start (s, ·) ends at (max(s, 0), 4c2/3).
        Activation act;
        act.type = ActivationType::Relu;
        Eigen::MatrixXd W(2, 2);
        W << 1, 0, 0, 0.5;
        const Model model({LayerSpec{2, act, {}}}, W, Eigen::MatrixXd::Identity(2, 2), Eigen::Vector2d(0.0, 0.6));
        SolverSettings s;
        s.tol = 1e-10;
        const SolverContext ctx(model, Eigen::VectorXd::Zero(2), s);
        GridSpec g;
        g.x0 = -1;
        g.x1 = 2;
        g.nx = 31;   // spacing 0.1: starts s = -1.0, …, 0.0 end at (0, 0.8); s > 0 at (s, 0.8)
        g.ny = 5;
        const BasinMap map = computeBasins(ctx, Plane::coordinate(2, 0, 1, Eigen::VectorXd::Zero(2)), g);
        const BasinSummary sum = summarizeBasins(map, endTolerance(ctx));
        QCOMPARE(sum.converged, 155);
        QCOMPARE(sum.distinctEnds, 21);                 // (0, 0.8) and the 20 positive s
        OPTEQ_COMPARE_NEAR(sum.endSpread, 2.0, 1e-8);   // from (0, 0.8) to (2, 0.8)
        // Colour runs along the ray (the s axis), over its whole length.
        const BasinColouring c = basinColouring({&map}, endTolerance(ctx));
        QVERIFY(!c.single);
        OPTEQ_COMPARE_NEAR(std::abs(c.ax), 1.0, 1e-12);
        OPTEQ_COMPARE_NEAR(c.hi - c.lo, 2.0, 1e-8);
        OPTEQ_COMPARE_NEAR(c.fraction(0.0, 0.8), 0.0, 1e-9);
        OPTEQ_COMPARE_NEAR(c.fraction(2.0, 0.8), 1.0, 1e-9);
    }
};

QTEST_APPLESS_MAIN(TestBatch)
#include "tst_batch.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// Every failure mode of a solve ends within the iteration cap with a status and a note that
// says which: divergence, NaN, oscillation, an empty fixed-point set, a singular Anderson
// least-squares problem, a stall, cancellation.
#include "DeepGenerator.h"
#include "Solve.h"
#include "TestHelpers.h"

using namespace opteq;

namespace {
Model linear(const Eigen::MatrixXd& W, ActivationType type = ActivationType::Identity)
{
    LayerSpec l;
    l.size = int(W.cols());
    l.activation.type = type;
    return Model({l}, W, Eigen::MatrixXd::Identity(W.cols(), W.cols()), Eigen::VectorXd::Zero(W.cols()));
}
}  // namespace

class TestFailures : public QObject {
    Q_OBJECT
private slots:
    void normAboveOneDiverges()
    {
        const Model m = linear(1.4 * Eigen::MatrixXd::Identity(2, 2));
        SolverSettings s;
        s.maxIter = 100000;
        const Trace t = solve(SolverContext(m, Eigen::Vector2d(0.1, 0.1), s), Eigen::Vector2d(1, 2));
        QCOMPARE(t.status, SolveStatus::Diverged);
        QVERIFY(t.iterations < 200);   // detected long before the cap
        QVERIFY(QString::fromStdString(t.note).contains("grew"));
    }

    void nanDuringIterationIsDiverged()
    {
        const Model m = linear(1.0 * Eigen::MatrixXd::Identity(2, 2), ActivationType::Identity);
        SolverSettings s;
        const Trace t = solve(SolverContext(m, Eigen::Vector2d(1e308, 1e308), s), Eigen::Vector2d(1e308, -1e308));
        QCOMPARE(t.status, SolveStatus::Diverged);
        QVERIFY(QString::fromStdString(t.note).contains("non-finite"));
    }

    void oscillationIsNamed()
    {
        // fb with step γ = 2 on W = 0, identity: z ← −z + 2c, an exact 2-cycle.
        const Model m = linear(Eigen::MatrixXd::Zero(2, 2));
        SolverSettings s;
        s.method = Method::FB;
        s.step = 2.0;
        s.maxIter = 300;
        const Trace t = solve(SolverContext(m, Eigen::Vector2d(0.5, -0.25), s), Eigen::Vector2d(2, 2));
        QCOMPARE(t.status, SolveStatus::MaxIter);
        QCOMPARE(t.iterations, 300);
        QVERIFY2(QString::fromStdString(t.note).contains("period 2"), t.note.c_str());
        QVERIFY(!t.drift);
    }

    void emptyFixedPointSetIsNamed()
    {
        // ‖W‖₂ = 1 with W = I and identity σ: T z = z + c has no fixed point for c ≠ 0.
        const Model m = linear(Eigen::MatrixXd::Identity(2, 2));
        SolverSettings s;
        s.maxIter = 500;
        const Trace t = solve(SolverContext(m, Eigen::Vector2d(0.5, 0.0), s), Eigen::Vector2d(0, 0));
        QCOMPARE(t.status, SolveStatus::MaxIter);
        QVERIFY2(QString::fromStdString(t.note).contains("Fix T appears empty"), t.note.c_str());
        QVERIFY(t.drift);   // what fixSetReport reads
    }

    void singularAndersonFallsBackAndSays()
    {
        const Model m = linear(Eigen::MatrixXd::Identity(2, 2));
        SolverSettings s;
        s.method = Method::Anderson;
        s.lambda = 0;   // no regularization: the residual history is rank one here
        s.maxIter = 200;
        const Trace t = solve(SolverContext(m, Eigen::Vector2d(0.5, 0.0), s), Eigen::Vector2d(0, 0));
        QVERIFY(t.status == SolveStatus::MaxIter || t.status == SolveStatus::Diverged);
        QVERIFY2(QString::fromStdString(t.note).contains("singular"), t.note.c_str());
        QVERIFY(t.iterations <= s.maxIter);
    }

    void slowConvergenceSaysSo()
    {
        Activation a;
        a.type = ActivationType::Identity;
        const Model m = makeRandomModel(10, a, 0.999, 4);
        SolverSettings s;
        s.maxIter = 50;
        const Trace t = solve(SolverContext(m, Eigen::VectorXd::Ones(10), s), Eigen::VectorXd::Zero(10));
        QCOMPARE(t.status, SolveStatus::MaxIter);
        QVERIFY2(!t.note.empty(), "a max_iter stop carries a reason");
    }

    void everySolverRespectsTheCapOnHardModels_data()
    {
        QTest::addColumn<int>("method");
        for (int k = 0; k < SolverSettings::methodCount; ++k) QTest::addRow("%s", SolverSettings::methodName(Method(k))) << k;
    }
    void everySolverRespectsTheCapOnHardModels()
    {
        QFETCH(int, method);
        for (double norm : {0.999, 1.0, 1.05, 3.0})
            for (ActivationType type : {ActivationType::Relu, ActivationType::Tanh, ActivationType::Softplus}) {
                Activation a;
                a.type = type;
                const Model m = makeRandomModel(6, a, norm, 99);
                SolverSettings s;
                s.method = Method(method);
                s.maxIter = 300;
                const Trace t = solve(SolverContext(m, Eigen::VectorXd::Constant(6, 2.0), s), Eigen::VectorXd::Constant(6, 0.5));
                QVERIFY(t.iterations <= s.maxIter);
                QVERIFY(t.status != SolveStatus::Cancelled);
                if (t.status == SolveStatus::Converged) {
                    // A claim of convergence on a hard model is checked on the state itself.
                    Eigen::VectorXd Tz = m.WtW() * t.z + m.bias(Eigen::VectorXd::Constant(6, 2.0));
                    m.applyProx(Tz);
                    OPTEQ_VERIFY_LE((Tz - t.z).norm(), s.tol);
                }
            }
    }
};

QTEST_GUILESS_MAIN(TestFailures)
#include "tst_failures.moc"

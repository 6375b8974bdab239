// SPDX-License-Identifier: GPL-3.0-or-later
// Step-by-step explanations use the solver's real numbers; rate maps show the expected trends.
#include "DeepGenerator.h"
#include "RateMap.h"
#include "Solve.h"
#include "StepExplainer.h"
#include "TestHelpers.h"

#include <QRegularExpression>

using namespace opteq;

class TestExplain : public QObject {
    Q_OBJECT
private slots:
    void explanationsMatchTheTrace_data()
    {
        QTest::addColumn<int>("method");
        for (int m = 0; m < SolverSettings::methodCount; ++m) QTest::addRow("%s", SolverSettings::methodName(Method(m))) << m;
    }
    void explanationsMatchTheTrace()
    {
        QFETCH(int, method);
        Activation a;
        a.type = ActivationType::Tanh;
        const Model m = makeRandomModel(5, a, 0.95, 8);
        SolverSettings s;
        s.method = Method(method);
        const SolverContext ctx(m, Eigen::VectorXd::Constant(5, 0.4), s);
        const Eigen::VectorXd z0 = Eigen::VectorXd::LinSpaced(5, -1, 1);
        const Trace t = solve(ctx, z0);
        for (int k : {0, 1, 4}) {
            if (k + 1 > t.iterations) break;
            const StepExplanation e = explainStep(ctx, z0, k);
            QCOMPARE(e.k, k);
            QVERIFY(e.sentences.size() >= 4);
            // explainStep replays solve(), so these two hold by construction: they guard the replay
            // (same start, same k) rather than the arithmetic.
            OPTEQ_COMPARE_NEAR((e.z - t.iterates[size_t(k)]).norm(), 0.0, 1e-14);
            OPTEQ_COMPARE_NEAR((e.next - t.iterates[size_t(k) + 1]).norm(), 0.0, 1e-14);
            if (s.method == Method::Picard || s.method == Method::KM) {
                // The step itself, from MATH.md §6 and the model: z_{k+1} = (1 − θ) z_k + θ T(z_k).
                const double theta = s.method == Method::KM ? s.theta : 1.0;
                Eigen::VectorXd Tz = m.WtW() * e.z + m.bias(Eigen::VectorXd::Constant(5, 0.4));
                m.applyProx(Tz);
                OPTEQ_COMPARE_NEAR((e.next - ((1 - theta) * e.z + theta * Tz)).norm(), 0.0, 1e-14);
            }
            QVERIFY(QString::fromStdString(e.sentences.back()).startsWith("Result"));
            // Readable as shown (the window numbers the list itself): no "2. " of its own, no
            // TeX subscripts such as z_{k+1}.
            for (const std::string& line : e.sentences) {
                const QString l = QString::fromStdString(line);
                QVERIFY2(!QRegularExpression("^[0-9]\\. ").match(l).hasMatch(), qPrintable(l));
                QVERIFY2(!l.contains("_{k") && !l.contains("z_k"), qPrintable(l));
            }
        }
    }

    void andersonNamesItsWeights()
    {
        Activation a;
        a.type = ActivationType::Softsign;
        const Model m = makeRandomModel(4, a, 0.9, 2);
        SolverSettings s;
        s.method = Method::Anderson;
        s.memory = 3;
        const SolverContext ctx(m, Eigen::VectorXd::Ones(4), s);
        const StepExplanation e = explainStep(ctx, Eigen::VectorXd::Zero(4), 5);
        QString all;
        for (const std::string& line : e.sentences) all += QString::fromStdString(line) + "\n";
        QVERIFY2(all.contains("mixing weights α = ("), qPrintable(all));
        QVERIFY(all.contains("last 3 iterates"));
        QVERIFY(!all.contains("reset its history"));   // the rebuilt history is the solver's own
    }

    void refusesLargeModels()
    {
        Activation a;
        const Model m = makeRandomModel(kMaxExplainDim + 1, a, 0.5, 1);
        const SolverContext ctx(m, Eigen::VectorXd::Zero(m.n()), SolverSettings{});
        const StepExplanation e = explainStep(ctx, Eigen::VectorXd::Zero(m.n()), 0);
        QCOMPARE(e.sentences.size(), size_t(1));
        QVERIFY(QString::fromStdString(e.sentences[0]).contains("n <= 200"));
    }

    void rateMapShowsTheTrends()
    {
        Activation a;
        a.type = ActivationType::Identity;
        const Model m = makeRandomModel(6, a, 0.9, 5);
        SolverSettings s;
        s.method = Method::KM;
        s.tol = 1e-8;
        s.maxIter = 100000;
        GridSpec g;
        g.x0 = 0.2; g.x1 = 1.0; g.y0 = 0.5; g.y1 = 0.95;
        g.nx = 5; g.ny = 4;
        const RateMap r = computeRateMap(m, Eigen::VectorXd::Ones(6), s, PriorSettings{}, Eigen::VectorXd::Zero(6), RateParam::Theta,
                                         RateParam::NormScale, g);
        auto at = [&](int i, int j) { return r.iterations[size_t(j) * g.nx + i]; };
        for (int k = 0; k < g.nx * g.ny; ++k) QCOMPARE(SolveStatus(r.status[k]), SolveStatus::Converged);
        for (int j = 0; j < g.ny; ++j)
            for (int i = 0; i + 1 < g.nx; ++i) QVERIFY(at(i + 1, j) <= at(i, j));   // larger θ: fewer iterations
        for (int i = 0; i < g.nx; ++i)
            for (int j = 0; j + 1 < g.ny; ++j) QVERIFY(at(i, j + 1) >= at(i, j));   // larger ‖W‖₂: more
    }
};

QTEST_GUILESS_MAIN(TestExplain)
#include "tst_explain.moc"

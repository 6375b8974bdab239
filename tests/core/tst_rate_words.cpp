// SPDX-License-Identifier: GPL-3.0-or-later
// Rates are named by what was measured (issue 19): linear with its ratio when log r against k is a
// straight line, sublinear only for a straight line on log–log axes that is not straight on
// semilog axes, otherwise the measured drop. The window's note once called a residual falling by
// 0.9927 per step "still falling sublinearly (residual ∝ k^-3.62)".
#include "DecayRate.h"
#include "SceneIO.h"
#include "Solve.h"
#include "SolverContext.h"
#include "TestHelpers.h"

#include <QtTest>
#include <cmath>

using namespace opteq;

namespace {
Scene lesson(const char* file)
{
    const SceneResult r = loadScene(sourcePath(QStringLiteral("resources/lessons/") + file));
    if (!r.ok()) qFatal("%s: %s", file, r.error.c_str());
    return *r.scene;
}
}  // namespace

class TestRateWords : public QObject {
    Q_OBJECT
private slots:
    void geometricResidualIsLinearWithItsRatio()
    {
        std::vector<double> r;
        for (int k = 0; k <= 2000; ++k) r.push_back(2.65 * std::pow(0.9927, k));
        const DecayFit fit = classifyDecay(r);
        QCOMPARE(int(fit.kind), int(DecayFit::Kind::Linear));
        QCOMPARE(QString::number(fit.ratio, 'f', 4), QString("0.9927"));
        const QString words = QString::fromStdString(describeDecay(fit));
        QVERIFY2(words.contains("linearly") && !words.contains("sublinear") && words.contains("0.9927"), qPrintable(words));
    }

    void inverseSquareIsSublinearWithItsPower()
    {
        std::vector<double> r{1.0};
        for (int k = 1; k <= 2000; ++k) r.push_back(1.0 / (double(k) * k));
        const DecayFit fit = classifyDecay(r);
        QCOMPARE(int(fit.kind), int(DecayFit::Kind::Sublinear));
        OPTEQ_COMPARE_NEAR(fit.slope, -2.0, 1e-9);
        const QString words = QString::fromStdString(describeDecay(fit));
        QVERIFY2(words.contains("sublinearly") && words.contains("k^-2.00"), qPrintable(words));
    }

    void neitherLineSaysWhatWasMeasured()
    {
        // A geometric fall with a sawtooth on top: straight on neither axes.
        std::vector<double> r;
        for (int k = 0; k <= 400; ++k) r.push_back(std::pow(0.995, k) * (k % 7 == 0 ? 5.0 : 1.0));
        const DecayFit fit = classifyDecay(r);
        QCOMPARE(int(fit.kind), int(DecayFit::Kind::Other));
        const QString words = QString::fromStdString(describeDecay(fit));
        QVERIFY2(!words.contains("sublinear") && words.contains("fell by a factor") && words.contains("200–400"), qPrintable(words));
    }

    void flatResidualIsStalledAndShortIsUnnamed()
    {
        QCOMPARE(int(classifyDecay(std::vector<double>(300, 0.3)).kind), int(DecayFit::Kind::Stalled));
        QCOMPARE(int(classifyDecay(std::vector<double>{1, 0.5, 0.25}).kind), int(DecayFit::Kind::TooShort));
        QVERIFY(describeDecay(classifyDecay(std::vector<double>(300, 0.3))).empty());
    }

    // The window's note for a real solve stopped by max_iter: lesson 14 with ‖W‖₂² = 0.9927 (the
    // "rate vs parameter" slider near 1), plain iteration, its cap of 500 as in lessons 1, 3, 10.
    void lessonStoppedByTheCapNamesItsLinearRate()
    {
        Scene scene = lesson("14-phase-plane-contraction-to-segment.opteq.json");
        scene.W *= std::sqrt(0.9927) / 0.8;
        scene.solver.maxIter = 500;
        const Model model = scene.model();
        TraceOptions o;
        o.storeIterates = false;
        const Trace t = solve(SolverContext(model, scene.input, scene.solver), scene.effectiveStarts()[0], o);
        QCOMPARE(t.status, SolveStatus::MaxIter);
        const QString note = QString::fromStdString(t.note);
        QVERIFY2(note.contains("still falling linearly (residual × 0.9927 per step)") && !note.contains("sublinear"),
                 qPrintable(note));
    }

    // A Halpern scheme falls as O(1/k): still named sublinear, with its power near −1.
    void halpernStoppedByTheCapIsSublinear()
    {
        Scene scene = lesson("04-ray-of-equilibria.opteq.json");
        scene.prior.type = PriorType::Halpern;
        scene.prior.anchor = Eigen::Vector2d(0.7, 0.0);
        scene.solver.maxIter = 400;
        const Model model = scene.model();
        TraceOptions o;
        o.storeIterates = false;
        const Trace t = solve(SolverContext(model, scene.input, scene.solver, scene.prior), scene.starts[0], o);
        QCOMPARE(t.status, SolveStatus::MaxIter);
        QVERIFY2(t.note.find("still falling sublinearly (residual ∝ k^-1.") != std::string::npos, t.note.c_str());
    }
};

QTEST_GUILESS_MAIN(TestRateWords)
#include "tst_rate_words.moc"

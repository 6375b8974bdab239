// SPDX-License-Identifier: GPL-3.0-or-later
// The theory views in the window (issue #13), end to end under the offscreen platform: each view
// draws the solution shown (never a stale one), the slider edits the scene as one undo step, and
// clicking the phase plane still adds a start.
#include "LandscapeView.h"
#include "MainWindow.h"
#include "PlotStyle.h"
#include "TestHelpers.h"
#include "WindowTestHelpers.h"
#include "TheoryController.h"
#include "TheoryPlots.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QSlider>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTextBrowser>

using namespace opteq;

namespace {

bool hasLegendEntry(QCustomPlot* plot, const QString& prefix)
{
    for (int i = 0; i < plot->plottableCount(); ++i)
        if (plot->plottable(i)->name().startsWith(prefix)) return true;
    return false;
}

int tabIndex(MainWindow& w, const QString& name)
{
    for (int i = 0; i < w.tabs()->count(); ++i)
        if (w.tabs()->tabText(i) == name) return i;
    return -1;
}
}  // namespace

class TestTheoryViews : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("OPTEQ_NO_DIALOGS", "1");
    }

    void phasePlaneFollowsTheShownSolutionAndClicksStillAddStarts()
    {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        w.openLesson(":/lessons/01-contraction.opteq.json");
        QVERIFY(settle(w));
        QVERIFY(!w.landscape()->phaseFieldShown());
        w.phaseToggle()->setChecked(true);
        QTRY_VERIFY_WITH_TIMEOUT(w.landscape()->phaseFieldShown(), 10000);
        QVERIFY(hasLegendEntry(w.landscape(), "nullcline T₁(z) = z₁"));
        QVERIFY(hasLegendEntry(w.landscape(), "nullclines cross"));
        // A new input moves the equilibrium: the old field is not drawn on the new solution.
        // Connected after the window's own handler: runs right after the new solution is drawn,
        // before its field can have been computed.
        bool staleShown = false, seen = false;
        const auto conn = connect(w.controller(), &Controller::solutionReady, this, [&] {
            seen = true;
            staleShown = staleShown || w.landscape()->phaseFieldShown();
        });
        Scene s = w.controller()->scene();
        s.input(0) += 0.4;
        w.controller()->editScene(s, "move x");
        QVERIFY(settle(w));
        QTRY_VERIFY(seen);
        disconnect(conn);
        QVERIFY2(!staleShown, "the previous solution's field was drawn over the new solution");
        QTRY_VERIFY_WITH_TIMEOUT(w.landscape()->phaseFieldShown(), 10000);
        // Clicking the field adds a start, as without it.
        const int before = int(w.controller()->scene().starts.size());
        QTest::mouseClick(w.landscape(), Qt::LeftButton, {}, w.landscape()->pixelOf(-0.5, 1.2));
        QVERIFY(settle(w));
        QCOMPARE(int(w.controller()->scene().starts.size()), before + 1);
        w.phaseToggle()->setChecked(false);
        QVERIFY(!w.landscape()->phaseFieldShown());
    }

    void rayLessonDrawsFixTAsARayWithTheSelection()
    {
        MainWindow w;
        w.show();
        w.openLesson(":/lessons/05-halpern-anchor.opteq.json");
        QVERIFY(settle(w));
        const auto sol = w.controller()->solution();
        QVERIFY(sol->fixSet);
        QCOMPARE(fixSetKindName(sol->fixSet->set.kind), "ray");
        QVERIFY(hasLegendEntry(w.landscape(), "Fix T: a ray"));
        QVERIFY(hasLegendEntry(w.landscape(), "Halpern anchor"));
        QVERIFY(w.theory()->toPlainText().contains("Fix T is a ray"));
    }

    void theoryTabShowsTheSpectrumAtTheEquilibriumAndAtThePlayhead()
    {
        MainWindow w;
        w.show();
        w.openLesson(":/lessons/09-deep-two-layer.opteq.json");
        QVERIFY(settle(w));
        const int theory = tabIndex(w, "Theory");
        QVERIFY(theory >= 0);
        w.tabs()->setCurrentIndex(theory);
        QTRY_COMPARE_WITH_TIMEOUT(w.spectrumView()->eigenvalueCount(), 4, 10000);
        QVERIFY(plotTitle(w.spectrumView()).contains("z*"));
        QVERIFY(w.spectrumText()->text().contains("ρ(J)"));
        QVERIFY(w.spectrumText()->text().contains("cond(I − J)"));
        w.setPlayhead(2);
        QTRY_VERIFY_WITH_TIMEOUT(plotTitle(w.spectrumView()).contains("iterate k = 2"), 10000);
        // The rate-vs-parameter cut for Picard is along ‖W‖₂.
        QTRY_VERIFY_WITH_TIMEOUT(plotTitle(w.rateCutView()).startsWith("Rate vs ‖W‖₂"), 20000);
        // A new solution: the old spectrum says it is being updated until the new one lands.
        bool marked = false, seen = false;
        const auto conn = connect(w.controller(), &Controller::solutionReady, this, [&] {
            seen = true;
            marked = plotTitle(w.spectrumView()).endsWith("updating…");
        });
        Scene s = w.controller()->scene();
        s.input(0) += 0.2;
        w.controller()->editScene(s, "move x");
        QTRY_VERIFY_WITH_TIMEOUT(seen, 20000);
        disconnect(conn);
        QVERIFY(marked);
        QTRY_VERIFY_WITH_TIMEOUT(!plotTitle(w.spectrumView()).endsWith("updating…"), 10000);
    }

    void rateSliderRescalesWAsOneUndoStep()
    {
        MainWindow w;
        w.show();
        w.openLesson(":/lessons/01-contraction.opteq.json");
        QVERIFY(settle(w));
        w.tabs()->setCurrentIndex(tabIndex(w, "Theory"));
        QComboBox* param = w.rateCutParam();
        const int norm = param->findData(int(RateParam::NormScale));
        QVERIFY(norm >= 0);
        param->setCurrentIndex(norm);
        const Eigen::MatrixXd W0 = w.controller()->scene().W;
        const int undoBefore = w.controller()->undoStack()->count();
        QSlider* slider = w.rateCutSlider();
        // Each tick scales the known norm: the GUI thread decomposes nothing (it ran Lanczos on
        // W twice per tick). Counted on this thread only: the solve jobs' own norms do not count.
        const double norm0 = w.controller()->spectralNorm();
        const long long normsBefore = normComputationsOnThisThread();
        for (int v : {60, 80, 120}) slider->setValue(v);   // one drag
        QCOMPARE(normComputationsOnThisThread() - normsBefore, 0LL);
        QVERIFY(settle(w));
        const std::vector<double> range = rateCutValues(RateParam::NormScale);
        const double target = range.front() + (range.back() - range.front()) * 120 / 200.0;
        OPTEQ_COMPARE_NEAR(w.controller()->solution()->spectralNorm, target, 1e-9);
        QCOMPARE(w.controller()->undoStack()->count(), undoBefore + 1);
        w.controller()->undoStack()->undo();
        QCOMPARE(w.controller()->spectralNorm(), norm0);   // remembered for the scene undo brings back
        QCOMPARE(normComputationsOnThisThread() - normsBefore, 0LL);
        QVERIFY(settle(w));
        QVERIFY((w.controller()->scene().W - W0).norm() < 1e-15);
    }

    // Lesson 14's story: a contraction's single crossing, then the slider at ‖W‖₂ = 1 turns the
    // first nullcline into a band and Fix T into a segment.
    void lesson14SliderTurnsThePointIntoASegment()
    {
        MainWindow w;
        w.show();
        w.openLesson(":/lessons/14-phase-plane-contraction-to-segment.opteq.json");
        QVERIFY(settle(w));
        QVERIFY(!w.controller()->solution()->fixSet);   // ‖W‖₂ = 0.8: a point, nothing to draw
        QVERIFY(w.phaseToggle()->isChecked());   // the lesson opens with the phase plane on (#19)
        w.tabs()->setCurrentIndex(tabIndex(w, "Theory"));
        QSlider* slider = w.rateCutSlider();
        QCOMPARE(RateParam(w.rateCutParam()->currentData().toInt()), RateParam::NormScale);
        slider->setValue(slider->maximum());
        QVERIFY(settle(w));
        const auto sol = w.controller()->solution();
        OPTEQ_COMPARE_NEAR(sol->spectralNorm, 1.0, 1e-12);
        QVERIFY(sol->fixSet);
        QCOMPARE(fixSetKindName(sol->fixSet->set.kind), "segment");
        OPTEQ_COMPARE_NEAR(sol->fixSet->set.vertices[0](0), -1.0, 1e-6);
        OPTEQ_COMPARE_NEAR(sol->fixSet->set.vertices[1](0), 1.0, 1e-6);
        w.tabs()->setCurrentIndex(0);
        QTRY_VERIFY_WITH_TIMEOUT(w.landscape()->phaseFieldShown(), 10000);
        QVERIFY(hasLegendEntry(w.landscape(), "nullcline T₁(z) = z₁ (shaded)"));
        QVERIFY(hasLegendEntry(w.landscape(), "Fix T: a segment"));
    }

    void unitLayerTabMapsTheEquilibria()
    {
        MainWindow w;
        w.show();
        w.openLesson(":/lessons/01-contraction.opteq.json");
        QVERIFY(settle(w));
        w.tabs()->setCurrentIndex(tabIndex(w, "Unit layer"));
        QTRY_VERIFY_WITH_TIMEOUT(w.unitLayerText()->toPlainText().contains("p* = W z*"), 10000);
        QVERIFY(hasLegendEntry(w.unitLayerView(), "p* = W z*"));
        QVERIFY(hasLegendEntry(w.unitLayerView(), "pₖ = W zₖ, start 1"));
        // The numbers shown are the model's: E(z*) and G(p*) agree to the digits printed.
        const QString text = w.unitLayerText()->toPlainText();
        const auto sol = w.controller()->solution();
        const double E = sol->model->objective(*sol->equilibrium, sol->model->bias(sol->request->input));
        QVERIFY2(text.contains(QString::number(E, 'g', 12)), qPrintable(text));
    }
};

QTEST_MAIN(TestTheoryViews)
#include "tst_theory_views.moc"

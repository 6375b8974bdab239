// SPDX-License-Identifier: GPL-3.0-or-later
// Words a lecturer reads (issue 19): subscripts rendered in the lessons and the Solver dock, the
// basin summary says what its number is, the landscape key agrees with the theory panel (E
// already includes R), and the rate cut's "no bound at ‖W‖₂ = 1" stands at 1.
#include "BasinView.h"
#include "LandscapeView.h"
#include "RateMap.h"
#include "DeepGenerator.h"
#include "SceneIO.h"
#include "SceneSolution.h"
#include "SliceBar.h"
#include "SolverPanel.h"
#include "TestHelpers.h"
#include "TheoryPlots.h"
#include "TheoryText.h"
#include "TrainPlots.h"
#include "PlotStyle.h"
#include "JacobianSpectrum.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QRegularExpression>

using namespace opteq;

namespace {
// A raw TeX-like subscript: "z_{k+1}", "α_k", "f(z_i)", "argmin_t".
const QRegularExpression kRawSubscript(R"(_\{|[\p{L})]_[\p{L}\d])");
}  // namespace

class TestWidgetWords : public QObject {
    Q_OBJECT
private slots:
    void lessonsRenderTheirSubscripts()
    {
        const QDir dir(sourcePath("resources/lessons"));
        QStringList raw;
        for (const QString& f : dir.entryList({"*.opteq.json"})) {
            QFile file(dir.filePath(f));
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QJsonObject o = QJsonDocument::fromJson(file.readAll()).object();
            for (const char* key : {"title", "notes"}) {
                QString text = o.value(key).toString();
                text.remove(QRegularExpression("`[^`]*`"));   // `train_limit`: a JSON key, written as code
                auto it = kRawSubscript.globalMatch(text);
                while (it.hasNext()) {
                    const auto m = it.next();
                    raw << QString("%1: …%2…").arg(f, text.mid(std::max<qsizetype>(0, m.capturedStart() - 6), 16));
                }
            }
        }
        QVERIFY2(raw.isEmpty(), qPrintable(raw.join("\n")));
    }

    void solverDockRendersItsSubscripts()
    {
        for (PriorType p : {PriorType::None, PriorType::Halpern, PriorType::Viscosity, PriorType::Hsd}) {
            auto scene = std::make_shared<Scene>();
            const SceneResult r = loadScene(sourcePath("resources/lessons/05-halpern-anchor.opteq.json"));
            QVERIFY(r.ok());
            *scene = *r.scene;
            scene->prior.type = p;
            SolverPanel panel;
            panel.setScene(scene);
            for (QLabel* l : panel.findChildren<QLabel*>())
                QVERIFY2(!l->text().contains(kRawSubscript), qPrintable(l->text()));
        }
    }

    void basinSummarySaysWhatItsNumberIs()
    {
        BasinSummary s;
        s.cells = 4096;
        s.converged = 4000;
        s.distinctEnds = 129;
        s.endSpread = 2.0;
        const QString text = basinSummaryText(s, 1e-8, 500);
        QVERIFY2(text.contains("129 distinct ends, spread 2"), qPrintable(text));
        QVERIFY2(!text.contains("over 2"), qPrintable(text));
        // The solver status by its meaning, not its id "max_iter".
        QVERIFY2(text.contains("0 stopped at the iteration limit (500)") && !text.contains("max_iter"), qPrintable(text));
        s.distinctEnds = -1;
        QVERIFY2(basinSummaryText(s, 1e-8, 500).contains("spread 2"), qPrintable(basinSummaryText(s, 1e-8, 500)));
    }

    void landscapeKeyAgreesThatEIncludesR()
    {
        const SceneResult r = loadScene(sourcePath("resources/lessons/06-sparsity-prior.opteq.json"));
        QVERIFY(r.ok());
        auto sol = std::make_shared<const SceneSolution>(solveScene(*r.scene));
        QVERIFY(sol->unregularizedEquilibrium);   // a prior of way 1: the key is the one to check
        LandscapeView view;
        view.resize(500, 400);
        view.setSolution(sol);
        QStringList labels;
        for (QCPColorScale* k : view.findChildren<QCPColorScale*>()) labels << k->axis()->label();
        QVERIFY(!labels.isEmpty());
        for (const QString& l : labels) QVERIFY2(!l.contains("+ R(z)"), qPrintable(l));   // E already includes R
    }

    void noBoundLabelStandsAtOne()
    {
        RateCut cut;
        cut.param = RateParam::NormScale;
        for (int i = 0; i <= 10; ++i) {
            const double s = i == 10 ? 1.0 : 0.1 + 0.09 * i;   // exactly 1 at the end (0.1 + 0.9 rounds either way)
            cut.values.push_back(s);
            cut.observed.push_back(s * s);
            cut.bound.push_back(s < 1 ? s * s : std::nan(""));
            cut.localRate.push_back(std::nan(""));
            cut.status.push_back(std::uint8_t(SolveStatus::Converged));
        }
        RateCutView view;
        view.resize(600, 400);
        view.setCut(cut, 0.55);
        view.replot();
        QCPItemText* label = nullptr;
        for (int i = 0; i < view.itemCount(); ++i)
            if (auto* t = qobject_cast<QCPItemText*>(view.item(i)); t && t->text().contains("no bound")) label = t;
        QVERIFY(label);
        const double atOne = view.xAxis->coordToPixel(1.0), current = view.xAxis->coordToPixel(0.55);
        const double x = label->position->pixelPosition().x();
        QVERIFY2(std::abs(x - atOne) <= 1.0, qPrintable(QString("label anchored at x = %1 px; ‖W‖₂ = 1 is at %2 px, the current value at %3 px")
                                                          .arg(x).arg(atOne).arg(current)));
    }

    // Lesson 8 (‖W‖₂ = 1.3, every start diverges): J at the last iterate has eigenvalues 1.69 and
    // 0.25. The words under the disc said "1 is an eigenvalue" (anything ≥ 1 was counted as 1).
    void spectrumWordsFollowTheComputedSpectrumWhenTheStartDiverged()
    {
        const SceneResult r = loadScene(sourcePath("resources/lessons/08-divergence.opteq.json"));
        QVERIFY(r.ok());
        const SceneSolution sol = solveScene(*r.scene);
        const Trace& t = sol.runs[0].traces[0];
        QCOMPARE(t.status, SolveStatus::Diverged);
        const JacobianSpectrum s = jacobianSpectrum(*sol.model, t.z, sol.model->bias(r.scene->input));
        QVERIFY(s.spectralRadius > 1.5);
        SpectrumPlace place;
        place.status = t.status;
        place.fixSet = FixSetKind::Segment;   // even beside a set of equilibria, this J is not on it
        const QString text = SpectrumView::summary(s, 1.69, 2, place);
        QVERIFY2(!text.contains("1 is an eigenvalue"), qPrintable(text));
        QVERIFY2(text.contains("diverged") && text.contains("not an equilibrium"), qPrintable(text));
        QVERIFY2(text.contains("ρ(J) &gt; 1"), qPrintable(text));
        QVERIFY2(!text.contains("local rate"), qPrintable(text));
        QVERIFY2(text.contains("did not reach it"), qPrintable(text));
    }

    // Lesson 14 with ‖W‖₂ = 1 (W = diag(1, 0.625)): Fix T is a segment, and at a start's end inside
    // it (off the kinks of clip) 1 is an eigenvalue of J, the next one (0.39) the rate towards it.
    void spectrumWordsSayEigenvalueOneWhereItIs()
    {
        const SceneResult r = loadScene(sourcePath("resources/lessons/14-phase-plane-contraction-to-segment.opteq.json"));
        QVERIFY(r.ok());
        Scene scene = *r.scene;
        scene.W /= scene.W.jacobiSvd().singularValues()(0);
        const SceneSolution sol = solveScene(scene);
        QVERIFY(sol.fixSet);
        QCOMPARE(fixSetKindName(sol.fixSet->set.kind), "segment");
        int inside = 0;
        for (size_t i = 0; i < sol.runs[0].traces.size(); ++i) {
            const Trace& t = sol.runs[0].traces[i];
            QCOMPARE(t.status, SolveStatus::Converged);
            const JacobianSpectrum s = jacobianSpectrum(*sol.model, t.z, sol.model->bias(scene.input));
            SpectrumPlace place;
            place.start = int(i) + 1;
            place.fixSet = sol.fixSet->set.kind;
            const QString text = SpectrumView::summary(s, 0, 2, place);
            const bool one = std::abs(s.eigenvalues.front() - 1) <= 1e-9;
            QCOMPARE(text.contains("1 is an eigenvalue"), one);
            QVERIFY2(!text.contains("diverged") && !text.contains("not an equilibrium"), qPrintable(text));
            if (one) {
                ++inside;
                QVERIFY2(text.contains("the rate towards the set is the next eigenvalue, <b>0.3906"), qPrintable(text));
            } else {
                QVERIFY2(s.kinks > 0 && text.contains("kink"), qPrintable(text));
            }
        }
        QVERIFY(inside > 0);
    }

    // The theory panel names the observed rate by what was measured: T(z) = tanh(z) (W = I) falls
    // as k^-1.5, which the panel called "0.99… per iteration"; Halpern stays a power of k.
    void theoryPanelNamesTheMeasuredRate()
    {
        const SceneResult r = loadScene(sourcePath("resources/lessons/10-tanh-saturation.opteq.json"));
        QVERIFY(r.ok());
        Scene scene = *r.scene;
        scene.layers = {LayerSpec{}};
        scene.layers[0].size = 2;
        scene.layers[0].activation.type = ActivationType::Tanh;
        scene.regularizers.clear();
        scene.W = Eigen::MatrixXd::Identity(2, 2);
        scene.U = Eigen::MatrixXd::Identity(2, 2);
        scene.b = Eigen::VectorXd::Zero(2);
        scene.input = Eigen::VectorXd::Zero(2);
        scene.starts = {Eigen::Vector2d(1.0, 0.5)};
        scene.prior.type = PriorType::None;
        scene.solver.method = Method::Picard;
        scene.solver.maxIter = 4000;
        const SceneSolution sol = solveScene(scene);
        const QString html = theoryHtml(scene, &sol);
        QVERIFY2(html.contains("sublinear, residual ∝ k<sup><b>-1.5"), qPrintable(html));
        QVERIFY2(!html.contains("per iteration (residual ratio"), qPrintable(html));
    }

    // Issue #19: the slice bar over a (30, 30) ReLU scene with units at 0 said "the slice stays
    // where E is finite" beside "98% of the slice lies outside dom f". It now names what is held
    // and how far E is surely finite, and claims nothing the description does not.
    void trainCurvesHaveTicksToReadThemBy_data()
    {
        QTest::addColumn<std::vector<double>>("trainLoss");
        QTest::addColumn<std::vector<double>>("testLoss");
        QTest::newRow("lesson 16, 5 epochs") << std::vector<double>{0.56, 0.41, 0.38, 0.33, 0.35} << std::vector<double>{0.59, 0.45, 0.43, 0.41, 0.42};
        QTest::newRow("lesson 17, 3 more epochs") << std::vector<double>{0.51, 0.48, 0.44} << std::vector<double>{0.57, 0.56, 0.55};
        QTest::newRow("narrow, below 0.1") << std::vector<double>{0.07, 0.06} << std::vector<double>{0.09, 0.085};
        QTest::newRow("first epoch of ten classes") << std::vector<double>{2.25} << std::vector<double>{2.2};
        QTest::newRow("many decades") << std::vector<double>{1.5, 0.2, 0.01, 1e-4} << std::vector<double>{1.6, 0.3, 0.05, 0.01};
    }
    void trainCurvesHaveTicksToReadThemBy()
    {
        // Issue #20: the loss axis (log) had a single tick on some runs; three epochs were ticked
        // 0.5, 1.5, 2.5, 3.5.
        QFETCH(std::vector<double>, trainLoss);
        QFETCH(std::vector<double>, testLoss);
        std::vector<EpochLog> h;
        for (size_t e = 0; e < trainLoss.size(); ++e) {
            EpochLog l;
            l.epoch = int(e) + 1;
            l.trainLoss = trainLoss[e];
            l.testLoss = testLoss[e];
            l.trainAccuracy = 0.8;
            l.testAccuracy = 0.78;
            h.push_back(l);
        }
        // The plot's size in the Train tab at 1366×768 (its axis ~70 px high): the tick count is
        // lowered to what fits (keepTickLabelsApart), replot by replot.
        CurvesView v;
        v.resize(440, 175);
        v.show();   // QCustomPlot takes its size from resize events
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        keepTickLabelsApart(&v);   // as the window does for all its plots
        v.setHistory(h);
        for (int i = 0; i < 6; ++i) {
            v.replot(QCustomPlot::rpImmediateRefresh);
            QCoreApplication::processEvents();
        }
        const QCPRange y = v.yAxis->range();
        int inside = 0;
        for (double t : v.yAxis->tickVector()) inside += t >= y.lower && t <= y.upper;
        QVERIFY2(inside >= 3, qPrintable(QString("%1 loss ticks in [%2, %3]").arg(inside).arg(y.lower).arg(y.upper)));
        OPTEQ_VERIFY_LE(double(inside), 8.0);
        QVERIFY(!tickLabelsOverlap(v.yAxis));
        for (double t : v.xAxis->tickVector())
            if (t >= v.xAxis->range().lower && t <= v.xAxis->range().upper) QVERIFY2(t == std::round(t), qPrintable(QString("epoch tick %1").arg(t)));
    }

    void normAndCosineCurvesAreToldApart()
    {
        // Issue #20: ‖W‖₂ (0.95, projected every step) and the cosines (0.99…) lay on top of each
        // other near 1 on a right axis from 0 to 1.05, all drawn with the same dots.
        std::vector<EpochLog> h;
        for (int e = 1; e <= 5; ++e) {
            EpochLog l;
            l.epoch = e;
            l.forwardIterations = 10000 * (12 - e);
            l.adjointIterations = 8000 * (12 - e);
            l.spectralNorm = 0.95;
            l.cosineJacobianFree = 0.985 + 0.001 * e;
            l.cosineUnrolled = 0.999;
            h.push_back(l);
        }
        DiagnosticsView v;
        v.resize(520, 200);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        v.setHistory(h, 1000);
        v.replot(QCustomPlot::rpImmediateRefresh);
        auto pixel = [&](int g, int e) { return v.yAxis2->coordToPixel(v.graph(g)->data()->at(e - 1)->value); };
        for (int e = 1; e <= 5; ++e) {
            OPTEQ_VERIFY_LE(8.0, std::abs(pixel(2, e) - pixel(3, e)));   // ‖W‖₂ vs cos(JF, exact)
            OPTEQ_VERIFY_LE(8.0, std::abs(pixel(2, e) - pixel(4, e)));   // ‖W‖₂ vs cos(unrolled, exact)
        }
        // Every value is on the axis, and the three right-axis curves have their own markers.
        for (int g = 2; g <= 4; ++g)
            for (int e = 1; e <= 5; ++e) QVERIFY(v.yAxis2->range().contains(v.graph(g)->data()->at(e - 1)->value));
        QVERIFY(v.graph(2)->scatterStyle().shape() != v.graph(3)->scatterStyle().shape());
        QVERIFY(v.graph(2)->scatterStyle().shape() != v.graph(4)->scatterStyle().shape());
        QVERIFY(v.graph(3)->scatterStyle().shape() != v.graph(4)->scatterStyle().shape());
    }

    void sliceBarSaysWhereEIsFinite()
    {
        DeepSpec spec;
        LayerSpec l;
        l.size = 30;
        l.activation.type = ActivationType::Relu;
        spec.layers = {l, l};
        const SceneSolution sol = solveScene(withDeepModel(defaultScene(), spec));
        SliceBar bar;
        bar.setDescription(QString::fromStdString(sol.view.description));
        QString shown;
        for (QLabel* label : bar.findChildren<QLabel*>())
            if (label->text().contains("held fixed")) shown = label->text();
        QVERIFY2(shown.contains(QRegularExpression("^The \\d+ of 60 units on the edge of dom f at z\\* \\(to 1e-7\\) and \\d+ more within [0-9.]+ of it are held fixed, "
                                                   "so E is finite at least within [0-9.]+ of z\\* on the slice")),
                 qPrintable(shown));
        QVERIFY2(!shown.contains("stays where E is finite") && !shown.contains("whole slice"), qPrintable(shown));
    }
};

QTEST_MAIN(TestWidgetWords)
#include "tst_widget_words.moc"

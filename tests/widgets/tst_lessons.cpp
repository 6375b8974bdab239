// SPDX-License-Identifier: GPL-3.0-or-later
// Every bundled lesson loads, solves and renders offscreen, and does what its notes promise.
#include "ImageReport.h"
#include "JacobianSpectrum.h"
#include "LandscapeView.h"
#include "ResidualPlot.h"
#include "SceneIO.h"
#include "TestHelpers.h"
#include "Dataset.h"
#include "Trainer.h"

#include <QDir>

using namespace opteq;

class TestLessons : public QObject {
    Q_OBJECT
private slots:
    void everyLessonLoadsSolvesAndRenders_data()
    {
        QTest::addColumn<QString>("path");
        const QDir dir(sourcePath("resources/lessons"));
        for (const QString& f : dir.entryList({"*.opteq.json"})) QTest::newRow(qPrintable(f)) << dir.filePath(f);
        QVERIFY(dir.entryList({"*.opteq.json"}).size() >= 10);
    }
    void everyLessonLoadsSolvesAndRenders()
    {
        QFETCH(QString, path);
        const SceneResult r = loadScene(path);
        QVERIFY2(r.ok(), r.error.c_str());
        auto sol = std::make_shared<const SceneSolution>(solveScene(*r.scene));
        QVERIFY(sol->complete);
        QVERIFY(!sol->runs.empty());
        LandscapeView view;
        view.resize(500, 400);
        view.setSolution(sol);
        QCOMPARE(view.trajectoryCount(), int(sol->runs.size() * r.scene->effectiveStarts().size()));
        const QImage img = view.toPixmap(500, 400).toImage();
        QVERIFY(!img.isNull());
        QVERIFY(img.pixel(250, 200) != img.pixel(5, 5) || img.pixel(100, 100) != img.pixel(5, 5));
        ResidualPlot plot;
        plot.setSolution(sol, r.scene->solver.tol);
        QVERIFY(!plot.toPixmap(300, 200).isNull());
    }

    void lessonsKeepTheirPromises()
    {
        auto load = [](const char* name) { return *loadScene(sourcePath(QString("resources/lessons/") + name)).scene; };
        // Acceleration: Anderson and FISTA need at most a fifth of Picard's iterations.
        {
            const SceneSolution s = solveScene(load("07-acceleration.opteq.json"));
            QCOMPARE(s.runs.size(), size_t(3));
            const int picard = s.runs[0].traces[0].iterations;
            for (int r = 1; r < 3; ++r) {
                QCOMPARE(s.runs[r].traces[0].status, SolveStatus::Converged);
                OPTEQ_VERIFY_LE(5.0 * s.runs[r].traces[0].iterations, double(picard));
            }
        }
        // Lesson 13's numbers: the same accuracy with ‖W‖₂ <= 0.99 and <= 0.5, and in the last
        // epoch about four times the forward and adjoint iterations (≈ 26 against 7 per point).
        {
            const Scene loose = load("13-what-the-norm-bound-buys.opteq.json");
            Scene tight = loose;
            tight.training.maxNorm = 0.5;
            EpochLog last[2];
            double fw[2], adj[2];   // per point, as the status line
            for (int i = 0; i < 2; ++i) {
                const Scene& s = i ? tight : loose;
                const TrainTestData d = loadTrainTest(s.training, "");
                QVERIFY2(d.ok(), d.error.c_str());
                std::string error;
                Trainer t(s, d.train, d.test, &error);
                QVERIFY2(error.empty(), error.c_str());
                for (int e = 0; e < s.training.epochs; ++e) last[i] = t.runEpoch();
                fw[i] = double(last[i].forwardIterations) / d.train.size();
                adj[i] = double(last[i].adjointIterations) / d.train.size();
            }
            QCOMPARE(last[0].testAccuracy, last[1].testAccuracy);
            const double forward = fw[0] / fw[1], adjoint = adj[0] / adj[1];
            qInfo("lesson 13: forward %.1f vs %.1f per point (%.2f×), adjoint %.2f×", fw[0], fw[1], forward, adjoint);
            QVERIFY2(forward > 3.0 && forward < 5.0 && adjoint > 3.0 && adjoint < 5.0, "about four times");
            // …and the lesson says those numbers (it said "several times", with 2.7× and 1.6× on screen).
            QVERIFY(QString::fromStdString(loose.notes).contains("about four times the iterations in every forward and adjoint solve of the last epoch (the status line: about 26 against 7 forward iterations per point)"));
            QVERIFY(fw[0] >= 23 && fw[0] <= 29);   // "about 26"
            QVERIFY(fw[1] >= 6 && fw[1] <= 8);     // "against 7"
        }
        // Divergence is detected and said.
        {
            const SceneSolution s = solveScene(load("08-divergence.opteq.json"));
            QCOMPARE(s.runs[0].traces[0].status, SolveStatus::Diverged);
        }
        // Sparsity: the first coordinate of the equilibrium is exactly zero with the prior, not without.
        {
            const SceneSolution s = solveScene(load("06-sparsity-prior.opteq.json"));
            QVERIFY(s.equilibrium && s.unregularizedEquilibrium);
            QCOMPARE((*s.equilibrium)(0), 0.0);
            QVERIFY((*s.unregularizedEquilibrium)(0) > 0.01);
        }
        // The equilibrium of an image: 4 Picard iterations to below 10⁻⁶, read as an Ankle boot
        // (class 9), 56 of 64 units saturated (|zᵢ*| > 0.99), spectral radius 0.016 under the
        // bound ‖W‖₂² = 0.9025, test accuracy 0.769 in its notes (checked where the data set is).
        {
            const Scene sc = load("17-equilibrium-of-an-image.opteq.json");
            QCOMPARE(sc.n(), 64);
            QCOMPARE(int(sc.input.size()), 784);
            const SceneSolution s = solveScene(sc);
            const Trace& t = s.runs[0].traces[0];
            QCOMPARE(t.status, SolveStatus::Converged);
            QCOMPARE(t.iterations, 4);
            QVERIFY(t.residual < 1e-6);
            QCOMPARE(int((t.z.array().abs() > 0.99).count()), 56);
            QCOMPARE(imageEquilibrium(sc, sc.input).predicted, 9);
            const Model m = sc.model();
            const JacobianSpectrum j = jacobianSpectrum(m, t.z, m.bias(sc.input));
            OPTEQ_COMPARE_NEAR(j.spectralRadius, 0.016, 0.0005);
            OPTEQ_COMPARE_NEAR(j.bound, 0.9025, 0.00005);
            QVERIFY(QString::fromStdString(sc.notes).contains("4 iterations") && QString::fromStdString(sc.notes).contains("0.016"));
        }
        // The ray lesson samples Fix T on the line z₂ = 4c/3 = 0.8.
        {
            const SceneSolution s = solveScene(load("04-ray-of-equilibria.opteq.json"));
            QVERIFY(s.fixedPointSamples.size() > 100);
            for (const Eigen::Vector2d& p : s.fixedPointSamples) {
                OPTEQ_COMPARE_NEAR(p(1), 0.8, 1e-8);
                QVERIFY(p(0) >= 0);
            }
        }
    }
};

QTEST_MAIN(TestLessons)
#include "tst_lessons.moc"

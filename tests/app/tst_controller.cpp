// SPDX-License-Identifier: GPL-3.0-or-later
// The controller's threading contract: latest request wins, stale results are never delivered,
// basin maps refine progressively and stop at once when cancelled or when the scene changes.
#include "Controller.h"
#include "JobHandOver.h"
#include "TrainingController.h"
#include "SceneIO.h"
#include "SceneSolution.h"
#include "Solve.h"
#include "TestHelpers.h"

#include <QDir>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <memory>

using namespace opteq;

namespace {
// A controller with its training controller on lesson 12 (with `samples` points when given),
// the opening preview done.
bool onLesson12(std::unique_ptr<Controller>& c, std::unique_ptr<TrainingController>& t, int samples = 0)
{
    c = std::make_unique<Controller>();
    t = std::make_unique<TrainingController>(c.get());
    const SceneResult lesson = loadScene(sourcePath("resources/lessons/12-implicit-layer-learns-moons.opteq.json"));
    if (!lesson.ok()) return false;
    Scene s = *lesson.scene;
    if (samples > 0) s.training.data.samples = samples;
    c->resetScene(s, {});
    return t->waitForIdle(120000) && c->waitForIdle(120000);
}
}  // namespace

class TestController : public QObject {
    Q_OBJECT
private slots:
    void exportTracesRunsOffTheGuiThreadAndWritesAtomically()
    {
        Controller c;
        QTemporaryDir dir;
        QSignalSpy done(&c, &Controller::exportDone);
        const QString path = dir.filePath("t.csv");
        c.exportTraces(path);
        QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 20000);
        QCOMPARE(done.at(0).at(0).toString(), path);
        QVERIFY2(done.at(0).at(1).toString().isEmpty(), qPrintable(done.at(0).at(1).toString()));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readLine().startsWith("method,start,iteration,z1,z2"));
        // A path that cannot be written: the error comes back, nothing crashes.
        c.exportTraces(dir.filePath("missing/dir/t.json"));
        QTRY_VERIFY_WITH_TIMEOUT(done.count() == 2, 20000);
        QVERIFY(done.at(1).at(1).toString().contains("cannot write"));
    }

    void traceExportIsBoundedAndCancellable()
    {
        // The export kept up to 2^20 iterates per trace whatever n, could not be cancelled, and
        // an allocation failure came back as "cancelled". Now: a budget of numbers (past it every
        // 2nd, 4th, … iterate, said in the outcome), Esc cancels, bad_alloc says "not enough memory".
        const Model big(std::vector<LayerSpec>{LayerSpec{1000, Activation{}, {}}}, Eigen::MatrixXd::Identity(1000, 1000) * 0.5,
                        Eigen::MatrixXd::Zero(1000, 1), Eigen::VectorXd::Zero(1000), {});
        QCOMPARE(exportIteratesFor(big, 10), int(256.0 * 1024 * 1024 / (8.0 * 1003 * 10)));
        QCOMPARE(exportIteratesFor(Model(), 1), 1 << 20);
        Controller c;
        Scene s = defaultScene();
        const int n = 300;
        s.layers = {LayerSpec{n, Activation{}, {}}};
        s.W = Eigen::MatrixXd::Identity(n, n) * 0.999;   // slow: 0.999 per step
        s.U = Eigen::MatrixXd::Zero(n, 2);
        s.b = Eigen::VectorXd::Zero(n);
        s.starts = {Eigen::VectorXd::Ones(n)};   // 0.999^k from 1: ~690 000 steps to 1e-300
        s.view = SceneView{};
        s.solver.tol = 1e-300;   // not reached within max_iter: the export solves for seconds
        s.solver.maxIter = 150000;
        c.resetScene(s, {});
        QTRY_VERIFY_WITH_TIMEOUT(c.solution() && c.solution()->request == c.sharedScene(), 300000);   // the pool is free
        QVERIFY(c.waitForIdle(300000));
        QTemporaryDir dir;
        QSignalSpy done(&c, &Controller::exportDone);
        c.exportTraces(dir.filePath("t.csv"));
        QTest::qWait(200);
        QElapsedTimer clock;
        clock.start();
        c.cancelExport();
        QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 60000);
        OPTEQ_VERIFY_LE(double(clock.elapsed()), 1000 * timeScale());
        QCOMPARE(done.at(0).at(1).toString(), QString("cancelled"));
        QVERIFY(!QFile::exists(dir.filePath("t.csv")));
    }

    void failedExportKeepsTheOldFile()
    {
        // An export onto an existing file that fails mid-write (the disk fills up) reports why,
        // naming the file, and leaves the old file byte for byte; no temporary file is left over.
        Controller c;
        QTemporaryDir dir;
        const QString path = dir.filePath("t.csv");
        const QByteArray old = "start,iteration\nthe previous export, which must survive\n";
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QCOMPARE(f.write(old), old.size());
        }
        QSignalSpy done(&c, &Controller::exportDone);
        {
            const FileSizeLimit full(128);   // the new CSV has thousands of bytes
            QVERIFY(full.active());
            c.exportTraces(path);
            QTRY_VERIFY_WITH_TIMEOUT(done.count() == 1, 60000);
        }
        const QString error = done.at(0).at(1).toString();
        QVERIFY2(!error.isEmpty(), "the export reported success on a full disk");
        QVERIFY2(error.contains(path), qPrintable(error));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), old);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"t.csv"});
        // The same export with room to write replaces it (the failure above was the disk's).
        c.exportTraces(path);
        QTRY_VERIFY_WITH_TIMEOUT(done.count() == 2, 60000);
        QVERIFY2(done.at(1).at(1).toString().isEmpty(), qPrintable(done.at(1).at(1).toString()));
        f.close();
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.size() > 128);
        QVERIFY(f.readLine().startsWith("method,start,iteration,z1,z2"));
    }

    void latestRequestWins()
    {
        Controller c;
        QSignalSpy ready(&c, &Controller::solutionReady);
        Scene s = defaultScene();
        for (int k = 0; k < 15; ++k) {
            s.input(0) = 0.1 * k;
            c.editScene(s, "burst");
        }
        QTRY_VERIFY_WITH_TIMEOUT(!c.solveRunning() && ready.count() > 0, 20000);
        // Everything delivered after the burst belongs to the final input.
        const auto last = qvariant_cast<std::shared_ptr<const SceneSolution>>(ready.last().at(0));
        const Model m = c.scene().model();
        const Trace t = solve(SolverContext(m, c.scene().input, c.scene().solver), c.scene().starts[0]);
        OPTEQ_COMPARE_NEAR((last->runs[0].traces[0].z - t.z).norm(), 0.0, 1e-12);
        QVERIFY(ready.count() < 15);   // superseded jobs were dropped
    }

    void basinsRefineThenCancelAtOnce()
    {
        Controller c;
        Scene halpern = *loadScene(sourcePath("resources/lessons/05-halpern-anchor.opteq.json")).scene;
        halpern.solver.tol = 1e-3;   // O(1/k): ~1000 iterations per start keeps the test quick
        c.resetScene(halpern, {});
        QSignalSpy ready(&c, &Controller::basinsReady);
        QSignalSpy stopped(&c, &Controller::basinsStopped);
        c.requestBasins(128);
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() >= 1, 60000);
        const BasinResult first = qvariant_cast<BasinResult>(ready.first().at(0));
        QCOMPARE(first.plain->spec.nx, 64);   // coarse first
        QVERIFY(first.prior);
        QTRY_VERIFY_WITH_TIMEOUT(stopped.count() == 1, 120000);
        QVERIFY(stopped.last().at(0).toBool());
        const BasinResult fin = qvariant_cast<BasinResult>(ready.last().at(0));
        QVERIFY(fin.final);
        QCOMPARE(fin.plain->spec.nx, 128);

        // Cancel: a large map stops promptly and delivers nothing more.
        ready.clear();
        stopped.clear();
        c.requestBasins(512);
        QTest::qWait(50);
        c.cancelBasins();   // how fast the job really stops: cancelStopsTheBasinJobWithinABound
        QCOMPARE(stopped.count(), 1);
        QVERIFY(!stopped.last().at(0).toBool());
        QTest::qWait(300);
        for (const auto& args : ready) QVERIFY(qvariant_cast<BasinResult>(args.at(0)).plain->spec.nx != 512);
        // A scene change also stops a running map.
        stopped.clear();
        c.requestBasins(512);
        Scene s = c.scene();
        s.input(1) = 0.5;
        c.editScene(s, "change");
        QCOMPARE(stopped.count(), 1);
    }

    void cancelStopsTheBasinJobWithinABound()
    {
        // W = I: T(z) = relu(z + c) drifts off at the constant residual ‖c‖ (Fix T is empty), so
        // every cell runs to max_iter: the 512² pass is 512² × 2·10⁴ ≈ 5·10⁹ iterations, seconds
        // of work even optimised, and a cancel that is not honoured cannot meet the bound.
        Scene s = defaultScene();
        s.W = Eigen::MatrixXd::Identity(2, 2);
        s.solver.maxIter = 20000;
        Controller c;
        c.resetScene(s, {});
        QSignalSpy ready(&c, &Controller::basinsReady);
        QSignalSpy progress(&c, &Controller::basinsProgress);
        QSignalSpy stopped(&c, &Controller::basinsStopped);
        c.requestBasins(512);
        // Started, and into the full grid: the coarse 64² pass has been delivered.
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() >= 1, 300000);
        QCOMPARE(qvariant_cast<BasinResult>(ready.last().at(0)).plain->spec.nx, 64);
        QVERIFY(progress.count() >= 1);
        QVERIFY(c.basinsRunning());
        const int bound = int(500 * timeScale());
        QElapsedTimer t;
        t.start();
        c.cancelBasins();
        QCOMPARE(stopped.count(), 1);
        QVERIFY(!stopped.last().at(0).toBool());
        // basinsStopped(false) comes at once, from cancelBasins itself; the job must also let go
        // of the cores within the bound.
        const bool idle = c.waitForIdle(bound);
        const qint64 ms = t.elapsed();
        QVERIFY2(idle, qPrintable(QString("the basin job still ran %1 ms after cancelBasins() (bound %2 ms)").arg(ms).arg(bound)));
        qInfo("the basin job stopped %lld ms after cancelBasins()", (long long)ms);
        QCoreApplication::processEvents();
        for (const auto& args : ready) QCOMPARE(qvariant_cast<BasinResult>(args.at(0)).plain->spec.nx, 64);
        QCOMPARE(stopped.count(), 1);
    }

    void trainingPausesResumesAndClosesWithinAStep()
    {
        // The Train tab's controller (also run under ThreadSanitizer): a pause mid-epoch returns
        // within a step, keeps that step's weights and says which; Play resumes; destroying the
        // controller mid-epoch (closing the window) returns as fast.
        const double limit = 200 * timeScale();
        std::unique_ptr<Controller> c;
        std::unique_ptr<TrainingController> t;
        QVERIFY(onLesson12(c, t, 60000));
        QSignalSpy stopped(t.get(), &TrainingController::stopped);
        t->play(2);
        QVERIFY(t->running());
        QTest::qWait(int(150 * timeScale()));
        QElapsedTimer clock;
        clock.start();
        t->pause();
        QVERIFY(stopped.count() > 0 || stopped.wait(120000));   // returns as the signal comes (QTRY polls every 50 ms)
        OPTEQ_VERIFY_LE(double(clock.elapsed()), limit);
        QVERIFY2(stopped.at(0).at(0).toString().isEmpty(), qPrintable(stopped.at(0).at(0).toString()));
        QVERIFY(t->waitForIdle(120000));   // the paused weights' regions
        QVERIFY(t->frame());
        {
            const QString note = QString::fromStdString(t->frame()->note);
            const QRegularExpressionMatch m = QRegularExpression("after batch (\\d+) of \\d+; Play resumes at batch (\\d+)\\.").match(note);
            QVERIFY2(m.hasMatch() && m.captured(2).toInt() == m.captured(1).toInt() + 1, qPrintable(note));
        }
        QVERIFY(!c->scene().readout.empty());   // that step's weights became the scene
        t->play(1);   // resume
        QVERIFY(t->running());
        QTest::qWait(int(150 * timeScale()));
        clock.restart();
        t.reset();
        OPTEQ_VERIFY_LE(double(clock.elapsed()), limit + 100);
    }

    void paceSlowsARunAndDrawsEveryEpoch()
    {
        // Lesson 12's epochs take milliseconds: at 20 epochs a second, 6 epochs take ≥ 0.25 s
        // (the first starts at once) and each one is drawn; a pause still returns at once.
        std::unique_ptr<Controller> c;
        std::unique_ptr<TrainingController> t;
        QVERIFY(onLesson12(c, t));
        t->setPace(20);
        QSignalSpy frames(t.get(), &TrainingController::frameReady);
        QElapsedTimer clock;
        clock.start();
        t->play(6);
        // Events flow meanwhile, as in the window (waitForIdle would hold them: frames coalesce
        // in the mailbox, the latest wins).
        QTRY_VERIFY_WITH_TIMEOUT(!t->running(), 120000);
        OPTEQ_VERIFY_LE(0.25, clock.elapsed() / 1000.0);
        QVERIFY(t->waitForIdle(120000));
        QVERIFY2(frames.count() >= 6, qPrintable(QString::number(frames.count())));
        t->setPace(1);
        t->play(50);
        QTest::qWait(100);
        QSignalSpy stopped(t.get(), &TrainingController::stopped);
        clock.restart();
        t->pause();   // inside a second-long wait for the next epoch
        QVERIFY(stopped.count() > 0 || stopped.wait(60000));   // returns as the signal comes (QTRY polls every 50 ms)
        OPTEQ_VERIFY_LE(double(clock.elapsed()), 300 * timeScale());
        QVERIFY(t->waitForIdle(120000));
    }

    void jobsShareOneBudgetOfCores()
    {
        // Three controllers, one pool thread each, used to start an OpenMP team of every core
        // each (3× the cores). A job takes the free cores, at least one, and gives them back.
        const int cores = CoreBudget::cores();
        QCOMPARE(CoreBudget::free(), cores);
        const int a = CoreBudget::take(), b = CoreBudget::take();
        QCOMPARE(a, cores);
        QCOMPARE(b, 1);   // all taken: one thread, never a wait
        OPTEQ_VERIFY_LE(double(a + b), double(cores + 1));
        CoreBudget::give(b);
        CoreBudget::give(a);
        QCOMPARE(CoreBudget::free(), cores);
        // A running training job holds its share; a theory or solve job started meanwhile gets
        // what is left, and everything is back when they end.
        std::unique_ptr<Controller> c;
        std::unique_ptr<TrainingController> t;
        QVERIFY(onLesson12(c, t));
        t->setPace(5);
        t->play(3);
        QTest::qWait(50);
        QCOMPARE(CoreBudget::free(), 0);
        QVERIFY(t->waitForIdle(120000));
        QVERIFY(c->waitForIdle(120000));
        QCOMPARE(CoreBudget::free(), cores);
    }

    void destructorWaitsForRunningJobs()
    {
        auto* c = new Controller;
        c->requestBasins(512);
        c->requestSolve();
        QElapsedTimer t;
        t.start();
        delete c;   // cancels and joins: must not hang or crash
        QVERIFY(t.elapsed() < 5000);
    }
};

QTEST_MAIN(TestController)
#include "tst_controller.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// The window end to end under the offscreen platform: clicks, edits and slider drags reach the
// engine, and what is drawn matches what the engine computes for the newest state.
#include "LandscapeView.h"
#include "MainWindow.h"
#include "MatrixEditor.h"
#include <QWheelEvent>
#include <QDoubleSpinBox>
#include <QComboBox>
#include "ModelPanel.h"
#include "BasinView.h"
#include "DeepGenerator.h"
#include <QTabWidget>
#include "RateMapPanel.h"
#include "RateMapView.h"
#include "ResidualPlot.h"
#include "Format.h"
#include "TrainPanel.h"
#include "TrainingController.h"
#include <QRegularExpression>
#include <QSignalSpy>
#include "PlotStyle.h"
#include "SceneIO.h"
#include "SolverPanel.h"
#include "Solve.h"
#include "TestHelpers.h"
#include "WindowTestHelpers.h"

#include <QLabel>
#include <QApplication>
#include <QJsonObject>
#include <QJsonDocument>
#include <QLineEdit>
#include <QStatusBar>
#include <QPushButton>
#include <QSlider>
#include <QStandardPaths>
#include <QElapsedTimer>
#include <memory>
#include <QTemporaryDir>
#include <QTextBrowser>

using namespace opteq;

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("OPTEQ_NO_DIALOGS", "1");
    }

    void clickAddsATrajectoryEndingAtTheEquilibrium()
    {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(settle(w));
        Controller* c = w.controller();
        const int before = int(c->scene().effectiveStarts().size());
        LandscapeView* v = w.landscape();
        v->replot();
        QTest::mouseClick(v, Qt::LeftButton, Qt::NoModifier, v->pixelOf(1.0, 1.5));
        QTRY_COMPARE_WITH_TIMEOUT(int(c->scene().starts.size()), before + 1, 5000);
        QVERIFY(settle(w));
        const Eigen::VectorXd z0 = c->scene().starts.back();
        OPTEQ_COMPARE_NEAR(z0(0), 1.0, 0.02);   // within a pixel or two
        OPTEQ_COMPARE_NEAR(z0(1), 1.5, 0.02);
        QCOMPARE(v->trajectoryCount(), before + 1);
        const Scene& s = c->scene();
        const Model model = s.model();
        const Trace engine = solve(SolverContext(model, s.input, s.solver), z0);
        QCOMPARE(engine.status, SolveStatus::Converged);
        const QPointF end = v->trajectoryEnd(0, before);
        OPTEQ_COMPARE_NEAR(end.x(), engine.z(0), 1e-12);
        OPTEQ_COMPARE_NEAR(end.y(), engine.z(1), 1e-12);
        // Undo removes it again.
        c->undoStack()->undo();
        QCOMPARE(int(c->scene().effectiveStarts().size()), before);
    }

    void editingWUpdatesNormLandscapeAndTheory()
    {
        MainWindow w;
        w.show();
        QVERIFY(settle(w));
        w.modelPanel()->weightEditor()->setEntry(0, 0, 0.3);
        QVERIFY(settle(w));
        const Scene& s = w.controller()->scene();
        QCOMPARE(s.W(0, 0), 0.3);
        const Model m = s.model();
        const QString norm = QString::number(m.spectralNorm(), 'f', 4);
        QVERIFY2(w.modelPanel()->normLabel()->text().contains(norm), qPrintable(w.modelPanel()->normLabel()->text()));
        QVERIFY2(w.theory()->toPlainText().contains(norm), qPrintable(w.theory()->toPlainText()));
        QVERIFY(w.theory()->toPlainText().contains(QString::number(m.spectralNorm() * m.spectralNorm(), 'f', 4)));
        // The drawn landscape is E of the edited model.
        QCPColorMapData* data = w.landscape()->colorMap()->data();
        const Eigen::VectorXd c = m.bias(s.input);
        for (int i : {10, 100, 150})
            for (int j : {90, 120, 159}) {
                double x, y;
                data->cellToCoord(i, j, &x, &y);
                const double E = m.objective(Eigen::Vector2d(x, y), c);
                if (std::isfinite(E)) OPTEQ_COMPARE_NEAR(data->cell(i, j), E, 1e-9);
                else QVERIFY(std::isnan(data->cell(i, j)));   // masked: drawn grey
            }
    }

    void fastSliderSequenceEndsWithTheLastValue()
    {
        MainWindow w;
        w.show();
        QVERIFY(settle(w));
        QSlider* slider = w.modelPanel()->entrySlider();
        w.modelPanel()->weightEditor()->setCurrentCell(0, 1);
        // Twenty values in a burst, without waiting: the newest request must win.
        for (int k = 0; k < 20; ++k) slider->setValue(-100 + 9 * k);
        const double last = 4.0 * (-100 + 9 * 19) / 400;
        QVERIFY(settle(w));
        QTest::qWait(200);
        QVERIFY(settle(w));
        const Scene& s = w.controller()->scene();
        QCOMPARE(s.W(0, 1), last);
        const Model m = s.model();
        QVERIFY(w.theory()->toPlainText().contains(QString::number(m.spectralNorm(), 'f', 4)));
        const Eigen::VectorXd c = m.bias(s.input);
        QCPColorMapData* data = w.landscape()->colorMap()->data();
        double x, y;
        data->cellToCoord(120, 130, &x, &y);   // inside z >= 0, where E is finite
        OPTEQ_COMPARE_NEAR(data->cell(120, 130), m.objective(Eigen::Vector2d(x, y), c), 1e-9);
        const Trace engine = solve(SolverContext(m, s.input, s.solver), s.starts[0]);
        OPTEQ_COMPARE_NEAR(w.landscape()->trajectoryEnd(0, 0).x(), engine.z(0), 1e-12);
        // The whole drag is one undo step.
        w.controller()->undoStack()->undo();
        QCOMPARE(w.controller()->scene().W(0, 1), defaultScene().W(0, 1));
    }

    void dragMovesAStartLive()
    {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(settle(w));
        LandscapeView* v = w.landscape();
        v->replot();
        const QPointF s0 = v->startPosition(0);
        const QPoint from = v->pixelOf(s0.x(), s0.y());
        const QPoint to = v->pixelOf(0.5, 0.5);
        QTest::mousePress(v, Qt::LeftButton, Qt::NoModifier, from);
        QMouseEvent move(QEvent::MouseMove, to, v->mapToGlobal(to), Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(v, &move);
        QTest::mouseRelease(v, Qt::LeftButton, Qt::NoModifier, to);
        QVERIFY(settle(w));
        const Eigen::VectorXd z = w.controller()->scene().starts[0];
        OPTEQ_COMPARE_NEAR(z(0), 0.5, 0.02);
        OPTEQ_COMPARE_NEAR(z(1), 0.5, 0.02);
        // Typed in exactly: the starts table.
        w.modelPanel()->startsEditor()->setEntry(0, 0, 0.123456789);
        QVERIFY(settle(w));
        QCOMPARE(w.controller()->scene().starts[0](0), 0.123456789);
        OPTEQ_COMPARE_NEAR(v->startPosition(0).x(), 0.123456789, 1e-15);
        // Delete the selected start with the keyboard.
        const int n = int(w.controller()->scene().starts.size());
        QTest::keyClick(v, Qt::Key_Delete);
        QCOMPARE(int(w.controller()->scene().starts.size()), n - 1);
    }

    void stepModeExplainsAndHighlights()
    {
        MainWindow w;
        w.show();
        QVERIFY(settle(w));
        emit w.solverPanel()->stepRequested();
        emit w.solverPanel()->stepRequested();
        QCOMPARE(w.playhead(), 1);
        QCOMPARE(w.landscape()->playhead(), 1);
        // The explanation replays the solve in a Controller job and lands a moment later.
        QTRY_VERIFY2_WITH_TIMEOUT(w.stepPanel()->toPlainText().contains("Iteration k = 1"), qPrintable(w.stepPanel()->toPlainText()), 10000);
        QVERIFY(w.stepPanel()->toPlainText().contains("Pre-activation"));
        QVERIFY(w.statusBar()->currentMessage().contains("iteration k = 1"));
        // Mid-playback the head is a ring, not the star that marks a converged end.
        QCOMPARE(w.landscape()->headShape(0), QCPScatterStyle::ssCircle);
        // "Show all iterations" (End) removes the playhead, and its status line with it.
        QTest::keyClick(&w, Qt::Key_End);
        QVERIFY2(!w.statusBar()->currentMessage().contains("iteration k"), qPrintable(w.statusBar()->currentMessage()));
        QCOMPARE(w.landscape()->headShape(0), QCPScatterStyle::ssStar);
        // A lesson opens as an unsaved copy named by its title, not "untitled".
        w.openLesson(":/lessons/07-acceleration.opteq.json");
        QVERIFY2(w.windowTitle().contains("Anderson and FISTA against Picard"), qPrintable(w.windowTitle()));
        // Save As has Ctrl+Shift+S.
        bool saveAs = false;
        for (QAction* a : w.findChildren<QAction*>())
            saveAs = saveAs || (a->text().startsWith("Save &As") && a->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)));
        QVERIFY(saveAs);
        // Anderson: the weights appear.
        Scene s = w.controller()->scene();
        s.solver.method = Method::Anderson;
        w.controller()->editScene(s, "anderson");
        QVERIFY(settle(w));
        for (int k = 0; k < 3; ++k) emit w.solverPanel()->stepRequested();
        QTRY_VERIFY2_WITH_TIMEOUT(w.stepPanel()->toPlainText().contains("mixing weights"), qPrintable(w.stepPanel()->toPlainText()), 10000);
        // Another scene: the old scene's explanation is gone at once.
        w.openLesson(":/lessons/01-contraction.opteq.json");
        QVERIFY2(!w.stepPanel()->toPlainText().contains("mixing weights"), qPrintable(w.stepPanel()->toPlainText()));
    }

    void beforeAfterTabNeverShowsAnotherScene()
    {
        // Lesson 6 on the Before / after tab, then lesson 5 opened from another tab: coming back,
        // the tab shows lesson 5 (it kept lesson 6's landscapes before).
        MainWindow w;
        w.show();
        w.openLesson(":/lessons/06-sparsity-prior.opteq.json");
        w.tabs()->setCurrentIndex(3);
        QVERIFY(settle(w));
        QVERIFY(w.beforeView()->solution() && w.beforeView()->solution()->request->title == w.controller()->scene().title);
        w.tabs()->setCurrentIndex(0);
        w.openLesson(":/lessons/05-halpern-anchor.opteq.json");
        QVERIFY(settle(w));
        w.tabs()->setCurrentIndex(3);
        QVERIFY(w.beforeView()->solution());
        QCOMPARE(w.beforeView()->solution()->request->title, w.controller()->scene().title);
        QCOMPARE(w.afterView()->solution()->request->title, w.controller()->scene().title);
    }

    void basinsRightAfterADeepModelUseItsPlane()
    {
        // Ctrl+B straight after generating a bigger model: the map is of the new model, in its
        // own view plane (it took the old 2-unit plane before).
        MainWindow w;
        w.show();
        QVERIFY(settle(w));
        DeepSpec spec;
        spec.layers = {LayerSpec{3, Activation{}, {}}, LayerSpec{4, Activation{}, {}}};
        w.controller()->editScene(withDeepModel(w.controller()->scene(), spec), "deep");
        QTest::keyClick(&w, Qt::Key_B, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(w.basinPlain()->map() && w.basinPlain()->map()->spec.nx == 256, 60000);
        QCOMPARE(int(w.basinPlain()->map()->plane.origin.size()), 7);
        QCOMPARE(int(w.basinPlain()->map()->plane.u.size()), 7);
    }

    void rateMapTabComputesAndAdopts()
    {
        MainWindow w;
        w.show();
        QVERIFY(settle(w));
        auto* panel = w.findChild<RateMapPanel*>();
        QVERIFY(panel);
        QPushButton* go = nullptr;
        for (QPushButton* b : panel->findChildren<QPushButton*>())
            if (b->text().contains("Compute")) go = b;
        QVERIFY(go);
        // Nothing drawn before a computation, and the title says so (no placeholder data).
        QVERIFY(!w.rateMap()->map());
        QVERIFY(!w.rateMap()->plottable(0)->visible());
        QVERIFY2(plotTitle(w.rateMap()).contains("No rate map: Picard iteration has no parameter"), qPrintable(plotTitle(w.rateMap())));
        QVERIFY(!w.rateMap()->xAxis->visible());   // no empty axes that look like a result
        // Plain iteration has no parameter but ‖W‖₂: no two-parameter map to offer.
        QCOMPARE(w.controller()->scene().solver.method, Method::Picard);
        QVERIFY(!go->isEnabled());
        Scene s = w.controller()->scene();
        s.solver.method = Method::KM;
        s.prior.type = PriorType::Halpern;
        w.controller()->editScene(s, "km with halpern");
        QVERIFY(settle(w));
        QVERIFY(go->isEnabled());
        // Only KM's parameter and the norm are offered.
        QComboBox* px = panel->findChildren<QComboBox*>().at(0);
        QCOMPARE(px->count(), 2);
        QTest::mouseClick(go, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w.rateMap()->map() != nullptr, 60000);
        const RateMap* map = w.rateMap()->map();
        QCOMPARE(map->px, RateParam::Theta);
        QCOMPARE(map->py, RateParam::NormScale);
        QCOMPARE(map->spec.nx, 32);
        QCOMPARE(map->prior, PriorType::Halpern);   // the scene's prior is honoured
        QVERIFY2(plotTitle(w.rateMap()).contains("Halpern anchoring on Krasnoselskii–Mann"), qPrintable(plotTitle(w.rateMap())));
        // Adopting a cell sets θ and rescales W to that cell's ‖W‖₂.
        emit panel->adoptRequested(RateParam::Theta, 0.7, RateParam::NormScale, 0.6);
        QVERIFY(settle(w));
        QCOMPARE(w.controller()->scene().solver.theta, 0.7);
        OPTEQ_COMPARE_NEAR(spectralNorm(w.controller()->scene().W), 0.6, 1e-12);
        QVERIFY(w.rateMap()->map());   // adopting keeps the map
        // Another model: the map is stale and goes.
        s = w.controller()->scene();
        s.b(0) += 0.25;
        w.controller()->editScene(s, "b");
        QVERIFY(!w.rateMap()->map());
    }

    void openingLessonsKeepsTheirNumbers()
    {
        // Opening lessons one after another loads exactly their numbers: no slider or spin box
        // rounds an input on the way (lesson 9 then 10 once turned x2 = 2.5 into 2.505).
        MainWindow w;
        w.show();
        QVERIFY(settle(w));
        for (const char* name : {"09-deep-two-layer", "10-tanh-saturation", "05-halpern-anchor", "10-tanh-saturation"}) {
            const QString path = sourcePath(QString("resources/lessons/%1.opteq.json").arg(name));
            w.openLesson(path);
            QVERIFY(settle(w));
            QCoreApplication::processEvents();
            const Scene file = *loadScene(path).scene;
            const Scene& now = w.controller()->scene();
            QVERIFY2(now.input == file.input && now.W == file.W && now.b == file.b && now.U == file.U, name);
            QVERIFY2(!w.controller()->isModified(), name);
        }
    }

    void scaleWUsesTheSolvedNorm()
    {
        MainWindow w;
        w.show();
        QVERIFY(settle(w));
        QPushButton* scale = nullptr;
        for (QPushButton* b : w.modelPanel()->findChildren<QPushButton*>())
            if (b->text().startsWith("Scale W")) scale = b;
        QVERIFY(scale);
        // The solution answers this very scene, so Scale W takes its ‖W‖₂ (no decomposition on
        // the GUI thread); the value against an SVD of W.
        QVERIFY(w.controller()->solution()->request.get() == &w.controller()->scene());
        OPTEQ_COMPARE_NEAR(w.controller()->spectralNorm(),
                           Eigen::JacobiSVD<Eigen::MatrixXd>(w.controller()->scene().W).singularValues()(0), 1e-12);
        scale->click();   // target 0.9 by default
        QVERIFY(settle(w));
        OPTEQ_COMPARE_NEAR(spectralNorm(w.controller()->scene().W), 0.9, 1e-12);
        OPTEQ_COMPARE_NEAR(w.controller()->spectralNorm(), 0.9, 1e-12);
    }

    void wheelOverAnUnfocusedControlChangesNothing()
    {
        // Scrolling the solver dock over the method combo box or a spin box must not edit them.
        MainWindow w;
        w.show();
        QVERIFY(settle(w));
        auto* method = w.solverPanel()->findChild<QComboBox*>();
        auto* spin = w.solverPanel()->findChild<QDoubleSpinBox*>();
        QVERIFY(method && spin);
        const int index = method->currentIndex();
        const double value = spin->value();
        w.landscape()->setFocus();
        for (QWidget* target : {static_cast<QWidget*>(method), static_cast<QWidget*>(spin)}) {
            const QPointF at(target->width() / 2.0, target->height() / 2.0);
            QWheelEvent wheel(at, target->mapToGlobal(at), QPoint(), QPoint(0, -120), Qt::NoButton, Qt::NoModifier,
                              Qt::NoScrollPhase, false);
            QCoreApplication::sendEvent(target, &wheel);
        }
        QCOMPARE(method->currentIndex(), index);
        QCOMPARE(spin->value(), value);
        // With focus the wheel works as usual: it steps the method to the next one.
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        method->setFocus();
        QVERIFY(method->hasFocus());
        QVERIFY(index + 1 < method->count());
        const QPointF at(method->width() / 2.0, method->height() / 2.0);
        QWheelEvent wheel(at, method->mapToGlobal(at), QPoint(), QPoint(0, -120), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(method, &wheel);
        QCOMPARE(method->currentIndex(), index + 1);
    }

    void typingAnOutOfRangeNumberNeverLeavesTheEditorStuck()
    {
        // "1e999" once could not be committed (a range validator blocked Enter) and gave no word.
        MainWindow w;
        w.show();
        QVERIFY(settle(w));
        MatrixEditor* e = w.modelPanel()->weightEditor();
        const Eigen::MatrixXd before = w.controller()->scene().W;
        const QModelIndex cell = e->model()->index(0, 0);
        e->setCurrentIndex(cell);
        e->edit(cell);
        QTRY_VERIFY(e->findChild<QLineEdit*>() && e->findChild<QLineEdit*>()->isVisible());
        QPointer<QLineEdit> line = e->findChild<QLineEdit*>();
        line->selectAll();
        QTest::keyClicks(line, "1e999");
        QTest::keyClick(line, Qt::Key_Return);
        QTRY_VERIFY(!line || !line->isVisible());   // the editor closed
        QCOMPARE(w.controller()->scene().W, before);
        QVERIFY2(w.statusBar()->currentMessage().contains("1e999"), qPrintable(w.statusBar()->currentMessage()));
        // A good number still goes in.
        e->edit(cell);
        QTRY_VERIFY(e->findChild<QLineEdit*>() && e->findChild<QLineEdit*>()->isVisible());
        line = e->findChild<QLineEdit*>();
        line->selectAll();
        QTest::keyClicks(line, "0.125");
        QTest::keyClick(line, Qt::Key_Return);
        QTRY_COMPARE(w.controller()->scene().W(0, 0), 0.125);
    }

    void basinsOfAPriorOfWayOneCompareWithAndWithoutR()
    {
        // Lesson 6 has an ℓ1 prior R in the model (way 1) and no scheme: the first map must be
        // without R (it was computed with R and titled "no prior"), the second with it.
        MainWindow w;
        w.show();
        w.openLesson(":/lessons/06-sparsity-prior.opteq.json");
        QVERIFY(settle(w));
        QVERIFY(!w.basinPrior()->isHidden());   // two maps side by side
        QTest::keyClick(&w, Qt::Key_B, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(w.basinPrior()->map() && w.basinPlain()->map() && w.basinPlain()->map()->spec.nx == 256, 60000);
        const Scene& s = w.controller()->scene();
        const Model with = s.model(), without = with.withoutRegularizers();
        const Trace a = solve(SolverContext(without, s.input, s.solver), Eigen::VectorXd::Zero(2));
        const Trace b = solve(SolverContext(with, s.input, s.solver), Eigen::VectorXd::Zero(2));
        QVERIFY((a.z - b.z).norm() > 0.1);   // R moves the equilibrium
        const BasinMap& plain = *w.basinPlain()->map();
        const BasinMap& prior = *w.basinPrior()->map();
        const size_t mid = plain.index(128, 128);
        OPTEQ_COMPARE_NEAR(plain.endS[mid], a.z(0), 1e-6);
        OPTEQ_COMPARE_NEAR(plain.endT[mid], a.z(1), 1e-6);
        OPTEQ_COMPARE_NEAR(prior.endS[mid], b.z(0), 1e-6);
        OPTEQ_COMPARE_NEAR(prior.endT[mid], b.z(1), 1e-6);
    }

    void trainTabLearnsMoonsLiveAndOpensAPointsLandscape()
    {
        MainWindow w;
        w.show();
        QVERIFY(settle(w));
        TrainPanel* panel = w.trainPanel();
        w.tabs()->setCurrentWidget(panel);
        QVERIFY(!w.controller()->scene().hasTraining);
        // One epoch: the scene gets training settings and an untrained 32-unit network first
        // (one undoable edit), then the trained weights (another).
        QPushButton* step = nullptr;
        for (QPushButton* b : panel->findChildren<QPushButton*>())
            if (b->text().contains("Step")) step = b;
        QVERIFY(step);
        QTest::mouseClick(step, Qt::LeftButton);
        QVERIFY(w.training()->waitForIdle(60000));
        QTRY_VERIFY_WITH_TIMEOUT(!w.controller()->scene().readout.empty(), 10000);
        const Scene& trained = w.controller()->scene();
        QCOMPARE(trained.n(), 32);
        QVERIFY(trained.hasTraining);
        QVERIFY(spectralNorm(trained.W) <= trained.training.maxNorm + 1e-9);
        QVERIFY(w.training()->frame() && w.training()->frame()->history.size() == 1);
        QVERIFY(panel->statusLabel()->text().contains("epoch 1"));
        // Undo takes the trained weights back off, and the plots no longer show that run.
        w.controller()->undoStack()->undo();
        QVERIFY(w.controller()->scene().readout.empty());
        QVERIFY(!w.training()->frame());
        QVERIFY2(!panel->statusLabel()->text().contains("epoch 1"), qPrintable(panel->statusLabel()->text()));
        QVERIFY(!panel->decisionView()->plottable(0)->visible());   // no regions of a run that is gone
        QVERIFY(w.training()->waitForIdle(60000));   // the preview of the untrained network
        w.controller()->undoStack()->redo();
        // Play to 40 epochs: frames arrive while it runs, and it learns.
        Scene s = w.controller()->scene();
        s.training.epochs = 40;
        w.controller()->editScene(s, "40 epochs");
        QSignalSpy frames(w.training(), &TrainingController::frameReady);
        QTest::mouseClick(panel->playButton(), Qt::LeftButton);
        QVERIFY(w.training()->running());
        QCOMPARE(panel->playButton()->text(), QString("Pause"));
        QVERIFY(w.training()->waitForIdle(600000));   // minutes under the sanitizers
        QVERIFY(!w.training()->running());
        QVERIFY(frames.count() >= 2);
        const auto frame = w.training()->frame();
        QCOMPARE(frame->history.back().epoch, 40);
        QVERIFY2(frame->history.back().testAccuracy >= 0.85, qPrintable(QString::number(frame->history.back().testAccuracy)));
        QCOMPARE(w.controller()->scene().readout.V, frame->scene->readout.V);   // applied to the scene
        // Click a training point: the Landscape opens on its equilibrium problem.
        DecisionView* d = panel->decisionView();
        d->replot();
        const Eigen::RowVectorXd x = frame->train->X.row(0);
        const QPoint at(int(d->xAxis->coordToPixel(x(0))), int(d->yAxis->coordToPixel(x(1))));
        QTest::mouseClick(d, Qt::LeftButton, {}, at);
        QCOMPARE(w.tabs()->currentIndex(), 0);
        OPTEQ_COMPARE_NEAR((w.controller()->scene().input - x.transpose()).norm(), 0.0, 1e-12);
        QVERIFY(settle(w));
        QVERIFY(w.controller()->solution()->equilibrium.has_value());
    }

    void trainTabDrawsOneAndThreeInputDataAsTheyAre_data()
    {
        QTest::addColumn<int>("d");
        QTest::newRow("1-D") << 1;
        QTest::newRow("3-D") << 3;
    }
    void trainTabDrawsOneAndThreeInputDataAsTheyAre()
    {
        // A 1-D CSV was drawn with x₂ read past the end of the matrix (points scattered at random
        // heights); 3-D data silently set x₃ to 0 in the regions. Now: 1-D is drawn along x₁ on
        // the line y = 0 with bands, 3-D on the (x₁, x₂) slice with x₃ at its mean, said in the title.
        QFETCH(int, d);
        QTemporaryDir dir;
        QFile csv(dir.filePath("points.csv"));
        QVERIFY(csv.open(QIODevice::WriteOnly));
        QString text = d == 1 ? "x1,label\n" : "x1,x2,x3,label\n";
        double x3 = 0;
        for (int i = 0; i < 40; ++i) {
            const double x = -1 + 2.0 * i / 39, y = std::sin(3.0 * i), z = 0.5 + 0.01 * i;
            const int label = x > 0.1 ? 1 : 0;
            text += d == 1 ? QString("%1,%2\n").arg(x).arg(label) : QString("%1,%2,%3,%4\n").arg(x).arg(y).arg(z).arg(label);
            x3 += z / 40;
        }
        csv.write(text.toUtf8());
        csv.close();
        const QString zeros = d == 1 ? "[[0],[0],[0],[0]]" : "[[0,0,0],[0,0,0],[0,0,0],[0,0,0]]";
        QFile scene(dir.filePath("data.opteq.json"));
        QVERIFY(scene.open(QIODevice::WriteOnly));
        scene.write(QString("{\"format\": \"opteq-scene\", \"version\": 1, \"title\": \"own data\", \"model\": {\"layers\": [{\"size\": 4, "
                            "\"activation\": {\"type\": \"tanh\"}}], \"W\": [[0,0,0,0],[0,0,0,0],[0,0,0,0],[0,0,0,0]], \"U\": %1, "
                            "\"b\": [0,0,0,0]}, \"input\": %2, \"solver\": {\"method\": \"anderson\", \"tol\": 1e-8, \"max_iter\": 500}, "
                            "\"training\": {\"data\": {\"file\": \"points.csv\"}, \"epochs\": 3, \"loss\": \"mse\"}}")
                        .arg(zeros, d == 1 ? "[0]" : "[0,0,0]")
                        .toUtf8());
        scene.close();
        MainWindow w;
        w.show();
        QVERIFY(settle(w));
        QVERIFY(w.openScene(scene.fileName()));
        QVERIFY(settle(w));
        QVERIFY(w.training()->waitForIdle(60000));
        TrainPanel* panel = w.trainPanel();
        w.tabs()->setCurrentWidget(panel);
        QTest::mouseClick(panel->playButton(), Qt::LeftButton);
        QVERIFY(w.training()->waitForIdle(120000));
        QTRY_VERIFY_WITH_TIMEOUT(w.training()->frame() && !w.training()->frame()->history.empty(), 10000);
        const auto frame = w.training()->frame();
        QVERIFY2(frame->problem.empty(), frame->problem.c_str());
        QCOMPARE(frame->map.slice.iy, d == 1 ? -1 : 1);
        // mse on class labels: the one-hot note is shown with the data, not hidden.
        QVERIFY2(panel->dataLabel()->text().contains("one-hot"), qPrintable(panel->dataLabel()->text()));
        DecisionView* view = panel->decisionView();
        const QString title = view->xAxis->label();   // what the view holds fixed, under the axis
        // Every drawn point is a data row's (x₁, x₂), or (x₁, 0) for 1-D data.
        int drawn = 0;
        for (int g = 0; g < view->graphCount(); ++g)
            for (auto it = view->graph(g)->data()->constBegin(); it != view->graph(g)->data()->constEnd(); ++it) {
                bool found = false;
                for (const Dataset* set : {frame->train.get(), frame->test.get()})
                    for (int r = 0; r < set->size() && !found; ++r)
                        found = std::abs(it->key - set->X(r, 0)) < 1e-12 && std::abs(it->value - (d == 1 ? 0.0 : set->X(r, 1))) < 1e-12;
                QVERIFY2(found, qPrintable(QString("a point at (%1, %2) is no data row's").arg(it->key).arg(it->value)));
                ++drawn;
            }
        QVERIFY(drawn >= 40);
        // The data row says what was read, not the generator's fields (they are disabled).
        const QString info = panel->dataLabel()->text();
        QVERIFY2(info.contains(QString("points.csv · 40 points (30 train, 10 test) · %1 input%2 · 2 classes (0: ").arg(d).arg(d == 1 ? "" : "s")), qPrintable(info));
        QComboBox* source = nullptr;
        for (QComboBox* c : panel->findChildren<QComboBox*>())
            if (c->currentText().startsWith("file: ")) source = c;
        QVERIFY2(source && source->currentText() == "file: points.csv", "the data source shows the file");
        int blanked = 0;
        for (QSpinBox* b : panel->findChildren<QSpinBox*>())
            if (b->toolTip().startsWith("Points in the dataset")) {
                QVERIFY(!b->isEnabled());
                QCOMPARE(b->text(), QString("—"));   // not a generator's 400 points
                ++blanked;
            }
        QCOMPARE(blanked, 1);
        // Another setting's edit keeps the file and the trained weights (it turned the file into
        // moons and, for d ≠ 2, rebuilt the network).
        QDoubleSpinBox* lr = nullptr;
        for (QDoubleSpinBox* b : panel->findChildren<QDoubleSpinBox*>())
            if (b->toolTip() == "Learning rate") lr = b;
        QVERIFY(lr);
        const Eigen::MatrixXd V = w.controller()->scene().readout.V;
        QVERIFY(V.size() > 0);
        lr->setValue(0.02);
        emit lr->editingFinished();
        QCOMPARE(w.controller()->scene().training.lr, 0.02);
        QCOMPARE(w.controller()->scene().training.data.generator, DataGenerator::None);
        QCOMPARE(w.controller()->scene().training.data.file, std::string("points.csv"));
        QCOMPARE(w.controller()->scene().readout.V, V);
        if (d == 1) {
            QVERIFY2(title.contains("x₁ (1-D data: the regions are bands)"), qPrintable(title));
            // Bands: the region does not change with the view's y.
            for (int i = 0; i < frame->map.spec.nx; ++i) QCOMPARE(frame->map.label[size_t(i)], frame->map.label[size_t(frame->map.spec.nx + i)]);
        } else {
            QVERIFY2(title.contains("x₃ = " + QString::fromStdString(formatNumber(frame->map.slice.base(2), 3))), qPrintable(title));
            double mean = 0;
            for (const Dataset* set : {frame->train.get()})
                for (int r = 0; r < set->size(); ++r) mean += set->X(r, 2) / set->size();
            OPTEQ_COMPARE_NEAR(frame->map.slice.base(2), mean, 1e-12);
            // The regions over x₁ and x₃ instead, x₂ held at its mean.
            QComboBox* second = panel->shownInputBox(1);
            QVERIFY(second->isEnabled() && second->count() == 3);
            second->setCurrentIndex(2);
            emit second->activated(2);
            QVERIFY(w.training()->waitForIdle(60000));
            QTRY_VERIFY_WITH_TIMEOUT(w.training()->frame() && w.training()->frame()->map.slice.iy == 2, 10000);
            QCOMPARE(w.training()->frame()->map.slice.ix, 0);
            QVERIFY2(view->xAxis->label().contains("x₂ = "), qPrintable(view->xAxis->label()));
            QCOMPARE(view->yAxis->label(), QString("x₃"));
        }
        // Another scene's data, before any run: the axes fit it (they kept the previous box, and
        // half of lesson 12's points were off the plot).
        QVERIFY(w.openScene(sourcePath("resources/lessons/12-implicit-layer-learns-moons.opteq.json")));
        QVERIFY(w.training()->waitForIdle(60000));
        QTRY_VERIFY_WITH_TIMEOUT(w.training()->frame() && w.training()->frame()->train->size() > 0, 10000);
        for (int g = 0; g < view->graphCount(); ++g)
            for (auto it = view->graph(g)->data()->constBegin(); it != view->graph(g)->data()->constEnd(); ++it)
                QVERIFY2(view->xAxis->range().contains(it->key) && view->yAxis->range().contains(it->value),
                         qPrintable(QString("(%1, %2) is off the plot").arg(it->key).arg(it->value)));
    }

    void trainTabShowsRegressionAndDataErrorsAsTheyAre()
    {
        // From a new user's trial: regression targets were drawn as classes (every point crossed
        // "misclassified", accuracy nan); a data error was a modal "Training stopped" on opening
        // that vanished with its OK; Reset left the trained W and U in the scene.
        QTemporaryDir dir;
        auto write = [&](const QString& name, const QByteArray& text) {
            QFile f(dir.filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(text);
        };
        QByteArray reg = "x1,x2,y1,y2\n";
        for (int i = 0; i < 40; ++i) reg += QString("%1,%2,%3,%4\n").arg(0.05 * i).arg(std::cos(i)).arg(0.1 * i).arg(std::sin(0.1 * i)).toUtf8();
        write("reg.csv", reg);
        write("gap.csv", "x1,x2,label\n0,1,0\n1,0,5\n2,2,0\n");
        const QString lesson12 = sourcePath("resources/lessons/12-implicit-layer-learns-moons.opteq.json");
        auto sceneFor = [&](const QString& csv, const char* loss) {
            QFile in(lesson12);
            if (!in.open(QIODevice::ReadOnly)) return QString();
            QJsonObject root = QJsonDocument::fromJson(in.readAll()).object();
            QJsonObject t = root["training"].toObject();
            t["data"] = QJsonObject{{"file", csv}};
            t["loss"] = loss;
            t["epochs"] = 2;
            root["training"] = t;
            const QString path = dir.filePath(csv + ".opteq.json");
            QFile out(path);
            if (!out.open(QIODevice::WriteOnly)) return QString();
            out.write(QJsonDocument(root).toJson());
            return path;
        };
        MainWindow w;
        w.show();
        QVERIFY(settle(w));
        TrainPanel* panel = w.trainPanel();
        w.tabs()->setCurrentWidget(panel);
        QVERIFY(w.openScene(sceneFor("reg.csv", "mse")));
        QVERIFY(w.training()->waitForIdle(60000));
        QTest::mouseClick(panel->playButton(), Qt::LeftButton);
        QVERIFY(w.training()->waitForIdle(120000));
        QTRY_VERIFY_WITH_TIMEOUT(w.training()->frame() && w.training()->frame()->history.size() == 2, 10000);
        const QString status = panel->statusLabel()->text();
        QVERIFY2(status.contains("(regression)") && !status.contains("misclassified") && !status.contains("nan"), qPrintable(status));
        QVERIFY2(plotTitle(panel->decisionView()).contains("regression"), qPrintable(plotTitle(panel->decisionView())));
        QVERIFY(!panel->decisionView()->plottable(0)->visible());   // no argmax regions
        int embedded = 0;
        for (int g = 0; g < panel->embeddingView()->graphCount(); ++g) embedded += panel->embeddingView()->graph(g)->dataCount();
        QCOMPARE(embedded, 40);
        QVERIFY2(panel->dataLabel()->text().contains("2 regression targets"), qPrintable(panel->dataLabel()->text()));
        // Reset forgets every weight, not only the readout.
        QPushButton* reset = nullptr;
        for (QPushButton* b : panel->findChildren<QPushButton*>())
            if (b->text() == "Reset") reset = b;
        QVERIFY(reset && !w.controller()->scene().readout.empty());
        QTest::mouseClick(reset, Qt::LeftButton);
        QVERIFY(w.controller()->scene().readout.empty());
        QCOMPARE(w.controller()->scene().W.norm(), 0.0);
        QCOMPARE(w.controller()->scene().U.norm(), 0.0);
        QVERIFY(w.training()->waitForIdle(60000));
        // A data error on opening: said in the status, naming the file, no dialog.
        QVERIFY(w.openScene(sceneFor("gap.csv", "cross_entropy")));
        QVERIFY(w.training()->waitForIdle(60000));
        QTRY_VERIFY_WITH_TIMEOUT(panel->statusLabel()->text().startsWith("Cannot train:"), 10000);
        QVERIFY2(panel->statusLabel()->text().contains("gap.csv") && panel->statusLabel()->text().contains("classes 1, 2, 3, 4 have no rows"),
                 qPrintable(panel->statusLabel()->text()));
        QVERIFY(!QApplication::activeModalWidget());
        // The loss can be chosen in the tab.
        QComboBox* loss = nullptr;
        for (QComboBox* c : panel->findChildren<QComboBox*>())
            if (c->findText("mean squared error") >= 0 && c->findText("cross-entropy") >= 0) loss = c;   // names, not the ids
        QVERIFY(loss);
        loss->setCurrentIndex(loss->findText("mean squared error"));
        emit loss->activated(loss->currentIndex());
        QCOMPARE(w.controller()->scene().training.loss, LossKind::MeanSquaredError);
    }

    void trainTabStopsWithinAStepAndFollowsTheScene()
    {
        // Pause, another scene and closing the window used to wait for the whole epoch (the
        // cancel was never passed to the trainer) and another scene let the old run go on with
        // its plots under the new title. Lesson 12 with 60 000 points: an epoch is ~700 steps, about a second.
        const double limit = 200 * timeScale();
        auto window = std::make_unique<MainWindow>();
        MainWindow& w = *window;
        w.show();
        QVERIFY(settle(w));
        QVERIFY(w.openScene(sourcePath("resources/lessons/12-implicit-layer-learns-moons.opteq.json")));
        Scene s = w.controller()->scene();
        s.training.data.samples = 60000;
        w.controller()->editScene(s, "big");
        QVERIFY(w.training()->waitForIdle(60000));
        TrainPanel* panel = w.trainPanel();
        w.tabs()->setCurrentWidget(panel);
        const QRect playAt = panel->playButton()->geometry();
        QTest::mouseClick(panel->playButton(), Qt::LeftButton);
        QVERIFY(w.training()->running());
        QTest::qWait(int(150 * timeScale()));   // inside the first epoch
        QSignalSpy stopped(w.training(), &TrainingController::stopped);
        QElapsedTimer clock;
        clock.start();
        QTest::mouseClick(panel->playButton(), Qt::LeftButton);   // Pause: the same place
        QVERIFY(stopped.count() > 0 || stopped.wait(60000));   // returns as the signal comes (QTRY polls every 50 ms)
        OPTEQ_VERIFY_LE(double(clock.elapsed()), limit);
        QVERIFY(w.training()->waitForIdle(60000));   // the paused weights' regions, redrawn
        QCOMPARE(panel->playButton()->geometry(), playAt);   // the status text never moves it
        const QString status = panel->statusLabel()->text();
        // Where it stopped and where Play goes on (the paused epoch resumes at its next batch).
        // Short enough for the status's lines: nothing between "of N" and where Play resumes.
        const QRegularExpression where("aused in epoch 1 after batch (\\d+) of \\d+; Play resumes at batch (\\d+)\\.");
        const QRegularExpressionMatch m = where.match(status);
        QVERIFY2(m.hasMatch() && m.captured(2).toInt() == m.captured(1).toInt() + 1, qPrintable(status));
        QCOMPARE(panel->statusLabel()->toolTip(), status);   // the whole text, should the label cut it
        QVERIFY(!w.controller()->scene().readout.empty());   // that step's weights, undoable
        QVERIFY2(w.controller()->undoStack()->undoText().contains("steps"), qPrintable(w.controller()->undoStack()->undoText()));
        // Play again, then open another scene mid-epoch: the run stops and every plot clears.
        QTest::mouseClick(panel->playButton(), Qt::LeftButton);
        QVERIFY(w.training()->running());
        QTest::qWait(int(150 * timeScale()));
        stopped.clear();
        clock.restart();
        QVERIFY(w.openScene(sourcePath("resources/lessons/01-contraction.opteq.json")));
        QVERIFY(stopped.count() > 0 || stopped.wait(60000));   // returns as the signal comes (QTRY polls every 50 ms)
        OPTEQ_VERIFY_LE(double(clock.elapsed()), limit);
        QVERIFY(w.training()->waitForIdle(60000));
        QVERIFY(!w.training()->frame());
        QVERIFY(!panel->decisionView()->plottable(0)->visible());
        QVERIFY2(!panel->statusLabel()->text().contains("epoch"), qPrintable(panel->statusLabel()->text()));
        QCOMPARE(panel->curvesView()->graph(0)->dataCount(), 0);
        QCOMPARE(w.controller()->scene().title, std::string("A contraction: one equilibrium, the minimiser of E"));
        QTest::qWait(100);   // a late frame of the stopped run would land here
        QVERIFY(!w.training()->frame());
        // Closing the window mid-epoch returns as quickly.
        QVERIFY(w.openScene(sourcePath("resources/lessons/12-implicit-layer-learns-moons.opteq.json")));
        s = w.controller()->scene();
        s.training.data.samples = 60000;
        w.controller()->editScene(s, "big");
        QVERIFY(w.training()->waitForIdle(60000));
        QTest::mouseClick(panel->playButton(), Qt::LeftButton);
        QVERIFY(w.training()->running());
        QTest::qWait(int(150 * timeScale()));
        clock.restart();
        window.reset();
        OPTEQ_VERIFY_LE(double(clock.elapsed()), limit + 100);
    }

    void anEditCopiesTheSceneOnce()
    {
        // Panels held scenes by value: every edit copied W several times (32 MB each at n = 2000).
        // Now the panels and the undo stack share the controller's scene: an edit makes the one
        // new scene it is, undo and redo copy nothing (counted on the GUI thread; a training
        // preview job copies its own small scene). OPTEQ_COPY_N=2000 measures the large case.
        const int n = qEnvironmentVariableIsSet("OPTEQ_COPY_N") ? qEnvironmentVariableIntValue("OPTEQ_COPY_N") : 300;
        MainWindow w;
        w.show();
        QVERIFY(settle(w));
        Scene s = defaultScene();
        Activation relu;
        relu.type = ActivationType::Relu;
        s.layers = {LayerSpec{n, relu, {}}};
        s.W = Eigen::MatrixXd::Identity(n, n) * 0.5;
        s.U = Eigen::MatrixXd::Zero(n, 2);
        s.b = Eigen::VectorXd::Zero(n);
        s.starts.clear();
        s.view = SceneView{};
        s.prior = PriorSettings{};
        w.controller()->resetScene(s, {});
        QVERIFY(settle(w));
        MatrixEditor* W = w.modelPanel()->findChild<MatrixEditor*>();
        QVERIFY(W);
        Eigen::MatrixXd W2 = s.W;
        W2(0, 1) = 0.1;
        long long before = SceneCopyTally::onThisThread;
        QElapsedTimer clock;
        clock.start();
        emit W->matrixEdited(W2);   // the Model dock's table
        const qint64 editMs = clock.elapsed();
        const long long edit = SceneCopyTally::onThisThread - before;
        QCOMPARE(w.controller()->scene().W(0, 1), 0.1);
        before = SceneCopyTally::onThisThread;
        w.controller()->undoStack()->undo();
        w.controller()->undoStack()->redo();
        const long long undoRedo = SceneCopyTally::onThisThread - before;
        before = SceneCopyTally::onThisThread;
        QDoubleSpinBox* lr = nullptr;
        for (QDoubleSpinBox* b : w.trainPanel()->findChildren<QDoubleSpinBox*>())
            if (b->toolTip() == "Learning rate") lr = b;
        QVERIFY(lr);
        lr->setValue(0.02);
        emit lr->editingFinished();   // the Train tab's settings
        const long long trainEdit = SceneCopyTally::onThisThread - before;
        qInfo("n = %d: scene copies per W edit %lld (%lld ms on the GUI thread), per undo + redo %lld, per Train tab edit %lld", n, edit,
              (long long)editMs, undoRedo, trainEdit);
        QCOMPARE(edit, 1LL);
        QCOMPARE(undoRedo, 0LL);
        QCOMPARE(trainEdit, 1LL);
        QVERIFY(settle(w));
    }

    void presentationModeScalesThePlotsThemselves()
    {
        MainWindow w;
        w.show();
        QVERIFY(settle(w));
        const double tick = w.landscape()->xAxis->tickLabelFont().pointSizeF();
        const double legend = w.residualPlot()->legend->font().pointSizeF();
        const double head = w.landscape()->graph(0)->scatterStyle().size();   // the starts' markers
        w.setPresentationMode(true);
        QCOMPARE(w.landscape()->xAxis->tickLabelFont().pointSizeF(), 1.6 * tick);
        QCOMPARE(w.residualPlot()->legend->font().pointSizeF(), 1.6 * legend);
        QCOMPARE(w.landscape()->graph(0)->scatterStyle().size(), 1.6 * head);
        // A new solution while presenting keeps the scale.
        Scene s = w.controller()->scene();
        s.input(0) += 0.1;
        w.controller()->editScene(s, "x");
        QVERIFY(settle(w));
        QCOMPARE(w.landscape()->xAxis->tickLabelFont().pointSizeF(), 1.6 * tick);
        w.setPresentationMode(false);
        QCOMPARE(w.landscape()->xAxis->tickLabelFont().pointSizeF(), tick);
    }

    void badSceneKeepsTheCurrentOne()
    {
        MainWindow w;
        QVERIFY(settle(w));
        QTemporaryDir dir;
        QFile f(dir.filePath("bad.opteq.json"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"model\": 3}");
        f.close();
        const Scene before = w.controller()->scene();
        QVERIFY(!w.openScene(f.fileName()));
        QVERIFY(w.controller()->scene() == before);
    }

    void saveLoadRoundTripAndDeepScene()
    {
        MainWindow w;
        QVERIFY(settle(w));
        QVERIFY(w.openScene(sourcePath("resources/lessons/09-deep-two-layer.opteq.json")));
        QVERIFY(settle(w));
        QCOMPARE(w.controller()->scene().n(), 4);
        QVERIFY(w.landscape()->trajectoryCount() == 3);
        QTemporaryDir dir;
        QString error;
        QVERIFY(w.controller()->saveFile(dir.filePath("copy.opteq.json"), &error));
        QVERIFY(*loadScene(dir.filePath("copy.opteq.json")).scene == w.controller()->scene());
        QVERIFY(!w.controller()->isModified());
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// Image data in the Train tab (issue #20): the image views replace the decision regions, the
// confusion matrix is the frame's predictions counted, a thumbnail opens its own equilibrium
// problem, the image figures export, and the Fashion-MNIST lesson trains in the window.
#include "Dataset.h"
#include "FigureExport.h"
#include "Trainer.h"
#include "ImagePanel.h"
#include "MainWindow.h"
#include "ModelPanel.h"
#include "SceneIO.h"
#include "PlotStyle.h"
#include "TestHelpers.h"
#include "TrainPanel.h"
#include "TrainingController.h"
#include "WindowTestHelpers.h"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QProgressBar>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>

using namespace opteq;

namespace {
// A NumPy 1.0 file of unsigned bytes with the given shape.
void writeNpy(const QString& path, const std::vector<int>& shape, const std::vector<unsigned char>& bytes)
{
    QString dims;
    for (int s : shape) dims += QString::number(s) + ", ";
    if (shape.size() > 1) dims.chop(1);
    QByteArray header = QString("{'descr': '|u1', 'fortran_order': False, 'shape': (%1), }").arg(dims.trimmed()).toLatin1();
    while ((10 + header.size() + 1) % 64) header += ' ';
    header += '\n';
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("\x93NUMPY\x01\x00", 8);
    const quint16 len = quint16(header.size());
    f.write(reinterpret_cast<const char*>(&len), 2);
    f.write(header);
    f.write(reinterpret_cast<const char*>(bytes.data()), qint64(bytes.size()));
}
// N 4×4 images of 3 classes: class k lights rows k and k+1 (with noise), so a few units learn it.
void writeImages(const QString& xPath, const QString& yPath, int N, unsigned seed)
{
    std::vector<unsigned char> x, y;
    unsigned r = seed;
    auto next = [&r] { r = r * 1103515245u + 12345u; return (r >> 16) & 0x7fff; };
    for (int i = 0; i < N; ++i) {
        const int k = i % 3;
        y.push_back(static_cast<unsigned char>(k));
        for (int p = 0; p < 16; ++p) {
            const int row = p / 4;
            const int base = (row == k || row == k + 1) ? 200 : 30;
            x.push_back(static_cast<unsigned char>(std::clamp(base + int(next() % 60) - 30, 0, 255)));
        }
    }
    writeNpy(xPath, {N, 4, 4}, x);
    writeNpy(yPath, {N}, y);
}
QString writeImageScene(const QTemporaryDir& dir, int trainImages = 60)
{
    writeImages(dir.filePath("X.npy"), dir.filePath("y.npy"), trainImages, 1);
    writeImages(dir.filePath("tX.npy"), dir.filePath("ty.npy"), 30, 7);
    const QString path = dir.filePath("images.opteq.json");
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return {};
    f.write(R"({"format": "opteq-scene", "version": 1, "title": "tiny images",
      "model": {"layers": [{"size": 8, "activation": {"type": "tanh"}}], "W": [[0,0,0,0,0,0,0,0]],
                "U": [[0],[0],[0],[0],[0],[0],[0],[0]], "b": [0,0,0,0,0,0,0,0]},
      "input": [0], "solver": {"method": "picard", "tol": 1e-8, "max_iter": 500},
      "training": {"data": {"npy": {"X": "X.npy", "y": "y.npy", "test_X": "tX.npy", "test_y": "ty.npy"}},
                   "epochs": 1, "lr": 0.05, "batch": 10, "seed": 3}})");
    return path;
}
// The tiny image scene written into dir, open in a shown window, its first frame computed.
bool openImageScene(MainWindow& w, const QTemporaryDir& dir)
{
    const QString path = writeImageScene(dir);
    w.show();
    return settle(w) && w.openScene(path) && settle(w) && w.training()->waitForIdle(60000);
}
bool haveFashionMnist()
{
    const QString dirEnv = qEnvironmentVariable("OPTEQ_DATASETS");
    const QString base = dirEnv.isEmpty() ? "/usr/share/datasets/fashion-mnist" : dirEnv;
    return QFile::exists(base + "/train-images-idx3-ubyte.gz") || QFile::exists(base + "/train-images-idx3-ubyte");
}
QPushButton* stepButton(TrainPanel* panel)
{
    for (QPushButton* b : panel->findChildren<QPushButton*>())
        if (b->text().contains("Step")) return b;
    return nullptr;
}
}  // namespace

class TestImageViews : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("OPTEQ_NO_DIALOGS", "1");
    }

    void imageDataGetsImageViewsThatAgreeWithTheFrame()
    {
        QTemporaryDir dir;
        MainWindow w;
        QVERIFY(openImageScene(w, dir));
        TrainPanel* panel = w.trainPanel();
        w.tabs()->setCurrentWidget(panel);
        // The data row names the source and the loader's note (it said "file: " with no name).
        QTest::mouseClick(stepButton(panel), Qt::LeftButton);
        QVERIFY(w.training()->waitForIdle(60000));
        QTRY_VERIFY_WITH_TIMEOUT(w.training()->frame() && w.training()->frame()->history.size() == 1, 10000);
        const auto frame = w.training()->frame();
        const QString info = panel->dataLabel()->text();
        QVERIFY2(info.contains("the .npy files · 90 images (60 train, 30 test) · 4×4 pixels"), qPrintable(info));
        QVERIFY2(info.contains("test split from the data set (test_fraction ignored)"), qPrintable(info));
        for (QComboBox* c : panel->findChildren<QComboBox*>()) QVERIFY2(c->currentText() != "file: ", "an empty file name");
        // Image views instead of decision regions and the embedding.
        QVERIFY(panel->showsImages());
        QVERIFY(!panel->decisionView()->isVisible());
        QVERIFY(!panel->embeddingView()->isVisible());
        QVERIFY(panel->imagePanel()->isVisible());
        QVERIFY(frame->map.label.empty() && frame->embedding.size() == 0);   // not computed for images
        QVERIFY(frame->images && frame->images->test);
        // The confusion matrix is the frame's predictions counted, and those are each test
        // image's own equilibrium's argmax (solved here, independently of the evaluation).
        const Evaluation& e = *frame->images->test;
        QCOMPARE(int(e.predicted.size()), frame->test->size());
        Eigen::MatrixXi recount = Eigen::MatrixXi::Zero(3, 3);
        for (int r = 0; r < frame->test->size(); ++r) {
            const ImageEquilibrium own = imageEquilibrium(*frame->scene, frame->test->X.row(r).transpose());
            QCOMPARE(own.predicted, e.predicted[size_t(r)]);
            ++recount(frame->test->labels[size_t(r)], e.predicted[size_t(r)]);
        }
        QCOMPARE(panel->imagePanel()->confusion()->counts(), recount);
        QCOMPARE(recount.sum(), 30);
        const int wrong = recount.sum() - recount.trace();
        QVERIFY2(panel->statusLabel()->text().contains(QString("%1 test images misclassified").arg(wrong)), qPrintable(panel->statusLabel()->text()));
        // Filters: the first units' rows of U, sorted by norm.
        const std::vector<int> units = panel->imagePanel()->filters()->shownUnits();
        QCOMPARE(int(units.size()), 8);
        for (size_t i = 1; i < units.size(); ++i) QVERIFY(frame->scene->U.row(units[i - 1]).norm() >= frame->scene->U.row(units[i]).norm());
        // "misclassified only" shows exactly the wrong ones.
        panel->imagePanel()->wrongOnlyBox()->setChecked(true);
        QCOMPARE(panel->imagePanel()->grid()->matching(), wrong);
        panel->imagePanel()->wrongOnlyBox()->setChecked(false);
        // A thumbnail click: the scene's input is that image, on the Landscape tab; the training
        // run stays shown (only the input changed), and the strip shows that image's z*.
        panel->imagePanel()->setCurrentIndex(0);
        ImageGrid* grid = panel->imagePanel()->grid();
        QTRY_VERIFY(grid->isVisible());
        const std::vector<int> shown = grid->shownRows();
        QVERIFY(shown.size() >= 6);
        // The heading counts the images it shows (it said "Test images (first of 30)").
        const int n = int(shown.size());
        const QString heading = n == grid->matching() ? QString("All %1 test images").arg(n)
                                                      : QString("The first %1 of %2 test images").arg(n).arg(grid->matching());
        QVERIFY2(grid->title().startsWith(heading), qPrintable(grid->title() + " / " + heading));
        // Before a click the scene's x (0) is no test image: the strip's image is a preview and
        // nothing is framed as chosen (image 1 was framed while the other tabs solved x = 0).
        QCOMPARE(grid->chosen(), -1);
        const QString preview = plotTitle(panel->imagePanel()->strip());
        QVERIFY2(preview.contains("a preview"), qPrintable(preview));
        const int row = shown[5];
        QTest::mouseClick(grid, Qt::LeftButton, {}, grid->cellRect(5).center());
        QCOMPARE(w.tabs()->currentIndex(), 0);
        OPTEQ_COMPARE_NEAR((w.controller()->scene().input - frame->test->X.row(row).transpose()).norm(), 0.0, 0.0);
        QVERIFY(settle(w));
        QVERIFY(w.training()->waitForIdle(60000));
        QTRY_VERIFY_WITH_TIMEOUT(w.training()->frame() && w.training()->frame()->images && w.training()->frame()->images->chosen.row == row, 10000);
        QVERIFY(w.training()->frame()->history.size() == 1);   // the run was not cleared
        const ImageEquilibrium& z = w.training()->frame()->images->chosen;
        QCOMPARE(z.status, SolveStatus::Converged);
        QCOMPARE(int(z.z.size()), 8);
        QVERIFY(z.residuals.size() == size_t(z.iterations) + 1);
        // Now it is the scene's input: framed, and the strip no longer calls it a preview.
        w.tabs()->setCurrentWidget(panel);
        QTRY_COMPARE(grid->chosen(), row);
        QVERIFY2(!plotTitle(panel->imagePanel()->strip()).contains("preview"), qPrintable(plotTitle(panel->imagePanel()->strip())));
    }

    void viewsSayWhichNetworkTheyShow()
    {
        // Issue #20: lesson 16 opens with W = 0 and no readout; its Landscape, Theory … tabs drew
        // that untrained problem, and the Model dock said ‖W‖₂ = 0 while the Train tab trained,
        // with nothing saying these were not the trained network.
        QTemporaryDir dir;
        MainWindow w;
        QVERIFY(openImageScene(w, dir));
        // Any shown text of the window outside the Train tab and the lesson that says `what`.
        auto said = [&](const QString& what, QWidget* inside) {
            for (QLabel* l : inside->findChildren<QLabel*>())
                if (l->isVisible() && l->text().contains(what) && !w.trainPanel()->isAncestorOf(l)) return l->text();
            return QString();
        };
        auto saying = [&](const QString& what, QWidget* inside) { return !said(what, inside).isEmpty(); };
        w.tabs()->setCurrentIndex(0);   // the Landscape
        QVERIFY(settle(w));
        QVERIFY2(saying("Not trained yet", w.modelPanel()), "the Model dock does not say the network is untrained");
        QVERIFY2(saying("Not trained yet", w.tabs()->parentWidget()), "the Landscape tab does not say the network is untrained");
        // Train for long: while it runs, the dock says its numbers are from before the run and
        // gives the run's ‖W‖₂.
        Scene s = w.controller()->scene();
        s.training.epochs = 100000;
        w.controller()->editScene(s, "long run");
        QVERIFY(w.training()->waitForIdle(60000));
        w.tabs()->setCurrentWidget(w.trainPanel());
        QTest::mouseClick(w.trainPanel()->playButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w.training()->frame() && w.training()->frame()->running && w.training()->frame()->history.size() >= 2, 30000);
        w.tabs()->setCurrentIndex(0);
        QCoreApplication::processEvents();
        QTRY_VERIFY_WITH_TIMEOUT(saying("Training runs", w.modelPanel()), 10000);
        QVERIFY(saying("Training runs", w.tabs()->parentWidget()));
        QVERIFY(!saying("Not trained yet", w.modelPanel()));
        const QString dock = said("Training runs", w.modelPanel());
        const QRegularExpression norm("its ‖W‖₂ = (\\d\\.\\d{4})");
        QVERIFY2(norm.match(dock).hasMatch() && norm.match(dock).captured(1).toDouble() > 0, qPrintable(dock));
        // Paused, the trained weights are the scene: nothing to explain any more.
        w.tabs()->setCurrentWidget(w.trainPanel());
        QTest::mouseClick(w.trainPanel()->playButton(), Qt::LeftButton);
        QVERIFY(w.training()->waitForIdle(60000));
        QVERIFY(settle(w));
        w.tabs()->setCurrentIndex(0);
        QVERIFY(settle(w));
        QVERIFY(!w.controller()->scene().readout.empty());
        QVERIFY(!saying("Training runs", w.modelPanel()) && !saying("Not trained yet", w.modelPanel()));
        QVERIFY(!saying("Training runs", w.tabs()->parentWidget()) && !saying("Not trained yet", w.tabs()->parentWidget()));
        w.controller()->undoStack()->setClean();
    }

    void gridCaptionsAreWholeAndApart_data()
    {
        // The grid's sizes in the Train tab at 1366×768 and in presentation mode there, and at 1920×1080.
        QTest::addColumn<QSize>("size");
        QTest::newRow("1366x768") << QSize(470, 285);
        QTest::newRow("1366x768 presentation") << QSize(665, 410);
        QTest::newRow("1920x1080") << QSize(715, 525);
    }
    void gridCaptionsAreWholeAndApart()
    {
        // Issue #20: captions were cut ("Ankle bo…", "true: Ankl…") and neighbours ran together
        // ("Sneakertrue: Ankle …"). Fashion-MNIST's ten names; every image of the first two rows
        // misclassified as "Ankle boot" or "T-shirt/top", the longest names, with two lines each.
        QFETCH(QSize, size);
        auto test = std::make_shared<Dataset>();
        const int N = 48;
        test->X = Eigen::MatrixXd::Constant(N, 28 * 28, 0.5);
        test->imageRows = test->imageCols = 28;
        test->classes = 10;
        test->classNames = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
        auto e = std::make_shared<Evaluation>();
        for (int r = 0; r < N; ++r) {
            test->labels.push_back(r % 10);
            e->predicted.push_back(r < 16 ? (r % 10 == 9 ? 0 : 9) : r % 10);
        }
        e->size = N;
        auto report = std::make_shared<ImageReport>();
        report->test = e;
        ImageGrid grid;
        grid.resize(size);
        grid.setData(test, report);
        const std::vector<ImageGrid::Caption> cells = grid.captions();
        QVERIFY(cells.size() >= 16);
        int wrong = 0;
        for (size_t i = 0; i < cells.size(); ++i) {
            const int r = cells[i].row;
            const QString predicted = className(*test, e->predicted[size_t(r)]), truth = className(*test, test->labels[size_t(r)]);
            const bool isWrong = predicted != truth;
            wrong += isWrong;
            QCOMPARE(int(cells[i].lines.size()), isWrong ? 2 : 1);
            QCOMPARE(cells[i].lines[0].text, predicted);   // whole, not elided
            if (isWrong) QVERIFY2(cells[i].lines[1].text.endsWith(truth), qPrintable(cells[i].lines[1].text));
            QVERIFY2(cells[i].tip.contains(predicted) && cells[i].tip.contains(truth), qPrintable(cells[i].tip));
            for (const auto& l : cells[i].lines) {
                QVERIFY2(!l.text.contains(QChar(0x2026)), qPrintable(l.text));
                OPTEQ_VERIFY_LE(QFontMetricsF(l.font).horizontalAdvance(l.text), l.rect.width() + 0.5);
                OPTEQ_VERIFY_LE(8.0, double(l.font.pixelSize()));   // still legible
            }
            // Apart: no caption comes within 6 px of another.
            for (size_t j = 0; j < i; ++j)
                for (const auto& a : cells[i].lines)
                    for (const auto& b : cells[j].lines)
                        QVERIFY2(!a.rect.adjusted(-3, 0, 3, 0).intersects(b.rect.adjusted(-3, 0, 3, 0)),
                                 qPrintable(QString("'%1' and '%2' touch at %3×%4").arg(a.text, b.text).arg(size.width()).arg(size.height())));
        }
        QVERIFY(wrong >= 16);
    }

    void imageFiguresExport()
    {
        QTemporaryDir dir;
        const QString path = writeImageScene(dir);
        Scene s = *loadScene(path).scene;
        // An untrained scene has nothing to draw; train it through the window's trainer path.
        TrainTestData data = loadTrainTest(s.training, dir.path().toStdString());
        QVERIFY2(data.ok(), data.error.c_str());
        std::string error;
        Trainer t(s, data.train, data.test, &error);
        QVERIFY2(error.empty(), error.c_str());
        t.runEpoch();
        const Scene trained = t.trainedScene();
        const QString trainedPath = dir.filePath("trained.opteq.json");
        QVERIFY(saveScene(trained, trainedPath).empty());
        for (const char* plot : {"samples", "confusion", "filters"})
            for (const char* suffix : {"png", "pdf", "svg"}) {
                const QString out = dir.filePath(QString("%1.%2").arg(plot, suffix));
                QString msgs;
                QTextStream err(&msgs);
                FigureOptions o;
                QCOMPARE(exportFigure(*loadScene(trainedPath).scene, trainedPath, plot, out, o, err), 0);
                QVERIFY2(QFileInfo(out).size() > 500, qPrintable(out + ": " + msgs));
            }
        // The 2-D plots refuse image data with a reason, and the image plots refuse points.
        QString msgs;
        QTextStream err(&msgs);
        QCOMPARE(exportFigure(*loadScene(trainedPath).scene, trainedPath, "decision", dir.filePath("d.png"), FigureOptions{}, err), 2);
        err.flush();
        QVERIFY2(msgs.contains("images"), qPrintable(msgs));
    }

    void fashionMnistLessonsSayWhatTheyReach()
    {
        if (!haveFashionMnist()) QSKIP("dataset-fashion-mnist is not installed (apt install dataset-fashion-mnist)");
        // Lesson 16: "0.79 after one epoch and 0.85 after 3" with its own settings (the window
        // runs the same Trainer); lesson 17: "test accuracy 0.769 on the first 1 000 test images".
        const Scene s = *loadScene(sourcePath("resources/lessons/16-implicit-layer-learns-clothes.opteq.json")).scene;
        QVERIFY(s.training.data.trainLimit == 10000 && s.training.data.testLimit == 2000 && s.training.epochs == 5 && s.n() == 128);
        TrainTestData data = loadTrainTest(s.training, "");
        QVERIFY2(data.ok(), data.error.c_str());
        std::string error;
        Trainer t(s, data.train, data.test, &error);
        QVERIFY2(error.empty(), error.c_str());
        std::vector<double> accuracy;
        for (int e = 0; e < 5; ++e) {
            const EpochLog log = t.runEpoch();
            qInfo("lesson 16 epoch %d: %.2f s, test accuracy %.4f", log.epoch, log.seconds, log.testAccuracy);
            accuracy.push_back(log.testAccuracy);
        }
        OPTEQ_COMPARE_NEAR(accuracy[0], 0.79, 0.01);
        OPTEQ_COMPARE_NEAR(accuracy[2], 0.85, 0.01);
        QVERIFY(QString::fromStdString(s.notes).contains("0.79 after one epoch and 0.85 after 3"));
        // Shirt is confused most with T-shirt/top, Pullover and Coat (its row's three largest off-diagonal counts).
        const auto e = t.lastTestEvaluation();
        QVERIFY(e);
        std::vector<std::pair<int, int>> off;
        for (int k = 0; k < 10; ++k)
            if (k != 6) off.push_back({e->confusion(6, k), k});
        std::sort(off.rbegin(), off.rend());
        std::vector<int> top{off[0].second, off[1].second, off[2].second};
        std::sort(top.begin(), top.end());
        QCOMPARE(top, (std::vector<int>{0, 2, 4}));
        const Scene l17 = *loadScene(sourcePath("resources/lessons/17-equilibrium-of-an-image.opteq.json")).scene;
        TrainTestData d17 = loadTrainTest(l17.training, "");
        QVERIFY2(d17.ok(), d17.error.c_str());
        const Evaluation e17 = evaluateNetwork(l17.model(), weightsOf(l17), l17.solver, l17.training.loss, d17.test);
        QCOMPARE(e17.size, 1000);
        OPTEQ_COMPARE_NEAR(e17.accuracy, 0.769, 0.0015);   // its weights are stored to 4 digits
        QCOMPARE(d17.test.labels[0], 9);                    // the scene's input is test image 1, an Ankle boot
        OPTEQ_COMPARE_NEAR((l17.input - d17.test.X.row(0).transpose()).cwiseAbs().maxCoeff(), 0.0, 5e-4);
    }

    void theTrainTabShowsEachBatchAndPauseStopsWithinOne()
    {
        // Issue #20: an epoch of all of Fashion-MNIST takes seconds, so the tab must show progress
        // per batch (it only got frames between epochs) and Pause must stop the trainer within
        // one batch. 3000 images in batches of 1 at 48 units: an epoch of 3000 steps.
        QTemporaryDir dir;
        const QString path = writeImageScene(dir, 3000);
        auto w = std::make_unique<MainWindow>();
        w->show();
        QVERIFY(settle(*w));
        QVERIFY(w->openScene(path));
        QVERIFY(settle(*w));
        QVERIFY(w->training()->waitForIdle(60000));
        Scene s = w->controller()->scene();
        s.layers[0].size = 48;
        s.W = Eigen::MatrixXd::Zero(48, 48);
        s.U = Eigen::MatrixXd::Zero(48, 1);
        s.b = Eigen::VectorXd::Zero(48);
        s.training.batch = 1;
        s.training.epochs = 100000;   // never ends within the test: batch-1 steps of n = 48 take ~0.1 ms
        s.solver.tol = 1e-12;
        w->controller()->editScene(s, "long epochs");
        QVERIFY(w->training()->waitForIdle(60000));
        TrainPanel* panel = w->trainPanel();
        w->tabs()->setCurrentWidget(panel);
        int updates = 0;
        QElapsedTimer clock;
        connect(w->training(), &TrainingController::progressChanged, this, [&] { ++updates; });
        clock.start();
        QTest::mouseClick(panel->playButton(), Qt::LeftButton);
        // The bar shows the batch inside the first epoch, before any frame of a finished epoch.
        const QRegularExpression batch("^epoch 1, batch (\\d+)/3000$");
        QTRY_VERIFY_WITH_TIMEOUT(panel->progressBar()->isVisible() && batch.match(panel->progressBar()->format()).hasMatch()
                                     && panel->progressBar()->value() >= 1, 30000);
        QCOMPARE(panel->progressBar()->maximum(), 3000);
        // The GUI gets at most one progress update per 100 ms (a timer's, not one queued per step).
        const qint64 ms = clock.elapsed();
        OPTEQ_VERIFY_LE(double(updates), 1.0 + double(ms) / 95.0);

        QTest::mouseClick(panel->playButton(), Qt::LeftButton);   // Pause
        const long long atPause = w->training()->stepsTakenAtPause();
        QVERIFY(atPause >= 1);
        QVERIFY(w->training()->waitForIdle(60000));
        // The step under way when Pause was pressed may finish; no other starts.
        OPTEQ_VERIFY_LE(double(w->training()->stepsTaken()), double(atPause + 1));
        QVERIFY(!panel->progressBar()->isVisible());
        const long long paused = w->training()->stepsTaken();
        QTRY_VERIFY_WITH_TIMEOUT(panel->statusLabel()->text().contains(QString("Play resumes at batch %1").arg(paused + 1)), 10000);
        // The status keeps three lines and may cut a long text: its tooltip holds all of it.
        QCOMPARE(panel->statusLabel()->toolTip(), panel->statusLabel()->text());

        // Play resumes at that batch, and closing the window while it trains cancels and joins
        // the job (the test would hang otherwise).
        QTest::mouseClick(panel->playButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w->training()->stepsTaken() > paused + 1, 30000);
        // The bar goes on from the paused batch (or, on a fast machine, already in a later epoch).
        const QRegularExpression anyEpoch("^epoch (\\d+), batch (\\d+)/3000$");
        auto resumed = [&] {
            const QRegularExpressionMatch m = anyEpoch.match(panel->progressBar()->format());
            return m.hasMatch() && (m.captured(1).toLongLong() > 1 || m.captured(2).toLongLong() > paused);
        };
        QTRY_VERIFY2_WITH_TIMEOUT(resumed(), qPrintable(QString("bar \"%1\" after the pause at batch %2").arg(panel->progressBar()->format()).arg(paused)),
                                  30000);
        QVERIFY(w->training()->running());
        w.reset();
    }

    void fashionMnistLessonTrainsInTheWindow()
    {
        if (!haveFashionMnist()) QSKIP("dataset-fashion-mnist is not installed (apt install dataset-fashion-mnist)");
        MainWindow w;
        w.show();
        QVERIFY(settle(w));
        QVERIFY(w.openScene(sourcePath("resources/lessons/16-implicit-layer-learns-clothes.opteq.json")));
        QVERIFY(settle(w));
        QVERIFY(w.training()->waitForIdle(60000));
        Scene s = w.controller()->scene();
        QCOMPARE(s.training.data.trainLimit, 10000);   // what the lesson says
        QVERIFY(s.n() <= 512);
        s.training.data.trainLimit = 500;   // a short run: the views and their latency, not the accuracy
        QCOMPARE(s.training.data.testLimit, 2000);
        w.controller()->editScene(s, "tiny");
        QVERIFY(w.training()->waitForIdle(60000));
        TrainPanel* panel = w.trainPanel();
        w.tabs()->setCurrentWidget(panel);
        // The first frame after the epoch: measured from the epoch's end to the drawn views.
        double latencyMs = -1;
        connect(w.training(), &TrainingController::frameReady, this, [&](std::shared_ptr<const TrainingFrame> f) {
            if (latencyMs < 0 && !f->history.empty())
                latencyMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - f->epochEnded).count();
        });
        QTest::mouseClick(stepButton(panel), Qt::LeftButton);
        QVERIFY(w.training()->waitForIdle(120000));
        QTRY_VERIFY_WITH_TIMEOUT(w.training()->frame() && w.training()->frame()->history.size() == 1, 10000);
        qInfo("first image frame %.1f ms after the epoch ended", latencyMs);
        OPTEQ_VERIFY_LE(latencyMs, 200.0);
        QVERIFY(panel->showsImages());
        QCOMPARE(panel->imagePanel()->confusion()->counts().sum(), 2000);
        QCOMPARE(panel->imagePanel()->classBox()->itemText(1), QString("T-shirt/top"));
        QVERIFY2(panel->dataLabel()->text().contains("fashion-mnist"), qPrintable(panel->dataLabel()->text()));
    }
};

QTEST_MAIN(TestImageViews)
#include "tst_image_views.moc"

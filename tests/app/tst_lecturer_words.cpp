// SPDX-License-Identifier: GPL-3.0-or-later
// What a lecturer reads stays true (issue 19): the W entry label and slider follow every scene
// change; residual plots show every plotted point after a solve and after Fit; the basin words.
#include "Controller.h"
#include "MainWindow.h"
#include "MatrixEditor.h"
#include "ModelPanel.h"
#include "PlotStyle.h"
#include "ResidualPlot.h"
#include "TrainPanel.h"
#include "TrainingController.h"
#include "TrainPlots.h"
#include "BasinView.h"
#include "LandscapeView.h"
#include "SceneIO.h"
#include "TestHelpers.h"
#include "WindowTestHelpers.h"

#include <QAbstractButton>
#include <QApplication>
#include <QStatusBar>
#include <QComboBox>
#include <QGroupBox>
#include <QLabel>
#include <QTextBrowser>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QUndoStack>

using namespace opteq;

namespace {
QString lessonPath(const char* file) { return sourcePath(QStringLiteral("resources/lessons/") + file); }

// The label and the slider show W(r, c) of the scene the controller holds, for a cell inside W.
void checkEntryShown(MainWindow& w, const char* when)
{
    const Scene& s = w.controller()->scene();
    ModelPanel* p = w.modelPanel();
    const int r = p->weightEditor()->currentRow(), c = p->weightEditor()->currentColumn();
    QVERIFY2(r >= 0 && c >= 0 && r < s.W.rows() && c < s.W.cols(),
             qPrintable(QString("%1: selected W[%2][%3] outside %4×%5").arg(when).arg(r + 1).arg(c + 1).arg(s.W.rows()).arg(s.W.cols())));
    const QString expected = QString("W[%1][%2] = %3").arg(r + 1).arg(c + 1).arg(s.W(r, c), 0, 'g', 4);
    QVERIFY2(p->entryLabel()->text() == expected, qPrintable(QString("%1: label '%2', scene says '%3'").arg(when, p->entryLabel()->text(), expected)));
    QCOMPARE(p->entrySlider()->value(), int(std::lround(std::clamp(s.W(r, c), -2.0, 2.0) * 100)));
}

// Every point of every curve of the residual plot lies inside its y range (and x range).
void checkAllPointsShown(ResidualPlot* plot, const QString& when)
{
    const QCPRange y = plot->yAxis->range(), x = plot->xAxis->range();
    int points = 0;
    for (int g = 0; g < plot->graphCount(); ++g)
        for (auto it = plot->graph(g)->data()->constBegin(); it != plot->graph(g)->data()->constEnd(); ++it) {
            ++points;
            QVERIFY2(it->value >= y.lower && it->value <= y.upper,
                     qPrintable(QString("%1: %2 at k = %3 is %4, outside the y range [%5, %6]")
                                    .arg(when, plot->graph(g)->name()).arg(it->key).arg(it->value, 0, 'g', 4).arg(y.lower, 0, 'g', 3).arg(y.upper, 0, 'g', 3)));
            QVERIFY2(it->key >= x.lower && it->key <= x.upper, qPrintable(QString("%1: k = %2 outside the x range").arg(when).arg(it->key)));
        }
    QVERIFY(points > 0);
}

// A scene file's or the CLI's id where a reader's name belongs ("picard", "hsd", "cos JF"):
// lowercase ids as words ("viscosity" is a word of its readable name too: not alone).
// Activation and loss ids ("leaky_relu", "cross_entropy", "mse") and the solver status "max_iter" too.
const QRegularExpression kRawId(R"(\b(picard|km|anderson|broyden|fb|fista|peaceman_rachford|halpern|hsd|jacobian_free|JF)\b)"
                                R"(|\b(relu|leaky_relu|soft_threshold|elu|cross_entropy|mse|max_iter)\b)"
                                R"(|\bviscosity\b(?! (approximation|anchor)))");

// Every text the window shows: labels, buttons, combo items, group titles, tabs, the status line,
// the theory texts, and in every plot its title, text elements, legend entries and colour keys.
QStringList rawIdsShown(MainWindow& w)
{
    QStringList found;
    auto check = [&](const QString& where, const QString& text) {
        const QRegularExpressionMatch m = kRawId.match(text);
        if (m.hasMatch()) found << QString("%1: …%2…").arg(where, text.mid(std::max<qsizetype>(0, m.capturedStart() - 60), 120));
    };
    for (QLabel* l : w.findChildren<QLabel*>()) check("label", l->text());
    for (QAbstractButton* b : w.findChildren<QAbstractButton*>()) check("button", b->text());
    for (QComboBox* c : w.findChildren<QComboBox*>())
        for (int i = 0; i < c->count(); ++i) check("combo item", c->itemText(i));
    for (QGroupBox* g : w.findChildren<QGroupBox*>()) check("group", g->title());
    for (QTextBrowser* t : w.findChildren<QTextBrowser*>()) check("text", t->toPlainText());
    for (QCustomPlot* p : w.findChildren<QCustomPlot*>()) {
        const QString name = p->metaObject()->className();
        for (QCPTextElement* t : p->findChildren<QCPTextElement*>()) check(name + " text", t->text());
        check(name + " title", plotTitle(p));
        for (int i = 0; i < p->legend->itemCount(); ++i)
            if (auto* item = qobject_cast<QCPPlottableLegendItem*>(p->legend->item(i))) check(name + " legend", item->plottable()->name());
        for (int i = 0; i < p->itemCount(); ++i)
            if (auto* t = qobject_cast<QCPItemText*>(p->item(i))) check(name + " note", t->text());
    }
    return found;
}
}  // namespace

class TestLecturerWords : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("OPTEQ_NO_DIALOGS", "1");
    }

    void entryLabelAndSliderFollowEveryScene()
    {
        MainWindow w;
        w.show();
        QVERIFY(settle(w));
        // A 9×2 W with the entry W[8][1] selected, then lesson 14 (2×2) opens.
        Scene big = w.controller()->scene();
        big.W = Eigen::MatrixXd::Constant(9, big.n(), 0.02);
        big.W(7, 0) = 0.01537;
        w.controller()->editScene(big, "tall W");
        QVERIFY(settle(w));
        w.modelPanel()->weightEditor()->setCurrentCell(7, 0);
        QCOMPARE(w.modelPanel()->entryLabel()->text(), QString("W[8][1] = 0.01537"));
        w.controller()->undoStack()->setClean();
        QVERIFY(w.openScene(lessonPath("14-phase-plane-contraction-to-segment.opteq.json")));
        QVERIFY(settle(w));
        checkEntryShown(w, "after opening lesson 14");
        // The next slider step starts from the shown value, not the previous scene's.
        {
            const int r = w.modelPanel()->weightEditor()->currentRow(), c = w.modelPanel()->weightEditor()->currentColumn();
            const double before = w.controller()->scene().W(r, c);
            QSlider* s = w.modelPanel()->entrySlider();
            s->setValue(s->value() + 1);
            QVERIFY(settle(w));
            OPTEQ_COMPARE_NEAR(w.controller()->scene().W(r, c), before + 0.01, 0.006);
            checkEntryShown(w, "after a slider step");
        }
        // A table edit of the selected cell, undo, redo, Scale W.
        w.modelPanel()->weightEditor()->setCurrentCell(0, 0);
        w.modelPanel()->weightEditor()->setEntry(0, 0, 0.5);
        QVERIFY(settle(w));
        checkEntryShown(w, "after a table edit");
        w.controller()->undoStack()->undo();
        QVERIFY(settle(w));
        checkEntryShown(w, "after undo");
        w.controller()->undoStack()->redo();
        QVERIFY(settle(w));
        checkEntryShown(w, "after redo");
        for (QPushButton* b : w.modelPanel()->findChildren<QPushButton*>())
            if (b->text().startsWith("Scale W")) b->click();
        QVERIFY(settle(w));
        checkEntryShown(w, "after Scale W");
        w.controller()->undoStack()->setClean();
    }

    void residualPlotShowsEveryPoint_data()
    {
        QTest::addColumn<QString>("file");
        for (const char* f : {"10-tanh-saturation.opteq.json", "02-proximal-gradient.opteq.json", "15-the-unit-layer.opteq.json"})
            QTest::newRow(f) << QString(f);
    }
    void residualPlotShowsEveryPoint()
    {
        QFETCH(QString, file);
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QVERIFY(w.openScene(lessonPath(qPrintable(file))));
        QVERIFY(settle(w));
        ResidualPlot* plot = w.residualPlot();
        checkAllPointsShown(plot, "after the solve");
        // Zoomed somewhere else, Fit brings every point back.
        plot->yAxis->setRange(1e-3, 1e-2);
        plot->xAxis->setRange(3, 4);
        plot->fitToData();
        checkAllPointsShown(plot, "after Fit");
        // The log–log view too.
        plot->setLogIterations(true);
        checkAllPointsShown(plot, "on log–log axes");
        plot->setLogIterations(false);
    }

    // The one rule for a genuine spike: T(z₀) = 0 makes the relative residual ‖Tz₀ − z₀‖/‖Tz₀‖
    // ~1e11; it is not drawn, the plot says so, and every drawn point stays in range.
    void relativeSpikeIsNamedNotSilentlyCut()
    {
        MainWindow w;
        w.show();
        QVERIFY(settle(w));
        Scene s = w.controller()->scene();
        s.layers = {LayerSpec{}};
        s.layers[0].size = 2;
        s.layers[0].activation.type = ActivationType::Relu;
        s.regularizers.clear();
        s.W = 0.5 * Eigen::MatrixXd::Identity(2, 2);
        s.U = Eigen::MatrixXd::Identity(2, 2);
        s.b = Eigen::VectorXd::Zero(2);
        s.input = Eigen::Vector2d(-1, -1);
        s.starts = {Eigen::Vector2d(0.1, 0.1)};
        s.prior.type = PriorType::None;
        w.controller()->editScene(s, "T(z0) = 0");
        QVERIFY(settle(w));
        ResidualPlot* plot = w.residualPlot();
        checkAllPointsShown(plot, "T(z0) = 0");
        QString note;
        for (int i = 0; i < plot->itemCount(); ++i)
            if (auto* t = qobject_cast<QCPItemText*>(plot->item(i)); t && t->visible()) note += t->text();
        QVERIFY2(note.contains("relative residual not drawn") && note.contains("k = 0"), qPrintable(note));
        w.controller()->undoStack()->setClean();
    }

    // Esc between the coarse map and its refinement: the titles stop saying "refining…".
    void cancelledBasinsStopSayingRefining()
    {
        MainWindow w;
        w.show();
        QVERIFY(w.openScene(lessonPath("04-ray-of-equilibria.opteq.json")));
        QVERIFY(settle(w));
        // Esc right after the coarse map lands (after the window drew it, before the refinement).
        bool sawRefining = false;
        connect(w.controller(), &Controller::basinsReady, &w, [&](const BasinResult& r) {
            if (r.final) return;
            sawRefining = w.basinPlain()->title().contains("refining");
            w.controller()->cancelBasins();   // what Esc (Run › Cancel basin maps) does
        });
        w.controller()->requestBasins(512);
        QTRY_VERIFY_WITH_TIMEOUT(!w.controller()->basinsRunning(), 60000);
        QVERIFY(sawRefining);
        QVERIFY(w.basinPlain()->map() && w.basinPlain()->map()->spec.nx < 512);   // the coarse map stays
        for (BasinView* v : {w.basinPlain(), w.basinPrior()})
            QVERIFY2(!v->title().contains("refining"), qPrintable(v->title()));
        QVERIFY2(w.basinPlain()->title().contains("cancelled"), qPrintable(w.basinPlain()->title()));
        QVERIFY(w.controller()->waitForIdle(60000));
    }

    // Method and prior ids ("picard without prior (128 × 128)", "hsd", "cos JF") are scene-file and
    // CLI words; the window names them (the scene file keeps its ids).
    void windowNamesMethodsAndPriorsInWords()
    {
        MainWindow w;
        w.show();
        for (const char* lesson : {"11-segment-hsd.opteq.json", "05-halpern-anchor.opteq.json", "07-acceleration.opteq.json"}) {
            QVERIFY(w.openScene(lessonPath(lesson)));
            QVERIFY(settle(w));
            w.controller()->requestBasins(32);
            QTRY_VERIFY_WITH_TIMEOUT(!w.controller()->basinsRunning(), 60000);
            QCoreApplication::processEvents();
            for (int i = 0; i < w.tabs()->count(); ++i) {
                w.tabs()->setCurrentIndex(i);
                QCoreApplication::processEvents();
            }
            QVERIFY(w.controller()->waitForIdle(60000));
            QTest::qWait(300);   // the Theory tab's jobs deliver
            const QStringList raw = rawIdsShown(w);
            QVERIFY2(raw.isEmpty(), qPrintable(QString("%1:\n%2").arg(lesson, raw.join("\n"))));
            QVERIFY2(w.basinPlain()->title().startsWith("Picard iteration without prior"), qPrintable(w.basinPlain()->title()));
        }
        w.controller()->undoStack()->setClean();
    }

    // Tooltips too (issue #20: the solver panel's "Max iterations" said "stops with status max_iter").
    void tooltipsNameThingsInWords()
    {
        MainWindow w;
        w.show();
        for (const char* lesson : {"16-implicit-layer-learns-clothes.opteq.json", "07-acceleration.opteq.json"}) {
            QVERIFY(w.openScene(lessonPath(lesson)));
            QVERIFY(settle(w));
            QStringList found;
            for (QWidget* c : w.findChildren<QWidget*>()) {
                const QRegularExpressionMatch m = kRawId.match(c->toolTip());
                if (m.hasMatch())
                    found << QString("%1 tooltip: …%2…").arg(c->metaObject()->className(), c->toolTip().mid(std::max<qsizetype>(0, m.capturedStart() - 60), 120));
            }
            for (int i = 0; i < w.tabs()->count(); ++i)
                if (kRawId.match(w.tabs()->tabToolTip(i)).hasMatch()) found << "tab tooltip: " + w.tabs()->tabToolTip(i);
            QVERIFY2(found.isEmpty(), qPrintable(QString("%1:\n%2").arg(lesson, found.join("\n"))));
        }
        w.controller()->undoStack()->setClean();
    }

    // Activations and losses by their names, on every tab, for lessons with leaky_relu,
    // soft_threshold and a training loss; the Train tab's axes say what they show.
    void windowNamesActivationsAndLossesInWords()
    {
        MainWindow w;
        w.show();
        for (const char* lesson : {"02-proximal-gradient.opteq.json", "08-divergence.opteq.json", "15-the-unit-layer.opteq.json"}) {
            QVERIFY(w.openScene(lessonPath(lesson)));
            QVERIFY(settle(w));
            for (int i = 0; i < w.tabs()->count(); ++i) {
                w.tabs()->setCurrentIndex(i);
                QCoreApplication::processEvents();
            }
            QVERIFY(w.controller()->waitForIdle(60000));
            QVERIFY(w.training()->waitForIdle(60000));
            QTest::qWait(300);   // the Theory tab's jobs deliver
            const QStringList raw = rawIdsShown(w);
            QVERIFY2(raw.isEmpty(), qPrintable(QString("%1:\n%2").arg(lesson, raw.join("\n"))));
        }
        // Lesson 15 holds 2-D moons: before training its plane is not called 1-D.
        TrainPanel* panel = w.trainPanel();
        const QString x = panel->decisionView()->xAxis->label();
        QVERIFY2(!x.contains("1-D"), qPrintable(x));
        QVERIFY2(!panel->decisionView()->sliceText().contains("1-D"), qPrintable(panel->decisionView()->sliceText()));
        QVERIFY2(panel->embeddingView()->yAxis->label().contains("principal direction"), qPrintable(panel->embeddingView()->yAxis->label()));
        w.controller()->undoStack()->setClean();
    }

    // The coordinate readout under the landscape shows its whole text at 1366 × 768 (it was cut).
    void hoverReadoutFitsAt1366()
    {
        MainWindow w;
        w.resize(1366, 768);
        w.show();
        QVERIFY(w.openScene(lessonPath("01-contraction.opteq.json")));
        QVERIFY(settle(w));
        QCoreApplication::processEvents();
        QLabel* hover = nullptr;
        const QPoint at = w.landscape()->pixelOf(1.2345, 0.9876);
        QMouseEvent move(QEvent::MouseMove, at, w.landscape()->mapToGlobal(at), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(w.landscape(), &move);
        QTest::qWait(200);
        for (QLabel* l : w.statusBar()->findChildren<QLabel*>())
            if (l->text().startsWith("(")) hover = l;
        QVERIFY2(hover, "no coordinate readout in the status bar");
        QVERIFY2(hover->text().contains("E ≈"), qPrintable(hover->text()));
        QVERIFY(hover->isVisible());
        const int need = hover->fontMetrics().horizontalAdvance(hover->text()), room = hover->contentsRect().width();
        QVERIFY2(need <= room && hover->geometry().right() <= w.statusBar()->width(),
                 qPrintable(QString("'%1' needs %2 px, the label has %3 px (at x %4..%5 of a %6 px status bar)")
                                .arg(hover->text()).arg(need).arg(room).arg(hover->geometry().left()).arg(hover->geometry().right())
                                .arg(w.statusBar()->width())));
        QVERIFY2(hover->height() >= hover->fontMetrics().height(), qPrintable(QString("%1 px high").arg(hover->height())));
    }

    // Fit to trajectories (Ctrl+Shift+0) shows the landscape over the box it fits, not a white
    // plot around the old [−2, 2]² patch.
    void fitToTrajectoriesRecomputesTheLandscape()
    {
        MainWindow w;
        w.show();
        QVERIFY(w.openScene(lessonPath("01-contraction.opteq.json")));
        QVERIFY(settle(w));
        Scene s = w.controller()->scene();
        s.starts.push_back(Eigen::Vector2d(6.0, -5.0));
        w.controller()->editScene(s, "a far start");
        QVERIFY(settle(w));
        w.landscape()->fitToTrajectories();
        QVERIFY(settle(w));
        QCoreApplication::processEvents();
        w.landscape()->replot(QCustomPlot::rpImmediateRefresh);
        const QCPRange x = w.landscape()->xAxis->range(), y = w.landscape()->yAxis->range();
        QVERIFY2(x.upper > 6.0 && y.lower < -5.0, "the far start is in view");
        QCPColorMap* map = nullptr;
        for (int i = 0; i < w.landscape()->plottableCount(); ++i)
            if (auto* m = qobject_cast<QCPColorMap*>(w.landscape()->plottable(i))) map = m;
        QVERIFY(map);
        const QCPRange mx = map->data()->keyRange(), my = map->data()->valueRange();
        QVERIFY2(mx.lower <= x.lower + 1e-9 && mx.upper >= x.upper - 1e-9 && my.lower <= y.lower + 1e-9 && my.upper >= y.upper - 1e-9,
                 qPrintable(QString("landscape [%1, %2] × [%3, %4] under axes [%5, %6] × [%7, %8]")
                                .arg(mx.lower).arg(mx.upper).arg(my.lower).arg(my.upper).arg(x.lower).arg(x.upper).arg(y.lower).arg(y.upper)));
        // One undoable step.
        w.controller()->undoStack()->undo();
        QVERIFY(settle(w));
        QVERIFY(!w.controller()->scene().view.hasBox || w.controller()->scene().view.x1 < 6.0);
    }
};

QTEST_MAIN(TestLecturerWords)
#include "tst_lecturer_words.moc"

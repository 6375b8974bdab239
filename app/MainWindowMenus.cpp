// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: the menu bar and its actions, and presentation mode. GUI thread.
#include "MainWindow.h"
#include "TheoryPlots.h"

#include <QCheckBox>

#include "BasinView.h"
#include "Controller.h"
#include "LandscapeView.h"
#include "PlotExport.h"
#include "PlotStyle.h"
#include "TrainPanel.h"
#include "TrainingController.h"
#include "RateMapView.h"
#include "ResidualPlot.h"
#include "SolverPanel.h"
#include "TheoryPlots.h"
#include "TraceExport.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>
#include <QLabel>
#include <QTabWidget>
#include <QTextBrowser>
#include <QUndoStack>
#include <QSplitter>

namespace opteq {

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New"), QKeySequence::New, this, [this] {
        if (!maybeSave()) return;
        m_controller->resetScene(defaultScene(), {});
        setPlayhead(-1);
    });
    file->addAction(tr("&Open…"), QKeySequence::Open, this, [this] {
        if (!maybeSave()) return;
        const QString path = QFileDialog::getOpenFileName(this, tr("Open scene"), lastDir(),
                                                          tr("OptEq scenes (*.opteq.json *.json)"));
        if (!path.isEmpty()) openScene(path);
    });
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addAction(tr("&Lessons…"), QKeySequence(Qt::CTRL | Qt::Key_L), this, &MainWindow::showLessonGallery);
    file->addAction(tr("&Save"), QKeySequence::Save, this, [this] { save(); });
    // Ctrl+Shift+S everywhere: QKeySequence::SaveAs is empty on some platforms' key bindings.
    QAction* saveAsAction = file->addAction(tr("Save &As…"), this, [this] { saveAs(); });
    saveAsAction->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S)});
    file->addSeparator();
    QMenu* figures = file->addMenu(tr("&Export figure"));
    figures->addAction(tr("Landscape…"), QKeySequence(Qt::CTRL | Qt::Key_E), this, [this] { exportPlot(m_landscape, "landscape"); });
    figures->addAction(tr("Residuals…"), this, [this] { exportPlot(m_residual, "residual"); });
    figures->addAction(tr("Basins without prior…"), this, [this] { exportPlot(m_basinPlain, "basins"); });
    figures->addAction(tr("Basins with prior…"), this, [this] { exportPlot(m_basinPrior, "basins-prior"); });
    figures->addAction(tr("Rate map…"), this, [this] { exportPlot(m_rateMap, "rate-map"); });
    QMenu* theory = figures->addMenu(tr("Theory"));
    theory->addAction(tr("Phase plane (the landscape with the field)…"), this, [this] {
        if (!m_phaseBox->isChecked()) m_phaseBox->setChecked(true);
        exportPlot(m_landscape, "phase-plane");
    });
    theory->addAction(tr("Spectrum of J…"), this, [this] { exportPlot(m_spectrum, "spectrum"); });
    theory->addAction(tr("Rate vs parameter…"), this, [this] { exportPlot(m_rateCut, "rate-vs-parameter"); });
    theory->addAction(tr("Unit layer G(p)…"), this, [this] { exportPlot(m_unitG, "unit-layer"); });
    QMenu* training = figures->addMenu(tr("Training"));
    training->addAction(tr("Decision regions…"), this, [this] { exportPlot(m_trainPanel->decisionView(), "decision-regions"); });
    training->addAction(tr("Loss and accuracy…"), this, [this] { exportPlot(m_trainPanel->curvesView(), "training-curves"); });
    training->addAction(tr("Iterations, ‖W‖₂, estimators…"), this, [this] { exportPlot(m_trainPanel->diagnosticsView(), "training-solver"); });
    training->addAction(tr("Equilibria of all points…"), this, [this] { exportPlot(m_trainPanel->embeddingView(), "equilibria"); });
    figures->addAction(tr("Before R (landscape without the prior)…"), this, [this] {
        if (m_controller->solution()) m_before->setSolution(m_controller->solution());
        exportPlot(m_before, "before-R");
    });
    figures->addAction(tr("After R (landscape with the prior)…"), this, [this] {
        if (m_controller->solution()) m_after->setSolution(m_controller->solution());
        exportPlot(m_after, "after-R");
    });
    figures->addAction(tr("Whole window as PNG…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export window"), "window.png", tr("PNG (*.png)"));
        if (path.isEmpty()) return;
        const QString e = exportWidgetPng(this, path);
        if (!e.isEmpty()) showError(tr("Export failed"), e);
    });
    QMenu* data = file->addMenu(tr("Export &data"));
    // Traces are re-solved with every iterate in a Controller job (not on this thread).
    for (const auto& [label, filter, name] : {std::tuple{tr("Traces as CSV…"), QString("CSV (*.csv)"), QString("traces.csv")},
                                              std::tuple{tr("Traces as JSON…"), QString("JSON (*.json)"), QString("traces.json")}})
        data->addAction(label, this, [this, filter = filter, name = name] {
            const QString path = QFileDialog::getSaveFileName(this, tr("Export"), lastDir() + "/" + name, filter);
            if (path.isEmpty()) return;
            statusBar()->showMessage(tr("Exporting traces to %1…").arg(path));
            m_controller->exportTraces(path);
        });
    connect(m_controller, &Controller::exportDone, this, [this](const QString& path, const QString& error, const QString& note) {
        if (!error.isEmpty()) showError(tr("Export failed"), error);
        else statusBar()->showMessage(note.isEmpty() ? tr("Exported %1").arg(path) : tr("Exported %1: %2").arg(path, note), 8000);
    });
    data->addAction(tr("Landscape grid as CSV…"), this, [this] {
        exportText("CSV (*.csv)", "landscape.csv", [this] {
            return m_controller->solution() ? gridToCsv(m_controller->solution()->landscape) : QByteArray();
        });
    });
    data->addAction(tr("Training log as CSV…"), this, [this] {
        exportText("CSV (*.csv)", "training-log.csv", [this] {
            const auto f = m_training->frame();
            return f && !f->history.empty() ? QByteArray::fromStdString(epochLogCsv(f->history)) : QByteArray();
        });
    });
    data->addAction(tr("Basin grid as CSV…"), this, [this] {
        exportText("CSV (*.csv)", "basins.csv", [this] { return m_basinPlain->map() ? basinsToCsv(*m_basinPlain->map()) : QByteArray(); });
    });
    file->addAction(tr("&Copy landscape figure"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), this, [this] { copyPlotToClipboard(m_landscape); });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = m_controller->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = m_controller->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addAction(tr("&Delete selected start"), this, [this] { m_controller->deleteStart(m_landscape->selectedStart()); });

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QMenu* panels = view->addMenu(tr("&Panels"));
    for (QDockWidget* d : findChildren<QDockWidget*>()) panels->addAction(d->toggleViewAction());
    QAction* pres = view->addAction(tr("&Presentation mode"), QKeySequence(Qt::Key_F11), this, [this](bool on) { setPresentationMode(on); });
    pres->setCheckable(true);
    QAction* without = view->addAction(tr("Landscape &without prior R"), this, [this](bool on) { m_landscape->setShowWithoutPrior(on); });
    without->setCheckable(true);
    without->setToolTip(tr("Before/after of a prior of way 1: E without the regularizers"));
    QAction* rel = view->addAction(tr("&Relative residuals"), this, [this](bool on) { m_residual->setShowRelative(on); });
    rel->setCheckable(true);
    rel->setChecked(true);
    QAction* gap = view->addAction(tr("E(zₖ) − E*"), this, [this](bool on) { m_residual->setShowObjectiveGap(on); });
    gap->setCheckable(true);
    gap->setChecked(true);
    QAction* logX = view->addAction(tr("Residuals on log–log axes"), this, [this](bool on) { m_residual->setLogIterations(on); });
    logX->setCheckable(true);
    logX->setToolTip(tr("Iterations on a log axis too: a rate O(1/k) is a straight line of slope −1"));
    view->addSeparator();
    view->addAction(tr("&Fit plots"), QKeySequence(Qt::CTRL | Qt::Key_0), this, [this] {
        m_landscape->fitToLandscape();
        m_residual->fitToData();
        m_basinPlain->fit();
        m_basinPrior->fit();
        m_rateMap->fit();
    })->setToolTip(tr("Every plot back to its whole content (also: right-click a plot › Fit; wheel zooms, right-drag pans)"));
    view->addAction(tr("Fit landscape to &trajectories"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_0), m_landscape, &LandscapeView::fitToTrajectories);
    QAction* phase = view->addAction(tr("&Phase plane on the landscape"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P), m_phaseBox,
                                     &QCheckBox::setChecked);
    phase->setCheckable(true);
    connect(m_phaseBox, &QCheckBox::toggled, phase, &QAction::setChecked);
    QAction* aspect = view->addAction(tr("&Equal aspect on the landscape"), m_landscape, &LandscapeView::setEqualAspect);
    aspect->setCheckable(true);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    run->addAction(tr("&Play / pause"), QKeySequence(Qt::Key_Space), this, [this] {
        const bool play = !m_playTimer.isActive();
        emit m_solver->playToggled(play);
    });
    run->addAction(tr("&Step"), QKeySequence(Qt::Key_F10), m_solver, &SolverPanel::stepRequested);
    run->addAction(tr("&Restart playback"), QKeySequence(Qt::Key_Home), m_solver, &SolverPanel::restartRequested);
    run->addAction(tr("Show &all iterations"), QKeySequence(Qt::Key_End), this, [this] {
        m_playTimer.stop();
        m_solver->setPlaying(false);
        setPlayhead(-1);
    });
    run->addAction(tr("Compute &basin maps"), QKeySequence(Qt::CTRL | Qt::Key_B), this, [this] {
        m_tabs->setCurrentIndex(1);
        m_progress->setValue(0);
        m_progress->setVisible(true);
        m_cancel->setVisible(true);
        m_controller->requestBasins(m_basinGrid->currentData().toInt());
    });
    run->addAction(tr("&Cancel basin maps and exports"), QKeySequence(Qt::Key_Escape), this, [this] {
        m_controller->cancelBasins();
        m_controller->cancelExport();
    });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About OptEq Explorer"), this, [this] {
        QMessageBox::about(this, tr("About OptEq Explorer"),
                           tr("<b>OptEq Explorer %1</b><p>Explore Optimization Induced Equilibrium Networks: "
                              "z* = σ(WᵀW z* + Ux + b) minimises an explicit convex objective E.</p>"
                              "<p>GPL-3.0-or-later. Uses Qt, QCustomPlot and Eigen.</p>").arg(QApplication::applicationVersion()));
    });
}

void MainWindow::setPresentationMode(bool on)
{
    if (on == m_presentation) return;
    m_presentation = on;
    // Plots scale their fonts, lines and markers; the text panels their font.
    const double scale = on ? 1.6 : 1.0;
    for (QCustomPlot* p : findChildren<QCustomPlot*>()) setFigureScale(p, scale);
    m_landscape->setPlayhead(m_landscape->playhead());   // its markers are sized by the view
    // Every text panel and label of the window (lesson, theory, the Theory and Unit layer number
    // panels, the Train tab's status) by the same factor; controls keep their size.
    const double textScale = on ? 1.4 : 1.0;
    for (QWidget* w : findChildren<QWidget*>()) {
        if (!qobject_cast<QTextBrowser*>(w) && !qobject_cast<QLabel*>(w)) continue;
        if (!w->property("opteqBaseFont").isValid()) w->setProperty("opteqBaseFont", w->font().pointSizeF());
        QFont f = w->font();
        f.setPointSizeF(w->property("opteqBaseFont").toDouble() * textScale);
        w->setFont(f);
    }
    m_trainPanel->setCompact(on);
    updateRightColumn();
    if (on) {
        m_normalState = saveState();
        m_normalSplit = m_rightSplit->saveState();
        m_normalCentral = m_centralSplit->saveState();
        const int h = m_rightSplit->height();
        m_rightSplit->setSizes({h * 2 / 3, h / 3});   // larger fonts need a taller residual plot
        for (QDockWidget* d : findChildren<QDockWidget*>())
            if (d->objectName() != "lessonDock") d->hide();
        showFullScreen();
        // Beside the landscape the residuals get a third of the width: their legend in two
        // columns at the larger font, not one column taller than the plot.
        const int w = m_centralSplit->width();
        m_centralSplit->setSizes({w * 62 / 100, w * 38 / 100});
        // The lesson: five lines or so at the larger font, not two and a half.
        if (auto* lesson = findChild<QDockWidget*>("lessonDock"))
            resizeDocks({lesson}, {std::max(180, int(QFontMetrics(m_lesson->font()).lineSpacing() * 6.5))}, Qt::Vertical);
        statusBar()->showMessage(tr("Presentation mode: the Model and Solver panels are hidden (View › Panels shows them); F11 leaves"), 10000);
    } else {
        restoreState(m_normalState);
        m_rightSplit->restoreState(m_normalSplit);
        m_centralSplit->restoreState(m_normalCentral);
        showNormal();
    }
}

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#include "MainWindow.h"

#include "BasinView.h"
#include "DeepGenerator.h"
#include "DeepModelDialog.h"
#include "LandscapeView.h"
#include "ModelPanel.h"
#include "PlotExport.h"
#include "RateMapPanel.h"
#include "RateMapView.h"
#include "ResidualPlot.h"
#include "StepExplainer.h"
#include "SceneIO.h"
#include "SliceBar.h"
#include "SolverPanel.h"
#include "TheoryText.h"
#include "WheelGuard.h"
#include "TraceExport.h"
#include "Solve.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTextBrowser>
#include <QDoubleSpinBox>

// The lessons and icon live in opteq_app (a static library), so their resources are registered
// explicitly; Q_INIT_RESOURCE must be called outside any namespace.
static void initResources() { Q_INIT_RESOURCE(resources); }

namespace opteq {
namespace {
QScrollArea* scrolled(QWidget* w)
{
    auto* s = new QScrollArea;
    s->setWidget(w);
    s->setWidgetResizable(true);
    s->setFrameShape(QFrame::NoFrame);
    return s;
}
}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), m_controller(new Controller(this))
{
    initResources();
    setAcceptDrops(true);
    setWindowIcon(QIcon(":/icons/opteq.svg"));
    m_landscape = new LandscapeView;
    m_residual = new ResidualPlot;
    m_basinPlain = new BasinView;
    m_basinPrior = new BasinView;
    m_theory = new QTextBrowser;
    m_theory->setToolTip(tr("The equations being solved, with the current numbers"));
    m_lesson = new QTextBrowser;
    m_lesson->setOpenExternalLinks(true);

    // Basins tab: the two maps side by side with their controls.
    auto* basinTab = new QWidget;
    auto* bl = new QVBoxLayout(basinTab);
    auto* controls = new QHBoxLayout;
    auto* compute = new QPushButton(tr("Compute basin maps"));
    compute->setToolTip(tr("Solve from every cell of a grid of starts (Ctrl+B); coarse first, then refined"));
    m_basinGrid = new QComboBox;
    for (int g : {64, 128, 256, 512}) m_basinGrid->addItem(QString("%1 × %1").arg(g), g);
    m_basinGrid->setCurrentIndex(2);
    m_basinGrid->setToolTip(tr("Grid of starts"));
    controls->addWidget(compute);
    controls->addWidget(m_basinGrid);
    controls->addStretch(1);
    bl->addLayout(controls);
    auto* maps = new QSplitter(Qt::Horizontal);
    maps->addWidget(m_basinPlain);
    maps->addWidget(m_basinPrior);
    bl->addWidget(maps, 1);
    m_basinPlain->clearMap(tr("Basins without prior: press Compute"));
    m_basinPrior->clearMap(tr("Basins with the prior (choose one in the solver panel)"));

    m_tabs = new QTabWidget;
    auto* landscapeTab = new QWidget;
    auto* ll = new QVBoxLayout(landscapeTab);
    ll->setContentsMargins(0, 0, 0, 0);
    ll->addWidget(buildSliceBar());
    ll->addWidget(m_landscape, 1);
    m_tabs->addTab(landscapeTab, tr("Landscape"));
    m_tabs->addTab(basinTab, tr("Basins"));
    m_tabs->addTab(buildRateTab(), tr("Rate map"));
    // Prior of way 1: E without R beside E + R, each with its equilibrium (and the arrow on the right).
    auto* compare = new QSplitter(Qt::Horizontal);
    m_before = new LandscapeView;
    m_after = new LandscapeView;
    m_before->setShowWithoutPrior(true);
    m_before->setToolTip(tr("E without the regularizers R: the landscape before the prior"));
    m_after->setToolTip(tr("E + R: the landscape after the prior; the arrow shows where the equilibrium moved"));
    compare->addWidget(m_before);
    compare->addWidget(m_after);
    m_tabs->addTab(compare, tr("Before / after R"));
    auto* right = new QSplitter(Qt::Vertical);
    right->addWidget(m_residual);
    right->addWidget(m_theory);
    auto* central = new QSplitter(Qt::Horizontal);
    central->addWidget(m_tabs);
    central->addWidget(right);
    central->setStretchFactor(0, 3);
    central->setStretchFactor(1, 2);
    setCentralWidget(central);

    m_model = new ModelPanel;
    m_solver = new SolverPanel;
    connect(m_model, &ModelPanel::scaleRequested, this, [this](double target) {
        const double s = m_controller->spectralNorm();
        if (!(s > 0) || !std::isfinite(s)) return;
        Scene next = m_controller->scene();
        next.W *= target / s;
        m_controller->editScene(next, tr("scale W to ‖W‖₂ = %1").arg(target));
    });
    // The docks scroll: the wheel must not change a control it merely passes over.
    guardWheel(m_model);
    guardWheel(m_solver);
    auto* modelDock = new QDockWidget(tr("Model"), this);
    modelDock->setObjectName("modelDock");
    modelDock->setWidget(scrolled(m_model));
    modelDock->setMinimumWidth(300);
    addDockWidget(Qt::LeftDockWidgetArea, modelDock);
    auto* solverDock = new QDockWidget(tr("Solver"), this);
    solverDock->setObjectName("solverDock");
    solverDock->setWidget(scrolled(m_solver));
    solverDock->setMinimumWidth(290);
    addDockWidget(Qt::RightDockWidgetArea, solverDock);
    auto* lessonDock = new QDockWidget(tr("Lesson"), this);
    lessonDock->setObjectName("lessonDock");
    lessonDock->setWidget(m_lesson);
    addDockWidget(Qt::BottomDockWidgetArea, lessonDock);
    m_steps = new QTextBrowser;
    m_steps->setToolTip(tr("Step-by-step mode: press Step (F10) to explain one iteration of the selected start"));
    m_steps->setHtml(tr("<p>Press <b>Step</b> (F10) to go through the solver one iteration at a time; each step is explained here "
                        "with its numbers, and the iterate is highlighted on the landscape.</p>"));
    auto* stepDock = new QDockWidget(tr("Step by step"), this);
    stepDock->setObjectName("stepDock");
    stepDock->setWidget(m_steps);
    addDockWidget(Qt::BottomDockWidgetArea, stepDock);
    splitDockWidget(lessonDock, stepDock, Qt::Horizontal);
    resizeDocks({lessonDock}, {120}, Qt::Vertical);

    m_status = new QLabel;
    m_hover = new QLabel;
    m_progress = new QProgressBar;
    m_progress->setMaximumWidth(160);
    m_progress->setVisible(false);
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop the basin map (Esc)"));
    m_cancel->setVisible(false);
    statusBar()->addWidget(m_status, 1);
    statusBar()->addPermanentWidget(m_hover);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);

    buildMenus();

    Controller* c = m_controller;
    connect(c, &Controller::sceneChanged, this, &MainWindow::onSceneChanged);
    connect(c, &Controller::solutionReady, this, &MainWindow::onSolution);
    connect(c, &Controller::message, this, [this](const QString& t) { statusBar()->showMessage(t, 8000); });
    connect(c, &Controller::basinsReady, this, &MainWindow::onBasins);
    connect(c, &Controller::basinsProgress, m_progress, &QProgressBar::setValue);
    connect(c, &Controller::basinsStopped, this, [this](bool completed) {
        m_progress->setVisible(false);
        m_cancel->setVisible(false);
        statusBar()->showMessage(completed ? tr("Basin maps done") : tr("Basin maps cancelled"), 5000);
    });
    connect(c->undoStack(), &QUndoStack::cleanChanged, this, &MainWindow::updateTitle);
    connect(compute, &QPushButton::clicked, this, [this] {
        m_progress->setValue(0);
        m_progress->setVisible(true);
        m_cancel->setVisible(true);
        m_controller->requestBasins(m_basinGrid->currentData().toInt());
    });
    connect(m_cancel, &QPushButton::clicked, c, &Controller::cancelBasins);

    connect(m_model, &ModelPanel::sceneEdited, c, &Controller::editScene);
    connect(m_solver, &SolverPanel::sceneEdited, c, &Controller::editScene);
    connect(m_model, &ModelPanel::generateDeepRequested, this, [this] {
        QString error;
        const std::optional<DeepSpec> spec = askDeepSpec(this, &error);
        if (spec) m_controller->editScene(withDeepModel(m_controller->scene(), *spec), tr("generate deep model"));
        else if (!error.isEmpty()) showError(tr("Deep model"), error);
    });

    connect(m_landscape, &LandscapeView::startAdded, c, &Controller::addStart);
    connect(m_landscape, &LandscapeView::startDragged, this, [this](int i, double s, double t) { m_controller->moveStart(i, s, t, 1000000 + m_dragKey); });
    connect(m_landscape, &LandscapeView::startDropped, this, [this](int i, double s, double t) {
        m_controller->moveStart(i, s, t, 1000000 + m_dragKey);
        ++m_dragKey;   // the next drag is a new undo step
    });
    connect(m_landscape, &LandscapeView::deleteStartRequested, c, &Controller::deleteStart);
    connect(m_landscape, &LandscapeView::anchorDragged, this, [this](double s, double t) { m_controller->moveAnchor(s, t, 2000000 + m_dragKey); });
    connect(m_landscape, &LandscapeView::anchorDropped, this, [this](double s, double t) {
        m_controller->moveAnchor(s, t, 2000000 + m_dragKey);
        ++m_dragKey;
    });
    connect(m_landscape, &LandscapeView::hoverText, m_hover, &QLabel::setText);
    connect(m_residual, &ResidualPlot::hoverText, m_hover, &QLabel::setText);
    connect(m_basinPlain, &BasinView::hoverText, m_hover, &QLabel::setText);
    connect(m_basinPrior, &BasinView::hoverText, m_hover, &QLabel::setText);
    connect(m_rateMap, &RateMapView::hoverText, m_hover, &QLabel::setText);
    for (BasinView* v : {m_basinPlain, m_basinPrior})
        connect(v, &BasinView::cellClicked, this, [this](double s, double t) {
            m_controller->addStart(s, t);
            m_tabs->setCurrentIndex(0);   // show the new start's trajectory
        });

    m_playTimer.setInterval(1000 / 15);
    connect(&m_playTimer, &QTimer::timeout, this, &MainWindow::tick);
    connect(m_solver, &SolverPanel::playToggled, this, [this](bool play) {
        if (play) {
            if (m_playhead < 0 || m_playhead >= maxIteration()) m_playhead = 0;
            m_playTimer.start();
        } else m_playTimer.stop();
        m_solver->setPlaying(play);
    });
    connect(m_solver, &SolverPanel::stepRequested, this, [this] {
        m_playTimer.stop();
        m_solver->setPlaying(false);
        setPlayhead(m_playhead < 0 ? 0 : std::min(m_playhead + 1, maxIteration()));
    });
    connect(m_solver, &SolverPanel::restartRequested, this, [this] { setPlayhead(0); });
    connect(m_landscape, &LandscapeView::startSelected, this, [this] { if (m_playhead >= 0) explainStep(); });
    connect(m_solver, &SolverPanel::speedChanged, this, [this](int ips) { m_playTimer.setInterval(std::max(8, 1000 / std::max(1, ips))); });

    QSettings settings;
    restoreGeometry(settings.value("window/geometry").toByteArray());
    restoreState(settings.value("window/state").toByteArray());
    if (!settings.contains("window/geometry")) resize(1560, 960);
    rebuildRecentMenu();
    onSceneChanged();
    m_controller->requestSolve();
}

MainWindow::~MainWindow()
{
    // The controller (a child) outlives this object's own destructor; its undo stack emits
    // cleanChanged while being destroyed. Disconnect first, then join its jobs while the views exist.
    m_controller->undoStack()->disconnect(this);
    m_controller->disconnect(this);
    delete m_controller;
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New"), QKeySequence::New, this, [this] {
        if (maybeSave()) m_controller->resetScene(defaultScene(), {});
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
    connect(m_controller, &Controller::exportDone, this, [this](const QString& path, const QString& error) {
        if (!error.isEmpty()) showError(tr("Export failed"), error);
        else statusBar()->showMessage(tr("Exported %1").arg(path), 4000);
    });
    data->addAction(tr("Landscape grid as CSV…"), this, [this] {
        exportText("CSV (*.csv)", "landscape.csv", [this] {
            return m_controller->solution() ? gridToCsv(m_controller->solution()->landscape) : QByteArray();
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
    QAction* gap = view->addAction(tr("E(z_k) − E*"), this, [this](bool on) { m_residual->setShowObjectiveGap(on); });
    gap->setCheckable(true);
    gap->setChecked(true);

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
    run->addAction(tr("&Cancel basin maps"), QKeySequence(Qt::Key_Escape), m_controller, &Controller::cancelBasins);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About OptEq Explorer"), this, [this] {
        QMessageBox::about(this, tr("About OptEq Explorer"),
                           tr("<b>OptEq Explorer %1</b><p>Explore Optimization Induced Equilibrium Networks: "
                              "z* = σ(WᵀW z* + Ux + b) minimises an explicit convex objective E.</p>"
                              "<p>GPL-3.0-or-later. Uses Qt, QCustomPlot and Eigen.</p>").arg(QApplication::applicationVersion()));
    });
}

void MainWindow::onSceneChanged()
{
    const Scene& s = m_controller->scene();
    m_model->setScene(s);
    m_solver->setScene(s);
    m_lesson->setMarkdown(QString("## %1\n\n%2").arg(QString::fromStdString(s.title.empty() ? "Untitled scene" : s.title),
                                                     QString::fromStdString(s.notes)));
    m_theory->setHtml(theoryHtml(s, nullptr) + tr("<p><i>Solving…</i></p>"));
    m_basinPrior->clearMap(s.prior.type == PriorType::None ? tr("Basins with a prior: choose one in the solver panel")
                                                          : tr("Basins with %1: press Compute").arg(PriorSettings::typeName(s.prior.type)));
    m_basinPlain->clearMap(s.prior.type == PriorType::None ? tr("Basins: press Compute (choose a prior in the solver panel to compare)")
                                                          : tr("Basins without prior: press Compute"));
    // Without a prior the second map has nothing to show: the first takes the whole width.
    m_basinPrior->setVisible(s.prior.type != PriorType::None);
    m_sliceBar->setScene(s);
    updateTitle();
}

QWidget* MainWindow::buildSliceBar()
{
    m_sliceBar = new SliceBar;
    connect(m_sliceBar, &SliceBar::sliceChosen, this, [this](int i, int j) {
        Scene s = m_controller->scene();
        s.view.axisI = i;
        s.view.axisJ = j;
        s.view.hasPlane = false;
        s.view.hasBox = false;   // the box follows the new slice
        m_controller->editScene(s, tr("change the landscape slice"));
    });
    return m_sliceBar;
}

QWidget* MainWindow::buildRateTab()
{
    auto* panel = new RateMapPanel;
    m_rateMap = panel->view();
    connect(panel, &RateMapPanel::computeRequested, m_controller, &Controller::requestRateMap);
    connect(panel, &RateMapPanel::problem, this, [this](const QString& text) { showError(tr("Rate map"), text); });
    connect(m_controller, &Controller::rateMapProgress, panel, &RateMapPanel::setProgress);
    connect(m_controller, &Controller::rateMapReady, panel, &RateMapPanel::setMap);
    connect(panel, &RateMapPanel::adoptRequested, this, [this](RateParam px, double x, RateParam py, double y) {
        Scene s = m_controller->scene();
        const double current = m_controller->spectralNorm();
        double norm = current;
        applyRateParam(px, x, s.solver, norm);
        applyRateParam(py, y, s.solver, norm);
        if (current > 0 && norm != current) s.W *= norm / current;
        m_controller->editScene(s, tr("adopt rate-map parameters"));
    });
    return panel;
}

void MainWindow::onSolution(std::shared_ptr<const SceneSolution> sol)
{
    const Scene& s = m_controller->scene();
    m_landscape->setSolution(sol, s);
    m_residual->setSolution(sol, s.solver.tol);
    if (m_tabs->currentIndex() == 3 || sol->unregularizedEquilibrium) {
        m_before->setSolution(sol, s);
        m_after->setSolution(sol, s);
    }
    m_theory->setHtml(theoryHtml(s, sol.get()));
    m_model->setSpectralNorm(sol->spectralNorm);
    if (m_playhead > maxIteration()) m_playhead = maxIteration();
    m_landscape->setPlayhead(m_playhead);
    m_residual->setPlayhead(m_playhead);
    QString text;
    if (!sol->runs.empty() && !sol->runs[0].traces.empty()) {
        const SolverRun& r = sol->runs[0];
        int converged = 0;
        for (const Trace& t : r.traces) converged += t.status == SolveStatus::Converged;
        const Trace& t = r.traces[0];
        text = tr("%1: %2 of %3 starts converged · start 1: %4 after %5 iterations, residual %6 · ‖W‖₂ = %7")
                   .arg(QString::fromStdString(r.label)).arg(converged).arg(r.traces.size())
                   .arg(statusName(t.status)).arg(t.iterations).arg(t.residual, 0, 'e', 2).arg(sol->spectralNorm, 0, 'f', 4);
        if (!t.note.empty()) text += " · " + QString::fromStdString(t.note);
    }
    if (!sol->problem.empty()) text += " · " + QString::fromStdString(sol->problem);
    m_status->setText(text);
}

void MainWindow::onBasins(const BasinResult& r)
{
    // One colour scale for both maps (computed with them in the job), so "with" and "without
    // prior" compare cell by cell; the result says which scene it answers (method, prior).
    const QString size = QString("%1 × %1").arg(r.plain->spec.nx);
    const QString method = SolverSettings::methodName(r.method);
    m_basinPlain->setMap(r.plain, r.colouring, r.maxIter, tr("Plain %1, no prior (%2%3)").arg(method, size, r.final ? "" : tr(", refining…")),
                         basinSummaryText(r.plainSummary, r.endTolerance, r.maxIter));
    if (r.prior)
        m_basinPrior->setMap(r.prior, r.colouring, r.maxIter,
                             tr("%1 on %2 (%3%4)").arg(PriorSettings::typeName(r.priorType), method, size, r.final ? "" : tr(", refining…")),
                             basinSummaryText(r.priorSummary, r.endTolerance, r.maxIter));
}

int MainWindow::maxIteration() const
{
    int k = 0;
    if (const auto sol = m_controller->solution())
        for (const SolverRun& r : sol->runs)
            for (const Trace& t : r.traces) k = std::max(k, t.iterations);
    return k;
}

void MainWindow::tick()
{
    if (m_playhead >= maxIteration()) {
        m_playTimer.stop();
        m_solver->setPlaying(false);
        return;
    }
    setPlayhead(m_playhead + 1);
}

void MainWindow::setPlayhead(int k)
{
    m_playhead = k;
    m_landscape->setPlayhead(k);
    m_residual->setPlayhead(k);
    // The playhead's status line lives only while there is a playhead (no stale "iteration k").
    if (k >= 0) statusBar()->showMessage(tr("iteration k = %1").arg(k));
    else if (statusBar()->currentMessage().startsWith(tr("iteration k ="))) statusBar()->clearMessage();
    explainStep();
}

void MainWindow::explainStep()
{
    if (m_playhead < 0) return;
    const Scene& s = m_controller->scene();
    const std::vector<Eigen::VectorXd> starts = s.effectiveStarts();
    const int which = std::clamp(m_landscape->selectedStart(), 0, int(starts.size()) - 1);
    const Model model = s.model();
    const SolverContext ctx(model, s.input, s.solver, s.prior);
    const StepExplanation e = opteq::explainStep(ctx, starts[size_t(which)], m_playhead);
    QString html = tr("<p><b>Start %1, %2</b></p><ol>").arg(which + 1).arg(
        s.prior.type != PriorType::None ? PriorSettings::typeName(s.prior.type) : SolverSettings::methodName(s.solver.method));
    for (const std::string& line : e.sentences) html += "<li>" + QString::fromStdString(line).toHtmlEscaped() + "</li>";
    m_steps->setHtml(html + "</ol>");
}

QString MainWindow::lastDir() const
{
    // Where file dialogs open: the last folder used, else the home folder (never "/").
    const QString d = QSettings().value("lastDir").toString();
    return d.isEmpty() || !QFileInfo(d).isDir() ? QDir::homePath() : d;
}

void MainWindow::updateTitle()
{
    // An unsaved scene (a lesson opens as an unsaved copy) is named by its title.
    const std::string& title = m_controller->scene().title;
    const QString name = !m_controller->filePath().isEmpty() ? QFileInfo(m_controller->filePath()).fileName()
                         : title.empty()                     ? tr("untitled")
                                                             : tr("%1 (unsaved)").arg(QString::fromStdString(title));
    setWindowTitle(QString("%1[*] — OptEq Explorer").arg(name));
    setWindowModified(m_controller->isModified());
}

bool MainWindow::openScene(const QString& path)
{
    QString error;
    if (!m_controller->openFile(path, &error)) {
        showError(tr("Cannot open scene"), tr("%1\n\n%2\n\nThe current scene was kept.").arg(path, error));
        return false;
    }
    QSettings().setValue("lastScene", path);
    QSettings().setValue("lastDir", QFileInfo(path).absolutePath());
    addRecent(path);
    m_playhead = -1;
    return true;
}

void MainWindow::openLesson(const QString& resourcePath)
{
    QFile f(resourcePath);
    if (!f.open(QIODevice::ReadOnly)) { showError(tr("Lesson"), tr("Cannot read %1").arg(resourcePath)); return; }
    const SceneResult r = parseScene(f.readAll());
    if (!r.ok()) { showError(tr("Lesson"), QString::fromStdString(r.error)); return; }
    m_controller->resetScene(*r.scene, {});   // lessons open as untitled copies: saving never touches the bundle
    m_playhead = -1;
}

void MainWindow::showLessonGallery()
{
    if (!maybeSave()) return;
    auto* d = new QDialog(this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    d->setWindowTitle(tr("Lessons"));
    auto* l = new QVBoxLayout(d);
    l->addWidget(new QLabel(tr("Pick a lesson: each is a plain scene file you can save, edit and share.")));
    auto* list = new QListWidget;
    const QStringList files = QDir(":/lessons").entryList({"*.opteq.json"}, QDir::Files, QDir::Name);
    for (const QString& f : files) {
        QFile file(":/lessons/" + f);
        file.open(QIODevice::ReadOnly);
        const SceneResult r = parseScene(file.readAll());
        auto* item = new QListWidgetItem(r.ok() ? QString::fromStdString(r.scene->title) : f);
        item->setData(Qt::UserRole, ":/lessons/" + f);
        if (r.ok()) item->setToolTip(QString::fromStdString(r.scene->notes).left(400));
        list->addItem(item);
    }
    list->setCurrentRow(0);
    l->addWidget(list);
    auto* bb = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Close);
    l->addWidget(bb);
    auto open = [this, list, d] {
        if (QListWidgetItem* it = list->currentItem()) openLesson(it->data(Qt::UserRole).toString());
        d->accept();
    };
    connect(bb, &QDialogButtonBox::accepted, d, open);
    connect(bb, &QDialogButtonBox::rejected, d, &QDialog::reject);
    connect(list, &QListWidget::itemDoubleClicked, d, open);
    d->resize(520, 420);
    d->show();
}

bool MainWindow::save()
{
    if (m_controller->filePath().isEmpty()) return saveAs();
    QString error;
    if (!m_controller->saveFile(m_controller->filePath(), &error)) {
        showError(tr("Save failed"), tr("%1\n\nThe file on disk was left as it was.").arg(error));
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(m_controller->filePath()), 4000);
    return true;
}

bool MainWindow::saveAs()
{
    QString path = QFileDialog::getSaveFileName(this, tr("Save scene"), lastDir() + "/scene.opteq.json",
                                                tr("OptEq scenes (*.opteq.json)"));
    if (path.isEmpty()) return false;
    if (!path.endsWith(".json")) path += ".opteq.json";
    QString error;
    if (!m_controller->saveFile(path, &error)) {
        showError(tr("Save failed"), tr("%1\n\nThe file on disk was left as it was.").arg(error));
        return false;
    }
    addRecent(path);
    QSettings().setValue("lastScene", path);
    updateTitle();
    return true;
}

bool MainWindow::maybeSave()
{
    if (!m_controller->isModified()) return true;
    const auto answer = QMessageBox::question(this, tr("Unsaved changes"), tr("The scene has unsaved changes. Save them?"),
                                              QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Save) return save();
    return answer == QMessageBox::Discard;
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!maybeSave()) { event->ignore(); return; }
    m_playTimer.stop();
    m_controller->cancelBasins();
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    if (!m_presentation) settings.setValue("window/state", saveState());
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls[0].isLocalFile()) return;
    if (maybeSave()) openScene(urls[0].toLocalFile());
}

void MainWindow::exportPlot(QWidget* widget, const QString& name)
{
    auto* plot = qobject_cast<QCustomPlot*>(widget);
    if (!plot) return;
    const std::optional<FigureSize> size = askFigureSize(this, plot->size());
    if (!size) return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export figure"), lastDir() + "/" + name + ".pdf",
                                                      tr("PDF (*.pdf);;SVG (*.svg);;PNG (*.png)"));
    if (path.isEmpty()) return;
    const QString e = opteq::exportPlot(plot, path, size->width, size->height, size->scale);
    if (!e.isEmpty()) showError(tr("Export failed"), e);
    else statusBar()->showMessage(tr("Exported %1").arg(path), 4000);
}

void MainWindow::exportText(const QString& filter, const QString& name, const std::function<QByteArray()>& make)
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export"), lastDir() + "/" + name, filter);
    if (path.isEmpty()) return;
    const QByteArray bytes = make();
    if (bytes.isEmpty()) { showError(tr("Export"), tr("Nothing to export yet: compute it first.")); return; }
    const std::string e = writeFileAtomically(path, bytes);
    if (!e.empty()) showError(tr("Export failed"), QString::fromStdString(e));
    else statusBar()->showMessage(tr("Exported %1").arg(path), 4000);
}

void MainWindow::addRecent(const QString& path)
{
    QSettings settings;
    QStringList recent = settings.value("recentFiles").toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > 8) recent.removeLast();
    settings.setValue("recentFiles", recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    if (!m_recentMenu) return;
    m_recentMenu->clear();
    const QStringList recent = QSettings().value("recentFiles").toStringList();
    for (const QString& p : recent)
        m_recentMenu->addAction(QFileInfo(p).fileName(), this, [this, p] { if (maybeSave()) openScene(p); })->setToolTip(p);
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::setPresentationMode(bool on)
{
    if (on == m_presentation) return;
    m_presentation = on;
    if (on) {
        m_normalState = saveState();
        for (QDockWidget* d : findChildren<QDockWidget*>())
            if (d->objectName() != "lessonDock") d->hide();
        QFont f = QApplication::font();
        f.setPointSizeF(f.pointSizeF() * 1.4);
        for (QWidget* w : {static_cast<QWidget*>(m_landscape), static_cast<QWidget*>(m_residual), static_cast<QWidget*>(m_lesson), static_cast<QWidget*>(m_theory)})
            w->setFont(f);
        showFullScreen();
    } else {
        restoreState(m_normalState);
        for (QWidget* w : {static_cast<QWidget*>(m_landscape), static_cast<QWidget*>(m_residual), static_cast<QWidget*>(m_lesson), static_cast<QWidget*>(m_theory)})
            w->setFont(QApplication::font());
        showNormal();
    }
}

void MainWindow::showError(const QString& title, const QString& text)
{
    statusBar()->showMessage(text.section('\n', 0, 0), 10000);
    if (qEnvironmentVariableIsSet("OPTEQ_NO_DIALOGS")) return;   // tests: the status bar carries it
    QMessageBox::warning(this, title, text);
}

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#include "MainWindow.h"
#include "Names.h"

#include "BasinView.h"
#include "DeepGenerator.h"
#include "DeepModelDialog.h"
#include "LandscapeView.h"
#include "ModelPanel.h"
#include "PlotExport.h"
#include "PlotStyle.h"
#include "RateMapPanel.h"
#include "TrainPanel.h"
#include "TrainingController.h"
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
#include <QScopedValueRollback>
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
#include <QScrollBar>
#include <QScreen>
#include <QShowEvent>

#include <algorithm>
#include <utility>
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
const char* const kStepIntro = QT_TRANSLATE_NOOP("MainWindow",
    "<p>Press <b>Step</b> (F10) to go through the solver one iteration at a time; each step is explained here "
    "with its numbers, and the iterate is highlighted on the landscape.</p>");

// A dock's content that scrolls vertically only: the area is never narrower than the content's
// minimum width (plus the vertical scroll bar), so nothing is cut at the right edge and no
// horizontal scroll bar appears; it follows the content when that changes (a heat map, a prior).
class VerticalScrollArea : public QScrollArea {
public:
    explicit VerticalScrollArea(QWidget* content)
    {
        setWidget(content);
        setWidgetResizable(true);
        setFrameShape(QFrame::NoFrame);
        setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        content->installEventFilter(this);
    }
    QSize minimumSizeHint() const override
    {
        const int w = widget()->minimumSizeHint().width() + verticalScrollBar()->sizeHint().width() + 2 * frameWidth();
        return {w, QScrollArea::minimumSizeHint().height()};
    }
    QSize sizeHint() const override { return {minimumSizeHint().width(), QScrollArea::sizeHint().height()}; }

protected:
    bool eventFilter(QObject* o, QEvent* e) override
    {
        if (o == widget() && e->type() == QEvent::LayoutRequest) updateGeometry();
        return QScrollArea::eventFilter(o, e);
    }
};

QScrollArea* scrolled(QWidget* w) { return new VerticalScrollArea(w); }
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
    ll->addWidget(buildPhaseBar());
    ll->addWidget(m_landscape, 1);
    m_tabs->addTab(landscapeTab, tr("Landscape"));
    m_basinTab = basinTab;
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
    setPlotTitle(m_before, tr("Before: E without R, and its equilibrium (star)"));
    setPlotTitle(m_after, tr("After: E + R with the trajectories (arrow: where R moved the equilibrium)"));
    m_tabs->addTab(compare, tr("Before / after R"));
    m_trainTab = buildTrainTab();
    m_tabs->addTab(m_trainTab, tr("Train"));
    m_theoryTab = buildTheoryTab();
    m_tabs->addTab(m_theoryTab, tr("Theory"));
    m_tabs->setTabToolTip(m_tabs->count() - 1, tr("The Jacobian spectrum at the equilibrium (or the playback iterate) and the rate vs one parameter"));
    m_unitTab = buildUnitLayerTab();
    m_tabs->addTab(m_unitTab, tr("Unit layer"));
    m_tabs->setTabToolTip(m_tabs->count() - 1, tr("The same layer as a DNN unit layer: state p = W z and its objective G(p)"));
    // Scene files name these tabs by position in sceneWindowTabs() (tabNamed, sceneWindow).
    Q_ASSERT(m_tabs->count() == int(sceneWindowTabs().size()));
    auto* right = m_rightSplit = new QSplitter(Qt::Vertical);
    right->addWidget(m_residual);
    right->addWidget(m_theory);
    right->setStretchFactor(0, 3);   // the residual plot gets the room to read slopes
    right->setStretchFactor(1, 2);
    m_residual->setMinimumHeight(280);
    auto* central = m_centralSplit = new QSplitter(Qt::Horizontal);
    // A strip over the tabs says when they show an untrained network or weights a training run
    // has moved on from (lesson 16 opens with W = 0: its Landscape looked like a result).
    auto* tabsBox = new QWidget;
    auto* tabsLayout = new QVBoxLayout(tabsBox);
    tabsLayout->setContentsMargins(0, 0, 0, 0);
    tabsLayout->setSpacing(2);
    m_sceneNote = new QLabel;
    m_sceneNote->setWordWrap(true);
    m_sceneNote->setStyleSheet("QLabel { background: #fff3cd; color: #533f03; padding: 3px; }");
    m_sceneNote->setVisible(false);
    tabsLayout->addWidget(m_sceneNote);
    tabsLayout->addWidget(m_tabs, 1);
    central->addWidget(tabsBox);
    central->addWidget(right);
    central->setStretchFactor(0, 3);
    central->setStretchFactor(1, 2);
    m_residual->setMinimumWidth(260);   // room for the curves and their legend beside the landscape
    setCentralWidget(central);

    m_model = new ModelPanel;
    m_solver = new SolverPanel;
    connect(m_model, &ModelPanel::scaleRequested, this, [this](double target) {
        const double s = m_controller->spectralNorm();
        if (!(s > 0) || !std::isfinite(s)) return;
        Scene next = m_controller->scene();
        next.W *= target / s;
        m_controller->editSceneWithNorm(next, tr("scale W to ‖W‖₂ = %1").arg(target), 0, target);
    });
    // The docks scroll: the wheel must not change a control it merely passes over.
    guardWheel(m_model);
    guardWheel(m_solver);
    auto* modelDock = new QDockWidget(tr("Model"), this);
    modelDock->setObjectName("modelDock");
    modelDock->setWidget(scrolled(m_model));
    addDockWidget(Qt::LeftDockWidgetArea, modelDock);
    auto* solverDock = new QDockWidget(tr("Solver"), this);
    solverDock->setObjectName("solverDock");
    solverDock->setWidget(scrolled(m_solver));
    addDockWidget(Qt::RightDockWidgetArea, solverDock);
    auto* lessonDock = new QDockWidget(tr("Lesson"), this);
    lessonDock->setObjectName("lessonDock");
    lessonDock->setWidget(m_lesson);
    addDockWidget(Qt::BottomDockWidgetArea, lessonDock);
    m_steps = new QTextBrowser;
    m_steps->setToolTip(tr("Step-by-step mode: press Step (F10) to explain one iteration of the selected start"));
    m_steps->setHtml(kStepIntro);
    auto* stepDock = new QDockWidget(tr("Step by step"), this);
    stepDock->setObjectName("stepDock");
    stepDock->setWidget(m_steps);
    addDockWidget(Qt::BottomDockWidgetArea, stepDock);
    splitDockWidget(lessonDock, stepDock, Qt::Horizontal);
    resizeDocks({lessonDock}, {120}, Qt::Vertical);

    m_status = new QLabel;
    m_hover = new QLabel;
    // Long hover texts are cut at the label's edge, never widen the window. A fixed width: with
    // an Ignored policy and only a minimum width the status bar's layout gave the stretching
    // status line the whole bar and pushed this label past its right edge (cut at 1366 px).
    m_hover->setFixedWidth(380);
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
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
    // Every plot of the window: tick labels that never collide, at any size or font scale.
    for (QCustomPlot* p : findChildren<QCustomPlot*>()) keepTickLabelsApart(p);

    Controller* c = m_controller;
    connect(c, &Controller::sceneChanged, this, &MainWindow::onSceneChanged);
    connect(c, &Controller::solutionReady, this, &MainWindow::onSolution);
    connect(c, &Controller::message, this, [this](const QString& t) { statusBar()->showMessage(t, 8000); });
    connect(c, &Controller::basinsReady, this, &MainWindow::onBasins);
    connect(c, &Controller::explanationReady, this, &MainWindow::showExplanation);
    // Before / after R draws only while visible, from the solution shown (never an older one).
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (index == 3 && m_controller->solution()) {
            m_before->setSolution(m_controller->solution());
            m_after->setSolution(m_controller->solution());
        }
        requestTheoryViews();   // the Theory and Unit layer tabs compute only while shown
        updateRightColumn();
        updateWhichModel();
    });
    connect(c, &Controller::basinsProgress, m_progress, &QProgressBar::setValue);
    connect(c, &Controller::basinsStopped, this, [this](bool completed) {
        m_progress->setVisible(false);
        m_cancel->setVisible(false);
        statusBar()->showMessage(completed ? tr("Basin maps done") : tr("Basin maps cancelled"), 5000);
        // Cancelled (Esc) between the coarse map and its refinement: the titles stop promising one.
        if (!completed)
            for (BasinView* v : {m_basinPlain, m_basinPrior}) v->setTitle(v->title().replace(tr(", refining…"), tr(", coarse: refinement cancelled")));
    });
    connect(c->undoStack(), &QUndoStack::cleanChanged, this, &MainWindow::updateTitle);
    connect(compute, &QPushButton::clicked, this, [this] {
        m_progress->setValue(0);
        m_progress->setVisible(true);
        m_cancel->setVisible(true);
        m_controller->requestBasins(m_basinGrid->currentData().toInt());
    });
    connect(m_cancel, &QPushButton::clicked, c, &Controller::cancelBasins);

    connect(m_model, &ModelPanel::sceneEdited, c, &Controller::editSharedScene);
    connect(m_model, &ModelPanel::problem, this, [this](const QString& text) { statusBar()->showMessage(text, 10000); });
    connect(m_solver, &SolverPanel::sceneEdited, c, &Controller::editSharedScene);
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
    connect(m_landscape, &LandscapeView::boxRequested, this, [this](double x0, double x1, double y0, double y1) {
        Scene s = m_controller->scene();
        if (s.view.hasBox && s.view.x0 == x0 && s.view.x1 == x1 && s.view.y0 == y0 && s.view.y1 == y1) return;
        s.view.x0 = x0;
        s.view.x1 = x1;
        s.view.y0 = y0;
        s.view.y1 = y1;
        s.view.hasBox = true;
        m_controller->editScene(s, tr("fit the landscape to the trajectories"));
    });
    connect(m_landscape, &LandscapeView::anchorDragged, this, [this](double s, double t) { m_controller->moveAnchor(s, t, 2000000 + m_dragKey); });
    connect(m_landscape, &LandscapeView::anchorDropped, this, [this](double s, double t) {
        m_controller->moveAnchor(s, t, 2000000 + m_dragKey);
        ++m_dragKey;
    });
    // One line, whatever the plot sends (a multi-line hover made the status bar, and with it the
    // whole window, jump); the full text stays in the label's tooltip.
    auto hover = [this](const QString& text) {
        QString line = text;
        line.replace('\n', QStringLiteral(" · "));
        m_hover->setText(line);
        m_hover->setToolTip(text);
    };
    connect(m_landscape, &LandscapeView::hoverText, this, hover);
    connect(m_residual, &ResidualPlot::hoverText, this, hover);
    connect(m_basinPlain, &BasinView::hoverText, this, hover);
    connect(m_basinPrior, &BasinView::hoverText, this, hover);
    connect(m_rateMap, &RateMapView::hoverText, this, hover);
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
    const bool restored = restoreState(settings.value("window/state").toByteArray());
    if (!settings.contains("window/geometry")) resize(1560, 960);
    // A narrow screen (a 1366×768 projector): Model and Solver share the left dock area as tabs,
    // so the landscape and the tabs keep their width. A saved layout is the user's own choice.
    if (!restored && screen() && screen()->availableGeometry().width() < 1600) {
        tabifyDockWidget(modelDock, solverDock);
        modelDock->raise();
        // The lesson gets the whole width (its text in fewer, longer lines); Step by step is a
        // tab beside it, raised by F10.
        tabifyDockWidget(lessonDock, stepDock);
        lessonDock->raise();
    }
    rebuildRecentMenu();
    onSceneChanged();
    m_controller->requestSolve();
}

void MainWindow::updateRightColumn()
{
    // The residuals and the theory of the scene's starts sit beside the tabs about them. The Train
    // tab has its own curves and the Basins tab two maps side by side: the column steps aside and
    // gives them the room; in presentation mode (larger fonts, one screen for a room) it stays
    // only beside the landscape.
    QWidget* tab = m_tabs->currentWidget();
    const bool beside = m_presentation ? tab == m_tabs->widget(0) : tab != m_trainTab && tab != m_basinTab;
    m_rightSplit->setVisible(beside);
}

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    if (std::exchange(m_fitted, true) || !screen() || isFullScreen()) return;
    // The first show: within the screen's available area (a restored or default size from a
    // larger screen would hang off a projector's edge), frame included.
    const QRect avail = screen()->availableGeometry();
    const QSize frame = frameGeometry().size() - geometry().size();
    const QSize room = avail.size() - frame;
    if (width() > room.width() || height() > room.height()) resize(size().boundedTo(room));
    QRect f = frameGeometry();
    if (!avail.contains(f)) {
        f.moveLeft(std::clamp(f.left(), avail.left(), std::max(avail.left(), avail.right() - f.width() + 1)));
        f.moveTop(std::clamp(f.top(), avail.top(), std::max(avail.top(), avail.bottom() - f.height() + 1)));
        move(f.topLeft());
    }
}

MainWindow::~MainWindow()
{
    // The controller (a child) outlives this object's own destructor; its undo stack emits
    // cleanChanged while being destroyed. Disconnect first, then join its jobs while the views exist.
    m_controller->undoStack()->disconnect(this);
    m_controller->disconnect(this);
    delete m_training;   // joins a training job before the controller it edits goes
    m_training = nullptr;
    delete m_controller;
}

void MainWindow::onSceneChanged()
{
    const Scene& s = m_controller->scene();
    const double norm = m_controller->knownSpectralNorm();   // no decomposition here
    // The panels share the controller's scene (a pointer each, no copy of W per edit).
    m_model->setScene(m_controller->sharedScene(), norm);
    m_solver->setScene(m_controller->sharedScene());
    m_lesson->setMarkdown(QString("## %1\n\n%2").arg(QString::fromStdString(s.title.empty() ? "Untitled scene" : s.title),
                                                     QString::fromStdString(s.notes)));
    m_theory->setHtml(theoryHtml(s, nullptr, norm) + tr("<p><i>Solving…</i></p>"));
    m_steps->setHtml(kStepIntro);   // an explanation of the previous scene would be stale
    m_basinPrior->clearMap(s.hasPrior() ? tr("Basins with the prior: press Compute") : tr("Basins with a prior: choose one in the solver panel"));
    m_basinPlain->clearMap(s.hasPrior() ? tr("Basins without the prior: press Compute")
                                        : tr("Basins: press Compute (choose a prior in the solver panel to compare)"));
    // Without a prior (of either way) the second map has nothing to show: the first takes the whole width.
    m_basinPrior->setVisible(s.hasPrior());
    m_sliceBar->setScene(s);
    m_ratePanel->setMethod(s.solver.method);
    m_trainPanel->setScene(m_controller->sharedScene());
    // A rate map varies solver parameters of this model: another model (or input) makes it stale.
    const auto same = [](const auto& a, const auto& b) { return a.rows() == b.rows() && a.cols() == b.cols() && a == b; };
    if (m_rateModel && !m_adoptingRate && !(same(m_rateModel->W, s.W) && same(m_rateModel->U, s.U) && same(m_rateModel->b, s.b)
                         && same(m_rateModel->input, s.input) && m_rateModel->layers == s.layers && m_rateModel->prior == s.prior))
        m_rateMap->setMap(nullptr);
    m_rateModel = m_controller->sharedScene();
    updateWhichModel();
    updateTitle();
}

void MainWindow::updateWhichModel()
{
    const Scene& s = m_controller->scene();
    const auto frame = m_training ? m_training->frame() : nullptr;
    const bool running = m_training && m_training->running() && frame && frame->running && !frame->history.empty();
    QString dock, tabs;
    if (running) {
        const EpochLog& last = frame->history.back();
        dock = tr("Training runs in the Train tab (epoch %1, its ‖W‖₂ = %2). This dock shows the scene's weights from before "
                  "the run until it pauses or ends; then the trained ones replace them.")
                   .arg(last.epoch)
                   .arg(last.spectralNorm, 0, 'f', 4);
        tabs = tr("Training runs in the Train tab: this tab shows the weights from before the run until it pauses or ends.");
    } else if (s.hasTraining && s.readout.empty()) {
        const QString start = s.W.isZero(0) ? tr(" (W = 0)") : QString();
        dock = tr("Not trained yet: these are the scene's starting weights%1. Press Play in the Train tab to train them.").arg(start);
        tabs = tr("Not trained yet: this tab shows the scene's untrained network%1 and its input x. Press Play in the Train tab; "
                  "the trained weights then become the scene.")
                   .arg(start);
    }
    m_model->setWhichModel(dock);
    const bool trainTab = m_tabs->currentWidget() == m_trainTab;   // the Train tab says it in its own status line
    m_sceneNote->setText(trainTab ? QString() : tabs);
    m_sceneNote->setVisible(!trainTab && !tabs.isEmpty());
}

void MainWindow::onSolution(std::shared_ptr<const SceneSolution> sol)
{
    // Everything below reads the scene this solution answers, never the live one.
    const Scene& s = *sol->request;
    m_landscape->setSolution(sol);
    m_residual->setSolution(sol, s.solver.tol);
    if (m_tabs->currentIndex() == 3) {
        m_before->setSolution(sol);
        m_after->setSolution(sol);
    }
    if (m_playhead >= 0) explainStep();
    m_theory->setHtml(theoryHtml(s, sol.get()));
    m_sliceBar->setDescription(QString::fromStdString(sol->view.description));
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
                   .arg(runDisplayName(r, *sol)).arg(converged).arg(r.traces.size())
                   .arg(statusName(t.status)).arg(t.iterations).arg(t.residual, 0, 'e', 2).arg(sol->spectralNorm, 0, 'f', 4);
        if (!t.note.empty()) text += " · " + QString::fromStdString(t.note);
    }
    if (!sol->problem.empty()) text += " · " + QString::fromStdString(sol->problem);
    m_status->setText(text);
    onTheorySolution(*sol);
}

void MainWindow::onBasins(const BasinResult& r)
{
    // One colour scale for both maps (computed with them in the job), so "with" and "without
    // prior" compare cell by cell; the result says which scene it answers (method, prior).
    const QString size = QString("%1 × %1").arg(r.plain->spec.nx);
    const QString method = methodDisplayName(r.method);
    m_basinPlain->setMap(r.plain, r.colouring, r.maxIter,
                         tr("%1 without prior (%2%3)").arg(method, size, r.final ? "" : tr(", refining…")),
                         basinSummaryText(r.plainSummary, r.endTolerance, r.maxIter));
    QString prior = r.priorType != PriorType::None ? tr("%1 on %2").arg(priorDisplayName(r.priorType), method) : method;
    if (r.regularized) prior += tr(" with R");
    if (r.prior)
        m_basinPrior->setMap(r.prior, r.colouring, r.maxIter, tr("%1 (%2%3)").arg(prior, size, r.final ? "" : tr(", refining…")),
                             basinSummaryText(r.priorSummary, r.endTolerance, r.maxIter));
}

}  // namespace opteq

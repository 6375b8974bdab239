// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: the theory views (issue #13) — the phase plane on the landscape, the Theory tab
// (Jacobian spectrum; rate vs one parameter with its slider) and the Unit layer tab. GUI thread;
// every number drawn comes from a TheoryController job answering the solution shown.
#include "MainWindow.h"
#include "Names.h"

#include "Format.h"
#include "LandscapeView.h"
#include "PlotStyle.h"
#include "TheoryController.h"
#include "TheoryPlots.h"
#include "UnitLayer.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QScrollArea>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace opteq {

namespace {
constexpr int kSliderSteps = 200;

QString vec(const Eigen::VectorXd& v) { return QString::fromStdString(formatVector(v, 6, 6)); }
}  // namespace

QWidget* MainWindow::buildPhaseBar()
{
    auto* bar = new QWidget;
    auto* l = new QHBoxLayout(bar);
    l->setContentsMargins(6, 2, 6, 2);
    m_phaseBox = new QCheckBox(tr("&Phase plane"));
    m_phaseBox->setToolTip(tr("Draw the field T(z) − z as arrows (direction; colour = size), the nullclines where one "
                              "component of T(z) − z vanishes (shaded where it vanishes on a whole region), and where they cross (Ctrl+Shift+P). "
                              "Clicking still adds a start."));
    m_phaseDensity = new QComboBox;
    for (int a : {13, 21, 31}) m_phaseDensity->addItem(tr("%1 × %1 arrows").arg(a), a);
    m_phaseDensity->setCurrentIndex(1);
    m_phaseDensity->setToolTip(tr("Arrow density of the phase plane"));
    m_phaseDensity->setEnabled(false);
    l->addWidget(m_phaseBox);
    l->addWidget(m_phaseDensity);
    l->addStretch(1);
    connect(m_phaseBox, &QCheckBox::toggled, this, [this](bool on) {
        m_phaseDensity->setEnabled(on);
        m_landscape->setPhaseMode(on);
        if (on) requestPhase();
    });
    connect(m_phaseDensity, &QComboBox::currentIndexChanged, this, [this] { requestPhase(); });
    // Zoom and pan recompute the field for what is visible (debounced: one job per pause).
    m_phaseTimer.setSingleShot(true);
    m_phaseTimer.setInterval(180);
    connect(&m_phaseTimer, &QTimer::timeout, this, [this] { requestPhase(); });
    auto restart = [this] { if (m_phaseBox->isChecked()) m_phaseTimer.start(); };
    connect(m_landscape->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, restart);
    connect(m_landscape->yAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, restart);
    return bar;
}

void MainWindow::requestPhase()
{
    const auto sol = m_controller->solution();
    if (!m_phaseBox->isChecked() || !sol) return;
    m_theoryJobs->requestPhase(sol, m_landscape->visibleBox(), m_phaseDensity->currentData().toInt());
}

QWidget* MainWindow::buildTheoryTab()
{
    m_theoryJobs = new TheoryController(this);
    auto* tab = new QSplitter(Qt::Horizontal);
    // Left: the spectrum and its numbers.
    auto* left = new QWidget;
    auto* ll = new QVBoxLayout(left);
    ll->setContentsMargins(0, 0, 0, 0);
    auto* startRow = new QHBoxLayout;
    m_spectrumStart = new QComboBox;
    m_spectrumStart->setToolTip(tr("Which start's end point (or playback iterate) J is taken at; at ‖W‖₂ = 1 different "
                                   "starts end at different equilibria, with different Jacobians"));
    startRow->addWidget(new QLabel(tr("Start")));
    startRow->addWidget(m_spectrumStart);
    startRow->addStretch(1);
    ll->addLayout(startRow);
    m_spectrum = new SpectrumView;
    m_spectrumText = new QLabel;
    m_spectrumText->setWordWrap(true);
    m_spectrumText->setTextFormat(Qt::RichText);
    m_spectrumText->setToolTip(tr("ρ(J): the local rate of plain iteration at this point; ‖W‖₂²: the global bound; "
                                  "cond(I − J): what the implicit gradient and Newton/Broyden steps pay"));
    // The numbers under the plot scroll on their own, in a splitter: a long report (a set of
    // equilibria, a kink) at presentation size must not squeeze the spectrum to a strip.
    auto* textScroll = new QScrollArea;
    textScroll->setWidget(m_spectrumText);
    textScroll->setWidgetResizable(true);
    textScroll->setFrameShape(QFrame::NoFrame);
    textScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    textScroll->setMinimumHeight(40);
    auto* spectrumSplit = new QSplitter(Qt::Vertical);
    spectrumSplit->addWidget(m_spectrum);
    spectrumSplit->addWidget(textScroll);
    spectrumSplit->setStretchFactor(0, 3);
    spectrumSplit->setStretchFactor(1, 2);
    spectrumSplit->setChildrenCollapsible(false);
    ll->addWidget(spectrumSplit, 1);
    // Right: rate vs parameter, with the parameter's slider.
    auto* right = new QWidget;
    auto* rl = new QVBoxLayout(right);
    rl->setContentsMargins(0, 0, 0, 0);
    m_rateCut = new RateCutView;
    auto* controls = new QHBoxLayout;
    m_cutParam = new QComboBox;
    m_cutParam->setToolTip(tr("The parameter along which the rate is plotted (the current method's own, and ‖W‖₂)"));
    m_cutSlider = new QSlider(Qt::Horizontal);
    m_cutSlider->setRange(0, kSliderSteps);
    m_cutSlider->setToolTip(tr("Moves the scene's value of this parameter (‖W‖₂ rescales W): the landscape re-solves, and the "
                               "theory panel's bound and observed rate move with the marker. Undo restores it."));
    m_cutValue = new QLabel;
    m_cutValue->setMinimumWidth(90);
    controls->addWidget(new QLabel(tr("Parameter")));
    controls->addWidget(m_cutParam);
    controls->addWidget(m_cutValue);
    controls->addStretch(1);
    rl->addWidget(m_rateCut, 1);
    rl->addLayout(controls);
    rl->addWidget(m_cutSlider);   // a row of its own: the full width to drag along
    tab->addWidget(left);
    tab->addWidget(right);
    tab->setSizes({500, 500});

    connect(m_theoryJobs, &TheoryController::phaseReady, this, [this](std::shared_ptr<const PhaseResult> r) {
        if (r->solution != m_controller->solution()) return;
        m_landscape->setPhaseField(r->field, r->solution);
    });
    connect(m_theoryJobs, &TheoryController::spectrumReady, this, &MainWindow::onSpectrum);
    connect(m_spectrumStart, &QComboBox::currentIndexChanged, this, [this](int i) {
        // One selected start everywhere: the landscape's marker, the step explanation, J, the sweep.
        if (i >= 0 && i != m_landscape->selectedStart()) {
            m_landscape->setSelectedStart(i);
            explainStep();
        }
        requestTheoryViews();
    });
    // Selecting a start on the landscape selects it here too.
    connect(m_landscape, &LandscapeView::startSelected, this, [this](int i) {
        if (i >= 0 && i < m_spectrumStart->count()) m_spectrumStart->setCurrentIndex(i);
    });
    connect(m_theoryJobs, &TheoryController::rateCutReady, this, [this](std::shared_ptr<const RateCutResult> r) {
        if (r->solution != m_controller->solution()) return;
        m_cutFor = r->solution;
        m_rateCut->setCut(r->cut, r->current, r->start + 1);
    });
    connect(m_theoryJobs, &TheoryController::unitLayerReady, this, &MainWindow::onUnitLayer);
    connect(m_cutParam, &QComboBox::currentIndexChanged, this, [this] {
        syncCutSlider();
        if (m_tabs->currentWidget() == m_theoryTab && m_controller->solution())
            m_theoryJobs->requestRateCut(m_controller->solution(), RateParam(m_cutParam->currentData().toInt()),
                                         std::max(0, m_spectrumStart->currentIndex()));
    });
    connect(m_cutSlider, &QSlider::valueChanged, this, [this](int v) {
        if (m_cutParam->count() == 0) return;
        const RateParam p = RateParam(m_cutParam->currentData().toInt());
        const std::vector<double> range = rateCutValues(p);
        const double value = range.front() + (range.back() - range.front()) * v / kSliderSteps;
        Scene next = m_controller->scene();
        // The known norm scales with W: no decomposition per slider tick on the GUI thread.
        const double s = m_controller->spectralNorm();
        double norm = s;
        applyRateParam(p, value, next.solver, norm);
        if (p == RateParam::NormScale) {
            if (!(s > 0) || !std::isfinite(s)) return;
            next.W *= norm / s;
        }
        m_cutValue->setText(QString::number(p == RateParam::Memory ? std::round(value) : value, 'g', 4));
        m_rateCut->setCurrent(value);
        // One undo step per drag (merge key), like dragging a start.
        m_controller->editSceneWithNorm(next, tr("set %1 to %2").arg(RateCutView::paramLabel(p)).arg(value, 0, 'g', 4), 2000000 + m_dragKey, norm);
    });
    connect(m_cutSlider, &QSlider::sliderReleased, this, [this] { ++m_dragKey; });
    return tab;
}

void MainWindow::syncCutSlider()
{
    const auto sol = m_controller->solution();
    if (!sol || m_cutParam->count() == 0) return;
    const RateParam p = RateParam(m_cutParam->currentData().toInt());
    const double current = currentRateParam(*sol->request, sol->spectralNorm, p);
    const std::vector<double> range = rateCutValues(p);
    const QSignalBlocker block(m_cutSlider);
    m_cutSlider->setValue(int(std::lround((current - range.front()) / (range.back() - range.front()) * kSliderSteps)));
    m_cutValue->setText(QString::number(current, 'g', 4));
    m_rateCut->setCurrent(current);
}

QWidget* MainWindow::buildUnitLayerTab()
{
    auto* tab = new QSplitter(Qt::Vertical);
    auto* plots = new QSplitter(Qt::Horizontal);
    m_unitZ = new LandscapeView;
    m_unitZ->setToolTip(tr("The OptEq layer the explorer uses: state z, objective E(z), trajectories zₖ"));
    m_unitG = new UnitLayerView;
    plots->addWidget(m_unitZ);
    plots->addWidget(m_unitG);
    plots->setSizes({500, 500});
    m_unitText = new QTextBrowser;
    m_unitText->setToolTip(tr("The two forms' equilibria and objectives, mapped onto each other"));
    tab->addWidget(plots);
    tab->addWidget(m_unitText);
    tab->setStretchFactor(0, 4);
    tab->setStretchFactor(1, 1);
    setPlotTitle(m_unitZ, tr("OptEq layer: E(z), zₖ"));
    // The z-view is for reading, not editing: clicks there do not add starts.
    m_unitZ->setAttribute(Qt::WA_TransparentForMouseEvents, false);
    return tab;
}

void MainWindow::requestTheoryViews()
{
    const auto sol = m_controller->solution();
    if (!sol) return;
    // A plot still showing another solution's result says so until the new one lands (a large
    // model's spectrum or sweep takes a moment; the old picture must not pass for the new).
    auto updating = [&](QCustomPlot* plot, const std::shared_ptr<const SceneSolution>& shownFor) {
        const QString t = plotTitle(plot), mark = tr(" — updating…");
        if (shownFor && shownFor != sol && !t.endsWith(mark)) {
            setPlotTitle(plot, t + mark);
            plot->replot(QCustomPlot::rpQueuedReplot);
        }
    };
    if (m_tabs->currentWidget() == m_theoryTab) {
        updating(m_spectrum, m_spectrumFor);
        updating(m_rateCut, m_cutFor);
        m_theoryJobs->requestSpectrum(sol, std::max(0, m_spectrumStart->currentIndex()), m_playhead);
        if (m_cutParam->count() > 0)
            m_theoryJobs->requestRateCut(sol, RateParam(m_cutParam->currentData().toInt()), std::max(0, m_spectrumStart->currentIndex()));
    }
    if (m_tabs->currentWidget() == m_unitTab) {
        updating(m_unitG, m_unitFor);
        m_unitZ->setSolution(sol);
        m_theoryJobs->requestUnitLayer(sol);
    }
}

void MainWindow::onTheorySolution(const SceneSolution& sol)
{
    // The parameters of the method this solution ran.
    const std::vector<RateParam> params = rateParamsFor(sol.request->solver.method);
    const int keep = m_cutParam->currentData().isValid() ? m_cutParam->currentData().toInt() : -1;
    {
        const QSignalBlocker block(m_cutParam);
        m_cutParam->clear();
        for (RateParam p : params) m_cutParam->addItem(RateCutView::paramLabel(p), int(p));
        const int i = m_cutParam->findData(keep);
        m_cutParam->setCurrentIndex(i >= 0 ? i : 0);
    }
    syncCutSlider();
    {
        const int count = sol.runs.empty() ? 0 : int(sol.runs[0].traces.size());
        const int keepStart = std::max(0, m_spectrumStart->currentIndex());
        const QSignalBlocker block(m_spectrumStart);
        m_spectrumStart->clear();
        for (int i = 0; i < count; ++i) m_spectrumStart->addItem(tr("start %1").arg(i + 1));
        m_spectrumStart->setCurrentIndex(std::min(keepStart, count - 1));
    }
    m_cutParam->setEnabled(m_cutParam->count() > 1);   // Picard has ‖W‖₂ only: nothing to choose
    if (m_phaseBox->isChecked()) requestPhase();
    requestTheoryViews();
}

void MainWindow::onSpectrum(std::shared_ptr<const SpectrumResult> r)
{
    if (r->solution != m_controller->solution()) return;
    m_spectrumFor = r->solution;
    m_spectrum->setSpectrum(r->spectrum, r->where, r->observedRate, r->solution->model->n());
    const SolverRun& run = r->solution->runs[0];
    SpectrumPlace place;
    place.start = r->start + 1;
    place.status = run.traces[size_t(r->start)].status;
    place.atEnd = r->k < 0;
    place.fixSet = r->solution->fixSet ? r->solution->fixSet->set.kind : FixSetKind::Point;
    QString text = SpectrumView::summary(r->spectrum, r->observedRate, r->solution->model->n(), place);
    if (run.method != Method::Picard || run.withPrior)
        text += tr("<br>This is the Jacobian of T, which every method builds on; %1 iterates another map, so its own rate is in the "
                   "rate plot and the theory panel, not on this disc.").arg(runDisplayName(run, *r->solution));
    m_spectrumText->setText(text);
}

void MainWindow::onUnitLayer(std::shared_ptr<const UnitLayerResult> r)
{
    if (r->solution != m_controller->solution()) return;
    m_unitFor = r->solution;
    const UnitLayerPicture& p = r->picture;
    m_unitG->setPicture(p);
    if (!p.valid) {
        m_unitText->setHtml(tr("<p>%1</p>").arg(QString::fromStdString(p.problem).toHtmlEscaped()));
        return;
    }
    QString h;
    h += tr("<p><b>Two forms of one layer.</b> Left, the OptEq layer: z* = σ(WᵀW z* + Ux + b) minimises "
            "E(z) = Σ f(zᵢ) + ½‖z‖² − ½‖Wz‖² − ⟨Ux + b, z⟩. Right, the unit layer (a DNN layer σ(Vx + c) with V = Wᵀ "
            "rewritten as a unit): state p = W z, pre-activation v = Wᵀp + Ux + b, p* = W σ(Wᵀp* + Ux + b) minimises "
            "G(p) = ½‖p‖² − Σ φ(vᵢ) with φ' = σ (φ(v) = vσ(v) − ½σ(v)² − f(σ(v))).</p>");
    h += tr("<p>z* = %1 &nbsp;→&nbsp; <b>p* = W z* = %2</b></p>").arg(vec(p.zStar), vec(p.pStar));
    // The words follow the numbers (TheoryReports: equality only of finite values within rounding;
    // E(z*) = +∞ from units saturated onto the edge of an open dom f is said so, with the count).
    h += tr("<p>%1</p>").arg(QString::fromStdString(unitLayerComparison(p)).toHtmlEscaped());
    h += tr("<p>Minimality: ‖T(z*) − z*‖ = %1 (0 ∈ ∂E(z*)); ‖∇G(p*)‖ = ‖p* − W σ(Wᵀp* + Ux + b)‖ = %2. "
            "The unit layer's iteration p ← W σ(Wᵀp + Ux + b) from p₀ = W z₀ is W times the OptEq iteration: "
            "the coloured paths on the right are W zₖ of the paths on the left.</p>")
             .arg(p.fixedPointResidual, 0, 'g', 2).arg(p.gradientNorm, 0, 'g', 2);
    m_unitText->setHtml(h);
}

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#include "SolverPanel.h"
#include "Names.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QDoubleValidator>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSlider>
#include <QSpinBox>
#include <QStyle>
#include <QVBoxLayout>
#include <cmath>

namespace opteq {

std::optional<Eigen::VectorXd> SolverPanel::parseVector(const QString& text, int n, QString* error)
{
    const QStringList parts = text.split(QRegularExpression("[,;\\s]+"), Qt::SkipEmptyParts);
    if (parts.size() != n) {
        if (error) *error = tr("needs %1 numbers separated by commas, got %2").arg(n).arg(parts.size());
        return std::nullopt;
    }
    Eigen::VectorXd v(n);
    for (int i = 0; i < n; ++i) {
        bool ok = false;
        v(i) = QLocale::c().toDouble(parts[i], &ok);
        if (!ok || !std::isfinite(v(i))) {
            if (error) *error = tr("entry %1 (\"%2\") is not a finite number").arg(i + 1).arg(parts[i]);
            return std::nullopt;
        }
    }
    return v;
}

SolverPanel::SolverPanel(QWidget* parent) : QWidget(parent)
{
    auto* root = new QVBoxLayout(this);
    auto* sBox = new QGroupBox(tr("Solver"));
    auto* form = new QFormLayout(sBox);
    m_method = new QComboBox;
    for (int m = 0; m < SolverSettings::methodCount; ++m) m_method->addItem(methodDisplayName(Method(m)));
    // Names longer than the dock's width stay readable in the open list, not in the closed box.
    m_method->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_method->setMinimumContentsLength(12);
    m_method->setToolTip(tr("Picard: z ← Tz · KM (Krasnoselskii–Mann): z ← (1−θ)z + θTz · Anderson: mixes the last m iterates · Broyden: quasi-Newton on Tz − z\n"
                            "FB (forward–backward): proximal gradient on E with step γ · FISTA: accelerated FB with restart · Peaceman–Rachford: splitting with a Cholesky factor"));
    form->addRow(tr("Method"), m_method);
    m_tol = new QLineEdit;
    auto* tolValidator = new QDoubleValidator(1e-16, 1.0, 20, m_tol);
    tolValidator->setNotation(QDoubleValidator::ScientificNotation);
    tolValidator->setLocale(QLocale::c());
    m_tol->setValidator(tolValidator);
    m_tol->setToolTip(tr("Stop when ‖T z − z‖ <= tol; a number in [1e-16, 1]"));
    form->addRow(tr("Tolerance"), m_tol);
    m_maxIter = new QSpinBox;
    m_maxIter->setRange(1, 1000000);
    m_maxIter->setKeyboardTracking(false);
    m_maxIter->setToolTip(tr("Iteration cap, 1 to 1,000,000: the solve stops there, reported as \"stopped at the iteration limit\""));
    form->addRow(tr("Max iterations"), m_maxIter);
    auto dspin = [](double lo, double hi, double step, const QString& tip) {
        auto* s = new QDoubleSpinBox;
        s->setRange(lo, hi);
        s->setSingleStep(step);
        s->setDecimals(3);
        s->setKeyboardTracking(false);
        s->setToolTip(tip);
        return s;
    };
    m_theta = dspin(0.01, 1.0, 0.05, tr("θ in (0, 1]: KM relaxation; Peaceman–Rachford relaxation (1 = PR, 0.5 = Douglas–Rachford)"));
    form->addRow(tr("θ"), m_theta);
    m_memory = new QSpinBox;
    m_memory->setRange(1, 100);
    m_memory->setToolTip(tr("Anderson history m (Broyden keeps 4m secant pairs)"));
    form->addRow(tr("Memory m"), m_memory);
    m_lambda = new QLineEdit;
    auto* lv = new QDoubleValidator(0.0, 1e6, 20, m_lambda);
    lv->setNotation(QDoubleValidator::ScientificNotation);
    lv->setLocale(QLocale::c());
    m_lambda->setValidator(lv);
    m_lambda->setToolTip(tr("Anderson Tikhonov λ >= 0, relative to the smallest squared residual in the history"));
    form->addRow(tr("λ"), m_lambda);
    m_beta = dspin(0.01, 1.0, 0.05, tr("Anderson mixing β in (0, 1]"));
    form->addRow(tr("β"), m_beta);
    m_step = dspin(0.01, 10.0, 0.05, tr("Step γ of FB, FISTA and Peaceman–Rachford (FB with γ = 1 is Picard)"));
    form->addRow(tr("Step γ"), m_step);
    root->addWidget(sBox);

    auto* cBox = new QGroupBox(tr("Also run from the same starts"));
    auto* grid = new QGridLayout(cBox);
    for (int m = 0; m < SolverSettings::methodCount; ++m) {
        auto* c = new QCheckBox(methodDisplayName(Method(m)));
        c->setToolTip(tr("Draw %1 from every start too, in its own colour").arg(methodDisplayName(Method(m))));
        grid->addWidget(c, m / 2, m % 2);   // two columns: the readable names are longer than the ids
        m_compare.push_back(c);
        connect(c, &QCheckBox::toggled, this, [this] { apply(tr("change compared solvers")); });
    }
    root->addWidget(cBox);

    auto* pBox = new QGroupBox(tr("Prior: select the equilibrium inside the iteration"));
    auto* pf = new QFormLayout(pBox);
    m_prior = new QComboBox;
    for (int t = 0; t < 4; ++t) m_prior->addItem(priorDisplayName(PriorType(t)));
    m_prior->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_prior->setMinimumContentsLength(12);
    m_prior->setToolTip(tr("Halpern: nearest equilibrium to the anchor · viscosity approximation: fixed point of P_Fix∘g · HSD: argmin of ½‖z − target‖² over Fix T"));
    pf->addRow(tr("Scheme"), m_prior);
    m_anchor = new QLineEdit;
    m_anchor->setToolTip(tr("Anchor a (n numbers, comma separated); also draggable on the landscape"));
    pf->addRow(tr("Anchor a"), m_anchor);
    m_rho = dspin(0.0, 0.999, 0.05, tr("Viscosity contraction g(z) = a + ρ(z − a), ρ in [0, 1)"));
    pf->addRow(tr("ρ"), m_rho);
    m_target = new QLineEdit;
    m_target->setToolTip(tr("HSD target p of R(z) = ½‖z − p‖² (n numbers)"));
    pf->addRow(tr("Target p"), m_target);
    m_mu = dspin(0.001, 100.0, 0.1, tr("HSD μ > 0"));
    pf->addRow(tr("μ"), m_mu);
    m_priorTheta = dspin(0.01, 1.0, 0.05, tr("Averaging Tθ = (1−θ)I + θT inside the scheme"));
    pf->addRow(tr("θ (averaging)"), m_priorTheta);
    m_schedule = new QLabel;
    m_schedule->setWordWrap(true);
    pf->addRow(m_schedule);
    root->addWidget(pBox);

    m_error = new QLabel;
    m_error->setStyleSheet("color: #b00020");
    m_error->setWordWrap(true);
    root->addWidget(m_error);

    auto* play = new QGroupBox(tr("Playback"));
    auto* ph = new QHBoxLayout(play);
    m_play = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("Play"));
    m_play->setCheckable(true);
    m_play->setToolTip(tr("Play the iterations one by one (Space)"));
    m_stepButton = new QPushButton(style()->standardIcon(QStyle::SP_MediaSkipForward), tr("Step"));
    m_stepButton->setToolTip(tr("One iteration forward (Right arrow / F10)"));
    m_restart = new QPushButton(style()->standardIcon(QStyle::SP_MediaSkipBackward), tr("Restart"));
    m_restart->setToolTip(tr("Back to iteration 0 (Home)"));
    m_speed = new QSlider(Qt::Horizontal);
    m_speed->setRange(1, 120);
    m_speed->setValue(15);
    m_speed->setToolTip(tr("Playback speed in iterations per second"));
    ph->addWidget(m_restart);
    ph->addWidget(m_play);
    ph->addWidget(m_stepButton);
    ph->addWidget(new QLabel(tr("speed")));
    ph->addWidget(m_speed, 1);
    root->addWidget(play);
    root->addStretch(1);

    connect(m_play, &QPushButton::toggled, this, &SolverPanel::playToggled);
    connect(m_stepButton, &QPushButton::clicked, this, &SolverPanel::stepRequested);
    connect(m_restart, &QPushButton::clicked, this, &SolverPanel::restartRequested);
    connect(m_speed, &QSlider::valueChanged, this, &SolverPanel::speedChanged);
    connect(m_method, &QComboBox::currentIndexChanged, this, [this] { apply(tr("change solver")); });
    connect(m_prior, &QComboBox::currentIndexChanged, this, [this] { apply(tr("change prior")); });
    for (QLineEdit* e : {m_tol, m_lambda, m_anchor, m_target})
        connect(e, &QLineEdit::editingFinished, this, [this] { apply(tr("change solver parameter")); });
    connect(m_maxIter, &QSpinBox::valueChanged, this, [this] { apply(tr("change max iterations")); });
    connect(m_memory, &QSpinBox::valueChanged, this, [this] { apply(tr("change memory")); });
    for (QDoubleSpinBox* s : {m_theta, m_beta, m_step, m_rho, m_mu, m_priorTheta})
        connect(s, &QDoubleSpinBox::valueChanged, this, [this] { apply(tr("change solver parameter")); });
}

void SolverPanel::setPlaying(bool playing)
{
    const QSignalBlocker block(m_play);
    m_play->setChecked(playing);
    m_play->setText(playing ? tr("Pause") : tr("Play"));
    m_play->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
}

void SolverPanel::setScene(std::shared_ptr<const Scene> shared)
{
    m_updating = true;
    m_scene = std::move(shared);   // shared, not copied
    const Scene& scene = *m_scene;
    const SolverSettings& s = scene.solver;
    m_method->setCurrentIndex(int(s.method));
    m_tol->setText(QString::number(s.tol, 'g', 6));
    m_maxIter->setValue(s.maxIter);
    m_theta->setValue(s.theta);
    m_memory->setValue(s.memory);
    m_lambda->setText(QString::number(s.lambda, 'g', 6));
    m_beta->setValue(s.beta);
    m_step->setValue(s.step);
    for (int m = 0; m < SolverSettings::methodCount; ++m)
        m_compare[m]->setChecked(std::find(scene.compare.begin(), scene.compare.end(), Method(m)) != scene.compare.end());
    const PriorSettings& p = scene.prior;
    m_prior->setCurrentIndex(int(p.type));
    auto text = [&](const Eigen::VectorXd& v) {
        const Eigen::VectorXd w = v.size() == scene.n() ? v : Eigen::VectorXd::Zero(scene.n());
        QStringList parts;
        for (Eigen::Index i = 0; i < w.size(); ++i) parts << QString::number(w(i), 'g', 6);
        return parts.join(", ");
    };
    m_anchor->setText(text(p.anchor));
    m_target->setText(text(p.target));
    m_rho->setValue(p.rho);
    m_mu->setValue(p.mu);
    m_priorTheta->setValue(p.theta);
    m_error->clear();
    m_updating = false;
    updateEnabled();
}

void SolverPanel::updateEnabled()
{
    const Method m = Method(m_method->currentIndex());
    const PriorType p = PriorType(m_prior->currentIndex());
    m_theta->setEnabled(m == Method::KM || m == Method::PeacemanRachford);
    m_memory->setEnabled(m == Method::Anderson || m == Method::Broyden);
    m_lambda->setEnabled(m == Method::Anderson);
    m_beta->setEnabled(m == Method::Anderson);
    m_step->setEnabled(m == Method::FB || m == Method::Fista || m == Method::PeacemanRachford);
    m_anchor->setEnabled(p == PriorType::Halpern || p == PriorType::Viscosity);
    m_rho->setEnabled(p == PriorType::Viscosity);
    m_target->setEnabled(p == PriorType::Hsd);
    m_mu->setEnabled(p == PriorType::Hsd);
    m_priorTheta->setEnabled(p != PriorType::None);
    switch (p) {
    case PriorType::None: m_schedule->setText(tr("No prior: the solver above runs on T.")); break;
    case PriorType::Halpern: m_schedule->setText(tr("zₖ₊₁ = αₖ a + (1 − αₖ) Tθ(zₖ), αₖ = 1/(k+2): O(1/k) to the projection of a onto Fix T.")); break;
    case PriorType::Viscosity: m_schedule->setText(tr("zₖ₊₁ = αₖ g(zₖ) + (1 − αₖ) Tθ(zₖ), g(z) = a + ρ(z − a), αₖ = 1/(k+2).")); break;
    case PriorType::Hsd: m_schedule->setText(tr("zₖ₊₁ = y − λₖ₊₁ μ (y − p), y = Tθ(zₖ), λₖ = 1/(k+1): argmin of ½‖z − p‖² over Fix T.")); break;
    }
}

void SolverPanel::apply(const QString& what)
{
    if (m_updating) return;
    Scene s = *m_scene;   // the edit's one copy
    SolverSettings& so = s.solver;
    so.method = Method(m_method->currentIndex());
    bool ok = false;
    const double tol = QLocale::c().toDouble(m_tol->text(), &ok);
    if (!ok || !(tol >= 1e-16 && tol <= 1)) { m_error->setText(tr("Tolerance: a number in [1e-16, 1]")); return; }
    so.tol = tol;
    const double lambda = QLocale::c().toDouble(m_lambda->text(), &ok);
    if (!ok || !(lambda >= 0) || !std::isfinite(lambda)) { m_error->setText(tr("λ: a finite number >= 0")); return; }
    so.lambda = lambda;
    so.maxIter = m_maxIter->value();
    so.theta = m_theta->value();
    so.memory = m_memory->value();
    so.beta = m_beta->value();
    so.step = m_step->value();
    s.compare.clear();
    for (int m = 0; m < SolverSettings::methodCount; ++m)
        if (m_compare[m]->isChecked()) s.compare.push_back(Method(m));
    PriorSettings& p = s.prior;
    p.type = PriorType(m_prior->currentIndex());
    QString err;
    if (p.type == PriorType::Halpern || p.type == PriorType::Viscosity) {
        const auto a = parseVector(m_anchor->text(), s.n(), &err);
        if (!a) { m_error->setText(tr("Anchor: %1").arg(err)); return; }
        p.anchor = *a;
    }
    if (p.type == PriorType::Hsd) {
        const auto t = parseVector(m_target->text(), s.n(), &err);
        if (!t) { m_error->setText(tr("Target: %1").arg(err)); return; }
        p.target = *t;
    }
    p.rho = m_rho->value();
    p.mu = m_mu->value();
    p.theta = m_priorTheta->value();
    m_error->clear();
    updateEnabled();
    if (s == *m_scene) return;
    m_scene = std::make_shared<const Scene>(std::move(s));
    emit sceneEdited(m_scene, what, 0);
}

}  // namespace opteq

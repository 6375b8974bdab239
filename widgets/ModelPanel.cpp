// SPDX-License-Identifier: GPL-3.0-or-later
#include "ModelPanel.h"

#include <cmath>

#include "ActivationPlot.h"
#include "DeepGenerator.h"
#include "MatrixEditor.h"
#include "Names.h"
#include "TheoryText.h"
#include "WheelGuard.h"

#include <QScopedValueRollback>
#include <QSignalBlocker>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QVBoxLayout>

namespace opteq {
namespace {
QDoubleSpinBox* spin(double lo, double hi, double step, int decimals, const QString& tip)
{
    auto* s = new QDoubleSpinBox;
    s->setRange(lo, hi);
    s->setSingleStep(step);
    s->setDecimals(decimals);
    s->setToolTip(tip);
    s->setKeyboardTracking(false);   // one edit when typing is done, not one per keystroke
    return s;
}
constexpr int kSliderSteps = 400;   // slider positions over [-2, 2] (W) or [-3, 3] (x)
}  // namespace

QString ModelPanel::normMeaning(double s)
{
    if (!std::isfinite(s)) return tr("‖W‖₂ is not finite: fix W");
    if (s < 1 - 1e-12)
        return tr("‖W‖₂ = %1 < 1: unique equilibrium; T contracts by ‖W‖₂² = %2 per step").arg(s, 0, 'f', 4).arg(s * s, 0, 'f', 4);
    if (s <= 1 + 1e-12)
        return tr("‖W‖₂ = 1: E convex, not strictly; the equilibria may form a set (or none exist)");
    return tr("‖W‖₂ = %1 > 1: no guarantee; E is not convex, iterations may diverge or cycle").arg(s, 0, 'f', 4);
}

ModelPanel::ModelPanel(QWidget* parent) : QWidget(parent)
{
    auto* root = new QVBoxLayout(this);
    m_which = new QLabel;
    m_which->setWordWrap(true);
    m_which->setStyleSheet("QLabel { background: #fff3cd; color: #533f03; padding: 3px; }");
    m_which->setVisible(false);
    root->addWidget(m_which);

    auto* wBox = new QGroupBox(tr("Weights W (m × n): T(z) = σ(WᵀW z + Ux + b)"));
    auto* wl = new QVBoxLayout(wBox);
    m_W = new MatrixEditor;
    m_W->setToolTip(tr("W: type a number in a cell; select a cell to drive it with the slider below"));
    wl->addWidget(m_W);
    m_heatKey = new QLabel;
    m_heatKey->setWordWrap(true);
    m_heatKey->setVisible(false);
    wl->addWidget(m_heatKey);
    m_norm = new QLabel;
    m_norm->setWordWrap(true);
    m_norm->setToolTip(tr("The spectral norm decides what the theory guarantees (MATH.md §2)"));
    wl->addWidget(m_norm);
    auto* scaleRow = new QHBoxLayout;
    auto* scaleButton = new QPushButton(tr("Scale W to ‖W‖₂ ="));
    scaleButton->setToolTip(tr("Multiply W by a constant so that its spectral norm becomes the value on the right"));
    m_scaleTarget = spin(0.01, 2.0, 0.01, 3, tr("Target spectral norm"));
    m_scaleTarget->setValue(0.9);
    scaleRow->addWidget(scaleButton);
    scaleRow->addWidget(m_scaleTarget);
    wl->addLayout(scaleRow);
    auto* entryRow = new QHBoxLayout;
    m_entryLabel = new QLabel(tr("W entry"));
    m_entrySlider = new QSlider(Qt::Horizontal);
    m_entrySlider->setRange(-kSliderSteps / 2, kSliderSteps / 2);
    m_entrySlider->setToolTip(tr("Drag to change the selected W entry in [-2, 2]; everything updates live"));
    entryRow->addWidget(m_entryLabel);
    entryRow->addWidget(m_entrySlider, 1);
    wl->addLayout(entryRow);
    root->addWidget(wBox);

    auto* xBox = new QGroupBox(tr("Input x, U (n × d) and b"));
    auto* xl = new QVBoxLayout(xBox);
    m_x = new MatrixEditor;
    m_x->setToolTip(tr("The input x (one row)"));
    m_inputSliders = new QWidget;
    m_inputSliderLayout = new QVBoxLayout(m_inputSliders);
    m_inputSliderLayout->setContentsMargins(0, 0, 0, 0);
    m_U = new MatrixEditor;
    m_U->setToolTip(tr("U maps the input into the state space"));
    m_b = new MatrixEditor;
    m_b->setToolTip(tr("The bias b (one row)"));
    xl->addWidget(new QLabel(tr("x")));
    xl->addWidget(m_x);
    xl->addWidget(m_inputSliders);
    xl->addWidget(new QLabel(tr("U")));
    xl->addWidget(m_U);
    xl->addWidget(new QLabel(tr("b")));
    xl->addWidget(m_b);
    root->addWidget(xBox);

    auto* stBox = new QGroupBox(tr("Starts z₀ (one row each): type exact values"));
    auto* stl = new QVBoxLayout(stBox);
    m_starts = new MatrixEditor;
    m_starts->setToolTip(tr("Initial states, one per row; also added by clicking the landscape and moved by dragging"));
    stl->addWidget(m_starts);
    auto* stButtons = new QHBoxLayout;
    auto* addStart = new QPushButton(tr("Add start"));
    addStart->setToolTip(tr("Append a start at the origin (edit its row)"));
    auto* removeStart = new QPushButton(tr("Remove selected"));
    removeStart->setToolTip(tr("Remove the start of the selected row (Delete on the landscape does the same)"));
    stButtons->addWidget(addStart);
    stButtons->addWidget(removeStart);
    stl->addLayout(stButtons);
    root->addWidget(stBox);

    auto* aBox = new QGroupBox(tr("Activation σ = prox_f and priors R (per layer)"));
    auto* form = new QFormLayout(aBox);
    m_layer = new QComboBox;
    m_layer->setToolTip(tr("The layer whose activation and regularizers are edited"));
    form->addRow(tr("Layer"), m_layer);
    m_activation = new QComboBox;
    for (int t = 0; t < Activation::typeCount; ++t) m_activation->addItem(activationDisplayName(ActivationType(t)));
    m_activation->setToolTip(tr("σ for this layer; every one is the prox of a convex potential f"));
    form->addRow(tr("σ"), m_activation);
    m_slope = spin(0.01, 1.0, 0.05, 3, tr("leaky ReLU slope a in (0, 1]"));
    m_lo = spin(-100, 100, 0.1, 3, tr("clip: lower bound"));
    m_hi = spin(-100, 100, 0.1, 3, tr("clip: upper bound"));
    m_lambda = spin(0, 100, 0.05, 3, tr("soft threshold: λ ≥ 0"));
    form->addRow(tr("slope"), m_slope);
    form->addRow(tr("lo / hi"), [&] { auto* w = new QWidget; auto* h = new QHBoxLayout(w); h->setContentsMargins(0, 0, 0, 0); h->addWidget(m_lo); h->addWidget(m_hi); return w; }());
    form->addRow(tr("λ"), m_lambda);
    m_useL1 = new QCheckBox(tr("λ‖z‖₁"));
    m_useL1->setToolTip(tr("Sparsity prior: ReLU becomes a shifted ReLU"));
    m_l1 = spin(0, 100, 0.05, 3, tr("ℓ1 weight λ >= 0"));
    form->addRow(m_useL1, m_l1);
    m_useL2 = new QCheckBox(tr("μ/2‖z − p‖²"));
    m_useL2->setToolTip(tr("Shrinkage toward p"));
    m_l2 = spin(0, 100, 0.1, 3, tr("ℓ2 weight μ >= 0"));
    m_l2Center = spin(-100, 100, 0.1, 3, tr("centre p"));
    form->addRow(m_useL2, [&] { auto* w = new QWidget; auto* h = new QHBoxLayout(w); h->setContentsMargins(0, 0, 0, 0); h->addWidget(m_l2); h->addWidget(m_l2Center); return w; }());
    m_useBox = new QCheckBox(tr("box"));
    m_useBox->setToolTip(tr("Box constraint lo <= z <= hi: σ is composed with clipping"));
    m_boxLo = spin(-100, 100, 0.1, 3, tr("box lower bound"));
    m_boxHi = spin(-100, 100, 0.1, 3, tr("box upper bound"));
    form->addRow(m_useBox, [&] { auto* w = new QWidget; auto* h = new QHBoxLayout(w); h->setContentsMargins(0, 0, 0, 0); h->addWidget(m_boxLo); h->addWidget(m_boxHi); return w; }());
    m_plot = new ActivationPlot;
    form->addRow(m_plot);
    auto* deep = new QPushButton(tr("Generate deep model…"));
    deep->setToolTip(tr("Replace the model by a block lower-bidiagonal deep OptEq (MATH.md §3)"));
    form->addRow(deep);
    root->addWidget(aBox);
    root->addStretch(1);

    for (MatrixEditor* e : {m_W, m_U, m_b, m_x, m_starts})
        connect(e, &MatrixEditor::refused, this, [this, e](const QString& why) {
            const QString name = e == m_W ? "W" : e == m_U ? "U" : e == m_b ? "b" : e == m_x ? "x" : tr("starts");
            emit problem(QString("%1 %2").arg(name, why));
        });
    connect(m_W, &MatrixEditor::matrixEdited, this, [this](const Eigen::MatrixXd& m) { draft().W = m; emitEdit(tr("edit W")); });
    connect(m_U, &MatrixEditor::matrixEdited, this, [this](const Eigen::MatrixXd& m) { draft().U = m; emitEdit(tr("edit U")); });
    connect(m_b, &MatrixEditor::matrixEdited, this, [this](const Eigen::MatrixXd& m) { draft().b = m.row(0).transpose(); emitEdit(tr("edit b")); });
    connect(m_x, &MatrixEditor::matrixEdited, this, [this](const Eigen::MatrixXd& m) { draft().input = m.row(0).transpose(); emitEdit(tr("edit x")); });
    connect(m_starts, &MatrixEditor::matrixEdited, this, [this](const Eigen::MatrixXd& m) {
        draft().starts.clear();
        for (Eigen::Index r = 0; r < m.rows(); ++r) draft().starts.push_back(m.row(r).transpose());
        emitEdit(tr("edit starts"));
    });
    connect(addStart, &QPushButton::clicked, this, [this] {
        if (int(scene().effectiveStarts().size()) >= kMaxStarts) return;
        if (scene().starts.empty()) draft().starts = scene().effectiveStarts();
        draft().starts.push_back(Eigen::VectorXd::Zero(scene().n()));
        emitEdit(tr("add start"));
    });
    connect(removeStart, &QPushButton::clicked, this, [this] {
        const int r = m_starts->currentRow();
        if (r < 0 || r >= int(scene().starts.size())) return;
        draft().starts.erase(draft().starts.begin() + r);
        emitEdit(tr("remove start %1").arg(r + 1));
    });
    connect(scaleButton, &QPushButton::clicked, this, [this] { emit scaleRequested(m_scaleTarget->value()); });
    connect(m_W, &MatrixEditor::currentCellChanged, this, [this] { showSelectedEntry(); });
    connect(m_entrySlider, &QSlider::sliderPressed, this, [this] { ++m_dragKey; });
    connect(m_entrySlider, &QSlider::valueChanged, this, [this](int v) {
        if (m_updating) return;
        const int r = std::max(0, m_W->currentRow()), c = std::max(0, m_W->currentColumn());
        if (r >= scene().W.rows() || c >= scene().W.cols()) return;
        draft().W(r, c) = 4.0 * v / kSliderSteps;
        m_W->setEntrySilently(r, c, scene().W(r, c));   // one cell, not a copy of the whole matrix
        m_entryLabel->setText(tr("W[%1][%2] = %3").arg(r + 1).arg(c + 1).arg(scene().W(r, c), 0, 'g', 4));
        showHeatKey();
        emitEdit(tr("drag W[%1][%2]").arg(r + 1).arg(c + 1), m_dragKey);
    });
    connect(m_layer, &QComboBox::currentIndexChanged, this, [this] { updateLayerControls(); });
    for (QDoubleSpinBox* s : {m_slope, m_lo, m_hi, m_lambda, m_l1, m_l2, m_l2Center, m_boxLo, m_boxHi})
        connect(s, &QDoubleSpinBox::valueChanged, this, [this] { applyLayerControls(); });
    for (QCheckBox* c : {m_useL1, m_useL2, m_useBox}) connect(c, &QCheckBox::toggled, this, [this] { applyLayerControls(); });
    connect(m_activation, &QComboBox::currentIndexChanged, this, [this] { applyLayerControls(); });
    connect(deep, &QPushButton::clicked, this, &ModelPanel::generateDeepRequested);
}

void ModelPanel::showSelectedEntry()
{
    // The label and the slider read the scene's W at the selected cell, clamped into W's shape
    // (a reset table has no current cell; a smaller W leaves it outside): called on every scene,
    // so an edit, undo, Scale W or another scene never leaves a stale value for the next drag.
    const Eigen::MatrixXd& W = scene().W;
    if (W.size() == 0) return;
    // Nested updates (selecting a cell re-enters through currentCellChanged) must not end the outer one.
    const QScopedValueRollback<bool> updating(m_updating, true);
    const int r = std::clamp(m_W->currentRow(), 0, int(W.rows()) - 1), c = std::clamp(m_W->currentColumn(), 0, int(W.cols()) - 1);
    if (r != m_W->currentRow() || c != m_W->currentColumn()) m_W->setCurrentCell(r, c);
    m_entrySlider->setValue(int(std::lround(std::clamp(W(r, c), -2.0, 2.0) * kSliderSteps / 4)));
    m_entryLabel->setText(tr("W[%1][%2] = %3").arg(r + 1).arg(c + 1).arg(W(r, c), 0, 'g', 4));
}

void ModelPanel::showHeatKey()
{
    // The heat map's key: what the colours mean and the scale (the largest |entry|).
    const bool heat = scene().W.cols() > MatrixModel::kHeatMapColumns;
    m_heatKey->setVisible(heat);
    if (heat)
        m_heatKey->setText(tr("Heat map: <span style='color:#3030ff'>■</span> −%1 … □ 0 … <span style='color:#ff3030'>■</span> +%1 "
                              "(largest |entry|). Hover a cell for its value, double-click to type one.")
                               .arg(scene().W.cwiseAbs().maxCoeff(), 0, 'g', 3));
}

void ModelPanel::showNorm(double knownNorm)
{
    // O(n³) for large W: only small ones here; setSpectralNorm() brings the solve job's value.
    if (std::isfinite(knownNorm)) m_norm->setText(normMeaning(knownNorm));
    else if (scene().W.size() <= kSmallW) m_norm->setText(normMeaning(spectralNorm(scene().W)));
    else m_norm->setText(tr("‖W‖₂: computing with the solve…"));
}

void ModelPanel::setWhichModel(const QString& note)
{
    m_which->setText(note);
    m_which->setVisible(!note.isEmpty());
}

void ModelPanel::setSpectralNorm(double s) { m_norm->setText(normMeaning(s)); }

Scene& ModelPanel::draft()
{
    // The one copy an edit needs, made at its first change; emitEdit hands it over.
    if (!m_draft) m_draft = std::make_shared<Scene>(*m_scene);
    return *m_draft;
}

void ModelPanel::emitEdit(const QString& what, int mergeKey)
{
    if (m_updating || !m_draft) return;
    showNorm();   // immediate feedback for small W; the solve's value follows
    std::shared_ptr<const Scene> next = std::move(m_draft);
    m_draft.reset();
    emit sceneEdited(next, what, mergeKey);
}

void ModelPanel::setScene(std::shared_ptr<const Scene> shared, double knownNorm)
{
    const Scene& scene = *shared;
    const QScopedValueRollback<bool> updating(m_updating, true);
    // The layer list names each layer's size: a lesson with as many layers of other sizes must
    // rename them (it kept "layer 1 (2 units)" for a 3-unit layer).
    const Scene& before = *m_scene;
    bool layersChanged = scene.layers.size() != before.layers.size();
    for (size_t l = 0; !layersChanged && l < scene.layers.size(); ++l) layersChanged = scene.layers[l].size != before.layers[l].size;
    const bool inputShapeChanged = scene.input.size() != before.input.size();
    m_scene = std::move(shared);   // shared with the controller and the undo stack: no copy
    m_draft.reset();
    m_W->setMatrix(scene.W);
    m_U->setMatrix(scene.U);
    m_b->setMatrix(scene.b.transpose());
    m_x->setMatrix(scene.input.transpose());
    {
        const std::vector<Eigen::VectorXd> starts = scene.starts;
        Eigen::MatrixXd S(Eigen::Index(starts.size()), scene.n());
        for (size_t r = 0; r < starts.size(); ++r) S.row(Eigen::Index(r)) = starts[r].transpose();
        m_starts->setMatrix(S);
    }
    showNorm(knownNorm);
    showHeatKey();
    showSelectedEntry();
    if (layersChanged || m_layer->count() != int(scene.layers.size())) {
        const QSignalBlocker block(m_layer);
        m_layer->clear();
        for (size_t l = 0; l < scene.layers.size(); ++l)
            m_layer->addItem(tr("layer %1 (%2 units)").arg(l + 1).arg(scene.layers[l].size));
    }
    if (inputShapeChanged || m_inputSliderLayout->count() != std::min<int>(int(scene.input.size()), 6)) rebuildInputSliders();
    for (int i = 0; i < m_inputSliderLayout->count(); ++i)
        if (auto* s = m_inputSliderLayout->itemAt(i)->widget()->findChild<QSlider*>())
            s->setValue(int(std::lround(std::clamp(scene.input(i), -3.0, 3.0) * kSliderSteps / 6)));
    updateLayerControls();
}

void ModelPanel::rebuildInputSliders()
{
    while (QLayoutItem* it = m_inputSliderLayout->takeAt(0)) {
        delete it->widget();
        delete it;
    }
    for (int i = 0; i < std::min<int>(int(scene().input.size()), 6); ++i) {
        auto* row = new QWidget;
        auto* h = new QHBoxLayout(row);
        h->setContentsMargins(0, 0, 0, 0);
        h->addWidget(new QLabel(QString("x%1").arg(i + 1)));
        auto* s = new QSlider(Qt::Horizontal);
        s->setRange(-kSliderSteps / 2, kSliderSteps / 2);
        s->setToolTip(tr("Drag to change input x%1 in [-3, 3]").arg(i + 1));
        h->addWidget(s, 1);
        connect(s, &QSlider::sliderPressed, this, [this] { ++m_dragKey; });
        connect(s, &QSlider::valueChanged, this, [this, i](int v) {
            if (m_updating) return;
            draft().input(i) = 6.0 * v / kSliderSteps;
            m_x->setMatrix(scene().input.transpose());
            emitEdit(tr("drag x%1").arg(i + 1), m_dragKey);
        });
        guardWheel(row);
        m_inputSliderLayout->addWidget(row);
    }
}

void ModelPanel::updateLayerControls()
{
    const int l = std::max(0, m_layer->currentIndex());
    if (l >= int(scene().layers.size())) return;
    const QScopedValueRollback<bool> updating(m_updating, true);
    const LayerSpec& layer = scene().layers[l];
    const Activation& a = layer.activation;
    m_activation->setCurrentIndex(int(a.type));
    m_slope->setValue(a.slope);
    m_lo->setValue(a.lo);
    m_hi->setValue(a.hi);
    m_lambda->setValue(a.lambda);
    m_slope->setEnabled(a.type == ActivationType::LeakyRelu);
    m_lo->setEnabled(a.type == ActivationType::Clip);
    m_hi->setEnabled(a.type == ActivationType::Clip);
    m_lambda->setEnabled(a.type == ActivationType::SoftThreshold);
    // Layer regularizers plus the model-wide ones (edited here as the layer's own).
    std::vector<Regularizer> regs = scene().regularizers;
    regs.insert(regs.end(), layer.regularizers.begin(), layer.regularizers.end());
    m_useL1->setChecked(false);
    m_useL2->setChecked(false);
    m_useBox->setChecked(false);
    for (const Regularizer& r : regs) {
        if (r.type == RegularizerType::L1) { m_useL1->setChecked(true); m_l1->setValue(r.weight); }
        if (r.type == RegularizerType::L2) { m_useL2->setChecked(true); m_l2->setValue(r.weight); m_l2Center->setValue(r.center); }
        if (r.type == RegularizerType::Box) { m_useBox->setChecked(true); m_boxLo->setValue(r.lo); m_boxHi->setValue(r.hi); }
    }
    m_plot->setOperator(ProxOperator(a, regs), tr("layer %1: %2").arg(l + 1).arg(activationDisplayName(a.type)));
}

void ModelPanel::applyLayerControls()
{
    if (m_updating) return;
    const int l = std::max(0, m_layer->currentIndex());
    if (l >= int(scene().layers.size())) return;
    const LayerSpec& shown = scene().layers[l];
    Activation a = shown.activation;
    a.type = ActivationType(m_activation->currentIndex());
    a.slope = m_slope->value();
    a.lo = m_lo->value();
    a.hi = m_hi->value();
    a.lambda = m_lambda->value();
    if (!a.validate().empty()) {
        m_norm->setText(tr("Activation not changed: %1").arg(QString::fromStdString(a.validate())));
        return;
    }
    if (m_useBox->isChecked() && !(m_boxLo->value() <= m_boxHi->value())) {
        m_norm->setText(tr("Box not applied: needs lo <= hi"));
        return;
    }
    Scene& s = draft();
    LayerSpec& layer = s.layers[size_t(l)];
    layer.activation = a;
    // Model-wide regularizers move into the layers so each layer can be edited on its own.
    if (!s.regularizers.empty()) {
        for (LayerSpec& other : s.layers) other.regularizers.insert(other.regularizers.end(), s.regularizers.begin(), s.regularizers.end());
        s.regularizers.clear();
    }
    layer.regularizers.clear();
    if (m_useL1->isChecked()) layer.regularizers.push_back({RegularizerType::L1, m_l1->value()});
    if (m_useL2->isChecked()) layer.regularizers.push_back({RegularizerType::L2, m_l2->value(), m_l2Center->value()});
    if (m_useBox->isChecked()) layer.regularizers.push_back({RegularizerType::Box, 0, 0, m_boxLo->value(), m_boxHi->value()});
    updateLayerControls();
    emitEdit(tr("change layer %1 activation/prior").arg(l + 1));
}

}  // namespace opteq

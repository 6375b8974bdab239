// SPDX-License-Identifier: GPL-3.0-or-later
#include "RateMapPanel.h"
#include "Names.h"

#include "RateMapView.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <tuple>

namespace opteq {
namespace {
QDoubleSpinBox* bound(double value, const QString& tip)
{
    auto* b = new QDoubleSpinBox;
    b->setRange(-100, 100);
    b->setDecimals(4);
    b->setSingleStep(0.05);
    b->setValue(value);
    b->setToolTip(tip);
    return b;
}
// A sensible default range per parameter.
std::pair<double, double> defaultRange(RateParam p)
{
    switch (p) {
    case RateParam::Theta: case RateParam::Beta: return {0.05, 1.0};
    case RateParam::NormScale: return {0.5, 0.99};
    case RateParam::Memory: return {1, 10};
    case RateParam::Step: return {0.1, 1.9};
    case RateParam::Lambda: return {0, 0.01};
    }
    return {0, 1};
}
}  // namespace

RateMapPanel::RateMapPanel(QWidget* parent) : QWidget(parent)
{
    auto* l = new QVBoxLayout(this);
    auto* form = new QGridLayout;
    m_px = new QComboBox;
    m_py = new QComboBox;
    m_px->setToolTip(tr("Parameter along x: only those the scene's method uses (norm rescales W to that ‖W‖₂)"));
    m_py->setToolTip(tr("Parameter along y"));
    m_x0 = bound(0.05, tr("x range: low"));
    m_x1 = bound(1.0, tr("x range: high"));
    m_y0 = bound(0.5, tr("y range: low"));
    m_y1 = bound(0.99, tr("y range: high"));
    m_grid = new QSpinBox;
    m_grid->setRange(4, 128);
    m_grid->setValue(32);
    m_grid->setToolTip(tr("Cells per side"));
    auto* go = m_go = new QPushButton(tr("Compute rate map"));
    go->setToolTip(tr("Solve from the first start for every pair of parameter values (in the background)"));
    // Two short rows, so the tab never forces the window wider than a laptop screen.
    form->addWidget(new QLabel(tr("x")), 0, 0);
    form->addWidget(m_px, 0, 1);
    form->addWidget(m_x0, 0, 2);
    form->addWidget(m_x1, 0, 3);
    form->addWidget(new QLabel(tr("grid")), 0, 4);
    form->addWidget(m_grid, 0, 5);
    form->addWidget(new QLabel(tr("y")), 1, 0);
    form->addWidget(m_py, 1, 1);
    form->addWidget(m_y0, 1, 2);
    form->addWidget(m_y1, 1, 3);
    form->addWidget(go, 1, 4, 1, 2);
    form->setColumnStretch(6, 1);
    l->addLayout(form);
    m_note = new QLabel;
    m_note->setWordWrap(true);
    l->addWidget(m_note);
    m_view = new RateMapView;
    l->addWidget(m_view, 1);
    m_progress = new QProgressBar;
    m_progress->setVisible(false);
    l->addWidget(m_progress);

    connect(m_px, &QComboBox::currentIndexChanged, this, [this] { applyDefaultRange(m_px, m_x0, m_x1); });
    connect(m_py, &QComboBox::currentIndexChanged, this, [this] { applyDefaultRange(m_py, m_y0, m_y1); });
    connect(go, &QPushButton::clicked, this, [this] {
        if (m_px->currentIndex() == m_py->currentIndex()) { emit problem(tr("Rate map: choose two different parameters")); return; }
        if (!(m_x0->value() < m_x1->value() && m_y0->value() < m_y1->value())) {
            emit problem(tr("Rate map: each range needs low < high"));
            return;
        }
        GridSpec g;
        g.x0 = m_x0->value();
        g.x1 = m_x1->value();
        g.y0 = m_y0->value();
        g.y1 = m_y1->value();
        g.nx = g.ny = m_grid->value();
        setProgress(0);
        emit computeRequested(RateParam(m_px->currentData().toInt()), RateParam(m_py->currentData().toInt()), g);
    });
    connect(m_view, &RateMapView::cellClicked, this, [this](double x, double y) {
        if (const RateMap* map = m_view->map()) emit adoptRequested(map->px, x, map->py, y);
    });
}

void RateMapPanel::applyDefaultRange(QComboBox* combo, QDoubleSpinBox* lo, QDoubleSpinBox* hi)
{
    const RateParam p = RateParam(combo->currentData().toInt());
    const auto [a, b] = defaultRange(p);
    for (QDoubleSpinBox* box : {lo, hi}) box->setDecimals(p == RateParam::Memory ? 0 : 4);   // memory is a whole number
    lo->setValue(a);
    hi->setValue(b);
}

void RateMapPanel::setMethod(Method method)
{
    if (m_hasMethod && method == m_method) return;
    m_hasMethod = true;
    m_method = method;
    const std::vector<RateParam> params = rateParamsFor(method);
    for (QComboBox* c : {m_px, m_py}) {
        const QSignalBlocker block(c);
        c->clear();
        for (RateParam p : params) c->addItem(rateParamName(p), int(p));
    }
    // x: the method's first parameter, y: the ‖W‖₂ scale (always last).
    m_px->setCurrentIndex(0);
    m_py->setCurrentIndex(m_py->count() - 1);
    applyDefaultRange(m_px, m_x0, m_x1);
    applyDefaultRange(m_py, m_y0, m_y1);
    const bool two = params.size() >= 2;
    m_go->setEnabled(two);
    m_note->setText(two ? QString()
                        : tr("%1 has no parameter besides ‖W‖₂, so there is no map of two parameters: choose KM, Anderson, FB, "
                             "FISTA, Broyden or Peaceman–Rachford in the solver panel.").arg(methodDisplayName(method)));
    m_note->setVisible(!two);
    m_view->setEmptyText(two ? QString() : tr("No rate map: %1 has no parameter to vary besides ‖W‖₂").arg(methodDisplayName(method)));
    m_view->setMap(nullptr);   // a map of another method is not this one's
}

void RateMapPanel::setProgress(int percent)
{
    m_progress->setVisible(true);
    m_progress->setValue(percent);
}

void RateMapPanel::setMap(std::shared_ptr<const RateMap> map)
{
    m_progress->setVisible(false);
    m_view->setMap(std::move(map));
}

}  // namespace opteq

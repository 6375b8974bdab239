// SPDX-License-Identifier: GPL-3.0-or-later
#include "RateMapView.h"
#include "Names.h"

#include "Palette.h"
#include "PlotStyle.h"

#include <cmath>

namespace opteq {

RateMapView::RateMapView(QWidget* parent) : QCustomPlot(parent)
{
    setMinimumSize(320, 280);
    setToolTip(tr("Iterations to tolerance for each pair of solver parameters (log colour scale; grey: did not converge).\n"
                  "Click a cell to use its parameters."));
    m_colors = new QCPColorMap(xAxis, yAxis);
    m_colors->setInterpolate(false);   // one solve per cell: blending cells would invent values (memory is a whole number)
    m_scale = new QCPColorScale(this);
    plotLayout()->addElement(0, 1, m_scale);
    m_colors->setColorScale(m_scale);
    QCPColorGradient g = landscapeGradient();
    g.setNanColor(QColor(200, 200, 200));
    m_scale->setGradient(g);
    m_scale->setDataScaleType(QCPAxis::stLogarithmic);
    m_scale->axis()->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    m_scale->axis()->setLabel(tr("iterations"));
    auto* group = new QCPMarginGroup(this);
    axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, group);
    m_scale->setMarginGroup(QCP::msBottom | QCP::msTop, group);
    setMap(nullptr);   // nothing until computed: no placeholder that looks like data
    enableNavigation(this, [this] { fit(); }, /*doubleClickFits=*/false);   // a left click adopts a cell
    connect(this, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
        if (m_map && e->button() == Qt::LeftButton && axisRect()->rect().contains(e->position().toPoint()))
            emit cellClicked(xAxis->pixelToCoord(e->position().x()), yAxis->pixelToCoord(e->position().y()));
    });
    connect(this, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
        if (!m_map) return;
        const double x = xAxis->pixelToCoord(e->position().x()), y = yAxis->pixelToCoord(e->position().y());
        int i, j;
        m_colors->data()->coordToCell(x, y, &i, &j);
        const GridSpec& g = m_map->spec;
        if (i < 0 || j < 0 || i >= g.nx || j >= g.ny) return;
        const size_t k = size_t(j) * g.nx + i;
        emit hoverText(QString("%1 = %2, %3 = %4: %5 after %6 iterations")
                           .arg(rateParamName(m_map->px)).arg(g.x(i), 0, 'g', 4).arg(rateParamName(m_map->py)).arg(g.y(j), 0, 'g', 4)
                           .arg(statusName(SolveStatus(m_map->status[k]))).arg(m_map->iterations[k]));
    });
}

void RateMapView::setMap(std::shared_ptr<const RateMap> map)
{
    m_map = std::move(map);
    m_colors->setVisible(bool(m_map));
    m_scale->setVisible(bool(m_map));
    // No map: no axes either (empty 0–5 axes would look like a result).
    for (QCPAxis* a : {xAxis, yAxis}) a->setVisible(bool(m_map));
    if (!m_map) {
        setPlotTitle(this, m_emptyText.isEmpty() ? tr("No rate map yet: choose two parameters and press Compute") : m_emptyText);
        replot(rpQueuedReplot);
        return;
    }
    QString what = methodDisplayName(m_map->method);
    if (m_map->prior != PriorType::None) what = tr("%1 on %2").arg(priorDisplayName(m_map->prior), what);
    setPlotTitle(this, tr("Iterations of %1 to tolerance %2 from start %3 (grey: did not converge)")
                           .arg(what).arg(m_map->tol, 0, 'g', 3).arg(m_map->start));
    const GridSpec& g = m_map->spec;
    m_colors->data()->setSize(g.nx, g.ny);
    m_colors->data()->setRange(QCPRange(g.x0, g.x1), QCPRange(g.y0, g.y1));
    double lo = 1e300, hi = 1;
    for (int j = 0; j < g.ny; ++j)
        for (int i = 0; i < g.nx; ++i) {
            const size_t k = size_t(j) * g.nx + i;
            const bool ok = SolveStatus(m_map->status[k]) == SolveStatus::Converged;
            const double its = std::max(1, m_map->iterations[k]);
            m_colors->data()->setCell(i, j, ok ? its : std::numeric_limits<double>::quiet_NaN());
            if (ok) { lo = std::min(lo, its); hi = std::max(hi, its); }
        }
    m_colors->setDataRange(QCPRange(std::min(lo, hi), std::max(hi, lo * 1.01)));
    xAxis->setLabel(rateParamName(m_map->px));
    yAxis->setLabel(rateParamName(m_map->py));
    applyFigureScale(this);
    fit();
}

void RateMapView::fit()
{
    if (!m_map) return;
    const GridSpec& g = m_map->spec;
    const double hx = g.nx > 1 ? 0.5 * (g.x1 - g.x0) / (g.nx - 1) : 0.5, hy = g.ny > 1 ? 0.5 * (g.y1 - g.y0) / (g.ny - 1) : 0.5;
    xAxis->setRange(g.x0 - hx, g.x1 + hx);
    yAxis->setRange(g.y0 - hy, g.y1 + hy);
    replot(rpQueuedReplot);
}

}  // namespace opteq

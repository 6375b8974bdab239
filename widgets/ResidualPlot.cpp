// SPDX-License-Identifier: GPL-3.0-or-later
#include "ResidualPlot.h"

#include "Palette.h"

#include <QToolTip>
#include <cmath>

namespace opteq {

ResidualPlot::ResidualPlot(QWidget* parent) : QCustomPlot(parent)
{
    setMinimumSize(260, 200);
    // Polylines as one drawPolyline call each: several times faster on the raster engine, which
    // keeps a drag at 60 frames per second (joins are slightly less exact, invisible at these widths).
    setPlottingHint(QCP::phFastPolylines, true);
    setToolTip(tr("Residual ‖T z_k − z_k‖ (solid), relative residual (dashed) and E(z_k) − E* (dotted) per iteration.\n"
                  "Hover a curve for its values; scroll to zoom, drag to pan."));
    yAxis->setScaleType(QCPAxis::stLogarithmic);
    yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    yAxis->setNumberFormat("eb");
    yAxis->setNumberPrecision(0);
    xAxis->setLabel(tr("iteration k"));
    yAxis->setLabel(tr("residual"));
    legend->setVisible(true);
    legend->setFont(QFont(font().family(), 8));
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_cursor = new QCPItemStraightLine(this);
    m_cursor->setPen(QPen(QColor(0, 0, 0, 90), 1, Qt::DashLine));
    m_cursor->setVisible(false);
    connect(this, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
        const QString text = hoverTextAt(e->position());
        emit hoverText(text);
        if (!text.isEmpty()) QToolTip::showText(e->globalPosition().toPoint(), text, this);
        else QToolTip::hideText();
    });
}

void ResidualPlot::setShowRelative(bool on) { m_relative = on; rebuild(); }
void ResidualPlot::setShowObjectiveGap(bool on) { m_gap = on; rebuild(); }

void ResidualPlot::setSolution(std::shared_ptr<const SceneSolution> solution, double tol)
{
    m_solution = std::move(solution);
    m_tol = tol;
    rebuild();
}

void ResidualPlot::rebuild()
{
    clearGraphs();
    m_series.clear();
    if (!m_solution) { replot(rpQueuedReplot); return; }
    const SceneSolution& sol = *m_solution;
    const bool byRun = sol.runs.size() > 1;
    double lo = 1e300, hi = 0;
    int maxK = 1;
    auto add = [&](const std::vector<double>& ys, const QColor& color, Qt::PenStyle style, const QString& name,
                   bool legend, const Trace& t, double offset) {
        QVector<double> k, v;
        for (size_t i = 0; i < ys.size(); ++i) {
            const double y = ys[i] - offset;
            if (!(y > 0) || !std::isfinite(y)) continue;   // log axis: drop zeros
            k << double(i);
            v << y;
            lo = std::min(lo, y);
            hi = std::max(hi, y);
        }
        QCPGraph* g = addGraph();
        g->setData(k, v, true);
        g->setPen(QPen(color, style == Qt::SolidLine ? 1.6 : 1.0, style));   // 1-px dashes stay on the fast path
        g->setName(name);
        if (!legend) g->removeFromLegend();
        double lowest = std::numeric_limits<double>::infinity();
        for (double r : t.absResidual) lowest = std::min(lowest, r);
        m_series.push_back({g, name, lowest, t.iterations, statusName(t.status)});
        maxK = std::max(maxK, int(ys.size()) - 1);
    };
    for (size_t r = 0; r < sol.runs.size(); ++r) {
        const SolverRun& run = sol.runs[r];
        for (size_t i = 0; i < run.traces.size(); ++i) {
            const Trace& t = run.traces[i];
            const QColor color = seriesColor(byRun ? int(r) : int(i));
            const QString who = QString("%1, start %2").arg(QString::fromStdString(run.label)).arg(i + 1);
            const bool legend = i == 0 && (byRun || r == 0);
            add(t.absResidual, color, Qt::SolidLine, byRun ? QString::fromStdString(run.label) : tr("‖Tz−z‖"), legend, t, 0.0);
            m_series.back().name = who + tr(": residual");
            if (m_relative) {
                add(t.relResidual, color, Qt::DashLine, tr("relative"), legend && !byRun, t, 0.0);
                m_series.back().name = who + tr(": relative residual");
            }
            if (m_gap && sol.equilibrium && !t.objective.empty()) {
                // E* is the best objective seen on the converged primary trace; later iterates may dip
                // below by round-off, which the log axis drops.
                add(t.objective, color, Qt::DotLine, tr("E − E*"), legend && !byRun, t, sol.objectiveAtEquilibrium);
                m_series.back().name = who + tr(": E(z_k) − E*");
            }
        }
    }
    if (m_tol > 0) {
        QCPGraph* tolLine = addGraph();
        tolLine->setData(QVector<double>{0, double(maxK)}, QVector<double>{m_tol, m_tol});
        tolLine->setPen(QPen(QColor(120, 120, 120), 1, Qt::DashDotLine));
        tolLine->setName(tr("tolerance"));
        lo = std::min(lo, m_tol);
    }
    if (hi > 0) yAxis->setRange(std::max(lo / 3, 1e-18), hi * 3);
    xAxis->setRange(0, maxK);
    replot(rpQueuedReplot);
}

void ResidualPlot::setPlayhead(int k)
{
    m_cursor->setVisible(k >= 0);
    if (k >= 0) {
        m_cursor->point1->setCoords(k, 1);
        m_cursor->point2->setCoords(k, 10);
    }
    replot(rpQueuedReplot);
}

QString ResidualPlot::hoverTextAt(const QPointF& pixel) const
{
    double best = 8.0;   // pixels
    const Series* hit = nullptr;
    double hitK = 0, hitV = 0;
    for (const Series& s : m_series) {
        const double k = std::round(xAxis->pixelToCoord(pixel.x()));
        auto it = s.graph->data()->findBegin(k, false);
        if (it == s.graph->data()->constEnd() || std::abs(it->key - k) > 0.5) continue;
        const double d = std::abs(yAxis->coordToPixel(it->value) - pixel.y());
        if (d < best) { best = d; hit = &s; hitK = it->key; hitV = it->value; }
    }
    if (!hit) return {};
    return QString("%1\nk = %2: %3\nlowest residual %4, %5 after %6 iterations")
        .arg(hit->name)
        .arg(hitK)
        .arg(hitV, 0, 'e', 3)
        .arg(hit->lowest, 0, 'e', 3)
        .arg(hit->status)
        .arg(hit->iterations);
}

}  // namespace opteq

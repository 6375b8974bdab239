// SPDX-License-Identifier: GPL-3.0-or-later
#include "ResidualPlot.h"
#include "Names.h"

#include "Palette.h"
#include "PlotStyle.h"

#include <QMenu>
#include <algorithm>

#include <QToolTip>
#include <cmath>

namespace opteq {

namespace {
// Iterations are whole numbers: integer steps of 1, 2 or 5 × 10ᵏ, about four ticks (the labels
// of 17500-iteration runs ran into each other), and "12.5k" past 10 000.
class IterationTicker : public QCPAxisTicker {
public:
    IterationTicker() { setTickCount(4); }
protected:
    double getTickStep(const QCPRange& range) override
    {
        // 1, 2 or 5 × 10ᵏ, never below 1 (cleanMantissa also gives 2.5, which rounds to 3, 8, 13…).
        const double raw = range.size() / (tickCount() + 1e-10);
        if (raw <= 1) return 1.0;
        const double mag = std::pow(10.0, std::floor(std::log10(raw)));
        const double m = raw / mag;
        return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * mag;
    }
    QString getTickLabel(double tick, const QLocale& locale, QChar formatChar, int precision) override
    {
        if (std::abs(tick) >= 10000) return QString::number(tick / 1000, 'g', 4) + "k";
        return QCPAxisTicker::getTickLabel(std::round(tick), locale, formatChar, precision);
    }
};
}  // namespace

ResidualPlot::ResidualPlot(QWidget* parent) : QCustomPlot(parent)
{
    setMinimumSize(260, 200);
    // Polylines as one drawPolyline call each: several times faster on the raster engine, which
    // keeps a drag at 60 frames per second (joins are slightly less exact, invisible at these widths).
    setPlottingHint(QCP::phFastPolylines, true);
    setToolTip(tr("Residual ‖T zₖ − zₖ‖ (solid), relative residual (dashed) and E(zₖ) − E* (dotted) per iteration.\n"
                  "Hover a curve for its values; scroll to zoom, drag to pan."));
    yAxis->setScaleType(QCPAxis::stLogarithmic);
    yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    yAxis->setNumberFormat("eb");
    yAxis->setNumberPrecision(0);
    xAxis->setLabel(tr("iteration k"));
    xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new IterationTicker));
    yAxis->setLabel(tr("residual"));
    legend->setVisible(true);
    legend->setFont(QFont(font().family(), 8));
    placeLegendBelow(this, 3);
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    enableNavigation(this, [this] { fitToData(); }, true, [this](QMenu* menu) {
        QAction* logX = menu->addAction(tr("Log iterations (log–log)"), this, &ResidualPlot::setLogIterations);
        logX->setCheckable(true);
        logX->setChecked(m_logX);
    });
    m_spikeNote = new QCPItemText(this);
    m_spikeNote->setPositionAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_spikeNote->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_spikeNote->position->setCoords(0.01, 0.01);
    m_spikeNote->setColor(QColor(90, 90, 90));
    m_spikeNote->setBrush(QColor(255, 255, 255, 210));
    m_spikeNote->setTextAlignment(Qt::AlignLeft);
    m_spikeNote->setVisible(false);
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

void ResidualPlot::setLogIterations(bool on)
{
    m_logX = on;
    if (on) {
        xAxis->setScaleType(QCPAxis::stLogarithmic);
        xAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
        xAxis->setLabel(tr("iteration k + 1 (log)"));
    } else {
        xAxis->setScaleType(QCPAxis::stLinear);
        xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new IterationTicker));
        xAxis->setLabel(tr("iteration k"));
    }
    rebuild();
}

void ResidualPlot::fitToData()
{
    yAxis->setRange(m_fitLo, m_fitHi);
    xAxis->setRange(m_logX ? 1.0 : 0.0, m_logX ? m_fitK + 1 : m_fitK);
    replot(rpQueuedReplot);
}
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
    const double shift = m_logX ? 1.0 : 0.0;   // log x: k + 1
    // The y range covers every plotted point (it once left out values far above a curve's median:
    // the first iterates of fast solves, lesson 10's ‖Tz₀ − z₀‖ = 2.65 under an axis topped at
    // 5e-2). One visible rule for a genuine spike: a relative residual above kRelativeCap means
    // ‖T z‖ < ‖T z − z‖ / 10⁶ (T z ≈ 0, e.g. T(z₀) = 0), a ratio that says nothing; those points
    // are not drawn and the plot says so at its top (the absolute residual there is drawn).
    constexpr double kRelativeCap = 1e6;
    std::vector<double> rangeValues;
    int maxK = 1;
    int capped = 0, cappedFirstK = -1;
    auto add = [&](const std::vector<double>& ys, const QColor& color, Qt::PenStyle style, const QString& name, const Trace& t, double offset,
                   bool relative = false) {
        QVector<double> k, v;
        for (size_t i = 0; i < ys.size(); ++i) {
            const double y = ys[i] - offset;
            if (!(y > 1e-280) || !std::isfinite(y)) continue;   // log axis: drop zeros (and what it cannot show)
            if (relative && y > kRelativeCap) {
                if (capped++ == 0 || int(i) < cappedFirstK) cappedFirstK = int(i);
                continue;
            }
            k << double(i) + shift;
            v << y;
            rangeValues.push_back(y);
        }
        QCPGraph* g = addGraph();
        g->setData(k, v, true);
        g->setPen(QPen(color, style == Qt::SolidLine ? 1.6 : 1.0, style));   // 1-px dashes stay on the fast path
        g->setName(name);
        if (v.size() == 1) g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, color, 5));   // a lone point, seen
        g->removeFromLegend();   // the legend holds keys (below), not one entry per curve
        double lowest = std::numeric_limits<double>::infinity();
        for (double r : t.absResidual) lowest = std::min(lowest, r);
        m_series.push_back({g, name, lowest, t.iterations, statusName(t.status)});
        maxK = std::max(maxK, int(ys.size()) - 1);
    };
    // Legend keys: colour says one thing (the solver when several run, else the start), line
    // style says which quantity (grey keys, so no key borrows a curve's colour).
    auto key = [&](const QString& name, const QPen& pen) {
        QCPGraph* g = addGraph();
        g->setPen(pen);
        g->setName(name);
    };
    const QColor grey(80, 80, 80);
    key(tr("‖Tz−z‖"), QPen(grey, 1.6));
    if (m_relative) key(tr("relative"), QPen(grey, 1.0, Qt::DashLine));
    if (m_gap && sol.equilibrium) key(tr("E − E*"), QPen(grey, 1.0, Qt::DotLine));
    for (size_t r = 0; r < sol.runs.size(); ++r) {
        const SolverRun& run = sol.runs[r];
        if (byRun) key(runDisplayName(run, sol), QPen(methodColor(run.method, run.withPrior), 2.5));
        for (size_t i = 0; i < run.traces.size(); ++i) {
            const Trace& t = run.traces[i];
            const QColor color = byRun ? methodColor(run.method, run.withPrior) : seriesColor(int(i));
            if (!byRun && run.traces.size() <= size_t(kListedStarts)) key(tr("start %1").arg(i + 1), QPen(color, 2.5));
            const QString who = QString("%1, start %2").arg(runDisplayName(run, sol)).arg(i + 1);
            add(t.absResidual, color, Qt::SolidLine, who + tr(": residual"), t, 0.0);
            if (m_relative) add(t.relResidual, color, Qt::DashLine, who + tr(": relative residual"), t, 0.0, true);
            if (m_gap && sol.equilibrium && !t.objective.empty())
                // E* is the best objective seen on the converged primary trace; later iterates may dip
                // below by round-off, which the log axis drops.
                add(t.objective, color, Qt::DotLine, who + tr(": E(zₖ) − E*"), t, sol.objectiveAtEquilibrium);
        }
        if (!byRun && run.traces.size() > size_t(kListedStarts)) addStartRampKey(this, int(run.traces.size()));
    }
    double lo = 1e300, hi = 0;
    for (double y : rangeValues) { lo = std::min(lo, y); hi = std::max(hi, y); }
    if (m_tol > 0) {
        QCPGraph* tolLine = addGraph();
        tolLine->setData(QVector<double>{shift, double(maxK) + shift}, QVector<double>{m_tol, m_tol});
        tolLine->setPen(QPen(QColor(120, 120, 120), 1, Qt::DashDotLine));
        tolLine->setName(tr("tolerance"));
        lo = std::min(lo, m_tol);
    }
    if (hi > 0) {
        m_fitLo = std::max(lo / 3, 1e-280);
        m_fitHi = hi * 3;
    }
    m_spikeNote->setVisible(capped > 0);
    // Two short lines: the plot may be narrow.
    m_spikeNote->setText(capped == 0   ? QString()
                         : capped == 1 ? tr("relative residual not drawn at k = %1:\nT z ≈ 0 there (ratio > 10⁶)").arg(cappedFirstK)
                                       : tr("relative residual not drawn at %1 iterates from k = %2:\nT z ≈ 0 there (ratio > 10⁶)")
                                             .arg(capped).arg(cappedFirstK));
    m_fitK = maxK;
    applyFigureScale(this);
    fitToData();
}

void ResidualPlot::setPlayhead(int k)
{
    m_cursor->setVisible(k >= 0);
    if (k >= 0) {
        m_cursor->point1->setCoords(k + (m_logX ? 1 : 0), 1);
        m_cursor->point2->setCoords(k + (m_logX ? 1 : 0), 10);
    }
    replot(rpQueuedReplot);
}

QString ResidualPlot::hoverTextAt(const QPointF& pixel) const
{
    double best = 8.0;   // pixels
    const Series* hit = nullptr;
    double hitK = 0, hitV = 0;
    for (const Series& s : m_series) {
        const double k = std::round(xAxis->pixelToCoord(pixel.x()) - (m_logX ? 1 : 0)) + (m_logX ? 1 : 0);
        auto it = s.graph->data()->findBegin(k, false);
        if (it == s.graph->data()->constEnd() || std::abs(it->key - k) > 0.5) continue;
        const double d = std::abs(yAxis->coordToPixel(it->value) - pixel.y());
        if (d < best) { best = d; hit = &s; hitK = it->key; hitV = it->value; }
    }
    if (!hit) return {};
    return QString("%1\nk = %2: %3\nlowest residual %4, %5 after %6 iterations")
        .arg(hit->name)
        .arg(hitK - (m_logX ? 1 : 0))
        .arg(hitV, 0, 'e', 3)
        .arg(hit->lowest, 0, 'e', 3)
        .arg(hit->status)
        .arg(hit->iterations);
}

}  // namespace opteq

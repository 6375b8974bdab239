// SPDX-License-Identifier: GPL-3.0-or-later
#include "LandscapeView.h"
#include "Names.h"

#include "Palette.h"
#include "PlotStyle.h"
#include "TheoryOverlay.h"

#include <QMenu>

#include <cmath>

namespace opteq {
namespace {
}

LandscapeView::LandscapeView(QWidget* parent) : QCustomPlot(parent)
{
    setMinimumSize(300, 280);
    // Polylines as one drawPolyline call each: several times faster on the raster engine, which
    // keeps a drag at 60 frames per second (joins are slightly less exact, invisible at these widths).
    setPlottingHint(QCP::phFastPolylines, true);
    setFocusPolicy(Qt::StrongFocus);
    setToolTip(tr("Landscape of the hidden objective E.\nClick: add a start · drag a start: move it (live) · "
                  "select + Delete: remove it · drag the diamond: move the prior's anchor"));
    addLayer("markers", layer("main"), QCustomPlot::limAbove);
    layer("markers")->setMode(QCPLayer::lmBuffered);   // moving markers repaint without the colour map

    m_map = new QCPColorMap(xAxis, yAxis);
    m_map->setGradient(landscapeGradient());
    m_map->setInterpolate(true);
    m_map->setName("E(z)");
    m_scale = new QCPColorScale(this);
    plotLayout()->addElement(0, 1, m_scale);
    m_scale->setType(QCPAxis::atRight);
    m_scale->axis()->setLabel("E(z)");
    m_map->setColorScale(m_scale);
    m_scale->setGradient(landscapeGradient());   // the scale's gradient wins once they are linked
    m_map->setGradient(landscapeGradient());
    m_map->removeFromLegend();
    auto* group = new QCPMarginGroup(this);
    axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, group);
    m_scale->setMarginGroup(QCP::msBottom | QCP::msTop, group);

    legend->setVisible(true);
    legend->setFont(QFont(font().family(), 8));
    // Beside or under the axes, never over the landscape; under it in as few rows as fit, beside it
    // when those rows would squeeze a short view (the Unit layer tab in presentation mode, #19).
    placeLegendBelowOrRight(this, 6);
    enableNavigation(this, [this] { fitToLandscape(); }, /*doubleClickFits=*/false, [this](QMenu* menu) {
        menu->addAction(tr("Fit to trajectories"), this, &LandscapeView::fitToTrajectories);
        QAction* eq = menu->addAction(tr("Equal aspect"), this, &LandscapeView::setEqualAspect);
        eq->setCheckable(true);
        eq->setChecked(m_equalAspect);
    });

    m_starts = addGraph();
    m_starts->setLayer("markers");
    m_starts->setLineStyle(QCPGraph::lsNone);
    m_starts->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, QPen(Qt::black, 1.5), Qt::white, 9));
    m_starts->setName(tr("starts"));
    m_selectedMarker = addGraph();
    m_selectedMarker->setLayer("markers");
    m_selectedMarker->setLineStyle(QCPGraph::lsNone);
    m_selectedMarker->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(QColor(255, 0, 0), 2), Qt::NoBrush, 16));
    m_selectedMarker->removeFromLegend();
    m_anchor = addGraph();
    m_anchor->setLayer("markers");
    m_anchor->setLineStyle(QCPGraph::lsNone);
    m_anchor->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(Qt::black, 1.5), QColor(255, 80, 80), 13));
    m_anchor->setName(tr("anchor"));

    connect(this, &QCustomPlot::mousePress, this, &LandscapeView::onPress);
    connect(this, &QCustomPlot::mouseMove, this, &LandscapeView::onMove);
    connect(this, &QCustomPlot::mouseRelease, this, &LandscapeView::onRelease);
}

void LandscapeView::setSolution(std::shared_ptr<const SceneSolution> solution)
{
    m_solution = std::move(solution);
    m_startS.clear();
    m_startT.clear();
    m_hasAnchor = false;
    if (m_solution && m_solution->request) {
        const Scene& scene = *m_solution->request;
        m_n = scene.n();
        const Plane& plane = m_solution->view.plane;
        for (const Eigen::VectorXd& z : scene.effectiveStarts()) {
            const Eigen::Vector2d q = plane.project(z);
            m_startS << q(0);
            m_startT << q(1);
        }
        const Eigen::VectorXd* a = nullptr;
        if (scene.prior.type == PriorType::Halpern || scene.prior.type == PriorType::Viscosity) a = &scene.prior.anchor;
        if (scene.prior.type == PriorType::Hsd) a = &scene.prior.target;
        if (a) {
            const Eigen::VectorXd p = a->size() == scene.n() ? *a : Eigen::VectorXd::Zero(scene.n());
            const Eigen::Vector2d q = plane.project(p);
            m_hasAnchor = true;
            m_anchorS = q(0);
            m_anchorT = q(1);
            m_anchor->setName(scene.prior.type == PriorType::Hsd ? tr("target of R") : tr("anchor"));
        }
    }
    if (m_selected >= m_startS.size()) m_selected = -1;
    rebuild();
}

void LandscapeView::setPhaseMode(bool on)
{
    m_phaseMode = on;
    // Washed out under the arrows, so direction and colour of the field read first.
    const QCPColorGradient g = on ? washedOut(landscapeGradient()) : landscapeGradient();
    m_scale->setGradient(g);
    m_map->setGradient(g);
    rebuild();
}

void LandscapeView::setPhaseField(std::shared_ptr<const PhaseField> field, std::shared_ptr<const SceneSolution> forSolution)
{
    m_phase = std::move(field);
    m_phaseFor = std::move(forSolution);
    if (m_phaseMode) rebuild();
}

GridSpec LandscapeView::visibleBox() const
{
    GridSpec g;
    g.x0 = xAxis->range().lower; g.x1 = xAxis->range().upper;
    g.y0 = yAxis->range().lower; g.y1 = yAxis->range().upper;
    return g;
}

void LandscapeView::setShowWithoutPrior(bool without)
{
    m_withoutPrior = without;
    rebuild();
}

void LandscapeView::drawLandscape(const Grid& grid)
{
    const GridSpec& g = grid.spec;
    m_map->data()->setSize(g.nx, g.ny);
    m_map->data()->setRange(QCPRange(g.x0, g.x1), QCPRange(g.y0, g.y1));
    // Colour range: the minimum to the 95th percentile of the finite values, so the steep walls
    // of E do not wash out the basin where the equilibria live; +inf (outside dom f) is NaN → grey.
    std::vector<double> finite;
    finite.reserve(grid.values.size());
    for (int j = 0; j < g.ny; ++j)
        for (int i = 0; i < g.nx; ++i) {
            const double v = grid.at(i, j);
            m_map->data()->setCell(i, j, std::isfinite(v) ? v : std::numeric_limits<double>::quiet_NaN());
            if (std::isfinite(v)) finite.push_back(v);
        }
    if (!finite.empty()) {
        std::sort(finite.begin(), finite.end());
        const double lo = finite.front(), hi = finite[size_t(0.95 * (finite.size() - 1))];
        m_map->setDataRange(QCPRange(lo, hi > lo ? hi : lo + 1));
    }
    // The user's zoom survives a re-solve (a slider drag); a new box (another scene or slice) refits.
    GridSpec box = g;
    box.nx = box.ny = 0;
    if (!m_hasDrawnBox || !(box == m_drawnBox)) {
        m_drawnBox = box;
        m_hasDrawnBox = true;
        fitToLandscape();
    }
}

void LandscapeView::fitToLandscape()
{
    if (!m_hasDrawnBox) return;
    xAxis->setRange(m_drawnBox.x0, m_drawnBox.x1);
    yAxis->setRange(m_drawnBox.y0, m_drawnBox.y1);
    if (m_equalAspect) xAxis->setScaleRatio(yAxis, 1.0);
    replot(rpQueuedReplot);
}

void LandscapeView::fitToTrajectories()
{
    double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
    for (const CurveInfo& c : m_curves)
        for (int i = 0; i < c.s.size(); ++i) {
            x0 = std::min(x0, c.s[i]); x1 = std::max(x1, c.s[i]);
            y0 = std::min(y0, c.t[i]); y1 = std::max(y1, c.t[i]);
        }
    if (!(x1 >= x0) || !(y1 >= y0)) return;
    const double mx = std::max(0.08 * (x1 - x0), 1e-3), my = std::max(0.08 * (y1 - y0), 1e-3);
    xAxis->setRange(x0 - mx, x1 + mx);
    yAxis->setRange(y0 - my, y1 + my);
    if (m_equalAspect) xAxis->setScaleRatio(yAxis, 1.0);
    replot(rpQueuedReplot);
    // The landscape drawn so far covers the old box only: ask for it over the box now shown (the
    // window makes that an undoable view edit; the solution's new box keeps this range).
    emit boxRequested(xAxis->range().lower, xAxis->range().upper, yAxis->range().lower, yAxis->range().upper);
}

void LandscapeView::setEqualAspect(bool on)
{
    m_equalAspect = on;
    if (on) xAxis->setScaleRatio(yAxis, 1.0);
    else fitToLandscape();
    replot(rpQueuedReplot);
}

void LandscapeView::resizeEvent(QResizeEvent* event)
{
    QCustomPlot::resizeEvent(event);
    if (m_equalAspect) {
        xAxis->setScaleRatio(yAxis, 1.0);
        replot(rpQueuedReplot);
    }
}

void LandscapeView::rebuild()
{
    for (QCPAbstractPlottable* p : m_owned) removePlottable(p);
    m_owned.clear();
    m_curves.clear();
    clearItems();
    if (!m_solution) { replot(rpQueuedReplot); return; }
    const SceneSolution& sol = *m_solution;
    const bool without = m_withoutPrior && !sol.landscapeWithoutPrior.values.empty();
    drawLandscape(without ? sol.landscapeWithoutPrior : sol.landscape);
    m_scale->axis()->setLabel(without ? "E(z) without R" : (sol.unregularizedEquilibrium ? "E(z), R included" : "E(z)"));
    if (m_withoutPrior && sol.landscapeWithoutPrior.values.empty()) m_scale->axis()->setLabel("E(z) (the scene has no R)");
    // n > 2: the slice passes through the equilibrium, which sits at (0, 0).
    const SceneView& v = sol.request ? sol.request->view : SceneView{};
    const bool axes = m_n > 2 && !v.hasPlane && v.axisI >= 0 && v.axisJ >= 0;
    const QString xs = m_n == 2 ? "z₁" : axes ? QString("z%1 − z%1* (slice through the equilibrium)").arg(v.axisI + 1)
                                               : QString("s: first direction from the equilibrium");
    const QString ys = m_n == 2 ? "z₂" : axes ? QString("z%1 − z%1*").arg(v.axisJ + 1) : QString("t: second direction");
    xAxis->setLabel(xs);
    yAxis->setLabel(ys);

    // Contours (of the drawn landscape; the stored ones belong to E + R).
    if (!without) {
        for (const ContourLine& line : sol.contours) {
            auto* c = new QCPCurve(xAxis, yAxis);
            c->setData(QVector<double>(line.xs.begin(), line.xs.end()), QVector<double>(line.ys.begin(), line.ys.end()));
            c->setPen(QPen(QColor(255, 255, 255, 120), 0.8));
            c->removeFromLegend();
            c->setSelectable(QCP::stNone);
            m_owned.push_back(c);
        }
    }
    // The phase plane, under the trajectories (plottables draw in creation order).
    m_phaseDrawn = false;
    if (m_phaseMode && m_phase && m_phaseFor == m_solution && !without) {
        for (QCPAbstractPlottable* p : drawPhaseField(this, *m_phase, m_n)) m_owned.push_back(p);
        m_phaseDrawn = true;
    }
    // Fix T (‖W‖₂ = 1): the set as computed, then the end points of plain iteration from a grid
    // of starts, which land on it (evidence, drawn small).
    if (sol.fixSet && !without)
        for (QCPAbstractPlottable* p : drawFixedPointSet(this, *sol.fixSet, sol.view.plane)) m_owned.push_back(p);
    if (!sol.fixedPointSamples.empty()) {
        auto* fp = addGraph();
        QVector<double> s, t;
        for (const Eigen::Vector2d& p : sol.fixedPointSamples) { s << p(0); t << p(1); }
        fp->setData(s, t);
        fp->setLineStyle(QCPGraph::lsNone);
        fp->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::black, 0.8), Qt::white, 5));
        fp->setName(tr("ends of plain iteration from a grid"));
        m_owned.push_back(fp);
    }
    const Plane& plane = sol.view.plane;
    const bool byRun = sol.runs.size() > 1;
    if (without && sol.unregularizedEquilibrium) {
        // "Before": no trajectories of E + R here, just the equilibrium E alone would have.
        auto* eq = addGraph();
        const Eigen::Vector2d q = plane.project(*sol.unregularizedEquilibrium);
        eq->setData(QVector<double>{q(0)}, QVector<double>{q(1)});
        eq->setLineStyle(QCPGraph::lsNone);
        eq->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssStar, QPen(Qt::black, 2.5), Qt::NoBrush, 16));
        eq->setName(tr("equilibrium without R"));
        m_owned.push_back(eq);
    }
    for (size_t r = 0; r < (without ? 0 : sol.runs.size()); ++r) {
        const SolverRun& run = sol.runs[r];
        for (size_t i = 0; i < run.traces.size(); ++i) {
            const Trace& tr = run.traces[i];
            const QColor color = byRun ? methodColor(run.method, run.withPrior) : seriesColor(int(i));
            CurveInfo info{new QCPCurve(xAxis, yAxis), addGraph(), int(r), int(i), {}, {}, {}, tr.status == SolveStatus::Converged, color};
            for (size_t k = 0; k < tr.iterates.size(); ++k) {
                const Eigen::Vector2d q = plane.project(tr.iterates[k]);
                if (!q.allFinite() || q.cwiseAbs().maxCoeff() > 1e8) break;   // diverging: draw what is finite
                info.s << q(0);
                info.t << q(1);
                info.k << tr.iterateIndex[k];
            }
            info.curve->setPen(QPen(color, 1.6));
            info.curve->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, color, 4));
            // Colour means one thing: the solver when several run (one entry each), else the
            // start (one entry per start, in its colour, while there are few enough to list).
            if (byRun) {
                info.curve->setName(runDisplayName(run, sol));
                if (i > 0) info.curve->removeFromLegend();
            } else {
                info.curve->setName(LandscapeView::tr("start %1").arg(i + 1));
                if (run.traces.size() > size_t(kListedStarts)) info.curve->removeFromLegend();   // one ramp entry instead
            }
            // The head marker's style is set in updateCurves (star at a converged end, ring at a
            // playback iterate).
            info.head->setLineStyle(QCPGraph::lsNone);
            info.head->setProperty("opteqOwnScale", true);   // updateCurves sizes it with the figure scale
            info.head->removeFromLegend();
            info.head->setLayer("markers");
            m_owned.push_back(info.curve);
            m_owned.push_back(info.head);
            m_curves.push_back(std::move(info));
        }
    }
    // Prior of way 1: arrow from the equilibrium without R to the one with R.
    if (sol.unregularizedEquilibrium && sol.equilibrium && !without) {
        const Eigen::Vector2d a = plane.project(*sol.unregularizedEquilibrium), b = plane.project(*sol.equilibrium);
        auto* arrow = new QCPItemLine(this);
        arrow->start->setCoords(a(0), a(1));
        arrow->end->setCoords(b(0), b(1));
        arrow->setHead(QCPLineEnding::esSpikeArrow);
        arrow->setPen(QPen(Qt::white, 2.0));
        auto* label = new QCPItemText(this);
        label->position->setCoords(a(0), a(1));
        label->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
        label->setText(tr("without R"));
        label->setColor(Qt::white);
    }
    m_anchor->setVisible(m_hasAnchor);
    if (m_hasAnchor) m_anchor->addToLegend();
    else m_anchor->removeFromLegend();
    if (m_hasAnchor) m_anchor->setData(QVector<double>{m_anchorS}, QVector<double>{m_anchorT});
    else m_anchor->data()->clear();
    if (!byRun && !sol.runs.empty() && !without) {
        const size_t count = sol.runs[0].traces.size();
        if (count > size_t(kListedStarts)) m_owned.push_back(addStartRampKey(this, int(count)));   // past the list: one entry, the colours in order
    }
    m_starts->setData(m_startS, m_startT);
    setSelectedStart(m_selected);
    applyFigureScale(this);
    updateCurves();
}

void LandscapeView::updateCurves()
{
    for (CurveInfo& c : m_curves) {
        int count = int(c.s.size());
        if (m_playhead >= 0) {
            count = 0;
            while (count < c.k.size() && c.k[count] <= m_playhead) ++count;
        }
        c.curve->setData(c.s.mid(0, count), c.t.mid(0, count));
        // Star: the equilibrium a converged trajectory ends at; cross: where a failed one stopped;
        // a thick ring: the iterate playback is on (never a star, which would claim convergence).
        const bool atEnd = count == int(c.s.size());
        const double z = figureScale(this);
        if (!atEnd) c.head->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::white, 2.5 * z), c.color, 13 * z));
        else c.head->setScatterStyle(QCPScatterStyle(c.converged ? QCPScatterStyle::ssStar : QCPScatterStyle::ssCross,
                                                     QPen(Qt::black, 1.5 * z), c.color, 14 * z));
        if (count > 0) c.head->setData(QVector<double>{c.s[count - 1]}, QVector<double>{c.t[count - 1]});
        else c.head->data()->clear();
    }
    replot(rpQueuedReplot);
}

void LandscapeView::setPlayhead(int k)
{
    m_playhead = k;
    updateCurves();
}

void LandscapeView::setSelectedStart(int index)
{
    m_selected = (index >= 0 && index < m_startS.size()) ? index : -1;
    if (m_selected >= 0)
        m_selectedMarker->setData(QVector<double>{m_startS[m_selected]}, QVector<double>{m_startT[m_selected]});
    else
        m_selectedMarker->data()->clear();
    layer("markers")->replot();
}

QPointF LandscapeView::trajectoryEnd(int run, int start) const
{
    for (const CurveInfo& c : m_curves)
        if (c.run == run && c.start == start && !c.s.isEmpty()) return {c.s.back(), c.t.back()};
    return {std::nan(""), std::nan("")};
}

QPoint LandscapeView::pixelOf(double s, double t) const
{
    return QPoint(int(std::lround(xAxis->coordToPixel(s))), int(std::lround(yAxis->coordToPixel(t))));
}

QPointF LandscapeView::startPosition(int index) const
{
    if (index < 0 || index >= m_startS.size()) return {};
    return {m_startS[index], m_startT[index]};
}

int LandscapeView::startNear(const QPointF& p) const
{
    int best = -1;
    double bestD = 10.0;   // pixels
    for (int i = 0; i < m_startS.size(); ++i) {
        const double d = std::hypot(xAxis->coordToPixel(m_startS[i]) - p.x(), yAxis->coordToPixel(m_startT[i]) - p.y());
        if (d < bestD) { bestD = d; best = i; }
    }
    return best;
}

bool LandscapeView::anchorNear(const QPointF& p) const
{
    return m_hasAnchor && std::hypot(xAxis->coordToPixel(m_anchorS) - p.x(), yAxis->coordToPixel(m_anchorT) - p.y()) < 10.0;
}

void LandscapeView::onPress(QMouseEvent* e)
{
    if (e->button() != Qt::LeftButton || !m_solution) return;
    setFocus();
    m_moved = false;
    if (anchorNear(e->position())) { m_dragging = -2; return; }
    const int i = startNear(e->position());
    if (i >= 0) {
        m_dragging = i;
        setSelectedStart(i);
        emit startSelected(i);
        return;
    }
    m_dragging = -1;
    if (!axisRect()->rect().contains(e->position().toPoint())) return;
    emit startAdded(xAxis->pixelToCoord(e->position().x()), yAxis->pixelToCoord(e->position().y()));
}

void LandscapeView::onMove(QMouseEvent* e)
{
    const double s = xAxis->pixelToCoord(e->position().x()), t = yAxis->pixelToCoord(e->position().y());
    if (m_dragging == -2) {
        m_moved = true;
        m_anchorS = s;
        m_anchorT = t;
        m_anchor->setData(QVector<double>{s}, QVector<double>{t});
        layer("markers")->replot();
        emit anchorDragged(s, t);
        return;
    }
    if (m_dragging >= 0) {
        m_moved = true;
        m_startS[m_dragging] = s;
        m_startT[m_dragging] = t;
        m_starts->setData(m_startS, m_startT);
        setSelectedStart(m_dragging);
        emit startDragged(m_dragging, s, t);
        return;
    }
    if (m_solution && axisRect()->rect().contains(e->position().toPoint())) {
        const Grid& g = m_solution->landscape;
        const int i = int(std::lround((s - g.spec.x0) / (g.spec.x1 - g.spec.x0) * (g.spec.nx - 1)));
        const int j = int(std::lround((t - g.spec.y0) / (g.spec.y1 - g.spec.y0) * (g.spec.ny - 1)));
        QString text = QString("(%1, %2)").arg(s, 0, 'g', 4).arg(t, 0, 'g', 4);
        if (i >= 0 && j >= 0 && i < g.spec.nx && j < g.spec.ny) {
            const double v = g.at(i, j);
            text += std::isfinite(v) ? QString("  E ≈ %1").arg(v, 0, 'g', 6) : QString("  E = +∞ (outside dom f)");
        }
        emit hoverText(text);
    }
}

void LandscapeView::onRelease(QMouseEvent* e)
{
    const double s = xAxis->pixelToCoord(e->position().x()), t = yAxis->pixelToCoord(e->position().y());
    if (m_dragging == -2 && m_moved) emit anchorDropped(s, t);
    else if (m_dragging >= 0 && m_moved) emit startDropped(m_dragging, s, t);
    m_dragging = -1;
}

void LandscapeView::keyPressEvent(QKeyEvent* event)
{
    if ((event->key() == Qt::Key_Delete || event->key() == Qt::Key_Backspace) && m_selected >= 0) {
        emit deleteStartRequested(m_selected);
        return;
    }
    QCustomPlot::keyPressEvent(event);
}

}  // namespace opteq

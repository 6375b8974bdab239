// SPDX-License-Identifier: GPL-3.0-or-later
#include "TheoryPlots.h"
#include "Names.h"

#include "Palette.h"
#include "PlotStyle.h"
#include "TheoryOverlay.h"

#include <cmath>

namespace opteq {

namespace {

QCPCurve* circle(QCustomPlot* plot, double r, const QPen& pen, const QBrush& brush, const QString& name)
{
    auto* c = new QCPCurve(plot->xAxis, plot->yAxis);
    QVector<double> x, y;
    for (int i = 0; i <= 256; ++i) {
        const double a = 2 * M_PI * i / 256;
        x << r * std::cos(a);
        y << r * std::sin(a);
    }
    c->setData(x, y);
    c->setPen(pen);
    c->setBrush(brush);
    c->setName(name);
    c->setSelectable(QCP::stNone);
    return c;
}

QString num(double v, int digits = 4)
{
    if (std::isinf(v)) return QStringLiteral("∞");
    return QString::number(v, 'g', digits);
}

}  // namespace

// ---- SpectrumView -------------------------------------------------------------------------

SpectrumView::SpectrumView(QWidget* parent) : QCustomPlot(parent)
{
    setMinimumSize(280, 260);
    setToolTip(tr("Eigenvalues of the Jacobian J = diag(σ'(v)) WᵀW in the complex plane.\n"
                  "J is similar to the symmetric D^½ WᵀW D^½, so they lie on the real axis in [0, ‖W‖₂²]."));
    legend->setVisible(true);
    legend->setFont(QFont(font().family(), 8));
    placeLegendBelow(this, 2);
    enableNavigation(this, [this] { fitSquare(); });
    xAxis->setLabel(tr("Re λ"));
    yAxis->setLabel(tr("Im λ"));
    clearSpectrum(tr("Spectrum of J: waiting for a solution"));
}

void SpectrumView::clearSpectrum(const QString& why)
{
    clearPlottables();
    clearItems();
    setPlotTitle(this, why);
    xAxis->setRange(-1.2, 1.2);
    yAxis->setRange(-1.2, 1.2);
    replot(rpQueuedReplot);
}

void SpectrumView::fitSquare() { fitEqualAspect(this, QCPRange(-m_radius, m_radius), QCPRange(-m_radius, m_radius)); }

void SpectrumView::resizeEvent(QResizeEvent* event)
{
    QCustomPlot::resizeEvent(event);
    fitSquare();
}

int SpectrumView::eigenvalueCount() const
{
    for (int i = 0; i < graphCount(); ++i)
        if (graph(i)->property("opteqEigen").toBool()) return graph(i)->dataCount();
    return 0;
}

QString SpectrumView::summary(const JacobianSpectrum& s, double observedRate, int n, const SpectrumPlace& place)
{
    constexpr double kOne = 1e-9;   // an eigenvalue within this of 1 is 1 (exact symmetric solver)
    const bool converged = place.status == SolveStatus::Converged;
    const bool grows = s.spectralRadius > 1 + kOne;
    // ρ(J) is a local rate only near an equilibrium that the iteration approaches.
    const QString rhoIs = grows                      ? tr("growth factor per step near this point")
                          : converged && place.atEnd ? tr("local rate of plain iteration")
                                                     : tr("at a point that is not an equilibrium");
    // First what the point is (the label shows two lines before it scrolls): a start that did not
    // converge ends off every equilibrium, and ρ(J) > 1 there is growth.
    QString t;
    if (!converged && place.status != SolveStatus::Cancelled)
        t += (place.status == SolveStatus::Diverged
                  ? tr("<b>Start %1 diverged</b>: J is taken at %2, which is not an equilibrium. ")
                  : tr("<b>Start %1 stopped at the iteration limit</b> without converging: J is taken at %2, which is not an equilibrium. "))
                 .arg(place.start)
                 .arg(place.atEnd ? tr("its last iterate") : tr("this iterate"));
    if (grows)
        t += tr("ρ(J) &gt; 1: near this point T stretches small differences along the top eigenvector by %1 per step, so "
                "plain iteration is pushed away instead of settling%2.<br>")
                 .arg(num(s.spectralRadius, 4))
                 .arg(s.bound > 1 + kOne ? tr(" (‖W‖₂ &gt; 1: nothing guarantees convergence)") : QString());
    else if (!t.isEmpty())
        t += "<br>";
    t += tr("ρ(J) = <b>%1</b> (%2) · its bound ‖W‖₂² = <b>%3</b>").arg(num(s.spectralRadius, 5), rhoIs, num(s.bound, 5));
    if (observedRate > 0)
        t += (observedRate > 1 ? tr(" · observed growth per step <b>%1</b>") : tr(" · observed rate <b>%1</b>")).arg(num(observedRate, 5));
    t += tr(" · cond(I − J) = <b>%1</b>%2").arg(num(s.cond, 4), s.condOfSimilar ? tr(" (of the similar I − D^½WᵀWD^½)") : QString());
    if (std::isinf(s.cond)) t += tr(" — I − J is singular: the implicit gradient and Newton steps are undefined here");
    if (s.bound > 0) t += tr("<br>ρ(J) is %1% of the bound.").arg(100 * s.spectralRadius / s.bound, 0, 'f', 1);
    // Eigenvalue 1: a direction along a set of equilibria, which needs no convergence; the rate
    // towards the set is the next eigenvalue below 1.
    int ones = 0;
    double below = -1;
    for (double v : s.eigenvalues) {
        if (std::abs(v - 1) <= kOne) ++ones;
        else if (v < 1 && below < 0) below = v;
    }
    if (ones > 0)
        t += converged ? tr(" 1 is an eigenvalue (%1×): a direction along a set of equilibria, where nothing needs to converge; %2")
                             .arg(ones)
                             .arg(below >= 0 ? tr("the rate towards the set is the next eigenvalue, <b>%1</b>.").arg(num(below, 5)) : QString())
                       : tr(" 1 is an eigenvalue (%1×) of J at this point.").arg(ones);
    if (s.kinks > 0)
        t += tr(" <b>%1 unit(s) sit on a kink of σ</b> (σ' jumps there; it is taken from one side): J, ρ(J) and cond(I − J) "
                "are one choice among several here.").arg(s.kinks);
    // Fix T as a set: what this J says about it depends on whether this start reached it.
    const FixSetKind kind = place.fixSet;
    if (kind == FixSetKind::Segment || kind == FixSetKind::Ray || kind == FixSetKind::Line || kind == FixSetKind::Face) {
        const QString set = tr("<br>Fix T is a %1: the equilibria are not isolated.").arg(fixSetKindName(kind));
        if (!converged)
            t += set + tr(" This start did not reach it, so this J says nothing about the set; choose a converged start above.");
        else if (ones > 0)
            t += set + tr(" At this point 1 is an eigenvalue of J (I − J singular): the direction along the set.");
        else if (s.kinks > 0)
            t += set + tr(" Here 1 is not an eigenvalue: this point sits on a kink of σ, where the one-sided σ' hides the flat "
                          "direction. Choose another start above to compare.");
        else
            t += set + tr(" J at this point has no eigenvalue 1 (ρ(J) = %1). Choose another start above to compare.").arg(num(s.spectralRadius, 4));
    }
    t += s.exact ? tr("<br>All %1 eigenvalues, exact: J = D WᵀW is similar to the symmetric D^½ WᵀW D^½ (D = diag σ'(v) ≥ 0), "
                      "so the spectrum is real and non-negative and a symmetric solver computes it.").arg(n)
                 : tr("<br>The %1 largest of %2 eigenvalues by Lanczos on D^½ WᵀW D^½ (real and non-negative, as J is similar to it).")
                       .arg(s.eigenvalues.size()).arg(n);
    return t;
}

void SpectrumView::setSpectrum(const JacobianSpectrum& s, const QString& where, double observedRate, int n)
{
    clearPlottables();
    clearItems();
    const double bound = s.bound;
    m_radius = std::max(1.0, bound) * 1.12;   // ρ(J) ≤ ‖W‖₂²: the axes do not jump during playback
    circle(this, bound, QPen(QColor(40, 90, 200), 1.5), QColor(40, 90, 200, 40), tr("disc |λ| ≤ ‖W‖₂² = %1 (Picard's bound)").arg(num(bound)));
    circle(this, 1.0, QPen(Qt::black, 1.2, Qt::DashLine), Qt::NoBrush, tr("unit circle"));
    circle(this, s.spectralRadius, QPen(QColor(200, 60, 20), 1.5, Qt::DotLine), Qt::NoBrush, tr("|λ| = ρ(J) = %1").arg(num(s.spectralRadius)));
    auto* ev = addGraph();
    QVector<double> x, y;
    for (double v : s.eigenvalues) { x << v; y << 0.0; }
    ev->setData(x, y);
    ev->setLineStyle(QCPGraph::lsNone);
    ev->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, QPen(Qt::black, 1), QColor(200, 60, 20), 9));
    ev->setName(s.exact ? tr("eigenvalues of J (%1)").arg(s.eigenvalues.size()) : tr("top %1 eigenvalues of J").arg(s.eigenvalues.size()));
    ev->setProperty("opteqEigen", true);
    if (observedRate > 0) {
        auto* obs = addGraph();
        // Above the axis, pointing down at its value: it would hide the eigenvalue it matches.
        obs->setData(QVector<double>{observedRate}, QVector<double>{0.09 * m_radius});
        obs->setLineStyle(QCPGraph::lsNone);
        obs->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssTriangleInverted, QPen(Qt::black, 1.5), Qt::NoBrush, 14));
        obs->setName((observedRate > 1 ? tr("observed growth per step %1") : tr("observed rate of plain iteration %1")).arg(num(observedRate)));
    }
    setPlotTitle(this, tr("Eigenvalues of J at %1").arg(where));
    applyFigureScale(this);
    fitSquare();
    replot(rpQueuedReplot);
    Q_UNUSED(n);
}

// ---- RateCutView --------------------------------------------------------------------------

QString RateCutView::paramLabel(RateParam p)
{
    switch (p) {
    case RateParam::Theta: return tr("θ (relaxation)");
    case RateParam::NormScale: return tr("‖W‖₂ (W rescaled)");
    case RateParam::Memory: return tr("memory m");
    case RateParam::Beta: return tr("β (mixing)");
    case RateParam::Step: return tr("step γ");
    case RateParam::Lambda: return tr("λ (regularisation)");
    }
    return {};
}

RateCutView::RateCutView(QWidget* parent) : QCustomPlot(parent)
{
    setMinimumSize(280, 240);
    setToolTip(tr("The rate map's one-dimensional cut: residual ratio per iteration (lower is faster) along one parameter,\n"
                  "with the theory's bound and the local rate ρ(J) at the end point. The vertical line is the scene's value."));
    legend->setVisible(true);
    legend->setFont(QFont(font().family(), 8));
    placeLegendBelow(this, 2);
    enableNavigation(this, [this] { rescaleAxes(); replot(); });
    yAxis->setLabel(tr("rate per iteration"));
    clearCut(tr("Rate vs parameter: waiting for a solution"));
}

void RateCutView::clearCut(const QString& why)
{
    clearPlottables();
    clearItems();
    m_current = nullptr;
    setPlotTitle(this, why);
    replot(rpQueuedReplot);
}

void RateCutView::setCurrent(double value)
{
    if (!m_current) return;
    m_current->point1->setCoords(value, 0);
    m_current->point2->setCoords(value, 1);
    replot(rpQueuedReplot);
}

void RateCutView::setCut(const RateCut& cut, double current, int startNumber)
{
    clearPlottables();
    clearItems();
    // ‖W‖₂ = 1 is not a limit of the rates below it (uniqueness ends there): its sample is a
    // marker of its own, not joined to the curve.
    const bool edge = cut.param == RateParam::NormScale && !cut.values.empty() && cut.values.back() >= 1.0;
    const size_t joined = edge ? cut.values.size() - 1 : cut.values.size();
    auto curve = [&](const std::vector<double>& v, const QPen& pen, QCPScatterStyle::ScatterShape shape, const QString& name) {
        QVector<double> x, y;
        for (size_t i = 0; i < joined; ++i) {
            x << cut.values[i];
            y << (std::isfinite(v[i]) ? v[i] : std::nan(""));
        }
        auto* g = addGraph();
        g->setData(x, y);
        g->setPen(pen);
        g->setScatterStyle(QCPScatterStyle(shape, pen.color(), 6));
        g->setName(name);
        return g;
    };
    bool anyBound = false, anyLocal = false;
    for (double b : cut.bound) anyBound = anyBound || std::isfinite(b);
    for (double b : cut.localRate) anyLocal = anyLocal || std::isfinite(b);
    const QColor colour = methodColor(cut.method, cut.prior != PriorType::None);
    const QString who = QString("%1%2, start %3").arg(methodDisplayName(cut.method),
                                                      cut.prior != PriorType::None ? QString(" + ") + priorDisplayName(cut.prior) : QString())
                            .arg(startNumber);
    curve(cut.observed, QPen(colour, 2), QCPScatterStyle::ssDisc,
          cut.sublinear ? tr("log–log slope (%1)").arg(who) : tr("observed (%1)").arg(who));
    if (anyBound) curve(cut.bound, QPen(Qt::black, 1.6, Qt::DashLine), QCPScatterStyle::ssNone, tr("bound (theory)"));
    if (anyLocal && cut.method == Method::Picard && cut.prior == PriorType::None)
        curve(cut.localRate, QPen(QColor(200, 60, 20), 1.4, Qt::DotLine), QCPScatterStyle::ssNone, tr("ρ(J) at the end point"));
    if (edge && std::isfinite(cut.observed.back())) {
        auto* e = addGraph();
        e->setData(QVector<double>{1.0}, QVector<double>{cut.observed.back()});
        e->setLineStyle(QCPGraph::lsNone);
        e->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(colour, 2), Qt::white, 10));
        e->setName(tr("at ‖W‖₂ = 1 (no bound; not a limit of the curve)"));
    }
    // Where no rate was measured because the solve failed: a cross above the plot's range.
    const double top = cut.sublinear ? 0.25 : 1.1;
    QVector<double> fx, fy;
    for (size_t i = 0; i < cut.values.size(); ++i) {
        const SolveStatus st = SolveStatus(cut.status[i]);
        const bool failed = cut.sublinear ? st == SolveStatus::Diverged || !std::isfinite(cut.observed[i]) : st != SolveStatus::Converged;
        if (failed) { fx << cut.values[i]; fy << top; }
    }
    if (!fx.isEmpty()) {
        auto* f = addGraph();
        f->setData(fx, fy);
        f->setLineStyle(QCPGraph::lsNone);
        f->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCross, QPen(QColor(180, 0, 0), 2), Qt::NoBrush, 10));
        f->setName(tr("no rate: did not converge (%1 of %2)").arg(fx.size()).arg(cut.values.size()));
    }
    xAxis->setLabel(paramLabel(cut.param));
    const double pad = 0.04 * (cut.values.back() - cut.values.front());
    xAxis->setRange(cut.values.front() - pad, cut.values.back() + pad);   // end markers whole, the cursor visible at the end
    if (cut.sublinear) {
        yAxis->setLabel(tr("log–log slope of the residual (−1: O(1/k))"));
        yAxis->setRange(-2.5, 0.35);
    } else {
        yAxis->setLabel(tr("rate per iteration (lower is faster)"));
        yAxis->setRange(0, 1.15);
    }
    if (edge && anyBound && !cut.sublinear) {
        // At ‖W‖₂ = 1 itself (x in plot coordinates), near the bottom, ending there; placed by
        // the axis rect's width it stood nearer the current value's line than the point it names.
        auto* t = new QCPItemText(this);
        t->position->setTypeX(QCPItemPosition::ptPlotCoords);
        t->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        t->position->setCoords(1.0, 0.96);
        t->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
        t->setText(tr("no bound at ‖W‖₂ = 1 →"));
        t->setColor(QColor(60, 60, 60));
    }
    m_current = new QCPItemStraightLine(this);
    m_current->setPen(QPen(QColor(90, 90, 90), 1.5));
    setCurrent(current);
    setPlotTitle(this, cut.sublinear ? tr("Slope vs %1 (a sublinear scheme)").arg(paramLabel(cut.param))
                                     : tr("Rate vs %1").arg(paramLabel(cut.param)));
    applyFigureScale(this);
    replot(rpQueuedReplot);
}

// ---- UnitLayerView ------------------------------------------------------------------------

UnitLayerView::UnitLayerView(QWidget* parent) : QCustomPlot(parent)
{
    setMinimumSize(300, 280);
    setToolTip(tr("The unit layer: state p = W z, objective G(p) = ½‖p‖² − Σ φ((Wᵀp + Ux + b)ᵢ) with φ' = σ.\n"
                  "Its iteration p ← W σ(Wᵀp + Ux + b) from p₀ = W z₀ is W times the OptEq iteration."));
    m_map = new QCPColorMap(xAxis, yAxis);
    m_map->setGradient(landscapeGradient());
    m_map->setInterpolate(true);
    m_map->removeFromLegend();
    m_scale = new QCPColorScale(this);
    plotLayout()->addElement(0, 1, m_scale);
    m_scale->setType(QCPAxis::atRight);
    m_scale->axis()->setLabel("G(p)");
    m_map->setColorScale(m_scale);
    m_scale->setGradient(landscapeGradient());
    legend->setVisible(true);
    legend->setFont(QFont(font().family(), 8));
    placeLegendBelow(this, 3);
    xAxis->ticker()->setTickCount(4);   // p₁ labels ran into each other on a narrow plot
    enableNavigation(this, [this] {
        if (m_box) { xAxis->setRange(m_box->first); yAxis->setRange(m_box->second); replot(); }
        else { rescaleAxes(); replot(); }
    });
    clearPicture(tr("Unit layer: waiting for a solution"));
}

void UnitLayerView::clearPicture(const QString& why)
{
    for (int i = plottableCount() - 1; i >= 0; --i)
        if (plottable(i) != m_map) removePlottable(i);
    m_box.reset();
    m_map->data()->clear();
    m_map->setVisible(false);
    m_scale->setVisible(false);
    setPlotTitle(this, why);
    replot(rpQueuedReplot);
}

void UnitLayerView::setPicture(const UnitLayerPicture& pic)
{
    if (!pic.valid) { clearPicture(tr("Unit layer: %1").arg(QString::fromStdString(pic.problem))); return; }
    for (int i = plottableCount() - 1; i >= 0; --i)
        if (plottable(i) != m_map) removePlottable(i);
    const GridSpec& g = pic.G.spec;
    const bool curveOnly = g.ny == 1;   // m = 1: G is a function of one variable
    m_map->setVisible(!curveOnly);
    m_scale->setVisible(!curveOnly);
    if (curveOnly) {
        auto* c = addGraph();
        QVector<double> x, y;
        for (int i = 0; i < g.nx; ++i) { x << g.x(i); y << pic.G.values[size_t(i)]; }
        c->setData(x, y);
        c->setPen(QPen(Qt::black, 2));
        c->setName("G(p)");
        xAxis->setLabel("p");
        yAxis->setLabel("G(p)");
    } else {
        m_map->data()->setSize(g.nx, g.ny);
        m_map->data()->setRange(QCPRange(g.x0, g.x1), QCPRange(g.y0, g.y1));
        std::vector<double> finite;
        for (int j = 0; j < g.ny; ++j)
            for (int i = 0; i < g.nx; ++i) {
                const double v = pic.G.at(i, j);
                m_map->data()->setCell(i, j, v);
                if (std::isfinite(v)) finite.push_back(v);
            }
        if (!finite.empty()) {
            std::sort(finite.begin(), finite.end());
            m_map->setDataRange(QCPRange(finite.front(), finite[size_t(0.95 * (finite.size() - 1))]));
        }
        for (const ContourLine& l : pic.contours) {
            auto* c = new QCPCurve(xAxis, yAxis);
            c->setData(QVector<double>(l.xs.begin(), l.xs.end()), QVector<double>(l.ys.begin(), l.ys.end()));
            c->setPen(QPen(QColor(255, 255, 255, 120), 0.8));
            c->removeFromLegend();
        }
        xAxis->setLabel("p₁");
        yAxis->setLabel("p₂");
        m_box = {QCPRange(g.x0, g.x1), QCPRange(g.y0, g.y1)};
    }
    for (size_t k = 0; k < pic.paths.size(); ++k) {
        QVector<double> x, y;
        for (const Eigen::Vector2d& q : pic.paths[k]) { x << q(0); y << (curveOnly ? std::nan("") : q(1)); }
        if (curveOnly) {
            // On the curve: (p_k, G(p_k)) is not stored; mark p_k on the axis instead.
            y.fill(pic.Gvalue);
        }
        auto* c = new QCPCurve(xAxis, yAxis);
        c->setData(x, y);
        c->setPen(QPen(seriesColor(int(k)), 1.6));
        c->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, seriesColor(int(k)), 4));
        c->setName(tr("pₖ = W zₖ, start %1").arg(k + 1));
        if (k >= 6) c->removeFromLegend();
        if (!x.isEmpty()) {
            // Where this start ends: at ‖W‖₂ = 1 the starts end at different points of W(Fix T).
            auto* end = addGraph();
            end->setData(QVector<double>{x.back()}, QVector<double>{y.back()});
            end->setLineStyle(QCPGraph::lsNone);
            end->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssStar, QPen(Qt::black, 1.2), seriesColor(int(k)), 12));
            end->removeFromLegend();
        }
    }
    if (pic.fixSetImage.size() >= 2 && !curveOnly) {
        // W maps Fix T onto the set of minimisers of G, drawn like Fix T on the landscape.
        QVector<double> x, y;
        for (const Eigen::Vector2d& q : pic.fixSetImage) { x << q(0); y << q(1); }
        // (a face's outline comes closed in the picture)
        drawEquilibriumSet(this, x, y, false, tr("argmin G = W(Fix T): %1").arg(QString::fromStdString(pic.fixSetKind)));
    }
    auto* star = addGraph();
    star->setData(QVector<double>{pic.pStar(0)}, QVector<double>{curveOnly ? pic.Gvalue : (pic.pStar.size() > 1 ? pic.pStar(1) : 0.0)});
    star->setLineStyle(QCPGraph::lsNone);
    star->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssStar, QPen(Qt::black, 2), Qt::white, 18));
    star->setName(pic.fixSetImage.empty() ? tr("p* = W z*") : tr("p* = W z* (start 1)"));
    setPlotTitle(this, curveOnly ? tr("Unit layer: G(p), p* = W z*") : tr("Unit layer: G(p), p = W z"));
    applyFigureScale(this);
    if (curveOnly) { m_box.reset(); rescaleAxes(); }
    else { xAxis->setRange(m_box->first); yAxis->setRange(m_box->second); }   // G fills the plot (its box is square)
    replot(rpQueuedReplot);
}

}  // namespace opteq

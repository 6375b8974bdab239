// SPDX-License-Identifier: GPL-3.0-or-later
#include "TheoryOverlay.h"

#include "Format.h"
#include "Names.h"

#include <cmath>

namespace opteq {

namespace {

// The set is drawn white on a dark outline; its legend icon shows both (a white line alone would
// vanish on the legend's white background).
class OutlinedCurve : public QCPCurve {
public:
    using QCPCurve::QCPCurve;
protected:
    void drawLegendIcon(QCPPainter* painter, const QRectF& rect) const override
    {
        const QPointF a(rect.left(), rect.center().y()), b(rect.right(), rect.center().y());
        painter->setPen(QPen(QColor(0, 0, 0, 200), 6, Qt::SolidLine, Qt::RoundCap));
        painter->drawLine(a, b);
        painter->setPen(QPen(Qt::white, 3, Qt::SolidLine, Qt::RoundCap));
        painter->drawLine(a, b);
    }
};

QCPCurve* polyline(QCustomPlot* plot, const QVector<double>& s, const QVector<double>& t, const QPen& pen, const QString& name)
{
    auto* c = new QCPCurve(plot->xAxis, plot->yAxis);
    c->setData(s, t);
    c->setPen(pen);
    c->setSelectable(QCP::stNone);
    if (name.isEmpty()) c->removeFromLegend();
    else c->setName(name);
    return c;
}

}  // namespace

QColor phaseArrowColor(double r)
{
    r = std::clamp(r, 0.0, 1.0);
    // Three stops, interpolated in RGB: #4575b4 → #f46d43 → #67001f.
    const QColor a(69, 117, 180), b(244, 109, 67), c(103, 0, 31);
    auto mix = [](const QColor& x, const QColor& y, double f) {
        return QColor::fromRgbF(float(x.redF() + (y.redF() - x.redF()) * f), float(x.greenF() + (y.greenF() - x.greenF()) * f),
                                float(x.blueF() + (y.blueF() - x.blueF()) * f));
    };
    return r < 0.5 ? mix(a, b, r / 0.5) : mix(b, c, (r - 0.5) / 0.5);
}

std::vector<QCPAbstractPlottable*> drawEquilibriumSet(QCustomPlot* plot, QVector<double> s, QVector<double> t, bool closed,
                                                      const QString& name)
{
    // White on a dark outline: visible on every colour of a landscape.
    if (closed && !s.isEmpty()) { s << s.front(); t << t.front(); }
    std::vector<QCPAbstractPlottable*> owned;
    owned.push_back(polyline(plot, s, t, QPen(QColor(0, 0, 0, 170), 7, Qt::SolidLine, Qt::RoundCap), QString()));
    auto* top = new OutlinedCurve(plot->xAxis, plot->yAxis);
    top->setData(s, t);
    top->setPen(QPen(Qt::white, 3.5, Qt::SolidLine, Qt::RoundCap));
    top->setSelectable(QCP::stNone);
    top->setName(name);
    if (closed) top->setBrush(QColor(255, 255, 255, 70));
    owned.push_back(top);
    return owned;
}

std::vector<QCPAbstractPlottable*> drawFixedPointSet(QCustomPlot* plot, const FixSetReport& report, const Plane& plane)
{
    std::vector<QCPAbstractPlottable*> owned;
    const FixedPointSet& set = report.set;
    auto q = [&](const Eigen::VectorXd& z) { return plane.project(z); };
    auto draw = [&](const std::vector<Eigen::VectorXd>& pts, bool closed, const QString& name) {
        QVector<double> s, t;
        for (const Eigen::VectorXd& z : pts) { const Eigen::Vector2d p = q(z); s << p(0); t << p(1); }
        for (QCPAbstractPlottable* p : drawEquilibriumSet(plot, s, t, closed, name)) owned.push_back(p);
    };
    const double far = 1e6;
    switch (set.kind) {
    case FixSetKind::Segment:
        draw(set.vertices, false, QObject::tr("Fix T: a segment"));
        break;
    case FixSetKind::Ray:
        draw({set.point, set.point + far * set.directions[0]}, false, QObject::tr("Fix T: a ray"));
        break;
    case FixSetKind::Line:
        draw({set.point - far * set.directions[0], set.point + far * set.directions[0]}, false, QObject::tr("Fix T: a line"));
        break;
    case FixSetKind::Face:
        if (set.dimension == 2 && !set.outline.empty())
            draw(set.outline, true, set.bounded ? QObject::tr("Fix T: a polygon") : QObject::tr("Fix T: an unbounded face"));
        break;
    default: break;
    }
    if (set.kind == FixSetKind::Ray || set.kind == FixSetKind::Segment) {
        // The finite end points, marked.
        auto* ends = plot->addGraph();
        QVector<double> s, t;
        for (const Eigen::VectorXd& v : set.vertices) { const Eigen::Vector2d p = q(v); s << p(0); t << p(1); }
        ends->setData(s, t);
        ends->setLineStyle(QCPGraph::lsNone);
        ends->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, QPen(Qt::black, 1.2), Qt::white, 8));
        ends->removeFromLegend();
        owned.push_back(ends);
    }
    if (report.selected) {
        auto* sel = plot->addGraph();
        const Eigen::Vector2d p = q(*report.selected);
        sel->setData(QVector<double>{p(0)}, QVector<double>{p(1)});
        sel->setLineStyle(QCPGraph::lsNone);
        sel->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(QColor(220, 20, 60), 3), Qt::NoBrush, 15));
        QString name = QObject::tr("%1 selects %2 (analytic)")
                           .arg(selectorDisplayName(report), QString::fromStdString(formatVector(*report.selected, 4, 4)));
        if (report.solverSelected) name += QObject::tr(": solver %1 away").arg(report.selectionDistance, 0, 'g', 2);
        sel->setName(name);
        sel->setLayer("markers");
        owned.push_back(sel);
    }
    return owned;
}

std::vector<QCPAbstractPlottable*> drawPhaseField(QCustomPlot* plot, const PhaseField& f, int n)
{
    std::vector<QCPAbstractPlottable*> owned;
    if (f.arrows.empty()) return owned;
    // Arrows of one length (a fraction of the spacing): direction from the field, magnitude by
    // colour, binned into a few classes so each class is one polyline.
    const GridSpec& g = f.arrowSpec;
    const double hx = g.nx > 1 ? (g.x1 - g.x0) / (g.nx - 1) : 1, hy = g.ny > 1 ? (g.y1 - g.y0) / (g.ny - 1) : 1;
    constexpr int kClasses = 7;
    QVector<double> s[kClasses], t[kClasses];
    const double nan = std::nan("");
    for (const PhaseArrow& a : f.arrows) {
        if (!std::isfinite(a.magnitude)) continue;
        const double m = f.maxMagnitude > 0 ? a.magnitude / f.maxMagnitude : 0;
        const int cls = std::clamp(int(m * kClasses), 0, kClasses - 1);
        // Direction in units of the arrow spacing (the axes may have different scales), 0.8 of
        // a spacing long; barbs a third of that at ±30°, rotated in the same units.
        const double dx = a.ds / hx, dy = a.dt / hy, norm = std::hypot(dx, dy);
        if (!(norm > 0)) continue;   // exactly zero: a fixed point on the grid, no direction to draw
        const double ex = dx / norm, ey = dy / norm;
        auto X = [&](double u) { return a.s + u * hx; };
        auto Y = [&](double v) { return a.t + v * hy; };
        const double c = std::cos(0.5), sn = std::sin(0.5), bx = -0.27 * ex, by = -0.27 * ey;
        s[cls] << X(-0.4 * ex) << X(0.4 * ex) << nan << X(0.4 * ex + c * bx - sn * by) << X(0.4 * ex) << X(0.4 * ex + c * bx + sn * by) << nan;
        t[cls] << Y(-0.4 * ey) << Y(0.4 * ey) << nan << Y(0.4 * ey + sn * bx + c * by) << Y(0.4 * ey) << Y(0.4 * ey - sn * bx + c * by) << nan;
    }
    for (int k = 0; k < kClasses; ++k) {
        if (s[k].isEmpty()) continue;
        QCPCurve* c = polyline(plot, s[k], t[k], QPen(phaseArrowColor((k + 0.5) / kClasses), 1.4), QString());
        owned.push_back(c);
    }
    // One legend entry for the arrows, in the middle colour, with the scale in words.
    QCPCurve* key = polyline(plot, {}, {}, QPen(phaseArrowColor(0.5), 1.4),
                             QObject::tr("T(z) − z, blue 0 → red %1").arg(f.maxMagnitude, 0, 'g', 3));
    owned.push_back(key);
    const QString names[2] = {n == 2 ? QObject::tr("nullcline T₁(z) = z₁") : QObject::tr("nullcline: s-part of T(z) − z = 0"),
                              n == 2 ? QObject::tr("nullcline T₂(z) = z₂") : QObject::tr("nullcline: t-part of T(z) − z = 0")};
    const QColor colors[2] = {QColor(0, 110, 60), QColor(150, 0, 150)};
    // Bands: where a component vanishes on a region (σ flat there), shaded in its nullcline's colour.
    for (int k = 0; k < 2; ++k) {
        if (f.zeroRegion[k].empty()) continue;
        const GridSpec& fs = f.components[k].spec;
        auto* band = new QCPColorMap(plot->xAxis, plot->yAxis);
        band->data()->setSize(fs.nx, fs.ny);
        band->data()->setRange(QCPRange(fs.x0, fs.x1), QCPRange(fs.y0, fs.y1));
        for (int j = 0; j < fs.ny; ++j)
            for (int i = 0; i < fs.nx; ++i)
                band->data()->setCell(i, j, f.zeroRegion[k][size_t(j) * fs.nx + i] ? 1.0 : std::nan(""));
        QCPColorGradient g;
        QColor c = colors[k];
        c.setAlpha(45);
        g.setColorStopAt(0, c);
        g.setColorStopAt(1, c);
        g.setNanHandling(QCPColorGradient::nhTransparent);
        band->setGradient(g);
        band->setDataRange(QCPRange(0, 2));
        band->setInterpolate(false);
        band->removeFromLegend();   // its nullcline's legend entry says "(shaded)"
        owned.push_back(band);
    }
    for (int k = 0; k < 2; ++k) {
        bool named = false;
        for (const ContourLine& l : f.nullclines[k]) {
            const QString name = f.zeroRegion[k].empty() ? names[k] : names[k] + QObject::tr(" (shaded)");
            QCPCurve* c = polyline(plot, QVector<double>(l.xs.begin(), l.xs.end()), QVector<double>(l.ys.begin(), l.ys.end()),
                                   QPen(colors[k], 2.6), named ? QString() : name);
            named = true;
            owned.push_back(c);
        }
    }
    // Crossings: an equilibrium where the full residual vanishes; on a slice (n > 2) elsewhere
    // only the step's projection onto the plane does, and the circle says so (dashed).
    QVector<double> es, et, ps, pt;
    for (size_t k = 0; k < f.crossings.size(); ++k) {
        const bool fixed = k < f.crossingResidual.size() && f.crossingResidual[k] <= 1e-6 * (1.0 + f.maxMagnitude);
        (fixed ? es : ps) << f.crossings[k](0);
        (fixed ? et : pt) << f.crossings[k](1);
    }
    auto mark = [&](const QVector<double>& s0, const QVector<double>& t0, Qt::PenStyle style, const QString& name) {
        if (s0.isEmpty()) return;
        auto* x = plot->addGraph();
        x->setData(s0, t0);
        x->setLineStyle(QCPGraph::lsNone);
        x->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::black, 2, style), Qt::NoBrush, 15));
        x->setName(name);
        owned.push_back(x);
    };
    mark(es, et, Qt::SolidLine, QObject::tr("nullclines cross: T(z) = z"));
    mark(ps, pt, Qt::DotLine, QObject::tr("nullclines cross off Fix T (step ⟂ slice)"));
    return owned;
}

}  // namespace opteq

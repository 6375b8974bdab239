// SPDX-License-Identifier: GPL-3.0-or-later
#include "PhasePlane.h"

#include <algorithm>
#include <cmath>

namespace opteq {

namespace {

// T(z) − z on the plane in O(n) per point: WᵀW(o + s u + t v) = Ao + s Au + t Av, precomputed.
struct PlaneField {
    const Model& model;
    const Plane& plane;
    Eigen::VectorXd Ao, Au, Av;
    Eigen::Matrix2d Ginv;
    PlaneField(const Model& m, const Eigen::VectorXd& c, const Plane& p) : model(m), plane(p)
    {
        Ao = m.WtW() * p.origin + c;
        Au = m.WtW() * p.u;
        Av = m.WtW() * p.v;
        Eigen::Matrix2d G;
        G << p.u.dot(p.u), p.u.dot(p.v), p.u.dot(p.v), p.v.dot(p.v);
        Ginv = G.inverse();
    }
    Eigen::Vector2d operator()(double s, double t, Eigen::VectorXd& work) const
    {
        work = Ao + s * Au + t * Av;
        model.applyProx(work);
        work -= plane.origin + s * plane.u + t * plane.v;   // T(z) − z
        return Ginv * Eigen::Vector2d(plane.u.dot(work), plane.v.dot(work));
    }
};

bool segmentIntersection(const Eigen::Vector2d& p, const Eigen::Vector2d& p2, const Eigen::Vector2d& q,
                         const Eigen::Vector2d& q2, Eigen::Vector2d& out)
{
    const Eigen::Vector2d r = p2 - p, s = q2 - q;
    const double den = r.x() * s.y() - r.y() * s.x();
    if (std::abs(den) < 1e-300) return false;
    const Eigen::Vector2d qp = q - p;
    const double t = (qp.x() * s.y() - qp.y() * s.x()) / den;
    const double u = (qp.x() * r.y() - qp.y() * r.x()) / den;
    if (t < 0 || t > 1 || u < 0 || u > 1) return false;
    out = p + t * r;
    return true;
}

std::vector<std::pair<Eigen::Vector2d, Eigen::Vector2d>> segmentsOf(const std::vector<ContourLine>& lines)
{
    std::vector<std::pair<Eigen::Vector2d, Eigen::Vector2d>> segs;
    for (const ContourLine& l : lines)
        for (size_t i = 0; i + 1 < l.xs.size(); ++i) {
            if (!std::isfinite(l.xs[i]) || !std::isfinite(l.xs[i + 1])) continue;
            segs.push_back({{l.xs[i], l.ys[i]}, {l.xs[i + 1], l.ys[i + 1]}});
        }
    return segs;
}

}  // namespace

PhaseField computePhaseField(const Model& model, const Eigen::VectorXd& c, const Plane& plane, const GridSpec& box,
                             int arrowsPerSide, int fine, const JobControl& job)
{
    PhaseField out;
    const PlaneField field(model, c, plane);
    arrowsPerSide = std::clamp(arrowsPerSide, 2, 200);
    fine = std::clamp(fine, 8, 1024);
    out.arrowSpec = box;
    out.arrowSpec.nx = out.arrowSpec.ny = arrowsPerSide;
    // Arrows at cell centres (not on the box's edge, where half of them would be cut off).
    const double hx = (box.x1 - box.x0) / arrowsPerSide, hy = (box.y1 - box.y0) / arrowsPerSide;
    out.arrowSpec.x0 = box.x0 + 0.5 * hx; out.arrowSpec.x1 = box.x1 - 0.5 * hx;
    out.arrowSpec.y0 = box.y0 + 0.5 * hy; out.arrowSpec.y1 = box.y1 - 0.5 * hy;
    out.arrows.resize(size_t(arrowsPerSide) * arrowsPerSide);
    GridSpec fs = box;
    fs.nx = fs.ny = fine;
    for (Grid& g : out.components) { g.spec = fs; g.values.assign(size_t(fine) * fine, 0.0); }
    const int total = fine + arrowsPerSide;
    std::atomic<int> done{0};
#pragma omp parallel
    {
        Eigen::VectorXd work(model.n());
#pragma omp for schedule(dynamic, 4)
        for (int j = 0; j < fine; ++j) {
            if (job.cancelled()) continue;
            for (int i = 0; i < fine; ++i) {
                const Eigen::Vector2d g = field(fs.x(i), fs.y(j), work);
                out.components[0].values[size_t(j) * fine + i] = g(0);
                out.components[1].values[size_t(j) * fine + i] = g(1);
            }
            done.fetch_add(1);
        }
#pragma omp for schedule(static)
        for (int j = 0; j < arrowsPerSide; ++j) {
            for (int i = 0; i < arrowsPerSide; ++i) {
                PhaseArrow& a = out.arrows[size_t(j) * arrowsPerSide + i];
                a.s = out.arrowSpec.x(i);
                a.t = out.arrowSpec.y(j);
                const Eigen::Vector2d g = field(a.s, a.t, work);
                a.ds = g(0); a.dt = g(1);
                a.magnitude = g.norm();
            }
            done.fetch_add(1);
        }
    }
    // The grid is most of the work; the crossing search (below) reports the rest.
    constexpr double gridShare = 0.9;
    job.report(gridShare * done.load() / total);
    if (job.cancelled()) { out.complete = false; return out; }
    for (const PhaseArrow& a : out.arrows) if (std::isfinite(a.magnitude)) out.maxMagnitude = std::max(out.maxMagnitude, a.magnitude);

    for (int k = 0; k < 2; ++k) {
        double m = 0;
        for (double v : out.components[k].values) if (std::isfinite(v)) m = std::max(m, std::abs(v));
        const double eps = std::max(1e-7 * m, 1e-300);
        out.nullclines[k] = computeContours(out.components[k], {-eps, eps});
        // A band only when a whole neighbourhood is zero: a transversal crossing has at most a
        // grid point or two within ε, a flat side of σ has whole regions.
        std::vector<std::uint8_t> zero(out.components[k].values.size(), 0);
        int count = 0;
        for (size_t i = 0; i < zero.size(); ++i) count += zero[i] = std::abs(out.components[k].values[i]) <= eps;
        if (count > 4 * fine) out.zeroRegion[k] = std::move(zero);
    }
    // Crossings: segment intersections of the two nullclines, refined by Newton on the field
    // (finite-difference Jacobian; nonsmooth σ still converges from the grid's guess), merged.
    const auto a = segmentsOf(out.nullclines[0]), b = segmentsOf(out.nullclines[1]);
    const double cell = std::max(box.x1 - box.x0, box.y1 - box.y0) / (fine - 1);
    auto nearBand = [&](const Eigen::Vector2d& x) {
        const int i0 = int(std::lround((x(0) - fs.x0) / (fs.x1 - fs.x0) * (fine - 1)));
        const int j0 = int(std::lround((x(1) - fs.y0) / (fs.y1 - fs.y0) * (fine - 1)));
        for (int k = 0; k < 2; ++k) {
            if (out.zeroRegion[k].empty()) continue;
            for (int j = std::max(0, j0 - 2); j <= std::min(fine - 1, j0 + 2); ++j)
                for (int i = std::max(0, i0 - 2); i <= std::min(fine - 1, i0 + 2); ++i)
                    if (out.zeroRegion[k][size_t(j) * fine + i]) return true;
        }
        return false;
    };
    // Every pair of segments: quadratic, the slow part on a fine grid with long wiggly nullclines,
    // so the cancel flag is polled per segment of the first; 64 crossings end the whole search.
    constexpr size_t maxCrossings = 64;
    Eigen::VectorXd work(model.n());
    for (size_t i = 0; i < a.size() && out.crossings.size() < maxCrossings; ++i) {
        if (job.cancelled()) { out.complete = false; return out; }
        job.report(gridShare + (1 - gridShare) * double(i) / double(a.size()));
        const auto& [p, p2] = a[i];
        for (const auto& [q, q2] : b) {
            Eigen::Vector2d x;
            if (!segmentIntersection(p, p2, q, q2, x)) continue;
            for (int it = 0; it < 50; ++it) {
                const Eigen::Vector2d g = field(x(0), x(1), work);
                if (g.norm() <= 1e-14) break;
                const double h = 1e-7 * (1.0 + x.norm());
                Eigen::Matrix2d J;
                J.col(0) = (field(x(0) + h, x(1), work) - g) / h;
                J.col(1) = (field(x(0), x(1) + h, work) - g) / h;
                const Eigen::Vector2d step = J.fullPivLu().solve(-g);
                if (!step.allFinite() || step.norm() > 4 * cell) break;
                x += step;
            }
            bool merged = false;
            for (Eigen::Vector2d& y : out.crossings) if ((y - x).norm() <= 2 * cell) { merged = true; break; }
            if (merged || nearBand(x)) continue;
            out.crossings.push_back(x);
            const Eigen::VectorXd z = plane.point(x(0), x(1));
            out.crossingResidual.push_back((model.T(z, c) - z).norm());
            if (out.crossings.size() >= maxCrossings) break;
        }
    }
    job.report(1.0);
    return out;
}

}  // namespace opteq

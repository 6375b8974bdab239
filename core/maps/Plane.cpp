// SPDX-License-Identifier: GPL-3.0-or-later
#include "Plane.h"

#include <cmath>
#include <limits>

namespace opteq {

bool Plane::valid() const
{
    if (origin.size() == 0 || u.size() != origin.size() || v.size() != origin.size()) return false;
    if (!origin.allFinite() || !u.allFinite() || !v.allFinite()) return false;
    Eigen::Matrix2d G;
    G << u.dot(u), u.dot(v), u.dot(v), v.dot(v);
    return std::abs(G.determinant()) > 1e-14 * (G.trace() * G.trace() + 1e-300);
}

Eigen::Vector2d Plane::project(const Eigen::VectorXd& z) const
{
    Eigen::Matrix2d G;
    G << u.dot(u), u.dot(v), u.dot(v), v.dot(v);
    const Eigen::VectorXd r = z - origin;
    return G.ldlt().solve(Eigen::Vector2d(u.dot(r), v.dot(r)));
}

Plane Plane::coordinate(int n, int i, int j, const Eigen::VectorXd& origin)
{
    Plane p;
    p.origin = origin.size() == n ? origin : Eigen::VectorXd::Zero(n);
    p.u = Eigen::VectorXd::Unit(n, std::clamp(i, 0, n - 1));
    p.v = Eigen::VectorXd::Unit(n, std::clamp(j, 0, n - 1));
    if (n == 2) p.origin.setZero();
    return p;
}

Plane Plane::principal(const Eigen::VectorXd& center, const std::vector<Trace>& traces)
{
    return principal(center, traces, Eigen::VectorXd::Ones(center.size()));
}

Plane Plane::principal(const Eigen::VectorXd& center, const std::vector<Trace>& traces, const Eigen::VectorXd& mask)
{
    const int n = int(center.size());
    if (n == 2) return coordinate(2, 0, 1, center);
    const Eigen::VectorXd m = mask.size() == n ? mask : Eigen::VectorXd::Ones(n);
    // The centred iterates as columns of R (n × K). The top two principal directions are the top
    // eigenvectors of R Rᵀ; when K < n they come from the K×K Gram matrix RᵀR (u = R a / ‖R a‖),
    // O(n K²) instead of O(n³): a 1000-unit model with a few hundred iterates stays in milliseconds.
    int count = 0;
    for (const Trace& t : traces)
        for (const Eigen::VectorXd& z : t.iterates) count += z.size() == n && z.allFinite();
    Plane p = coordinate(n, 0, 1, center);
    p.origin = center;
    if (count < 2) return p;
    Eigen::MatrixXd R(n, count);
    int c = 0;
    for (const Trace& t : traces)
        for (const Eigen::VectorXd& z : t.iterates)
            if (z.size() == n && z.allFinite()) R.col(c++) = (z - center).cwiseProduct(m);
    const bool gram = count < n;
    const Eigen::MatrixXd M = gram ? Eigen::MatrixXd(R.transpose() * R) : Eigen::MatrixXd(R * R.transpose());
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(M);
    const Eigen::VectorXd ev = es.eigenvalues();   // ascending
    const Eigen::Index top = ev.size() - 1;
    if (!(ev(top) > 0)) return p;
    auto direction = [&](Eigen::Index k) -> Eigen::VectorXd {
        if (!gram) return es.eigenvectors().col(k);
        return (R * es.eigenvectors().col(k)).normalized();
    };
    p.u = direction(top);
    if (top >= 1 && ev(top - 1) > 1e-12 * ev(top)) {
        p.v = direction(top - 1);
    } else {
        // One direction only: complete with the (masked-in) coordinate axis least aligned with u.
        Eigen::Index k = 0;
        double least = std::numeric_limits<double>::infinity();
        for (Eigen::Index i = 0; i < n; ++i)
            if (m(i) != 0 && std::abs(p.u(i)) < least) { least = std::abs(p.u(i)); k = i; }
        Eigen::VectorXd e = Eigen::VectorXd::Unit(n, k);
        e -= e.dot(p.u) * p.u;
        p.v = e.normalized();
    }
    // Deterministic orientation: the largest entry of each direction is positive.
    Eigen::Index iu, iv;
    p.u.cwiseAbs().maxCoeff(&iu);
    p.v.cwiseAbs().maxCoeff(&iv);
    if (p.u(iu) < 0) p.u = -p.u;
    if (p.v(iv) < 0) p.v = -p.v;
    return p;
}

GridSpec boundingGrid(const Plane& plane, const std::vector<Trace>& traces, int nx, int ny)
{
    double x0 = 0, x1 = 0, y0 = 0, y1 = 0;
    bool any = false;
    for (const Trace& t : traces)
        for (const Eigen::VectorXd& z : t.iterates) {
            if (!z.allFinite()) continue;
            const Eigen::Vector2d q = plane.project(z);
            if (!q.allFinite() || q.cwiseAbs().maxCoeff() > 1e6) continue;
            if (!any) { x0 = x1 = q(0); y0 = y1 = q(1); any = true; }
            x0 = std::min(x0, q(0)); x1 = std::max(x1, q(0));
            y0 = std::min(y0, q(1)); y1 = std::max(y1, q(1));
        }
    const double span = std::max({x1 - x0, y1 - y0, 1.0});
    GridSpec g;
    g.x0 = 0.5 * (x0 + x1) - 0.65 * span;
    g.x1 = 0.5 * (x0 + x1) + 0.65 * span;
    g.y0 = 0.5 * (y0 + y1) - 0.65 * span;
    g.y1 = 0.5 * (y0 + y1) + 0.65 * span;
    g.nx = nx;
    g.ny = ny;
    return g;
}

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#include "ScenePlane.h"

#include <cmath>

namespace opteq {

std::vector<int> domainEdgeCoordinates(const Model& model, const Eigen::VectorXd& z)
{
    std::vector<int> edge;
    if (z.size() != model.n()) return edge;
    for (int i = 0; i < model.n(); ++i) {
        const ProxOperator& op = model.operators()[size_t(model.layerOf(i))];
        const double h = 1e-7 * std::max(1.0, std::abs(z(i)));
        if (!std::isfinite(op.potential(z(i) - h)) || !std::isfinite(op.potential(z(i) + h))) edge.push_back(i);
    }
    return edge;
}

namespace {
// u, v with the edge coordinates zeroed and re-orthonormalised; false when fewer than two
// directions remain (then the plane is left as it was).
bool restrictToFace(Plane& p, const std::vector<int>& edge)
{
    const Eigen::Index n = p.u.size();
    if (edge.empty() || Eigen::Index(edge.size()) + 2 > n) return false;
    Eigen::VectorXd mask = Eigen::VectorXd::Ones(n);
    for (int i : edge) mask(i) = 0;
    Eigen::VectorXd u = p.u.cwiseProduct(mask), v = p.v.cwiseProduct(mask);
    auto freeAxis = [&](const Eigen::VectorXd& away) {
        // The free coordinate axis least aligned with `away`, made orthogonal to it.
        Eigen::Index best = -1;
        for (Eigen::Index i = 0; i < n; ++i)
            if (mask(i) != 0 && (best < 0 || std::abs(away(i)) < std::abs(away(best)))) best = i;
        Eigen::VectorXd e = Eigen::VectorXd::Unit(n, best);
        if (away.size() == n) e -= e.dot(away) * away;
        return e.normalized();
    };
    if (u.norm() < 1e-8) u = freeAxis(Eigen::VectorXd::Zero(n));
    u.normalize();
    v -= v.dot(u) * u;
    if (v.norm() < 1e-8) v = freeAxis(u);
    v.normalize();
    p.u = u;
    p.v = v;
    return true;
}
}  // namespace

ViewPlane resolveView(const Scene& scene, const std::vector<Trace>& traces, int nx, int ny, const Model* model)
{
    ViewPlane vp;
    const int n = scene.n();
    Eigen::VectorXd center = Eigen::VectorXd::Zero(n);
    for (const Trace& t : traces)
        if (t.status == SolveStatus::Converged && t.z.size() == n) { center = t.z; break; }
    if (n == 2) {
        vp.plane = Plane::coordinate(2, 0, 1, center);
        vp.description = "z₁, z₂";
    } else if (scene.view.hasPlane) {
        vp.plane = Plane{scene.view.origin, scene.view.u, scene.view.v};
        vp.description = "the scene's plane";
    } else if (scene.view.axisI >= 0 && scene.view.axisJ >= 0) {
        vp.plane = Plane::coordinate(n, scene.view.axisI, scene.view.axisJ, center);
        vp.description = "z" + std::to_string(scene.view.axisI + 1) + ", z" + std::to_string(scene.view.axisJ + 1)
            + " through the equilibrium";
        if (model) {
            // The user's axes are kept; say when one sits on a domain edge (half the slice is grey).
            for (int i : domainEdgeCoordinates(*model, center))
                if (i == scene.view.axisI || i == scene.view.axisJ)
                    vp.description += "; z" + std::to_string(i + 1) + " is on the edge of dom f there, so the slice leaves the domain on one side";
        }
    } else {
        vp.plane = Plane::principal(center, traces);
        vp.description = "principal directions of the trajectories through the equilibrium";
        if (model) {
            const std::vector<int> edge = domainEdgeCoordinates(*model, center);
            if (restrictToFace(vp.plane, edge))
                vp.description += ", within the face of dom f that holds it (" + std::to_string(edge.size()) + " of "
                    + std::to_string(n) + " coordinates on the domain's edge held fixed)";
        }
    }
    if (scene.view.hasBox) {
        vp.grid.x0 = scene.view.x0; vp.grid.x1 = scene.view.x1;
        vp.grid.y0 = scene.view.y0; vp.grid.y1 = scene.view.y1;
        vp.grid.nx = nx; vp.grid.ny = ny;
    } else if (n == 2) {
        vp.grid.nx = nx; vp.grid.ny = ny;   // [-2, 2]²
    } else {
        vp.grid = boundingGrid(vp.plane, traces, nx, ny);
    }
    // A box given by the scene (or the 2-D default) may put the equilibrium on its border or
    // outside it: widen it so the equilibrium sits at least 8% inside, and say so.
    if (center.size() == n && center.allFinite() && (scene.view.hasBox || n == 2)) {
        const Eigen::Vector2d q = vp.plane.project(center);
        GridSpec& g = vp.grid;
        bool widened = false;
        auto widen = [&](double& lo, double& hi, double x) {
            const double margin = 0.08 * std::max(hi - lo, 1e-9);
            if (x - lo < margin) { lo = x - std::max(margin, 0.1 * (hi - x)); widened = true; }
            if (hi - x < margin) { hi = x + std::max(margin, 0.1 * (x - lo)); widened = true; }
        };
        if (std::isfinite(q(0)) && std::isfinite(q(1)) && std::abs(q(0)) < 1e8 && std::abs(q(1)) < 1e8) {
            widen(g.x0, g.x1, q(0));
            widen(g.y0, g.y1, q(1));
        }
        if (widened) vp.description += " (the scene's box widened to show the equilibrium)";
    }
    return vp;
}

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#include "ScenePlane.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

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
std::string number(double x);
}

std::vector<double> domainRoom(const Model& model, const Eigen::VectorXd& z)
{
    std::vector<double> room(size_t(z.size()), std::numeric_limits<double>::infinity());
    if (z.size() != model.n()) return room;
    for (int i = 0; i < model.n(); ++i) {
        const auto [lo, hi] = model.operators()[size_t(model.layerOf(i))].domain();
        room[size_t(i)] = std::max(0.0, std::min(z(i) - lo, hi - z(i)));
    }
    return room;
}

namespace {
std::string number(double x)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2g", x);
    return buf;
}

// u, v with the held coordinates zeroed and re-orthonormalised; false when fewer than two
// directions remain (then the plane is left as it was).
bool restrictToFace(Plane& p, const std::vector<int>& held)
{
    const Eigen::Index n = p.u.size();
    if (held.empty() || Eigen::Index(held.size()) + 2 > n) return false;
    Eigen::VectorXd mask = Eigen::VectorXd::Ones(n);
    for (int i : held) mask(i) = 0;
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

// The principal plane kept inside dom f around the centre (one rule for every domain: ReLU's
// orthant, clip's box, tanh's open interval, box regularizers). Coordinates on the edge of
// dom f_i leave the domain on one side, so the face of dom f through the centre frees only the
// others; of those, the ones with less room than a fifth of the view (the scene's box, else the
// one covering the trajectories; never more than half of the face) are held as well, so E is finite on a disk of that radius around the centre
// (u, v orthonormal: a step of length ρ moves each coordinate by at most ρ). Returns the words
// after " — ", empty when no coordinate is near an edge (the plane is then left alone).
std::string keepInDomain(Plane& plane, const Eigen::VectorXd& center, const std::vector<Trace>& traces, const Model& model,
                         const SceneView& view)
{
    const int n = int(center.size());
    const std::vector<int> edge = domainEdgeCoordinates(model, center);
    const std::vector<double> room = domainRoom(model, center);
    std::vector<bool> onEdge(size_t(n), false);
    for (int i : edge) onEdge[size_t(i)] = true;
    std::vector<int> face;
    for (int i = 0; i < n; ++i)
        if (!onEdge[size_t(i)]) face.push_back(i);
    const int k = int(edge.size()), m = int(face.size());
    // An interior z* (every tanh model, ReLU with no unit at 0) already has a finite neighbourhood
    // on every plane through it: the principal plane stays as it is.
    if (k == 0) return {};
    const std::string units = std::to_string(k) + " of " + std::to_string(n) + " units";
    if (m < 2) {
        // No plane through the centre stays in dom f around it: move along the free coordinate
        // (if any) both ways and along edge coordinates into the domain only, so E is finite on
        // a half-plane (m = 1) or a quadrant (m = 0) of the slice.
        std::vector<std::pair<int, double>> axes;   // coordinate, sign into the domain
        for (int i : face) axes.emplace_back(i, 1.0);
        std::vector<int> byWeight = edge;
        std::stable_sort(byWeight.begin(), byWeight.end(), [&](int a, int b) {
            return std::hypot(plane.u(a), plane.v(a)) > std::hypot(plane.u(b), plane.v(b));
        });
        for (int i : byWeight) {
            if (axes.size() >= 2) break;
            const ProxOperator& op = model.operators()[size_t(model.layerOf(i))];
            const double h = 1e-7 * std::max(1.0, std::abs(center(i)));
            if (std::isfinite(op.potential(center(i) + h))) axes.emplace_back(i, 1.0);
            else if (std::isfinite(op.potential(center(i) - h))) axes.emplace_back(i, -1.0);
        }
        std::string words = "z* has " + units + " on the edge of dom f (to 1e-7), so the face of dom f through z* is "
            + std::to_string(m) + "-dimensional and no plane through z* keeps E finite around it";
        if (axes.size() < 2) return words + " (dom f holds no 2-D slice through z*)";
        plane.u = axes[0].second * Eigen::VectorXd::Unit(n, axes[0].first);
        plane.v = axes[1].second * Eigen::VectorXd::Unit(n, axes[1].first);
        auto name = [](int i) { return "z" + std::to_string(i + 1); };
        if (m == 1)
            return words + ": this slice moves " + name(axes[0].first) + " both ways and " + name(axes[1].first)
                + " into dom f, so E is finite only where t ≥ 0, half of the slice at z*";
        return words + ": this slice moves " + name(axes[0].first) + " and " + name(axes[1].first)
            + " into dom f, so E is finite only where s, t ≥ 0, a quadrant at z*";
    }
    // Within the face, then hold the coordinates with too little room for the view's size.
    Eigen::VectorXd mask = Eigen::VectorXd::Zero(n);
    for (int i : face) mask(i) = 1;
    Plane inFace = Plane::principal(center, traces, mask);
    restrictToFace(inFace, edge);
    GridSpec box = boundingGrid(inFace, traces, 2, 2);
    if (view.hasBox) { box.x0 = view.x0; box.x1 = view.x1; box.y0 = view.y0; box.y1 = view.y1; }
    const double target = 0.2 * std::min(box.x1 - box.x0, box.y1 - box.y0);
    std::vector<int> byRoom = face;
    std::stable_sort(byRoom.begin(), byRoom.end(), [&](int a, int b) { return room[size_t(a)] > room[size_t(b)]; });
    int roomy = 0;
    while (roomy < m && room[size_t(byRoom[size_t(roomy)])] >= target) ++roomy;
    // Half the face stays free so the slice still follows the iterates, except units of an open
    // dom f (tanh, logistic, …) with too little room: f is steep there (a trained tanh layer has
    // most units within 1e-3 of ±1, lesson 17), so they are held whenever two free units remain.
    std::vector<int> freeUnits(byRoom.begin(), byRoom.begin() + roomy), held = edge;
    const size_t floor = size_t(std::min(m, std::max(2, (m + 1) / 2)));
    for (int j = roomy; j < m; ++j) {
        const int i = byRoom[size_t(j)];
        const bool steep = model.operators()[size_t(model.layerOf(i))].base().domainOpen();
        if (freeUnits.size() < (steep ? size_t(2) : floor)) freeUnits.push_back(i);
        else held.push_back(i);
    }
    const int keep = int(freeUnits.size());
    byRoom = freeUnits;   // the free units, the least room last
    std::stable_sort(byRoom.begin(), byRoom.end(), [&](int a, int b) { return room[size_t(a)] > room[size_t(b)]; });
    const double radius = room[size_t(byRoom[size_t(keep - 1)])];
    if (int(held.size()) == k) {
        plane = inFace;
    } else {
        mask.setZero();
        for (int j = 0; j < keep; ++j) mask(byRoom[size_t(j)]) = 1;
        plane = Plane::principal(center, traces, mask);
        restrictToFace(plane, held);
    }
    // The edge to the relative 1e-7 of domainEdgeCoordinates: the Unit layer tab counts the units
    // exactly at it (to double precision), so the words say which closeness they count.
    std::string words = "the " + units + " on the edge of dom f at z* (to 1e-7)";
    if (int(held.size()) > k) words += " and " + std::to_string(held.size() - size_t(k)) + " more within " + number(radius) + " of it";
    words += " are held fixed";
    if (std::isfinite(radius)) words += ", so E is finite at least within " + number(radius) + " of z* on the slice";
    else words += ", so E is finite on the whole slice";
    return words;
}
}  // namespace

std::vector<int> saturatedUnits(const Model& model, const Eigen::VectorXd& z)
{
    std::vector<int> out;
    if (z.size() != model.n()) return out;
    for (int i = 0; i < model.n(); ++i) {
        const ProxOperator& op = model.operators()[size_t(model.layerOf(i))];
        const auto [lo, hi] = op.domain();
        const bool atEdge = (std::isfinite(hi) && z(i) >= hi) || (std::isfinite(lo) && z(i) <= lo);
        if (atEdge && !std::isfinite(op.potential(z(i)))) out.push_back(i);
    }
    return out;
}

Eigen::VectorXd insideOpenDomain(const Model& model, const Eigen::VectorXd& z)
{
    Eigen::VectorXd in = z;
    for (int i : saturatedUnits(model, z)) {
        const auto [lo, hi] = model.operators()[size_t(model.layerOf(i))].domain();
        in(i) = z(i) >= hi ? std::nextafter(hi, -std::numeric_limits<double>::infinity())
                           : std::nextafter(lo, std::numeric_limits<double>::infinity());
    }
    return in;
}

std::string describeSaturation(const Model& model, const Eigen::VectorXd& z)
{
    const std::vector<int> sat = saturatedUnits(model, z);
    if (sat.empty()) return {};
    // The ends they sit on and the activations, from the data (one layer's words for a uniform model).
    std::vector<std::string> names;
    std::vector<double> ends;
    for (int i : sat) {
        const ProxOperator& op = model.operators()[size_t(model.layerOf(i))];
        const std::string nm = op.base().name();
        if (std::find(names.begin(), names.end(), nm) == names.end()) names.push_back(nm);
        const auto [lo, hi] = op.domain();
        const double end = z(i) >= hi ? hi : lo;
        if (std::find(ends.begin(), ends.end(), end) == ends.end()) ends.push_back(end);
    }
    std::string where;
    if (ends.size() == 2 && ends[0] == -ends[1]) where = "±" + number(std::abs(ends[0]));
    else
        for (size_t j = 0; j < ends.size(); ++j) where += (j ? " or " : "") + number(ends[j]);
    std::string act;
    for (size_t j = 0; j < names.size(); ++j) act += (j ? ", " : "") + names[j];
    return std::to_string(sat.size()) + " of " + std::to_string(z.size()) + " units of z* are " + where
        + " to double precision (" + act + " saturated)";
}

ViewPlane resolveView(const Scene& scene, const std::vector<Trace>& traces, int nx, int ny, const Model* model)
{
    ViewPlane vp;
    const int n = scene.n();
    Eigen::VectorXd center = Eigen::VectorXd::Zero(n);
    bool converged = false;   // else center is no equilibrium, and there is no face to keep to
    for (const Trace& t : traces)
        if (t.status == SolveStatus::Converged && t.z.size() == n) { center = t.z; converged = true; break; }
    // An equilibrium with units rounded onto the edge of an open dom f (tanh saturated at ±1) has
    // E = +∞ there, and so would every point of a slice through it that holds those units: the
    // slice goes through z* with them one double inside dom f instead (the true z* is inside).
    std::string saturation;
    if (model && converged) {
        saturation = describeSaturation(*model, center);
        if (!saturation.empty()) center = insideOpenDomain(*model, center);
    }
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
        if (model && converged) {
            const std::string words = keepInDomain(vp.plane, center, traces, *model, scene.view);
            if (!words.empty()) vp.description += ", within the face of dom f that holds it — " + words;
        }
    }
    if (!saturation.empty())
        vp.description += " · " + saturation + ", where f = +∞ (dom f is open), so E(z*) itself is +∞ in floating point: "
            "the slice passes through z* with those units one double inside dom f, where E is finite";
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

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A 2-D plane through state space, origin + s·u + t·v (SCENES.md "view"), and grids on it.
#include "Trace.h"

#include <Eigen/Dense>
#include <vector>

namespace opteq {

struct GridSpec {
    double x0 = -2, x1 = 2, y0 = -2, y1 = 2;   // plane coordinates (s, t)
    int nx = 64, ny = 64;
    double x(int i) const { return nx > 1 ? x0 + (x1 - x0) * i / (nx - 1) : 0.5 * (x0 + x1); }
    double y(int j) const { return ny > 1 ? y0 + (y1 - y0) * j / (ny - 1) : 0.5 * (y0 + y1); }
    bool operator==(const GridSpec&) const = default;
};

struct Plane {
    Eigen::VectorXd origin, u, v;

    Eigen::VectorXd point(double s, double t) const { return origin + s * u + t * v; }
    // Plane coordinates of the point of the plane nearest to z (least squares).
    Eigen::Vector2d project(const Eigen::VectorXd& z) const;
    bool valid() const;

    // z = (s, t) for n = 2; e_i, e_j through origin otherwise.
    static Plane coordinate(int n, int i, int j, const Eigen::VectorXd& origin);
    // Through center, spanned by the top two principal directions of the iterates (relative to
    // center); falls back to coordinate axes where the iterates span fewer than two directions.
    static Plane principal(const Eigen::VectorXd& center, const std::vector<Trace>& traces);
    // The same within the coordinates where mask is non-zero (the iterates' other coordinates are
    // ignored, so u and v are 0 there unless fewer than two masked directions carry any spread).
    static Plane principal(const Eigen::VectorXd& center, const std::vector<Trace>& traces, const Eigen::VectorXd& mask);
};

// A box in plane coordinates covering the projected iterates (and the origin) with a margin.
GridSpec boundingGrid(const Plane& plane, const std::vector<Trace>& traces, int nx, int ny);

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The plane and box a scene is viewed in (SCENES.md "view"), resolved against solved traces.
#include "Scene.h"

namespace opteq {

struct ViewPlane {
    Plane plane;
    GridSpec grid;
    std::string description;   // e.g. "z₁, z₂" or "principal directions through the equilibrium"
};

// n = 2: the coordinate plane and the scene's box (default [-2, 2]²). n > 2: the explicit plane,
// else the chosen axes, else the principal directions of the traces through the equilibrium (the
// final state of the first converged trace); the box is the scene's, else it covers the traces.
// With the model, the principal plane is kept inside dom f around the equilibrium z*: coordinates
// on an edge of dom f there (a ReLU unit at 0, a box at its bound) are held fixed (the face of
// dom f through z*), and so are those with too little room for the view (at most half the face),
// so E is finite on a disk around z*. When the face has fewer than two dimensions no plane does
// that: the slice then moves edge coordinates into dom f only (E finite on a half-plane or a
// quadrant). The description says which, after " — ", in words that name the numbers.
ViewPlane resolveView(const Scene& scene, const std::vector<Trace>& traces, int nx, int ny, const Model* model = nullptr);

// Coordinates of z on an edge of dom(f_i + R_i): a step of either sign leaves the domain.
std::vector<int> domainEdgeCoordinates(const Model& model, const Eigen::VectorXd& z);
// Distance of each z_i to the nearer end of dom(f_i + R_i): 0 on an edge, +inf when unbounded.
std::vector<double> domainRoom(const Model& model, const Eigen::VectorXd& z);

// Units of z at or beyond a finite end of an OPEN dom f_i, where f_i(z_i) = +∞: tanh(v) rounds
// to exactly ±1 for |v| > ~19 (logistic to 0 or 1, arctan to ±π/2), so an equilibrium computed
// in double precision can sit on the edge of dom f although the true one is inside it. Units on
// the edge of a closed domain (ReLU at 0, clip at a bound) have f finite there and are not counted.
std::vector<int> saturatedUnits(const Model& model, const Eigen::VectorXd& z);
// z with its saturated units moved one double inward (nextafter toward dom f), where f is
// finite: the nearest point to z at which E can be evaluated in floating point.
Eigen::VectorXd insideOpenDomain(const Model& model, const Eigen::VectorXd& z);
// "k of n units of z* are ±1 to double precision (tanh saturated)"-like words for those units;
// empty when there are none.
std::string describeSaturation(const Model& model, const Eigen::VectorXd& z);

}  // namespace opteq

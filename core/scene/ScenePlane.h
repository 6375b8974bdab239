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

}  // namespace opteq

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
// With the model, the principal plane is kept inside the face of dom f that holds the
// equilibrium: coordinates sitting on a domain edge there (a ReLU unit at 0, a box at its bound)
// are left out of its directions, since moving them leaves the domain (E = +∞) on one side.
// The description says what was done, or that the slice crosses the edge when it must.
ViewPlane resolveView(const Scene& scene, const std::vector<Trace>& traces, int nx, int ny, const Model* model = nullptr);

// Coordinates of z on an edge of dom(f_i + R_i): a step of either sign leaves the domain.
std::vector<int> domainEdgeCoordinates(const Model& model, const Eigen::VectorXd& z);

}  // namespace opteq

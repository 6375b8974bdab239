// SPDX-License-Identifier: GPL-3.0-or-later
#include "ScenePlane.h"

namespace opteq {

ViewPlane resolveView(const Scene& scene, const std::vector<Trace>& traces, int nx, int ny)
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
    } else {
        vp.plane = Plane::principal(center, traces);
        vp.description = "principal directions of the trajectories through the equilibrium";
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
    return vp;
}

}  // namespace opteq

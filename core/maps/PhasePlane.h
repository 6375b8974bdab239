// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The phase plane of the fixed-point map on a view plane (pplane-style): the field T(z) − z as
// arrows, the nullclines where one plane component of T(z) − z vanishes, and where they cross.
// For n = 2 on the coordinate plane the components are T_i(z) − z_i; for n > 2 they are the
// field's components in the slice's own coordinates (s, t) (its projection onto the plane).
// Pure function of (model, c, plane, box); computed in a Controller job, drawn by LandscapeView.
#include "Contours.h"
#include "JobControl.h"
#include "Landscape.h"
#include "Model.h"
#include "Plane.h"

#include <cstdint>
#include <vector>

namespace opteq {

struct PhaseArrow {
    double s = 0, t = 0;      // base, plane coordinates
    double ds = 0, dt = 0;    // field T(z) − z in plane coordinates
    double magnitude = 0;     // ‖(ds, dt)‖
};

struct PhaseField {
    GridSpec arrowSpec;                     // where arrows sit
    std::vector<PhaseArrow> arrows;
    double maxMagnitude = 0;
    // nullclines[k]: component k (0: s, 1: t) of the field = 0, as the contours at ±ε of that
    // component (ε = 1e-7·max|component|): one line where the component changes sign, the two
    // edges of a band where it is zero on a whole region (ReLU's flat side: T₁(z) = z₁ for z₁ ≥ 0).
    std::vector<ContourLine> nullclines[2];
    Grid components[2];                     // the fine grids the nullclines were traced on
    // Where a component is zero on a whole region (|·| ≤ ε at a grid point), row-major on the
    // fine grid: a nullcline that is a band, drawn shaded. Empty when there is no such point.
    std::vector<std::uint8_t> zeroRegion[2];
    // Where the two nullclines meet transversally, refined by Newton (a meeting along a band is
    // a whole set, drawn as Fix T instead), with ‖T(z) − z‖ in the full space there: for n > 2 a
    // crossing only says the projected step vanishes; it is an equilibrium when that is ~0.
    std::vector<Eigen::Vector2d> crossings;
    std::vector<double> crossingResidual;
    bool complete = true;
};

// arrowsPerSide arrows on each side of the box; nullclines on a fine×fine grid.
PhaseField computePhaseField(const Model& model, const Eigen::VectorXd& c, const Plane& plane, const GridSpec& box,
                             int arrowsPerSide = 21, int fine = 161, const JobControl& job = {});

}  // namespace opteq

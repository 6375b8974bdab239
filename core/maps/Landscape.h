// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The hidden objective E on a grid of a plane (+inf where z leaves dom f), computed in parallel.
#include "JobControl.h"
#include "Model.h"
#include "Plane.h"

namespace opteq {

struct Grid {
    GridSpec spec;
    std::vector<double> values;   // row-major: values[j * nx + i] at (x(i), y(j))
    bool complete = true;         // false when cancelled part-way
    double at(int i, int j) const { return values[size_t(j) * spec.nx + i]; }
    double minFinite() const;
    double maxFinite() const;
};

Grid computeLandscape(const Model& model, const Eigen::VectorXd& c, const Plane& plane, const GridSpec& spec,
                      const JobControl& job = {});

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Contour lines of a grid by marching squares (QCustomPlot has none). Cells touching a
// non-finite value (outside dom f) are skipped, so lines stop at the domain's edge.
#include "Landscape.h"

namespace opteq {

struct ContourLine {
    double level = 0;
    // Polylines joined end to end, separated by NaN entries (a break in the pen).
    std::vector<double> xs, ys;
};

// count levels at evenly spaced quantiles of the finite values: they follow the data, so the
// rings stay visible near a flat minimum as well as on steep walls.
std::vector<double> contourLevels(const Grid& grid, int count);
std::vector<ContourLine> computeContours(const Grid& grid, const std::vector<double>& levels);

}  // namespace opteq

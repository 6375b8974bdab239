// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Basin maps: for a grid of starts on a plane, where each start ends, after how many
// iterations, and with which status. Parallel over rows with OpenMP; cancellable.
#include "JobControl.h"
#include "Plane.h"
#include "SolverContext.h"

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <utility>

namespace opteq {

struct BasinMap {
    GridSpec spec;
    Plane plane;
    std::vector<double> endS, endT;        // final state in plane coordinates, row-major like Grid
    std::vector<double> endFirst;          // first state coordinate of the final state (z_1)
    std::vector<int> iterations;
    std::vector<std::uint8_t> status;      // SolveStatus
    bool complete = true;
    size_t index(int i, int j) const { return size_t(j) * spec.nx + i; }
    int cells() const { return spec.nx * spec.ny; }
};

// How basin maps are coloured, shared by the maps that are compared (with and without a prior) so
// they compare cell by cell. A converged cell's hue is its end point's position along the set of
// equilibria: the principal axis of the converged ends (in plane coordinates), from lo to hi.
// When every converged end lies within endTolerance of the others the equilibrium is unique (to
// the solver tolerance) and `single` says so: one colour, never a stretched scale over round-off
// (lesson 7's "fake basins" at ‖W‖₂ = 0.99 were 1e-7 apart).
struct BasinColouring {
    double ox = 0, oy = 0;   // the mean converged end
    double ax = 1, ay = 0;   // unit direction of the axis
    double lo = 0, hi = 1;   // range of positions along it, measured from the plane's origin
                             // (so an axis-aligned set reads in plane coordinates, e.g. s from 0 to 2)
    bool single = true;      // one equilibrium (or none converged): one colour
    int converged = 0;       // converged cells over all the maps
    double position(double s, double t) const { return s * ax + t * ay; }
    // "s", "t" when the axis is (within 1e-3) a plane axis, else empty.
    const char* axisName() const { return std::abs(ay) < 1e-3 ? "s" : (std::abs(ax) < 1e-3 ? "t" : ""); }
    // In [0, 1] along the scale (0.5 when single).
    double fraction(double s, double t) const
    {
        if (single || !(hi > lo)) return 0.5;
        const double f = (position(s, t) - lo) / (hi - lo);
        return f < 0 ? 0.0 : (f > 1 ? 1.0 : f);
    }
};
BasinColouring basinColouring(std::initializer_list<const BasinMap*> maps, double endTolerance);

// What a basin map says in numbers (the window shows them under the map; `opteq basins --json`
// prints them): how the cells ended, how many distinct end points the converged cells reached
// (clusters of ends closer than endTolerance, in plane coordinates) and the largest distance
// between two converged ends.
struct BasinSummary {
    int cells = 0, converged = 0, diverged = 0, maxIter = 0, cancelled = 0;
    int distinctEnds = 0;   // -1 when the ends are too far apart for the tolerance to count them
    double endSpread = 0;
    double meanS = 0, meanT = 0;   // the mean converged end (plane coordinates): "the" equilibrium when there is one
};
BasinSummary summarizeBasins(const BasinMap& map, double endTolerance);

// How far apart two converged ends may be and still be one equilibrium: with ‖W‖₂ < 1 a state
// with residual <= tol lies within tol / (1 − ‖W‖₂²) of z*, so two ends within twice that (×10
// for safety) are the same point. Without a contraction there is no such bound: 100·tol, which
// covers the O(1/k) tails of Halpern-type schemes stopped at residual tol. Never below 1e-12.
double endTolerance(const SolverContext& ctx);

BasinMap computeBasins(const SolverContext& ctx, const Plane& plane, const GridSpec& spec, const JobControl& job = {});

}  // namespace opteq

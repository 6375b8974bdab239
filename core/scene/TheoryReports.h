// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The theory views' results for a whole scene, computed from its solver runs (never re-solving):
// Fix T with each prior's choice on it, the Jacobian spectrum at every start's end point, and
// the unit-layer picture. Pure functions; the window runs them in Controller jobs and the CLI
// (`opteq fixset`, `opteq spectrum`, `opteq export --plot unit-layer`) calls them directly.
#include "Contours.h"
#include "FixedPointSet.h"
#include "JacobianSpectrum.h"
#include "SceneSolution.h"

#include <optional>

namespace opteq {


// From the first converged trace of runs[0] (the scene's method); Empty when none converged,
// ‖W‖₂ <= 1 and every start drifted off (diverged, or drifting at a constant step at max_iter).
FixSetReport fixSetReport(const Scene& scene, const Model& model, const std::vector<SolverRun>& runs);

struct StartSpectrum {
    int start = 1;               // numbered from 1
    SolveStatus status = SolveStatus::MaxIter;
    JacobianSpectrum spectrum;   // at that start's final state
    double observedRate = 0;     // of plain-iteration-like runs; 0 when not measured
};
std::vector<StartSpectrum> spectraAtEndPoints(const Model& model, const Eigen::VectorXd& c, const SolverRun& run,
                                              const JobControl& job = {});

// The unit layer next to the OptEq layer: G on a plane of p-space through p* = W z*, with the
// trajectories p_k = W z_k of runs[0] (the unit layer's own iteration from p₀ = W z₀).
struct UnitLayerPicture {
    Plane plane;                 // in p-space (ℝ^m): the coordinate plane p₁, p₂ through p* (m ≥ 2)
    Grid G;                      // G(p) on the plane; m = 1: a 1-D curve in G.values with ny = 1
    std::vector<ContourLine> contours;
    std::vector<std::vector<Eigen::Vector2d>> paths;   // per start, plane coordinates
    Eigen::VectorXd zStar, pStar;
    // ‖W‖₂ = 1 with Fix T a set: its image W(Fix T) = argmin G in plane coordinates (segment or
    // ray ends, a face's outline), and the set's kind in words.
    std::vector<Eigen::Vector2d> fixSetImage;
    std::string fixSetKind;
    double E = 0, Gvalue = 0;    // E(z*), G(p*)
    // Units of z* rounded onto the edge of an open dom f (tanh saturated at ±1: f = +∞ there, so
    // E(z*) = +∞ in floating point), their words, and E with them one double inside dom f.
    int saturated = 0;
    std::string saturation;
    double Einside = 0;
    double gradientNorm = 0;     // ‖∇G(p*)‖
    double fixedPointResidual = 0; // ‖T(z*) − z*‖
    bool valid = false;
    std::string problem;         // why there is no picture
    bool complete = true;
};
UnitLayerPicture computeUnitLayerPicture(const SceneSolution& sol, int grid = 120, const JobControl& job = {});
// The sentence comparing E(z*) with G(p*) (plain text): the minima are called equal only when both
// are finite and differ by no more than rounding; E(z*) = +∞ is explained by the saturated units
// (counted from z*), with E one double inside dom f beside the dual value G(p*).
std::string unitLayerComparison(const UnitLayerPicture& pic);

}  // namespace opteq

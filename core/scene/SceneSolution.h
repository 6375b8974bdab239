// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Everything the explorer draws for a scene, computed in one core job: the trajectories of every
// solver from every start, the view plane, the landscape of E with its contours, the fixed-point
// set where it is not a single point, and the before/after of a prior of way 1. Returned as an
// immutable value (the controller wraps it in a shared_ptr<const> to hand it to the GUI thread).
#include "Contours.h"
#include "FixedPointSet.h"
#include "JobControl.h"
#include "Scene.h"
#include "ScenePlane.h"
#include "Trace.h"

#include <memory>
#include <optional>

namespace opteq {

struct SolverRun {
    Method method = Method::Picard;
    bool withPrior = false;
    std::string label;             // "picard", "anderson", "halpern on picard", …
    std::vector<Trace> traces;     // one per start
};

struct SceneSolution {
    // What this solution answers: the scene and the model built from it (WᵀW, ‖W‖₂ computed once
    // in the job). Views and follow-up jobs read these instead of rebuilding a Model.
    std::shared_ptr<const Scene> request;
    std::shared_ptr<const Model> model;
    double spectralNorm = 0;
    std::vector<SolverRun> runs;   // runs[0]: the scene's solver (with its prior); then the comparisons
    ViewPlane view;
    Grid landscape;
    std::vector<ContourLine> contours;
    std::optional<Eigen::VectorXd> equilibrium;   // final state of the first converged primary trace
    double objectiveAtEquilibrium = 0;            // E* (when the equilibrium is known)
    double observedRate = 0;                      // residual ratio per iteration (geometric mean) of runs[0]
    // ‖W‖₂ >= 1: end points of plain iteration from a grid of starts (they sample Fix T).
    std::vector<Eigen::Vector2d> fixedPointSamples;
    // ‖W‖₂ = 1 (n <= 512): Fix T as the set it is, with the prior's choice on it (TheoryReports.h).
    std::optional<FixSetReport> fixSet;
    // Prior of way 1: the equilibrium without the regularizers, and E without them.
    std::optional<Eigen::VectorXd> unregularizedEquilibrium;
    Grid landscapeWithoutPrior;
    bool complete = true;
    std::string problem;   // non-empty when something could not be computed (said to the user)
};

struct SolutionOptions {
    int grid = 160;             // landscape resolution (N×N)
    int contourLevels = 14;
    int fixedPointGrid = 24;
    bool beforeAfter = true;    // compute the unregularized comparison when the model has regularizers
    // The landscape grid for a first, quick pass on a model with n units: at most ~10⁶
    // potential evaluations (n·g²), at least 32, at most grid. Equal to grid for small n.
    static int quickGrid(int n, int grid);
};

// The solvers a scene runs: the scene's method with its prior, then each compared method.
struct RunSpec {
    Method method = Method::Picard;
    bool withPrior = false;
    std::string label;   // "picard", "halpern (T: picard)", …
};
std::vector<RunSpec> runList(const Scene& scene);

// Every solver the scene runs, from every start: runs[0] is the scene's method with its prior,
// then each method of `compare` (without the prior). The one place that list is made: the window,
// its exports and `opteq trace` agree on it.
// Iterates an export keeps per trace: every one (up to 2^20) while all traces' numbers fit in
// budgetBytes of doubles (their text is about three times that), else fewer (down-sampled).
int exportIteratesFor(const Model& model, int traces, double budgetBytes = 256.0 * 1024 * 1024);
// The same for every trace a scene's export solves (each start, for its solver and each compared one).
int exportIteratesFor(const Scene& scene, const Model& model);
// 1 when every stored trace kept every iterate, else the largest stride a down-sampled one kept.
int storedIterateStride(const std::vector<SolverRun>& runs);

std::vector<SolverRun> solveRuns(const Scene& scene, const Model& model, const TraceOptions& options, const JobControl& job = {},
                                 std::string* problem = nullptr);

SceneSolution solveScene(const Scene& scene, const SolutionOptions& options = {}, const JobControl& job = {});
// The same for a shared scene (no copy of its matrices: the solution points at it).
SceneSolution solveScene(std::shared_ptr<const Scene> scene, const SolutionOptions& options = {}, const JobControl& job = {});

// The same solution with its landscapes (and contours) recomputed on a grid×grid grid of the same
// view box: the second pass of progressive refinement for large n. Uses coarse.model.
SceneSolution refineLandscape(const SceneSolution& coarse, int grid, int contourLevels, const JobControl& job = {});

// How many iterates each display trace keeps (down-sampled past it): a memory budget of the
// model's matrices, at least 4 MiB, shared by `traces` traces.
int storedIteratesFor(const Model& model, int traces);


}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#include "SceneSolution.h"

#include "TheoryReports.h"

#include "BasinMap.h"
#include "Landscape.h"
#include "Solve.h"

#include <algorithm>
#include <cmath>

namespace opteq {

int storedIteratesFor(const Model& model, int traces)
{
    // Display traces may take as many bytes as the model's matrices (W and WᵀW), at least 4 MiB,
    // so peak memory stays within 2× the matrices plus the final states at large n; exports
    // re-solve and keep every iterate.
    const double matrixBytes = 8.0 * (double(model.W().size()) + double(model.WtW().size()));
    const double budget = std::max(matrixBytes, 4.0 * 1024 * 1024);
    const double perIterate = 8.0 * std::max(1, model.n()) * std::max(1, traces);
    return int(std::clamp(budget / perIterate, 2.0, 2048.0));
}

int exportIteratesFor(const Model& model, int traces, double budgetBytes)
{
    const double perIterate = 8.0 * std::max(1, model.n() + 3) * std::max(1, traces);
    return int(std::clamp(budgetBytes / perIterate, 2.0, double(1 << 20)));
}

int exportIteratesFor(const Scene& scene, const Model& model)
{
    return exportIteratesFor(model, int(scene.effectiveStarts().size() * (1 + scene.compare.size())));
}

int storedIterateStride(const std::vector<SolverRun>& runs)
{
    int stride = 1;
    for (const SolverRun& run : runs)
        for (const Trace& t : run.traces)
            if (t.iterateIndex.size() > 1) stride = std::max(stride, t.iterateIndex[1] - t.iterateIndex[0]);
    return stride;
}

namespace {
// Words for a slice that leaves the domain (n > 2; in 2-D the grey region is the domain itself).
void describeDomain(SceneSolution& sol)
{
    if (!sol.request || sol.request->n() <= 2 || sol.landscape.values.empty()) return;
    size_t outside = 0;
    for (double v : sol.landscape.values) outside += !std::isfinite(v);
    const double share = double(outside) / double(sol.landscape.values.size());
    // A plane through the equilibrium (in dom f) never lies wholly outside it, however thin the
    // finite part is on the grid.
    const Plane& p = sol.view.plane;
    const bool throughEquilibrium = sol.equilibrium && sol.equilibrium->size() == p.origin.size()
        && (p.point(p.project(*sol.equilibrium)(0), p.project(*sol.equilibrium)(1)) - *sol.equilibrium).norm()
               <= 1e-9 * (1 + sol.equilibrium->norm());
    if (share >= 0.995 && throughEquilibrium)
        sol.view.description += " · E is finite only on a sliver of the slice around z* (under 0.5% of it): choose other axes";
    else if (share >= 0.995) sol.view.description += " · the whole slice lies outside dom f (E = +∞): choose other axes";
    else if (share > 0.01)
        sol.view.description += " · " + std::to_string(int(std::lround(100 * share))) + "% of the slice lies outside dom f (grey, E = +∞)";
}
}  // namespace

std::vector<RunSpec> runList(const Scene& scene)
{
    const bool prior = scene.prior.type != PriorType::None;
    std::vector<RunSpec> list{{scene.solver.method, prior,
                               prior ? std::string(PriorSettings::typeName(scene.prior.type)) + " (T: "
                                           + SolverSettings::methodName(scene.solver.method) + ")"
                                     : std::string(SolverSettings::methodName(scene.solver.method))}};
    for (Method m : scene.compare)
        if (m != scene.solver.method || prior) list.push_back({m, false, SolverSettings::methodName(m)});
    return list;
}

std::vector<SolverRun> solveRuns(const Scene& scene, const Model& model, const TraceOptions& options, const JobControl& job,
                                 std::string* problem)
{
    const std::vector<RunSpec> list = runList(scene);
    const std::vector<Eigen::VectorXd> starts = scene.effectiveStarts();
    std::vector<SolverRun> runs;
    for (size_t r = 0; r < list.size(); ++r) {
        if (job.cancelled()) return runs;
        SolverSettings s = scene.solver;
        s.method = list[r].method;
        const SolverContext ctx(model, scene.input, s, list[r].withPrior ? scene.prior : PriorSettings{});
        SolverRun run;
        run.method = s.method;
        run.withPrior = list[r].withPrior;
        run.label = list[r].label;
        JobControl inner;
        inner.cancel = job.cancel;
        run.traces = solveBatch(ctx, starts, options, inner);
        if (problem && !ctx.problem().empty()) *problem = ctx.problem();
        runs.push_back(std::move(run));
        job.report(double(r + 1) / list.size());
    }
    return runs;
}

SceneSolution solveScene(const Scene& scene, const SolutionOptions& options, const JobControl& job)
{
    return solveScene(std::make_shared<const Scene>(scene), options, job);
}

SceneSolution solveScene(std::shared_ptr<const Scene> shared, const SolutionOptions& options, const JobControl& job)
{
    const Scene& scene = *shared;
    SceneSolution sol;
    sol.request = std::move(shared);
    sol.model = std::make_shared<const Model>(scene.model());
    const Model& model = *sol.model;
    sol.spectralNorm = model.spectralNorm();
    const std::vector<Eigen::VectorXd> starts = scene.effectiveStarts();

    TraceOptions opts;
    opts.maxStoredIterates = storedIteratesFor(model, int(starts.size() * (1 + scene.compare.size())));
    // Progress: solves, then the landscape (the bulk for large grids).
    const double solveShare = 0.4;
    JobControl solveJob;
    solveJob.cancel = job.cancel;
    if (job.progress) solveJob.progress = [&](double f) { job.report(solveShare * f); };
    sol.runs = solveRuns(scene, model, opts, solveJob, &sol.problem);
    if (job.cancelled() || sol.runs.empty()) { sol.complete = false; return sol; }
    for (const Trace& t : sol.runs[0].traces)
        if (t.status == SolveStatus::Converged) {
            sol.equilibrium = t.z;
            sol.objectiveAtEquilibrium = t.finalObjective;
            break;
        }
    if (!sol.runs[0].traces.empty()) sol.observedRate = observedRate(sol.runs[0].traces[0].absResidual);

    std::vector<Trace> all;
    for (const SolverRun& r : sol.runs) all.insert(all.end(), r.traces.begin(), r.traces.end());
    sol.view = resolveView(scene, all, options.grid, options.grid, &model);
    const Eigen::VectorXd c = model.bias(scene.input);
    JobControl landscapeJob;
    landscapeJob.cancel = job.cancel;
    if (job.progress) landscapeJob.progress = [&](double f) { job.report(solveShare + (1 - solveShare) * 0.8 * f); };
    sol.landscape = computeLandscape(model, c, sol.view.plane, sol.view.grid, landscapeJob);
    if (!sol.landscape.complete) { sol.complete = false; return sol; }
    sol.contours = computeContours(sol.landscape, contourLevels(sol.landscape, options.contourLevels));
    describeDomain(sol);

    if (sol.spectralNorm >= 1.0 - 1e-9 && sol.spectralNorm <= 1.0 + 1e-9 && options.fixedPointGrid > 1) {
        // Fix T may be a continuum: sample it with the end points of plain iteration from a grid.
        SolverSettings s = scene.solver;
        s.method = Method::Picard;
        const SolverContext ctx(model, scene.input, s);
        GridSpec g = sol.view.grid;
        g.nx = g.ny = options.fixedPointGrid;
        const BasinMap m = computeBasins(ctx, sol.view.plane, g, JobControl{job.cancel, {}});
        for (int k = 0; k < m.cells(); ++k)
            if (SolveStatus(m.status[k]) == SolveStatus::Converged) sol.fixedPointSamples.emplace_back(m.endS[k], m.endT[k]);
    }
    if (std::abs(sol.spectralNorm - 1.0) <= 1e-9 && model.n() <= 512 && !job.cancelled())
        sol.fixSet = fixSetReport(scene, model, sol.runs);
    if (options.beforeAfter && model.hasRegularizers() && !job.cancelled()) {
        const Model plain = model.withoutRegularizers();
        SolverSettings s = scene.solver;
        const SolverContext ctx(plain, scene.input, s);
        const Trace t = solve(ctx, starts[0], TraceOptions{false, false, false, 0}, job.cancel);
        if (t.status == SolveStatus::Converged) sol.unregularizedEquilibrium = t.z;
        sol.landscapeWithoutPrior = computeLandscape(plain, c, sol.view.plane, sol.view.grid, JobControl{job.cancel, {}});
    }
    sol.complete = !job.cancelled();
    job.report(1.0);
    return sol;
}

int SolutionOptions::quickGrid(int n, int grid)
{
    const double g = std::sqrt(1e6 / std::max(1, n));
    return std::clamp(int(g), std::min(32, grid), grid);
}

SceneSolution refineLandscape(const SceneSolution& coarse, int grid, int levels, const JobControl& job)
{
    SceneSolution sol = coarse;
    if (!coarse.model || !coarse.request) return sol;
    const Model& model = *coarse.model;
    const Eigen::VectorXd c = model.bias(coarse.request->input);
    sol.view.grid.nx = sol.view.grid.ny = grid;
    sol.landscape = computeLandscape(model, c, sol.view.plane, sol.view.grid, job);
    if (!sol.landscape.complete) { sol.complete = false; return sol; }
    sol.contours = computeContours(sol.landscape, contourLevels(sol.landscape, levels));
    sol.view.description = coarse.view.description.substr(0, coarse.view.description.find(" · "));
    describeDomain(sol);
    if (!coarse.landscapeWithoutPrior.values.empty())
        sol.landscapeWithoutPrior = computeLandscape(model.withoutRegularizers(), c, sol.view.plane, sol.view.grid, JobControl{job.cancel, {}});
    sol.complete = !job.cancelled();
    return sol;
}

}  // namespace opteq

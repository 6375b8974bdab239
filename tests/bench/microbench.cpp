// SPDX-License-Identifier: GPL-3.0-or-later
// Google Benchmark micro-benchmarks of the hot kernels (run by hand).
#include "Contours.h"
#include "DeepGenerator.h"
#include "Landscape.h"
#include "Scene.h"
#include "Solve.h"

#include <benchmark/benchmark.h>

using namespace opteq;

static void BM_ProxSmooth(benchmark::State& state)
{
    Activation a;
    a.type = ActivationType(state.range(0));
    double v = -3, acc = 0;
    for (auto _ : state) {
        acc += a.prox(v, 0.7);
        v = v > 3 ? -3 : v + 0.001;
    }
    benchmark::DoNotOptimize(acc);
    state.SetLabel(Activation::typeName(a.type));
}
BENCHMARK(BM_ProxSmooth)->DenseRange(0, Activation::typeCount - 1);

static void BM_PicardSolve2D(benchmark::State& state)
{
    const Scene s = defaultScene();
    const Model m = s.model();
    const SolverContext ctx(m, s.input, s.solver);
    TraceOptions o;
    o.storeIterates = o.storeScalars = o.computeObjective = false;
    for (auto _ : state) benchmark::DoNotOptimize(solve(ctx, Eigen::Vector2d(1.0, -1.0), o).z);
}
BENCHMARK(BM_PicardSolve2D);

static void BM_Landscape256(benchmark::State& state)
{
    const Scene s = defaultScene();
    const Model m = s.model();
    GridSpec g;
    g.nx = g.ny = 256;
    const Plane p = Plane::coordinate(2, 0, 1, Eigen::VectorXd::Zero(2));
    for (auto _ : state) benchmark::DoNotOptimize(computeLandscape(m, m.bias(s.input), p, g).values.data());
}
BENCHMARK(BM_Landscape256)->Unit(benchmark::kMillisecond);

static void BM_Contours256(benchmark::State& state)
{
    const Scene s = defaultScene();
    const Model m = s.model();
    GridSpec g;
    g.nx = g.ny = 256;
    const Grid grid = computeLandscape(m, m.bias(s.input), Plane::coordinate(2, 0, 1, Eigen::VectorXd::Zero(2)), g);
    const std::vector<double> levels = contourLevels(grid, 14);
    for (auto _ : state) benchmark::DoNotOptimize(computeContours(grid, levels).size());
}
BENCHMARK(BM_Contours256)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();

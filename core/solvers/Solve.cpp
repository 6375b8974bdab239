// SPDX-License-Identifier: GPL-3.0-or-later
#include "Solve.h"

#include "Solvers.h"

#include <cmath>
#include <omp.h>

namespace opteq {

Trace solve(const SolverContext& ctx, const Eigen::VectorXd& z0, const TraceOptions& opts,
            const std::atomic<bool>* cancel)
{
    Trace out;
    TraceRecorder rec(ctx, opts, cancel, out);
    if (ctx.prior().type != PriorType::None) {
        detail::runPrior(ctx, z0, rec);
        return out;
    }
    switch (ctx.solver().method) {
    case Method::Picard: detail::runRelaxed(ctx, z0, 1.0, rec); break;
    case Method::KM: detail::runRelaxed(ctx, z0, ctx.solver().theta, rec); break;
    case Method::FB: detail::runForwardBackward(ctx, z0, rec, out); break;
    case Method::Anderson: detail::runAnderson(ctx, z0, rec, out); break;
    case Method::Broyden: detail::runBroyden(ctx, z0, rec, out); break;
    case Method::Fista: detail::runFista(ctx, z0, rec, out); break;
    case Method::PeacemanRachford: detail::runPeacemanRachford(ctx, z0, rec, out); break;
    }
    return out;
}

std::vector<Trace> solveBatch(const SolverContext& ctx, const std::vector<Eigen::VectorXd>& starts,
                              const TraceOptions& opts, const JobControl& job)
{
    std::vector<Trace> out(starts.size());
    std::atomic<int> done{0};
    const int count = int(starts.size());
    // Each start stops on its own (per sample, not per batch); dynamic schedule balances
    // starts that take very different iteration counts.
#pragma omp parallel for schedule(dynamic, 1)
    for (int i = 0; i < count; ++i) {
        if (job.cancelled()) {
            out[i].z = starts[i];
            out[i].status = SolveStatus::Cancelled;
            continue;   // OpenMP loops cannot break: skip the rest
        }
        out[i] = solve(ctx, starts[i], opts, job.cancel);
        const int d = done.fetch_add(1) + 1;
        if (omp_get_thread_num() == 0) job.report(double(d) / count);
    }
    job.report(1.0);
    return out;
}

namespace {
// The second half of a residual curve, without the final iterates where round-off flattens it:
// [begin, end], or false when too short to read a rate from.
bool secondHalf(const std::vector<double>& r, int& begin, int& end)
{
    end = int(r.size()) - 1;
    while (end > 0 && !(r[size_t(end)] > 1e-14)) --end;
    begin = end / 2;
    return end - begin >= 2 && r[size_t(begin)] > 0 && r[size_t(end)] > 0;
}
}  // namespace

double observedRate(const std::vector<double>& r)
{
    int begin, end;
    if (!secondHalf(r, begin, end)) return 0.0;
    return std::pow(r[size_t(end)] / r[size_t(begin)], 1.0 / (end - begin));
}

double observedSlope(const std::vector<double>& r)
{
    int begin, end;
    if (!secondHalf(r, begin, end)) return std::nan("");
    return std::log(r[size_t(end)] / r[size_t(begin)]) / std::log(double(end) / begin);
}


}  // namespace opteq

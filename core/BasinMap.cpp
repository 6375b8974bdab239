// SPDX-License-Identifier: GPL-3.0-or-later
#include "BasinMap.h"

#include "TraceRecorder.h"

#include <limits>
#include <omp.h>

namespace opteq {

std::pair<double, double> endRange(std::initializer_list<const BasinMap*> maps)
{
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const BasinMap* m : maps) {
        if (!m) continue;
        for (int k = 0; k < m->cells(); ++k)
            if (SolveStatus(m->status[k]) == SolveStatus::Converged) { lo = std::min(lo, m->endS[k]); hi = std::max(hi, m->endS[k]); }
    }
    if (!(lo <= hi)) return {0.0, 1.0};
    return {lo, hi};
}

BasinMap computeBasins(const SolverContext& ctx, const Plane& plane, const GridSpec& spec, const JobControl& job)
{
    BasinMap map;
    map.spec = spec;
    map.plane = plane;
    const size_t cells = size_t(spec.nx) * spec.ny;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    map.endS.assign(cells, nan);
    map.endT.assign(cells, nan);
    map.endFirst.assign(cells, nan);
    map.iterations.assign(cells, 0);
    map.status.assign(cells, std::uint8_t(SolveStatus::Cancelled));
    // Final states only: no iterates, no per-iteration scalars, no objective.
    TraceOptions opts;
    opts.storeIterates = false;
    opts.storeScalars = false;
    opts.computeObjective = false;
    std::atomic<int> rows{0};
#pragma omp parallel for schedule(dynamic, 1)
    for (int j = 0; j < spec.ny; ++j) {
        if (job.cancelled()) continue;   // cannot break out of an OpenMP loop
        for (int i = 0; i < spec.nx; ++i) {
            const Trace t = solve(ctx, plane.point(spec.x(i), spec.y(j)), opts, job.cancel);
            const size_t k = map.index(i, j);
            const Eigen::Vector2d q = plane.project(t.z);
            map.endS[k] = q(0);
            map.endT[k] = q(1);
            map.endFirst[k] = t.z.size() ? t.z(0) : nan;
            map.iterations[k] = t.iterations;
            map.status[k] = std::uint8_t(t.status);
        }
        const int r = rows.fetch_add(1) + 1;
        if (omp_get_thread_num() == 0) job.report(double(r) / spec.ny);
    }
    map.complete = !job.cancelled();
    return map;
}

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#include "BasinMap.h"

#include "Basin2D.h"
#include "BatchSolver.h"
#include "Solve.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <omp.h>

namespace opteq {

BasinColouring basinColouring(std::initializer_list<const BasinMap*> maps, double endTolerance)
{
    BasinColouring c;
    double sx = 0, sy = 0;
    for (const BasinMap* m : maps) {
        if (!m) continue;
        for (int k = 0; k < m->cells(); ++k)
            if (SolveStatus(m->status[k]) == SolveStatus::Converged && std::isfinite(m->endS[k]) && std::isfinite(m->endT[k])) {
                sx += m->endS[k];
                sy += m->endT[k];
                ++c.converged;
            }
    }
    if (c.converged == 0) return c;
    c.ox = sx / c.converged;
    c.oy = sy / c.converged;
    // The principal axis of the ends: the top eigenvector of their 2×2 covariance.
    double cxx = 0, cxy = 0, cyy = 0;
    for (const BasinMap* m : maps) {
        if (!m) continue;
        for (int k = 0; k < m->cells(); ++k)
            if (SolveStatus(m->status[k]) == SolveStatus::Converged && std::isfinite(m->endS[k]) && std::isfinite(m->endT[k])) {
                const double dx = m->endS[k] - c.ox, dy = m->endT[k] - c.oy;
                cxx += dx * dx;
                cxy += dx * dy;
                cyy += dy * dy;
            }
    }
    const double tr = cxx + cyy, det = cxx * cyy - cxy * cxy;
    const double lambda = 0.5 * tr + std::sqrt(std::max(0.0, 0.25 * tr * tr - det));
    double ax = cxy, ay = lambda - cxx;   // (A − λI) v = 0
    if (std::hypot(ax, ay) < 1e-300) { ax = cxx >= cyy ? 1.0 : 0.0; ay = cxx >= cyy ? 0.0 : 1.0; }
    const double norm = std::hypot(ax, ay);
    c.ax = ax / norm;
    c.ay = ay / norm;
    if (c.ax < 0 || (c.ax == 0 && c.ay < 0)) { c.ax = -c.ax; c.ay = -c.ay; }   // deterministic orientation
    c.lo = std::numeric_limits<double>::infinity();
    c.hi = -c.lo;
    double spread = 0;
    for (const BasinMap* m : maps) {
        if (!m) continue;
        for (int k = 0; k < m->cells(); ++k)
            if (SolveStatus(m->status[k]) == SolveStatus::Converged && std::isfinite(m->endS[k]) && std::isfinite(m->endT[k])) {
                const double p = c.position(m->endS[k], m->endT[k]);
                c.lo = std::min(c.lo, p);
                c.hi = std::max(c.hi, p);
                spread = std::max(spread, std::hypot(m->endS[k] - c.ox, m->endT[k] - c.oy));
            }
    }
    // Every end within the tolerance of the mean end (so of each other within twice it): one point.
    c.single = spread <= endTolerance;
    return c;
}

double endTolerance(const SolverContext& ctx)
{
    const double tol = ctx.solver().tol, w = ctx.model().spectralNorm();
    const double d = (w < 1 && std::isfinite(w)) ? 20.0 * tol / (1.0 - w * w) : 100.0 * tol;
    return std::max(d, 1e-12);
}

BasinSummary summarizeBasins(const BasinMap& map, double endTolerance)
{
    BasinSummary s;
    s.cells = map.cells();
    std::vector<std::pair<double, double>> ends;
    for (int k = 0; k < s.cells; ++k) {
        switch (SolveStatus(map.status[k])) {
        case SolveStatus::Converged:
            ++s.converged;
            if (std::isfinite(map.endS[k]) && std::isfinite(map.endT[k])) ends.emplace_back(map.endS[k], map.endT[k]);
            break;
        case SolveStatus::Diverged: ++s.diverged; break;
        case SolveStatus::MaxIter: ++s.maxIter; break;
        default: ++s.cancelled; break;
        }
    }
    if (ends.empty()) return s;
    for (const auto& e : ends) { s.meanS += e.first; s.meanT += e.second; }
    s.meanS /= double(ends.size());
    s.meanT /= double(ends.size());
    // Spread: the diameter of the ends, exactly, over their convex hull (monotone chain).
    std::vector<std::pair<double, double>> pts = ends;
    std::sort(pts.begin(), pts.end());
    pts.erase(std::unique(pts.begin(), pts.end()), pts.end());
    auto cross = [](const auto& o, const auto& a, const auto& b) {
        return (a.first - o.first) * (b.second - o.second) - (a.second - o.second) * (b.first - o.first);
    };
    std::vector<std::pair<double, double>> hull(2 * pts.size());
    size_t h0 = 0;
    for (size_t i = 0; i < pts.size(); ++i) {
        while (h0 >= 2 && cross(hull[h0 - 2], hull[h0 - 1], pts[i]) <= 0) --h0;
        hull[h0++] = pts[i];
    }
    for (size_t i = pts.size() - 1, lower = h0 + 1; i-- > 0;) {
        while (h0 >= lower && cross(hull[h0 - 2], hull[h0 - 1], pts[i]) <= 0) --h0;
        hull[h0++] = pts[i];
    }
    hull.resize(std::max<size_t>(1, h0));
    for (size_t a = 0; a < hull.size(); ++a)
        for (size_t b = a + 1; b < hull.size(); ++b)
            s.endSpread = std::max(s.endSpread, std::hypot(hull[a].first - hull[b].first, hull[a].second - hull[b].second));
    double lo0 = pts.front().first, lo1 = pts.front().second;
    for (const auto& e : pts) lo1 = std::min(lo1, e.second);
    // Clusters: connected components of the ends on a grid of cells of side endTolerance (two
    // ends in the same or adjacent cells are joined), found with a hash map and union–find.
    const double h = endTolerance;
    // Cells are keyed by the pair of 64-bit indices (hashed), so any spread of ends fits.
    struct PairHash {
        size_t operator()(const std::pair<long long, long long>& p) const
        {
            return std::hash<long long>()(p.first) * 1000003u ^ std::hash<long long>()(p.second);
        }
    };
    std::unordered_map<std::pair<long long, long long>, int, PairHash> cellOf;
    std::vector<int> parent;
    auto find = [&](int a) { while (parent[a] != a) a = parent[a] = parent[parent[a]]; return a; };
    auto key = [](long long i, long long j) { return std::make_pair(i, j); };
    std::vector<std::pair<long long, long long>> cellsUsed;
    for (const auto& e : ends) {
        const double qi = std::floor((e.first - lo0) / h), qj = std::floor((e.second - lo1) / h);
        if (!(qi < 4e18 && qj < 4e18)) { s.distinctEnds = -1; break; }   // beyond 64-bit cells: not countable
        const long long i = (long long)qi, j = (long long)qj;
        if (cellOf.emplace(key(i, j), int(parent.size())).second) { parent.push_back(int(parent.size())); cellsUsed.emplace_back(i, j); }
    }
    if (s.distinctEnds == -1) return s;   // reported as "not counted" (-1), never as a made-up count
    for (size_t c = 0; c < cellsUsed.size(); ++c)
        for (long long di = -1; di <= 1; ++di)
            for (long long dj = -1; dj <= 1; ++dj) {
                const auto it = cellOf.find(key(cellsUsed[c].first + di, cellsUsed[c].second + dj));
                if (it != cellOf.end()) parent[find(int(c))] = find(it->second);
            }
    for (size_t c = 0; c < parent.size(); ++c) s.distinctEnds += find(int(c)) == int(c);
    return s;
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
    if (spec.nx < 1 || spec.ny < 1) return map;
    std::atomic<int> rows{0};
    auto rowDone = [&] {
        const int r = rows.fetch_add(1) + 1;
        if (omp_get_thread_num() == 0) job.report(double(r) / spec.ny);
    };
    if (basin2DApplies(ctx)) {
        // n = 2: the structure-of-arrays kernel, rows in parallel.
#pragma omp parallel
        {
            Basin2DScratch scratch;
#pragma omp for schedule(dynamic, 1)
            for (int j = 0; j < spec.ny; ++j) {
                if (job.cancelled()) continue;   // cannot break out of an OpenMP loop
                solveBasinRow2D(ctx, j, map, scratch, job.cancel);
                rowDone();
            }
        }
    } else if (runsBatched(ctx)) {
        // n > 2 (or regularized n = 2): the batched engine on blocks of rows (one GEMM per
        // iteration for the block's running cells; the engine splits columns between threads).
        const int n = ctx.model().n();
        const int rowsPerBlock = std::max(1, 2048 / spec.nx);
        for (int j0 = 0; j0 < spec.ny && !job.cancelled(); j0 += rowsPerBlock) {
            const int j1 = std::min(spec.ny, j0 + rowsPerBlock);
            Eigen::MatrixXd Z0(n, size_t(j1 - j0) * spec.nx);
            for (int j = j0; j < j1; ++j)
                for (int i = 0; i < spec.nx; ++i) Z0.col(size_t(j - j0) * spec.nx + i) = plane.point(spec.x(i), spec.y(j));
            const BatchResult r = solveBatchDense(ctx, Z0, JobControl{job.cancel, {}});
            for (int j = j0; j < j1; ++j)
                for (int i = 0; i < spec.nx; ++i) {
                    const size_t col = size_t(j - j0) * spec.nx + i, k = map.index(i, j);
                    const Eigen::Vector2d q = plane.project(r.Z.col(col));
                    map.endS[k] = q(0);
                    map.endT[k] = q(1);
                    map.endFirst[k] = r.Z(0, col);
                    map.iterations[k] = r.iterations[col];
                    map.status[k] = std::uint8_t(r.status[col]);
                }
            rows.fetch_add(j1 - j0);
            job.report(double(j1) / spec.ny);
        }
    } else {
        // Priors of way 2 and the other methods: the per-start solver, final states only.
        TraceOptions opts;
        opts.storeIterates = false;
        opts.storeScalars = false;
        opts.computeObjective = false;
#pragma omp parallel for schedule(dynamic, 1)
        for (int j = 0; j < spec.ny; ++j) {
            if (job.cancelled()) continue;
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
            rowDone();
        }
    }
    map.complete = !job.cancelled();
    return map;
}

}  // namespace opteq

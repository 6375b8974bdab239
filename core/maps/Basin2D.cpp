// SPDX-License-Identifier: GPL-3.0-or-later
#include "Basin2D.h"

#include "BasinMap.h"
#include "Trace.h"
#include "VectorActivation.h"

#include <algorithm>
#include <cmath>

namespace opteq {

bool basin2DApplies(const SolverContext& ctx)
{
    const Model& m = ctx.model();
    if (m.n() != 2 || ctx.prior().type != PriorType::None) return false;
    if (ctx.solver().method != Method::Picard && ctx.solver().method != Method::KM) return false;
    for (const ProxOperator& op : m.operators())
        if (op.hasRegularizers()) return false;
    return true;
}

void solveBasinRow2D(const SolverContext& ctx, int j, BasinMap& map, Basin2DScratch& w, const std::atomic<bool>* cancel)
{
    const Model& model = ctx.model();
    const SolverSettings& s = ctx.solver();
    const double theta = s.method == Method::KM ? s.theta : 1.0;
    const Eigen::MatrixXd& A = model.WtW();
    const double a00 = A(0, 0), a01 = A(0, 1), a10 = A(1, 0), a11 = A(1, 1);
    const double c0 = ctx.c()(0), c1 = ctx.c()(1);
    const Activation& s0 = model.operators()[model.layerOf(0)].base();
    const Activation& s1 = model.operators()[model.layerOf(1)].base();
    // Plane coordinates of a state: q = G^{-1} Pᵀ (z − o) with P = [u v], G = PᵀP (Plane::project
    // with G inverted once per row instead of once per cell).
    const Plane& pl = map.plane;
    const double guu = pl.u.dot(pl.u), guv = pl.u.dot(pl.v), gvv = pl.v.dot(pl.v), det = guu * gvv - guv * guv;
    const double ox = pl.origin(0), oy = pl.origin(1);
    auto project = [&](double x, double y, double& ps, double& pt) {
        const double rx = x - ox, ry = y - oy;
        const double bu = pl.u(0) * rx + pl.u(1) * ry, bv = pl.v(0) * rx + pl.v(1) * ry;
        ps = (gvv * bu - guv * bv) / det;
        pt = (guu * bv - guv * bu) / det;
    };

    const GridSpec& g = map.spec;
    const int nx = g.nx;
    for (auto* v : {&w.z1, &w.z2, &w.t1, &w.t2, &w.first, &w.res}) v->resize(nx);
    w.cell.resize(nx);
    double *z1 = w.z1.data(), *z2 = w.z2.data(), *t1 = w.t1.data(), *t2 = w.t2.data(), *first = w.first.data(), *res = w.res.data();
    int* cell = w.cell.data();
    const double t = g.y(j);
    for (int i = 0; i < nx; ++i) {
        const double sx = g.x(i);
        z1[i] = pl.origin(0) + sx * pl.u(0) + t * pl.v(0);
        z2[i] = pl.origin(1) + sx * pl.u(1) + t * pl.v(1);
        cell[i] = i;
    }
    int active = nx;
    for (int k = 0; active > 0; ++k) {
        if (cancel && k % 64 == 63 && cancel->load(std::memory_order_relaxed)) return;   // cells stay Cancelled
        for (int p = 0; p < active; ++p) {
            t1[p] = a00 * z1[p] + a01 * z2[p] + c0;
            t2[p] = a10 * z1[p] + a11 * z2[p] + c1;
        }
        sigmaInPlace(s0, t1, size_t(active));
        sigmaInPlace(s1, t2, size_t(active));
        // Residuals, and whether any cell stops now, in branch-free loops the compiler vectorises;
        // keep[p] is exactly "the shared stop rule (Trace.h) does not stop it and it is no runaway".
        const double tol = s.tol;
        const bool last = k >= s.maxIter;
        int stops = 0;
        for (int p = 0; p < active; ++p) {
            const double d1 = t1[p] - z1[p], d2 = t2[p] - z2[p];
            const double r = std::sqrt(d1 * d1 + d2 * d2);
            if (k == 0) first[p] = r;
            res[p] = r;
            const bool keep = r > tol && r <= 1e6 * std::max(first[p], tol) && std::abs(z1[p]) <= 1e150 && std::abs(z2[p]) <= 1e150;
            stops += !keep;
        }
        if (stops == 0 && !last) {
            // The common iteration: nobody stops, update in place.
            if (theta == 1.0) {
                std::copy(t1, t1 + active, z1);
                std::copy(t2, t2 + active, z2);
            } else {
                for (int p = 0; p < active; ++p) {
                    z1[p] = (1.0 - theta) * z1[p] + theta * t1[p];
                    z2[p] = (1.0 - theta) * z2[p] + theta * t2[p];
                }
            }
            continue;
        }
        // Some cells stop: record them (status from the shared rule) and move the running ones
        // down to slot q.
        int q = 0;
        for (int p = 0; p < active; ++p) {
            const double r = res[p];
            SolveStatus st;
            // As the per-start recorder: a runaway state (|z| > 1e150) is diverged.
            const bool runaway = std::abs(z1[p]) > 1e150 || std::abs(z2[p]) > 1e150;
            if (runaway || stopRule(k, r, first[p], 0.0, s.tol, s.maxIter, st)) {
                if (runaway) st = SolveStatus::Diverged;
                const size_t at = map.index(cell[p], j);
                project(z1[p], z2[p], map.endS[at], map.endT[at]);
                map.endFirst[at] = z1[p];
                map.iterations[at] = k;
                map.status[at] = std::uint8_t(st);
                continue;
            }
            z1[q] = theta == 1.0 ? t1[p] : (1.0 - theta) * z1[p] + theta * t1[p];
            z2[q] = theta == 1.0 ? t2[p] : (1.0 - theta) * z2[p] + theta * t2[p];
            first[q] = first[p];
            cell[q] = cell[p];
            ++q;
        }
        active = q;
    }
}

}  // namespace opteq

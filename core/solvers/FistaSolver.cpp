// SPDX-License-Identifier: GPL-3.0-or-later
// FISTA on E with O'Donoghue–Candès gradient restart (keeps the accelerated rate on strongly
// convex E, i.e. ‖W‖₂ < 1, without knowing the modulus).
#include "Solvers.h"

#include <cmath>

namespace opteq::detail {

void runFista(const SolverContext& ctx, Eigen::VectorXd z, TraceRecorder& rec, Trace&)
{
    const double g = ctx.solver().step;
    const int n = int(z.size());
    Eigen::VectorXd WtWz(n), Tz(n), zPrev = z, WtWzPrev(n), y(n), v(n);
    double t = 1.0;
    int restarts = 0;
    for (int k = 0;; ++k) {
        evalT(ctx, z, WtWz, Tz);
        if (rec.record(k, z, WtWz, Tz)) break;
        // Momentum point y = z + β (z − z_prev); WᵀW y follows by linearity, so no extra product.
        const double tNext = 0.5 * (1.0 + std::sqrt(1.0 + 4.0 * t * t));
        const double beta = k == 0 ? 0.0 : (t - 1.0) / tNext;
        y = z + beta * (z - zPrev);
        v = (1.0 - g) * y + g * ((1.0 + beta) * WtWz - beta * (k == 0 ? WtWz : WtWzPrev) + ctx.c());
        ctx.model().applyProx(v, g);
        // Gradient restart: when the step v − y points against the last move, momentum is hurting.
        if ((y - v).dot(v - z) > 0) { t = 1.0; ++restarts; }
        else t = tNext;
        zPrev.swap(z);
        WtWzPrev.swap(WtWz);
        z.swap(v);
    }
}

}  // namespace opteq::detail

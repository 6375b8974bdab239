// SPDX-License-Identifier: GPL-3.0-or-later
// Picard, Krasnosel'skii–Mann and forward–backward: the one-product iterations.
#include "Solvers.h"

namespace opteq::detail {

void runRelaxed(const SolverContext& ctx, Eigen::VectorXd z, double theta, TraceRecorder& rec)
{
    Eigen::VectorXd WtWz(z.size()), Tz(z.size());
    for (int k = 0;; ++k) {
        evalT(ctx, z, WtWz, Tz);
        if (rec.record(k, z, WtWz, Tz)) return;
        if (theta == 1.0) z.swap(Tz);
        else z = (1.0 - theta) * z + theta * Tz;
    }
}

void runForwardBackward(const SolverContext& ctx, Eigen::VectorXd z, TraceRecorder& rec, Trace& out)
{
    // z ← prox_{γf}(z − γ((I − WᵀW) z − c)) = prox_{γf}((1−γ) z + γ (WᵀW z + c)): the product
    // computed for the residual is reused, so a step costs one product like Picard.
    const double g = ctx.solver().step;
    if (g >= 2.0) out.note = "step γ >= 2 reaches 2/L (L <= 1): no convergence guarantee";
    Eigen::VectorXd WtWz(z.size()), Tz(z.size()), v(z.size());
    for (int k = 0;; ++k) {
        evalT(ctx, z, WtWz, Tz);
        if (rec.record(k, z, WtWz, Tz)) return;
        v = (1.0 - g) * z + g * (WtWz + ctx.c());
        ctx.model().applyProx(v, g);
        z.swap(v);
    }
}

}  // namespace opteq::detail

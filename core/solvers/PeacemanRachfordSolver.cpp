// SPDX-License-Identifier: GPL-3.0-or-later
// (Relaxed) Peaceman–Rachford splitting of E = h + f, h(z) = ½zᵀ(I − WᵀW)z − ⟨c, z⟩:
// x ← x + 2θ (prox_{γh}(2z − x) − z), z = prox_{γf}(x); prox_{γh} uses the context's Cholesky.
#include "Solvers.h"

namespace opteq::detail {

void runPeacemanRachford(const SolverContext& ctx, Eigen::VectorXd z, TraceRecorder& rec, Trace& out)
{
    if (!ctx.problem().empty()) { rec.abort(z, SolveStatus::Diverged, ctx.problem()); return; }
    const double g = ctx.solver().step, theta = ctx.solver().theta;
    const int n = int(z.size());
    // Start the auxiliary variable at x0 = z0, so that the shadow z = prox_{γf}(x) starts in dom f.
    Eigen::VectorXd x = z, WtWz(n), Tz(n), r(n);
    ctx.model().applyProx(z, g);
    for (int k = 0;; ++k) {
        evalT(ctx, z, WtWz, Tz);
        if (rec.record(k, z, WtWz, Tz)) break;
        r = 2.0 * z - x + g * ctx.c();
        const Eigen::VectorXd y = ctx.solveResolvent(r);
        x += 2.0 * theta * (y - z);
        z = x;
        ctx.model().applyProx(z, g);
    }
    (void)out;
}

}  // namespace opteq::detail

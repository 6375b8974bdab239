// SPDX-License-Identifier: GPL-3.0-or-later
// Equilibrium selection inside the iteration (MATH.md §5): Halpern, viscosity and hybrid steepest
// descent on the averaged map T_θ = (1−θ) I + θ T, with α_k = λ_k = 1/(k+2).
#include "Solvers.h"

namespace opteq::detail {

void runPrior(const SolverContext& ctx, Eigen::VectorXd z, TraceRecorder& rec)
{
    const PriorSettings& p = ctx.prior();
    const int n = int(z.size());
    const Eigen::VectorXd& a = ctx.anchor();
    Eigen::VectorXd WtWz(n), Tz(n), Ttheta(n), next(n);
    for (int k = 0;; ++k) {
        evalT(ctx, z, WtWz, Tz);
        Ttheta = p.theta == 1.0 ? Tz : Eigen::VectorXd((1.0 - p.theta) * z + p.theta * Tz);
        const double alpha = 1.0 / (k + 2.0);
        switch (p.type) {
        case PriorType::Halpern: next = alpha * a + (1.0 - alpha) * Ttheta; break;
        case PriorType::Viscosity: next = alpha * (a + p.rho * (z - a)) + (1.0 - alpha) * Ttheta; break;
        case PriorType::Hsd:
            // z ← y − λ μ ∇R(y), y = T_θ z, R = ½‖z − target‖².
            next = Ttheta - alpha * p.mu * (Ttheta - ctx.target());
            break;
        case PriorType::None: next = Ttheta; break;
        }
        if (rec.record(k, z, WtWz, Tz, (next - z).norm())) return;
        z.swap(next);
    }
}

}  // namespace opteq::detail

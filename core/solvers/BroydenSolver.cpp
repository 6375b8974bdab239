// SPDX-License-Identifier: GPL-3.0-or-later
// Limited-memory "good" Broyden on g(z) = T z − z, with the inverse Jacobian kept as
// B = −I + Σ u_i v_iᵀ; a rejected step resets the memory and falls back to Picard.
#include "Solvers.h"

#include <cmath>

namespace opteq::detail {

void runBroyden(const SolverContext& ctx, Eigen::VectorXd z, TraceRecorder& rec, Trace& out)
{
    const int n = int(z.size());
    const int mem = std::max(1, ctx.solver().memory * 4);   // Broyden benefits from longer memory
    Eigen::MatrixXd Us(n, mem), Vs(n, mem);
    int used = 0, rejected = 0;
    auto applyB = [&](const Eigen::VectorXd& x) -> Eigen::VectorXd {   // B x
        Eigen::VectorXd r = -x;
        if (used) r.noalias() += Us.leftCols(used) * (Vs.leftCols(used).transpose() * x);
        return r;
    };
    auto applyBt = [&](const Eigen::VectorXd& x) -> Eigen::VectorXd {  // Bᵀ x
        Eigen::VectorXd r = -x;
        if (used) r.noalias() += Vs.leftCols(used) * (Us.leftCols(used).transpose() * x);
        return r;
    };
    Eigen::VectorXd WtWz(n), Tz(n), g(n), WtWt(n), Tt(n);
    evalT(ctx, z, WtWz, Tz);
    for (int k = 0;; ++k) {
        if (rec.record(k, z, WtWz, Tz)) break;
        g = Tz - z;
        const double gnorm = g.norm();
        const Eigen::VectorXd dx = -applyB(g);
        Eigen::VectorXd trial = z + dx;
        evalT(ctx, trial, WtWt, Tt);
        const Eigen::VectorXd gt = Tt - trial;
        const double gtnorm = gt.norm();
        if (!std::isfinite(gtnorm) || gtnorm > 4.0 * gnorm) {
            // Reject: the secant model is off. Restart from −I, i.e. a Picard step.
            ++rejected;
            used = 0;
            z = Tz;
            evalT(ctx, z, WtWz, Tz);
            continue;
        }
        const Eigen::VectorXd y = gt - g;
        const Eigen::VectorXd By = applyB(y);
        const double denom = dx.dot(By);
        if (std::abs(denom) > 1e-30) {
            if (used == mem) used = 0;   // memory full: restart the approximation
            Us.col(used) = (dx - By) / denom;
            Vs.col(used) = applyBt(dx);
            ++used;
        }
        z.swap(trial);
        WtWz.swap(WtWt);
        Tz.swap(Tt);
    }
    if (rejected > 0) {
        const std::string msg = "Broyden rejected " + std::to_string(rejected) + " step(s) and took Picard steps";
        out.note = out.note.empty() ? msg : msg + "; " + out.note;
    }
}

}  // namespace opteq::detail

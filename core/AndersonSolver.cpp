// SPDX-License-Identifier: GPL-3.0-or-later
// Anderson acceleration (type II) with relative Tikhonov regularization and a Picard fallback.
#include "Solvers.h"

#include <cmath>

namespace opteq::detail {

void runAnderson(const SolverContext& ctx, Eigen::VectorXd z, TraceRecorder& rec, Trace& out)
{
    const SolverSettings& s = ctx.solver();
    const int n = int(z.size()), m = s.memory;
    Eigen::MatrixXd X(n, m), F(n, m);   // ring buffers of x_i and T(x_i)
    Eigen::VectorXd WtWz(n), Tz(n);
    int stored = 0, head = 0, fallbacks = 0;
    for (int k = 0;; ++k) {
        evalT(ctx, z, WtWz, Tz);
        if (rec.record(k, z, WtWz, Tz)) break;
        X.col(head) = z;
        F.col(head) = Tz;
        head = (head + 1) % m;
        stored = std::min(stored + 1, m);
        if (stored == 1) { z = Tz; continue; }
        // α = argmin ‖G α‖² + λ‖α‖² subject to Σα = 1, with G = F − X (the residual history):
        // α ∝ (GᵀG + λ·mean diag(GᵀG) I)^{-1} 1. The regularization is relative so that it keeps
        // helping near convergence, where GᵀG ~ residual² is tiny.
        const Eigen::MatrixXd G = F.leftCols(stored) - X.leftCols(stored);
        Eigen::MatrixXd H = G.transpose() * G;
        const double scale = H.trace() / stored;
        H.diagonal().array() += s.lambda * scale + 1e-300;
        const Eigen::LDLT<Eigen::MatrixXd> ldlt(H);
        const Eigen::VectorXd w = ldlt.solve(Eigen::VectorXd::Ones(stored));
        const double sum = w.sum();
        // Singular (or numerically so): the weights would be noise. λ > 0 keeps the pivots >= ~λ·mean.
        bool ok = ldlt.info() == Eigen::Success && ldlt.vectorD().cwiseAbs().minCoeff() > 1e-13 * ldlt.vectorD().cwiseAbs().maxCoeff() && std::isfinite(sum) && std::abs(sum) > 1e-300
            && w.allFinite();
        Eigen::VectorXd alpha;
        if (ok) {
            alpha = w / sum;
            ok = alpha.allFinite() && alpha.lpNorm<Eigen::Infinity>() < 1e8;
        }
        if (!ok) {
            // Singular least-squares: restart the history and take a plain Picard step.
            ++fallbacks;
            stored = 0;
            head = 0;
            z = Tz;
            continue;
        }
        z = s.beta * (F.leftCols(stored) * alpha) + (1.0 - s.beta) * (X.leftCols(stored) * alpha);
        // A wild extrapolation (residual far above the best seen) would waste the history: restart it.
        if (rec.lastResidual() > 1e3 * rec.bestResidual()) { stored = 0; head = 0; }
    }
    if (fallbacks > 0)
    {
        const std::string msg = "Anderson's least-squares was singular " + std::to_string(fallbacks)
            + " time(s): history reset and a Picard step taken";
        out.note = out.note.empty() ? msg : msg + "; " + out.note;
    }
}

}  // namespace opteq::detail

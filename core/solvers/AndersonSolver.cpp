// SPDX-License-Identifier: GPL-3.0-or-later
// Anderson acceleration (type II) with relative Tikhonov regularization and a Picard fallback.
#include "AndersonMixing.h"
#include "Solvers.h"

#include <cmath>

namespace opteq::detail {

void runAnderson(const SolverContext& ctx, Eigen::VectorXd z, TraceRecorder& rec, Trace& out)
{
    const SolverSettings& s = ctx.solver();
    const int n = int(z.size());
    AndersonHistory history;   // the shared kernel (AndersonMixing.h): ring buffers + least squares
    AndersonWorkspace ws;
    history.reset(n, s.memory);
    ws.reserve(s.memory);
    Eigen::VectorXd WtWz(n), Tz(n);
    int fallbacks = 0;
    for (int k = 0;; ++k) {
        evalT(ctx, z, WtWz, Tz);
        if (rec.record(k, z, WtWz, Tz)) break;
        if (history.step(z, Tz, s.lambda, s.beta, ws, z)) {
            // After a mix: a wild extrapolation (residual far above the best seen) would waste
            // the history: restart it.
            if (rec.lastResidual() > 1e3 * rec.bestResidual()) history.clear();
        } else if (history.size() == 0) {
            ++fallbacks;   // singular least squares: history reset, a Picard step taken
        }
    }
    if (fallbacks > 0)
    {
        const std::string msg = "Anderson's least-squares was singular " + std::to_string(fallbacks)
            + " time(s): history reset and a Picard step taken";
        out.note = out.note.empty() ? msg : msg + "; " + out.note;
    }
}

}  // namespace opteq::detail

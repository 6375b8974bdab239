// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Shared bookkeeping of every solver: residuals, objective, down-sampled iterates and the stop
// rule (converged / max_iter / diverged / cancelled). One recorder per solve, used on one thread.
#include "SolverContext.h"
#include "Trace.h"

#include <atomic>

namespace opteq {

class TraceRecorder {
public:
    TraceRecorder(const SolverContext& ctx, const TraceOptions& opts, const std::atomic<bool>* cancel, Trace& out);

    // Records iterate k with its WᵀW z_k and T z_k; returns true when the solve must stop
    // (then the trace is finished with z_k as the result).
    // stepResidual: prior schemes pass ‖z_{k+1} − z_k‖, which must also be <= tol to stop, so a
    // start that is already a fixed point (but not the selected one) keeps iterating.
    bool record(int k, const Eigen::VectorXd& z, const Eigen::VectorXd& WtWz, const Eigen::VectorXd& Tz,
                double stepResidual = 0.0);
    // Ends the trace early with a status (e.g. a solver that cannot run).
    void abort(const Eigen::VectorXd& z, SolveStatus status, const std::string& why);
    double lastResidual() const { return m_last; }
    double bestResidual() const { return m_best; }

private:
    void finish(int k, const Eigen::VectorXd& z, const Eigen::VectorXd& WtWz, SolveStatus s, double res, double obj);

    // At max_iter: say why it did not converge (cycle, drift off an empty Fix T, stall); a drift
    // also sets the trace's flag, so Fix T's report need not read the words.
    std::string diagnose();

    const SolverContext& m_ctx;
    TraceOptions m_opts;
    const std::atomic<bool>* m_cancel;
    Trace& m_out;
    double m_first = 0, m_last = 0, m_best = 0;
    int m_stride = 1;
    // The last few iterates and residuals, for the max_iter diagnosis (a ring buffer).
    static constexpr int kRecent = 16;
    std::vector<Eigen::VectorXd> m_recent;
    std::vector<double> m_recentRes;
    int m_count = 0;
    // Residuals of the second half of the run (k >= m_tailFrom, every m_tailStride-th, and the last).
    int m_tailFrom = 1, m_tailStride = 1;
    std::vector<double> m_tailK, m_tailRes;
};

}  // namespace opteq

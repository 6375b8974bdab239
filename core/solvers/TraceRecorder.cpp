// SPDX-License-Identifier: GPL-3.0-or-later
#include "TraceRecorder.h"

#include "DecayRate.h"

#include <cmath>
#include <cstdio>

namespace opteq {

const char* statusName(SolveStatus s)
{
    switch (s) {
    case SolveStatus::Converged: return "converged";
    case SolveStatus::MaxIter: return "max_iter";
    case SolveStatus::Diverged: return "diverged";
    case SolveStatus::Cancelled: return "cancelled";
    }
    return "max_iter";
}

TraceRecorder::TraceRecorder(const SolverContext& ctx, const TraceOptions& opts, const std::atomic<bool>* cancel,
                             Trace& out)
    : m_ctx(ctx), m_opts(opts), m_cancel(cancel), m_out(out)
{
    // The second half of the run, sampled at up to ~128 points, names the decay at max_iter.
    m_tailFrom = std::max(1, ctx.solver().maxIter / 2);
    m_tailStride = std::max(1, (ctx.solver().maxIter - m_tailFrom) / 128);
    if (m_opts.storeScalars) {
        const size_t reserve = size_t(std::min(ctx.solver().maxIter + 1, 100000));
        m_out.absResidual.reserve(reserve);
        m_out.relResidual.reserve(reserve);
        if (m_opts.computeObjective) m_out.objective.reserve(reserve);
    }
}

bool TraceRecorder::record(int k, const Eigen::VectorXd& z, const Eigen::VectorXd& WtWz, const Eigen::VectorXd& Tz,
                           double stepResidual)
{
    const double res = (Tz - z).norm();
    const double rel = res / (Tz.norm() + 1e-12);
    double obj = 0;
    if (m_opts.computeObjective) obj = m_ctx.model().objectiveWith(z, WtWz, m_ctx.c());
    if (m_opts.storeScalars) {
        m_out.absResidual.push_back(res);
        m_out.relResidual.push_back(rel);
        if (m_opts.computeObjective) m_out.objective.push_back(obj);
    }
    if (m_opts.storeIterates && k % m_stride == 0) {
        m_out.iterates.push_back(z);
        m_out.iterateIndex.push_back(k);
        if (int(m_out.iterates.size()) > m_opts.maxStoredIterates) {
            // Keep memory bounded on long runs: drop every other stored iterate, double the stride.
            size_t w = 0;
            for (size_t r = 0; r < m_out.iterates.size(); r += 2, ++w) {
                m_out.iterates[w] = std::move(m_out.iterates[r]);
                m_out.iterateIndex[w] = m_out.iterateIndex[r];
            }
            m_out.iterates.resize(w);
            m_out.iterateIndex.resize(w);
            m_stride *= 2;
        }
    }
    if (k == 0) { m_first = res; m_best = res; }
    // Only the iterates just before the cap matter for the max_iter diagnosis: keeping them from
    // the start would cost an allocation per solve that basin maps (262k solves) feel.
    if (z.size() <= 4096 && k > m_ctx.solver().maxIter - kRecent) {
        if (int(m_recent.size()) < kRecent) { m_recent.push_back(z); m_recentRes.push_back(res); }
        else { m_recent[m_count % kRecent] = z; m_recentRes[m_count % kRecent] = res; }
        ++m_count;
    }
    // Allocates only for runs past half the cap (basin maps solve 262k starts, most of them fast).
    if (k >= m_tailFrom && ((k - m_tailFrom) % m_tailStride == 0 || k >= m_ctx.solver().maxIter)) {
        m_tailK.push_back(double(k));
        m_tailRes.push_back(res);
    }
    m_last = res;
    m_best = std::min(m_best, res);

    const SolverSettings& s = m_ctx.solver();
    SolveStatus status = SolveStatus::MaxIter;
    const bool nonFinite = !std::isfinite(res) || !z.allFinite();
    const bool runaway = !nonFinite && z.lpNorm<Eigen::Infinity>() > 1e150;
    if (nonFinite || runaway || stopRule(k, res, m_first, stepResidual, s.tol, s.maxIter, status)) {
        if (nonFinite || runaway) status = SolveStatus::Diverged;
        finish(k, z, WtWz, status, res, obj);
        if (nonFinite) m_out.note = "the iterates became non-finite (NaN or ±inf)";
        else if (status == SolveStatus::Diverged) m_out.note = "the residual grew by more than 1e6 from its start";
        else if (status == SolveStatus::MaxIter) m_out.note = diagnose();
        return true;
    }
    if (m_cancel && m_cancel->load(std::memory_order_relaxed)) {
        finish(k, z, WtWz, SolveStatus::Cancelled, res, obj);
        return true;
    }
    return false;
}

void TraceRecorder::finish(int k, const Eigen::VectorXd& z, const Eigen::VectorXd& WtWz, SolveStatus s, double res,
                           double obj)
{
    m_out.z = z;
    m_out.iterations = k;
    m_out.status = s;
    m_out.residual = res;
    m_out.finalObjective = m_opts.computeObjective ? obj : m_ctx.model().objectiveWith(z, WtWz, m_ctx.c());
    if (m_opts.storeIterates && (m_out.iterateIndex.empty() || m_out.iterateIndex.back() != k)) {
        m_out.iterates.push_back(z);
        m_out.iterateIndex.push_back(k);
    }
}

std::string TraceRecorder::diagnose()
{
    const int have = int(m_recent.size());
    if (have < kRecent) return {};
    auto at = [&](int back) -> const Eigen::VectorXd& { return m_recent[(m_count - 1 - back + 2 * kRecent) % kRecent]; };
    auto resAt = [&](int back) { return m_recentRes[(m_count - 1 - back + 2 * kRecent) % kRecent]; };
    const Eigen::VectorXd& last = at(0);
    const double scale = 1.0 + last.norm();
    // A cycle: z_k returns to z_{k−p} (p >= 2) over the window while the residual stays large.
    for (int p = 2; p <= kRecent / 3; ++p) {
        bool cycle = true;
        for (int b = 0; b + p < kRecent && cycle; ++b) cycle = (at(b) - at(b + p)).norm() <= 1e-9 * scale;
        if (cycle) return "the iterates cycle with period " + std::to_string(p) + " (oscillation, no convergence)";
    }
    // Drift: the steps are (nearly) the same vector each time, the residual does not shrink,
    // and the state keeps growing: T has no fixed point (Fix T empty) and z runs off.
    const Eigen::VectorXd step = at(0) - at(1);
    bool constantStep = step.norm() > 0;
    for (int b = 1; b + 1 < kRecent && constantStep; ++b) constantStep = (at(b) - at(b + 1) - step).norm() <= 1e-6 * step.norm();
    if (constantStep && resAt(0) >= 0.5 * resAt(kRecent - 1)) {
        m_out.drift = true;
        return "the iterates drift off at a constant rate with a residual that does not shrink: "
               "Fix T appears empty (no equilibrium)";
    }
    // Name the decay by what was measured over the second half of the run: linear with its ratio
    // when log r against k is a straight line, sublinear only when log r against log k is one and
    // log r against k is not, otherwise the measured drop (a 16-iteration window late in a run
    // cannot tell them apart: it called a residual falling by 0.9927 per step "∝ k^-3.62").
    const DecayFit fit = classifyDecay(m_tailK, m_tailRes);
    if (fit.kind == DecayFit::Kind::Stalled) return "the residual stalled over the last iterations";
    if (fit.kind != DecayFit::Kind::TooShort)
        return "still falling " + describeDecay(fit) + " when the iteration cap was reached: " +
               (fit.kind == DecayFit::Kind::Other ? "raise max_iter or use an accelerated solver"
                                                  : "raise max_iter or loosen the tolerance");
    if (resAt(0) >= 0.9 * resAt(kRecent - 1)) return "the residual stalled over the last iterations";
    return "still converging when the iteration cap was reached: raise max_iter or use an accelerated solver";
}

void TraceRecorder::abort(const Eigen::VectorXd& z, SolveStatus status, const std::string& why)
{
    m_out.z = z;
    m_out.status = status;
    m_out.note = why;
    m_out.residual = std::numeric_limits<double>::quiet_NaN();
    if (m_opts.storeIterates) { m_out.iterates.push_back(z); m_out.iterateIndex.push_back(0); }
}

}  // namespace opteq

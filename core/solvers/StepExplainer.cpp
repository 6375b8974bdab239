// SPDX-License-Identifier: GPL-3.0-or-later
#include "AndersonMixing.h"
#include "Solve.h"
#include "StepExplainer.h"

#include "TraceRecorder.h"

#include <cmath>
#include <cstdio>
#include <cstring>

namespace opteq {

std::string formatVector(const Eigen::VectorXd& v, int max)
{
    std::string s = "(";
    char buf[32];
    for (Eigen::Index i = 0; i < std::min<Eigen::Index>(v.size(), max); ++i) {
        std::snprintf(buf, sizeof buf, "%s%.4g", i ? ", " : "", v(i));
        s += buf;
    }
    if (v.size() > max) s += ", …";
    return s + ")";
}

namespace {
std::string num(double x)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", x);
    return buf;
}
}  // namespace

namespace {

// Sentences are written with TeX-like subscripts for the reader of this file; what a person reads
// gets Unicode subscripts (zₖ₊₁, αᵢ), and no "1." numbering of its own: views number the list.
std::string readable(std::string s)
{
    static const std::pair<const char*, const char*> subs[] = {
        {"_{k+1}", "ₖ₊₁"}, {"_{k−1}", "ₖ₋₁"}, {"_{k+2}", "ₖ₊₂"}, {"_{γf}", "_γf"}, {"_k", "ₖ"}, {"_i", "ᵢ"}, {"_0", "₀"}};
    for (const auto& [from, to] : subs)
        for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p)) s.replace(p, std::strlen(from), to);
    if (s.size() > 3 && s[0] >= '1' && s[0] <= '9' && s[1] == '.' && s[2] == ' ') s.erase(0, 3);
    return s;
}

StepExplanation explainStepRaw(const SolverContext& ctx, const Eigen::VectorXd& z0, int k);

}  // namespace

StepExplanation explainStep(const SolverContext& ctx, const Eigen::VectorXd& z0, int k)
{
    StepExplanation e = explainStepRaw(ctx, z0, k);
    for (std::string& line : e.sentences) line = readable(std::move(line));
    return e;
}

namespace {

StepExplanation explainStepRaw(const SolverContext& ctx, const Eigen::VectorXd& z0, int k)
{
    StepExplanation e;
    e.k = std::max(0, k);
    const Model& m = ctx.model();
    if (m.n() > kMaxExplainDim) {
        e.sentences.push_back("Step-by-step explanations are available for n <= " + std::to_string(kMaxExplainDim)
                              + " (this model has n = " + std::to_string(m.n()) + ").");
        return e;
    }
    if (e.k > kMaxExplainIterations) {
        e.sentences.push_back("Step-by-step explanations stop at iteration " + std::to_string(kMaxExplainIterations) + ".");
        return e;
    }
    // Replay the solve to k + 1, keeping every iterate.
    const SolverSettings& s = ctx.solver();
    TraceOptions o;
    o.maxStoredIterates = e.k + 8;
    const Trace t = solve(ctx.withMaxIter(std::min(s.maxIter, e.k + 1)), z0, o);
    if (e.k > t.iterations) e.k = t.iterations;
    e.z = t.iterates[size_t(e.k)];
    if (e.k + 1 < int(t.iterates.size())) e.next = t.iterates[size_t(e.k) + 1];

    const Eigen::VectorXd v = m.WtW() * e.z + ctx.c();
    Eigen::VectorXd Tz = v;
    m.applyProx(Tz);
    const double res = (Tz - e.z).norm();
    auto& out = e.sentences;
    out.push_back("Iteration k = " + std::to_string(e.k) + ", current iterate z_k = " + formatVector(e.z) + ".");
    out.push_back("1. Pre-activation: v = WᵀW z_k + Ux + b = " + formatVector(v) + ".");
    out.push_back("2. Activation, coordinate by coordinate (σ = prox_f): T(z_k) = σ(v) = " + formatVector(Tz)
                  + "; residual ‖T z_k − z_k‖ = " + num(res) + ".");
    if (e.next.size() == 0) {
        out.push_back("3. The solve stopped here: " + std::string(statusName(t.status))
                      + (t.status == SolveStatus::Converged ? " (residual <= tol " + num(s.tol) + ")." : "."));
        return e;
    }
    const PriorSettings& p = ctx.prior();
    const double alpha = 1.0 / (e.k + 2.0);
    if (p.type == PriorType::Halpern) {
        out.push_back("3. Halpern: α_k = 1/(k+2) = " + num(alpha) + "; z_{k+1} = α_k a + (1 − α_k) T_θ(z_k) with anchor a = "
                      + formatVector(ctx.anchor()) + ".");
    } else if (p.type == PriorType::Viscosity) {
        out.push_back("3. Viscosity: α_k = " + num(alpha) + "; g(z_k) = a + ρ(z_k − a) = " + formatVector(ctx.anchor() + p.rho * (e.z - ctx.anchor()))
                      + "; z_{k+1} = α_k g(z_k) + (1 − α_k) T_θ(z_k).");
    } else if (p.type == PriorType::Hsd) {
        out.push_back("3. Hybrid steepest descent: y = T_θ(z_k); z_{k+1} = y − λ_{k+1} μ (y − p) with λ_{k+1} = " + num(alpha)
                      + ", μ = " + num(p.mu) + ", p = " + formatVector(ctx.target()) + ".");
    } else {
        switch (s.method) {
        case Method::Picard: out.push_back("3. Picard takes the image itself: z_{k+1} = T(z_k)."); break;
        case Method::KM:
            out.push_back("3. Krasnosel'skii–Mann relaxes: z_{k+1} = (1 − θ) z_k + θ T(z_k), θ = " + num(s.theta) + ".");
            break;
        case Method::FB: {
            const Eigen::VectorXd grad = e.z - m.WtW() * e.z - ctx.c();
            out.push_back("3. Forward step on the smooth part h(z) = ½zᵀ(I − WᵀW)z − ⟨c, z⟩: ∇h(z_k) = " + formatVector(grad)
                          + ", z_k − γ∇h(z_k) = " + formatVector(e.z - s.step * grad) + " (γ = " + num(s.step) + ").");
            out.push_back("4. Backward step: z_{k+1} = prox_{γf} of that point.");
            break;
        }
        case Method::Fista:
            out.push_back("3. FISTA: a proximal-gradient step (γ = " + num(s.step)
                          + ") from the momentum point y_k = z_k + β_k (z_k − z_{k−1}); momentum restarts when it points uphill.");
            break;
        case Method::Anderson: {
            // Rebuild the history exactly as the solver keeps it (no reset assumed; checked below).
            const int mem = std::min(s.memory, e.k + 1);
            Eigen::MatrixXd X(m.n(), mem), F(m.n(), mem);
            std::string hist;
            for (int j = 0; j < mem; ++j) {
                const Eigen::VectorXd& x = t.iterates[size_t(e.k - mem + 1 + j)];
                Eigen::VectorXd fx = m.WtW() * x + ctx.c();
                m.applyProx(fx);
                X.col(j) = x;
                F.col(j) = fx;
                hist += (j ? ", " : "") + num((fx - x).norm());
            }
            out.push_back("3. Anderson keeps the last " + std::to_string(mem) + " iterates; their residual norms ‖g_i‖ = ‖T x_i − x_i‖ are "
                          + hist + " (oldest first).");
            if (mem == 1) {
                out.push_back("4. With one iterate in memory it takes a Picard step: z_{k+1} = T(z_k).");
                break;
            }
            Eigen::VectorXd a(mem);
            AndersonWorkspace ws;
            if (!andersonWeights(X, F, s.lambda, ws, a)) {
                out.push_back("4. Its least-squares problem is singular here: the history is reset and a Picard step taken.");
                break;
            }
            out.push_back("4. It solves min ‖Σ α_i g_i‖² + λ‖α‖² subject to Σ α_i = 1 (λ = " + num(s.lambda)
                          + " relative): mixing weights α = " + formatVector(a, 12) + ".");
            const Eigen::VectorXd mixed = s.beta * (F * a) + (1 - s.beta) * (X * a);
            out.push_back("5. New iterate z_{k+1} = β Σ α_i T(x_i) + (1 − β) Σ α_i x_i = " + formatVector(mixed) + " (β = " + num(s.beta) + ").");
            if ((mixed - e.next).norm() > 1e-9 * (1 + e.next.norm()))
                out.push_back("(The solver had reset its history before this step, so it actually took " + formatVector(e.next) + ".)");
            break;
        }
        case Method::Broyden:
            out.push_back("3. Broyden: a quasi-Newton step z_{k+1} = z_k − B g(z_k) with the inverse-Jacobian estimate B built from "
                          "secant pairs (rejected steps fall back to Picard).");
            break;
        case Method::PeacemanRachford:
            out.push_back("3. Peaceman–Rachford: reflect through prox_{γf} and the resolvent (I + γ(I − WᵀW))^{-1}, averaged with θ = "
                          + num(s.theta) + "; z_{k+1} is the shadow prox_{γf}(x_{k+1}).");
            break;
        }
    }
    out.push_back("Result: z_{k+1} = " + formatVector(e.next) + ", moved by ‖z_{k+1} − z_k‖ = " + num((e.next - e.z).norm()) + ".");
    return e;
}

}  // namespace

}  // namespace opteq

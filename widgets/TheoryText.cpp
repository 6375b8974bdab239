// SPDX-License-Identifier: GPL-3.0-or-later
#include "TheoryText.h"
#include "Names.h"

#include "Format.h"

#include "DecayRate.h"
#include "RateMap.h"
#include "Solve.h"

#include <QObject>
#include <cmath>

namespace opteq {
namespace {
QString vec(const Eigen::VectorXd& v) { return QString::fromStdString(formatVector(v, 6, 4)); }
}  // namespace

QString theoryHtml(const Scene& scene, const SceneSolution* sol, double knownNorm)
{
    // The GUI thread builds no Model here (WᵀW and ‖W‖₂ are O(n³)): ‖W‖₂ comes from the solution;
    // before the first one arrives it is computed only for small W.
    const double s = sol                        ? sol->spectralNorm
                     : std::isfinite(knownNorm) ? knownNorm
                     : (scene.W.size() <= kSmallW ? spectralNorm(scene.W) : std::nan(""));
    const bool pending = !sol && !(s == s);
    const Eigen::VectorXd c = scene.U * scene.input + scene.b;
    bool regularized = !scene.regularizers.empty();
    for (const LayerSpec& l : scene.layers) regularized = regularized || !l.regularizers.empty();
    QString h;
    h += "<h3>" + QObject::tr("What is being solved") + "</h3>";
    QStringList acts;
    for (size_t l = 0; l < scene.layers.size(); ++l)
        acts << QString("σ<sub>%1</sub> = %2").arg(l + 1).arg(activationDisplayName(scene.layers[l].activation.type));
    h += QObject::tr("<p><b>Fixed point:</b> z* = σ(WᵀW z* + Ux + b), n = %1, %2.</p>").arg(scene.n()).arg(acts.join(", "));
    h += QObject::tr("<p>Ux + b = %1</p>").arg(vec(c));
    h += QObject::tr("<p><b>Hidden objective:</b> E(z) = Σ f(z<sub>i</sub>)%1 + ½‖z‖² − ½‖Wz‖² − ⟨Ux + b, z⟩, "
                     "with σ = prox<sub>f</sub>. z is a fixed point of T ⇔ 0 ∈ ∂E(z) ⇔ z minimises E.</p>")
             .arg(regularized ? " + R(z)" : "");
    h += "<h3>" + QObject::tr("Guarantee") + "</h3>";
    if (pending) {
        h += QObject::tr("<p>‖W‖₂ is being computed with the solve…</p>");
    } else if (!std::isfinite(s)) {
        h += QObject::tr("<p>‖W‖₂ is not finite.</p>");
    } else if (s < 1 - 1e-12) {
        h += QObject::tr("<p>‖W‖₂ = %1 &lt; 1: E is (1 − ‖W‖₂²) = %2-strongly convex, the equilibrium is <b>unique</b> "
                         "and T is a contraction: ‖z<sub>k</sub> − z*‖ ≤ ‖W‖₂<sup>2k</sup> ‖z<sub>0</sub> − z*‖.</p>")
                 .arg(s, 0, 'f', 4).arg(1 - s * s, 0, 'f', 4);
    } else if (s <= 1 + 1e-12) {
        h += QObject::tr("<p>‖W‖₂ = 1: E is convex but not strictly. Fix T = argmin E is closed and convex and may be a "
                         "segment, a ray, a face — or empty. Plain iteration converges to a point that depends on z<sub>0</sub> "
                         "when Fix T is non-empty, with no guaranteed rate (it may be sublinear; along a flat side of σ it can "
                         "also stop in a few steps); a prior selects one point.</p>");
    } else {
        h += QObject::tr("<p>‖W‖₂ = %1 &gt; 1: <b>no guarantee</b>. E is not convex; iterations may diverge or cycle "
                         "(the solver stops and says which).</p>").arg(s, 0, 'f', 4);
    }
    h += "<h3>" + QObject::tr("Rate") + "</h3>";
    // The bound of the method that runs (runs[0]), beside its observed rate: comparing Picard's
    // bound with another method's observation would compare different things.
    const double q = s * s;
    const Method method = scene.solver.method;
    const QString methodName = sol && !sol->runs.empty() ? runDisplayName(sol->runs[0], *sol) : methodDisplayName(method);
    QString bound;
    if (pending || !(s < 1)) bound = QObject::tr("no linear-rate bound (it needs ‖W‖₂ &lt; 1)");
    else if (scene.prior.type != PriorType::None)
        bound = QObject::tr("no linear rate: %1 converges sublinearly (O(1/k) for Halpern); read the residual plot's slope on "
                            "log–log axes (View › Residuals on log–log axes)").arg(priorDisplayName(scene.prior.type));
    else if (method == Method::Picard)
        bound = QObject::tr("Picard contracts by ‖W‖₂² = <b>%1</b> per iteration (an upper bound; the local rate is the spectral "
                            "radius of diag(σ'(v)) WᵀW: see the Theory tab)").arg(*rateBound(method, scene.solver, s, PriorType::None), 0, 'f', 4);
    else if (method == Method::KM)
        bound = QObject::tr("KM with θ = %1 contracts by 1 − θ(1 − ‖W‖₂²) = <b>%2</b> per iteration (an upper bound)")
                    .arg(scene.solver.theta).arg(*rateBound(method, scene.solver, s, PriorType::None), 0, 'f', 4);
    else if (method == Method::FB && *rateBound(method, scene.solver, s, PriorType::None) >= 1)
        bound = QObject::tr("forward–backward with step γ = %1: the bound max(|1 − γ|, |1 − γ(1 − ‖W‖₂²)|) = %2 is not below 1, so "
                            "<b>no contraction is guaranteed</b> (a step γ in (0, 2) gives one)")
                    .arg(scene.solver.step).arg(*rateBound(method, scene.solver, s, PriorType::None), 0, 'f', 4);
    else if (method == Method::FB)
        bound = QObject::tr("forward–backward with step γ = %1 contracts by max(|1 − γ|, |1 − γ(1 − ‖W‖₂²)|) = <b>%2</b> per iteration "
                            "(an upper bound)").arg(scene.solver.step).arg(*rateBound(method, scene.solver, s, PriorType::None), 0, 'f', 4);
    else
        bound = QObject::tr("%1 has no simple a-priori rate; for reference, Picard's bound is ‖W‖₂² = %2 per iteration")
                    .arg(methodDisplayName(method)).arg(q, 0, 'f', 4);
    // The observed rate is named by what was measured (DecayRate.h): linear with its ratio when
    // log r against k is straight, a power of k only when log r against log k is straight and
    // log r against k is not; otherwise the scheme's usual measure, said as what it is.
    const std::vector<double>* residuals =
        sol && !sol->runs.empty() && !sol->runs[0].traces.empty() ? &sol->runs[0].traces[0].absResidual : nullptr;
    const DecayFit fit = residuals ? classifyDecay(*residuals) : DecayFit{};
    if (fit.kind == DecayFit::Kind::Linear && (scene.prior.type != PriorType::None || !(sol->observedRate > 0))) {
        h += QObject::tr("<p>%1.<br>Observed for %2 from start 1: linear, <b>%3</b> per iteration (log r against k is a "
                         "straight line over the second half).</p>").arg(bound, methodName).arg(fit.ratio, 0, 'f', 4);
    } else if (fit.kind == DecayFit::Kind::Sublinear && scene.prior.type == PriorType::None) {
        h += QObject::tr("<p>%1.<br>Observed for %2 from start 1: sublinear, residual ∝ k<sup><b>%3</b></sup> (a straight line "
                         "on log–log axes over the second half, not on semilog axes).</p>").arg(bound, methodName).arg(fit.slope, 0, 'f', 2);
    } else if (scene.prior.type != PriorType::None && residuals) {
        // A selection scheme is sublinear: a ratio per iteration (≈ 1) says nothing; the slope
        // on log–log axes does (−1 for O(1/k)).
        const double measured = observedSlope(*residuals);
        const QString slope = std::isfinite(measured) ? QString::number(measured, 'f', 2) : QString("–");
        h += QObject::tr("<p>%1.<br>Observed for %2 from start 1: residual ∝ k<sup><b>%3</b></sup> (log–log slope over the second "
                         "half; −1 is O(1/k)).</p>").arg(bound, methodName, slope);
    } else {
        QString observed = "–";
        if (sol && sol->observedRate > 0) observed = QString::number(sol->observedRate, 'f', 4);
        h += QObject::tr("<p>%1.<br>Observed for %2 from start 1: <b>%3</b> per iteration (residual ratio over the second half).</p>")
                 .arg(bound, methodName, observed);
    }
    if (sol && sol->equilibrium)
        h += QObject::tr("<h3>Equilibrium</h3><p>z* ≈ %1, E(z*) = %2</p>").arg(vec(*sol->equilibrium)).arg(sol->objectiveAtEquilibrium, 0, 'g', 8);
    if (sol && sol->unregularizedEquilibrium && sol->equilibrium)
        h += QObject::tr("<p>Without the prior R the equilibrium would be %1: the prior moved it by %2.</p>")
                 .arg(vec(*sol->unregularizedEquilibrium))
                 .arg((*sol->equilibrium - *sol->unregularizedEquilibrium).norm(), 0, 'g', 4);
    if (sol && sol->fixSet) {
        const FixSetReport& f = *sol->fixSet;
        h += QObject::tr("<h3>Fix T, the set of equilibria</h3><p>Fix T is %1.</p>").arg(QString::fromStdString(f.set.description).toHtmlEscaped());
        if (f.set.kind != FixSetKind::Empty && f.set.kind != FixSetKind::Unknown)
            h += QObject::tr("<p>Computed, not sampled: all minimisers of E share ∇ of its quadratic part, so Fix T = (z* + ker(I − WᵀW)) "
                             "cut by where each σ is flat; largest ‖T(z) − z‖ on the drawn set: %1.</p>").arg(f.set.residual, 0, 'g', 2);
        if (f.selected) {
            h += QObject::tr("<p>%1 selects %2, the point of Fix T nearest to it (red ring)").arg(selectorDisplayName(f).toHtmlEscaped(), vec(*f.selected));
            if (f.solverSelected) h += QObject::tr("; the solver stopped %1 away from it").arg(f.selectionDistance, 0, 'g', 3);
            h += ".</p>";
        }
    }
    if (sol && !sol->fixedPointSamples.empty())
        h += QObject::tr("<p>White dots (black rim): %1 end points of plain iteration from a grid of starts; they land on Fix T.</p>").arg(sol->fixedPointSamples.size());
    return h;
}

}  // namespace opteq

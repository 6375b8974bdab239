// SPDX-License-Identifier: GPL-3.0-or-later
#include "ProxOperator.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace opteq {

const char* Regularizer::typeName(RegularizerType t)
{
    switch (t) {
    case RegularizerType::L1: return "l1";
    case RegularizerType::L2: return "l2";
    case RegularizerType::Box: return "box";
    }
    return "l1";
}

std::optional<RegularizerType> Regularizer::parse(const std::string& s)
{
    if (s == "l1") return RegularizerType::L1;
    if (s == "l2") return RegularizerType::L2;
    if (s == "box") return RegularizerType::Box;
    return std::nullopt;
}

std::string Regularizer::validate() const
{
    switch (type) {
    case RegularizerType::L1:
    case RegularizerType::L2:
        if (!std::isfinite(weight) || weight < 0) return "weight must be a finite number >= 0";
        if (!std::isfinite(center)) return "center must be finite";
        break;
    case RegularizerType::Box:
        if (std::isnan(lo) || std::isnan(hi) || !(lo <= hi)) return "box needs lo <= hi";
        break;
    }
    return {};
}

ProxOperator::ProxOperator(Activation base, const std::vector<Regularizer>& regs) : m_base(base)
{
    double weightedCenter = 0;
    m_lo = -std::numeric_limits<double>::infinity();
    m_hi = std::numeric_limits<double>::infinity();
    for (const Regularizer& r : regs) {
        switch (r.type) {
        case RegularizerType::L1: m_l1 += r.weight; break;
        case RegularizerType::L2:
            m_mu += r.weight;
            weightedCenter += r.weight * r.center;
            break;
        case RegularizerType::Box:
            m_hasBox = true;
            m_lo = std::max(m_lo, r.lo);
            m_hi = std::min(m_hi, r.hi);
            break;
        }
    }
    // Σ μ_i/2 (t - p_i)² = μ/2 (t - p̄)² + const.
    if (m_mu > 0) m_center = weightedCenter / m_mu;
}

double ProxOperator::prox(double v, double gamma) const
{
    // (1) l2: γ(f + λ|t|) + γμ/2 (t-p)² + (t-v)²/2 = (1+γμ)[γ'(f + λ|t|) + (t-v')²/2] + const.
    if (m_mu > 0) {
        v = (v + gamma * m_mu * m_center) / (1.0 + gamma * m_mu);
        gamma = gamma / (1.0 + gamma * m_mu);
    }
    double t;
    if (m_l1 > 0) {
        // (2) l1: the minimiser is positive iff prox_{γf}(v - γλ) > 0, negative iff prox_{γf}(v + γλ) < 0,
        // otherwise it is 0 (then 0 ∈ dom f).
        const double l = gamma * m_l1;
        t = m_base.prox(v - l, gamma);
        if (!(t > 0)) {
            const double tn = m_base.prox(v + l, gamma);
            t = tn < 0 ? tn : 0.0;
        }
    } else {
        t = m_base.prox(v, gamma);
    }
    // (3) box: for a scalar convex function the constrained minimiser is the clip of the free one.
    if (m_hasBox) t = std::clamp(t, m_lo, m_hi);
    return t;
}

double ProxOperator::dprox(double v, double gamma) const
{
    double scale = 1.0;
    if (m_mu > 0) {
        v = (v + gamma * m_mu * m_center) / (1.0 + gamma * m_mu);
        scale = 1.0 / (1.0 + gamma * m_mu);
        gamma *= scale;
    }
    double t, d;
    if (m_l1 > 0) {
        const double l = gamma * m_l1;
        t = m_base.prox(v - l, gamma);
        if (t > 0) d = m_base.dprox(v - l, gamma);
        else {
            t = m_base.prox(v + l, gamma);
            if (t < 0) d = m_base.dprox(v + l, gamma);
            else { t = 0; d = 0; }
        }
    } else {
        t = m_base.prox(v, gamma);
        d = m_base.dprox(v, gamma);
    }
    if (m_hasBox && (t <= m_lo || t >= m_hi)) d = 0;
    return d * scale;
}

double ProxOperator::regularizer(double t) const
{
    double r = m_l1 * std::abs(t);
    if (m_mu > 0) r += 0.5 * m_mu * (t - m_center) * (t - m_center);
    if (m_hasBox && (t < m_lo || t > m_hi)) return std::numeric_limits<double>::infinity();
    return r;
}

std::pair<double, double> ProxOperator::domain() const
{
    auto [lo, hi] = m_base.domain();
    if (m_hasBox) { lo = std::max(lo, m_lo); hi = std::min(hi, m_hi); }
    return {lo, hi};
}

double ProxOperator::potential(double t) const
{
    const double f = m_base.potential(t);
    if (!hasRegularizers()) return f;
    return f + regularizer(t);
}

}  // namespace opteq

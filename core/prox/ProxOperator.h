// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// prox_{γ(f + R)} for one coordinate: an activation with its regularizers folded in (MATH.md §4).
// Immutable after construction; shared read-only by solver threads.
#include "Activation.h"
#include "Regularizer.h"

#include <vector>

namespace opteq {

class ProxOperator {
public:
    ProxOperator() = default;
    ProxOperator(Activation base, const std::vector<Regularizer>& regs);

    const Activation& base() const { return m_base; }
    bool hasRegularizers() const { return m_l1 > 0 || m_mu > 0 || m_hasBox; }

    // The effective activation σ_R(v) = prox_{f+R}(v).
    double sigma(double v) const { return prox(v, 1.0); }
    double prox(double v, double gamma) const;
    double dprox(double v, double gamma) const;
    double dsigma(double v) const { return dprox(v, 1.0); }
    // f(t) + R(t), +inf outside the domain.
    double potential(double t) const;
    // R(t) alone.
    double regularizer(double t) const;
    // Closure of dom(f + R) as [lo, hi] (may be infinite): the activation's domain cut by the boxes.
    std::pair<double, double> domain() const;

private:
    Activation m_base;
    double m_l1 = 0;          // Σ λ of the l1 terms
    double m_mu = 0;          // Σ μ of the l2 terms
    double m_center = 0;      // μ-weighted mean of the l2 centres
    bool m_hasBox = false;
    double m_lo = 0, m_hi = 0;  // intersection of the boxes
};

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Scalar activations as proximity operators (MATH.md §1). Pure value type; safe to share
// read-only across threads.
#include <optional>
#include <string>
#include <utility>

namespace opteq {

enum class ActivationType {
    Identity, Relu, LeakyRelu, Clip, SoftThreshold, Tanh, Logistic, Arctan, Softsign, Elu, Softplus
};

struct Activation {
    ActivationType type = ActivationType::Relu;
    double slope = 0.1;   // leaky_relu, in (0, 1]
    double lo = -1.0;     // clip
    double hi = 1.0;      // clip
    double lambda = 0.1;  // soft_threshold, >= 0

    // σ(v) = prox_f(v).
    double sigma(double v) const;
    // dσ/dv (a.e.; 0 at kinks on the flat side).
    double dsigma(double v) const { return dprox(v, 1.0); }
    // f(t), +inf outside the domain of f (up to an additive constant).
    double potential(double t) const;
    // prox_{γ f}(v) = argmin_t γ f(t) + (t - v)^2 / 2, for any γ > 0.
    double prox(double v, double gamma) const;
    // d prox_{γ f}(v) / dv.
    double dprox(double v, double gamma) const;
    // Closure of dom f as [lo, hi] (may be infinite); open() tells whether the ends are excluded.
    std::pair<double, double> domain() const;
    bool domainOpen() const;
    // True when prox_{γf} has a closed form for every γ (first five rows of the table).
    bool piecewiseLinear() const;
    // Non-empty when parameters are out of range; names the parameter.
    std::string validate() const;

    std::string name() const;
    static std::optional<ActivationType> parse(const std::string& name);
    static const char* typeName(ActivationType t);
    static constexpr int typeCount = 11;

    bool operator==(const Activation&) const = default;

    // σ^{-1}(t) and its derivative, for the smooth activations (used by the scaled prox).
    double inverse(double t) const;
    double dinverse(double t) const;
};

// Dilogarithm Li2(x) for x in [0, 1]; softplus's potential is Li2(e^{-t}).
double dilog01(double x);

}  // namespace opteq

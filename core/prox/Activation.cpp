// SPDX-License-Identifier: GPL-3.0-or-later
#include "Activation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace opteq {
namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr const char* kNames[] = {"identity", "relu", "leaky_relu", "clip", "soft_threshold", "tanh",
                                  "logistic", "arctan", "softsign", "elu", "softplus"};

double logistic(double v)
{
    if (v >= 0) return 1.0 / (1.0 + std::exp(-v));
    const double e = std::exp(v);
    return e / (1.0 + e);
}
}  // namespace

double dilog01(double x)
{
    // Series for x <= 1/2, Euler's reflection Li2(x) = π²/6 - ln x ln(1-x) - Li2(1-x) above.
    if (x <= 0) return 0.0;
    if (x >= 1) return std::numbers::pi * std::numbers::pi / 6.0;
    if (x > 0.5)
        return std::numbers::pi * std::numbers::pi / 6.0 - std::log(x) * std::log1p(-x) - dilog01(1.0 - x);
    double sum = 0, p = x;
    for (int k = 1; k < 200; ++k) {
        const double term = p / (double(k) * k);
        sum += term;
        if (term < 1e-18 * sum) break;
        p *= x;
    }
    return sum;
}

const char* Activation::typeName(ActivationType t) { return kNames[static_cast<int>(t)]; }
std::string Activation::name() const { return typeName(type); }

std::optional<ActivationType> Activation::parse(const std::string& name)
{
    for (int i = 0; i < typeCount; ++i)
        if (name == kNames[i]) return static_cast<ActivationType>(i);
    return std::nullopt;
}

std::string Activation::validate() const
{
    switch (type) {
    case ActivationType::LeakyRelu:
        if (!(slope > 0 && slope <= 1)) return "slope must be in (0, 1]";
        break;
    case ActivationType::Clip:
        if (!std::isfinite(lo) || !std::isfinite(hi) || !(lo < hi)) return "lo and hi must be finite with lo < hi";
        break;
    case ActivationType::SoftThreshold:
        if (!(lambda >= 0) || !std::isfinite(lambda)) return "lambda must be a finite number >= 0";
        break;
    default: break;
    }
    return {};
}

bool Activation::piecewiseLinear() const
{
    switch (type) {
    case ActivationType::Identity:
    case ActivationType::Relu:
    case ActivationType::LeakyRelu:
    case ActivationType::Clip:
    case ActivationType::SoftThreshold: return true;
    default: return false;
    }
}

std::pair<double, double> Activation::domain() const
{
    switch (type) {
    case ActivationType::Relu: return {0.0, kInf};
    case ActivationType::Clip: return {lo, hi};
    case ActivationType::Tanh:
    case ActivationType::Softsign: return {-1.0, 1.0};
    case ActivationType::Logistic: return {0.0, 1.0};
    case ActivationType::Arctan: return {-std::numbers::pi / 2, std::numbers::pi / 2};
    case ActivationType::Elu: return {-1.0, kInf};
    case ActivationType::Softplus: return {0.0, kInf};
    default: return {-kInf, kInf};
    }
}

bool Activation::domainOpen() const { return !piecewiseLinear(); }

double Activation::sigma(double v) const
{
    switch (type) {
    case ActivationType::Identity: return v;
    case ActivationType::Relu: return v > 0 ? v : 0.0;
    case ActivationType::LeakyRelu: return v >= 0 ? v : slope * v;
    case ActivationType::Clip: return std::clamp(v, lo, hi);
    case ActivationType::SoftThreshold: return v > lambda ? v - lambda : (v < -lambda ? v + lambda : 0.0);
    case ActivationType::Tanh: return std::tanh(v);
    case ActivationType::Logistic: return logistic(v);
    case ActivationType::Arctan: return std::atan(v);
    case ActivationType::Softsign: return v / (1.0 + std::abs(v));
    case ActivationType::Elu: return v >= 0 ? v : std::expm1(v);
    case ActivationType::Softplus: return v > 30 ? v + std::log1p(std::exp(-v)) : std::log1p(std::exp(v));
    }
    return v;
}

double Activation::potential(double t) const
{
    if (std::isnan(t)) return kInf;
    switch (type) {
    case ActivationType::Identity: return 0.0;
    case ActivationType::Relu: return t >= 0 ? 0.0 : kInf;
    case ActivationType::LeakyRelu: return t >= 0 ? 0.0 : (1.0 / slope - 1.0) * t * t / 2.0;
    case ActivationType::Clip: return (t >= lo && t <= hi) ? 0.0 : kInf;
    case ActivationType::SoftThreshold: return lambda * std::abs(t);
    case ActivationType::Tanh:
        if (!(std::abs(t) < 1)) return kInf;
        return t * std::atanh(t) + 0.5 * std::log1p(-t * t) - t * t / 2.0;
    case ActivationType::Logistic: {
        if (!(t > 0 && t < 1)) return kInf;
        return t * std::log(t) + (1 - t) * std::log1p(-t) - t * t / 2.0;
    }
    case ActivationType::Arctan:
        if (!(std::abs(t) < std::numbers::pi / 2)) return kInf;
        return -std::log(std::cos(t)) - t * t / 2.0;
    case ActivationType::Softsign:
        if (!(std::abs(t) < 1)) return kInf;
        return -std::abs(t) - std::log1p(-std::abs(t)) - t * t / 2.0;
    case ActivationType::Elu:
        if (!(t > -1)) return kInf;
        return t >= 0 ? 0.0 : (1 + t) * std::log1p(t) - t - t * t / 2.0;
    case ActivationType::Softplus:
        // f(t) = ∫ (ln(e^s - 1) - s) ds = Li2(e^{-t}) + const: the quadrature of MATH.md in closed form.
        if (!(t > 0)) return kInf;
        return dilog01(std::exp(-t));
    }
    return kInf;
}

double Activation::inverse(double t) const
{
    switch (type) {
    case ActivationType::Tanh: return std::atanh(t);
    case ActivationType::Logistic: return std::log(t) - std::log1p(-t);
    case ActivationType::Arctan: return std::tan(t);
    case ActivationType::Softsign: return t / (1.0 - std::abs(t));
    case ActivationType::Elu: return t >= 0 ? t : std::log1p(t);
    case ActivationType::Softplus: return t + std::log(-std::expm1(-t));
    default: return t;
    }
}

double Activation::dinverse(double t) const
{
    switch (type) {
    case ActivationType::Tanh: return 1.0 / (1.0 - t * t);
    case ActivationType::Logistic: return 1.0 / (t * (1.0 - t));
    case ActivationType::Arctan: { const double c = std::cos(t); return 1.0 / (c * c); }
    case ActivationType::Softsign: { const double a = 1.0 - std::abs(t); return 1.0 / (a * a); }
    case ActivationType::Elu: return t >= 0 ? 1.0 : 1.0 / (1.0 + t);
    case ActivationType::Softplus: return -1.0 / std::expm1(-t);
    default: return 1.0;
    }
}

double Activation::prox(double v, double gamma) const
{
    switch (type) {
    case ActivationType::Identity: return v;
    case ActivationType::Relu: return v > 0 ? v : 0.0;
    case ActivationType::LeakyRelu: return v >= 0 ? v : v / (1.0 + gamma * (1.0 / slope - 1.0));
    case ActivationType::Clip: return std::clamp(v, lo, hi);
    case ActivationType::SoftThreshold: {
        const double l = gamma * lambda;
        return v > l ? v - l : (v < -l ? v + l : 0.0);
    }
    default: break;
    }
    if (gamma == 1.0 || !std::isfinite(v)) return sigma(v);
    // Smooth rows: solve h(t) = (1-γ) t + γ σ^{-1}(t) - v = 0. h' = 1 - γ + γ/σ'(·) >= 1, so the
    // root lies within |h(t0)| of any t0: that gives a bracket for a safeguarded Newton iteration.
    const auto [dlo, dhi] = domain();
    auto h = [&](double t) { return (1.0 - gamma) * t + gamma * inverse(t) - v; };
    // σ(v) can round onto the boundary of dom f (tanh(40) == 1): start strictly inside.
    double t = std::clamp(sigma(v), std::nextafter(dlo, kInf), std::nextafter(dhi, -kInf));
    double ht = h(t);
    double a, b;
    if (ht > 0) { a = std::max(dlo, t - ht); b = t; }
    else { a = t; b = std::min(dhi, t - ht); }
    for (int it = 0; it < 200; ++it) {
        if (ht == 0 || !(b - a > 1e-16 * (1.0 + std::abs(t)))) break;
        const double dh = (1.0 - gamma) + gamma * dinverse(t);
        double next = t - ht / dh;
        if (!(next > a && next < b)) next = 0.5 * (a + b);
        t = next;
        ht = h(t);
        // h is monotone increasing: it is −∞ at the lower edge of dom f and +∞ at the upper one.
        // With one edge infinite only the finite edge can overflow (ELU, softplus: the lower).
        if (!std::isfinite(ht)) ht = dhi == kInf ? -kInf : (dlo == -kInf ? kInf : (t > 0.5 * (dlo + dhi) ? kInf : -kInf));
        if (ht > 0) b = t; else a = t;
        if (std::abs(ht) < 1e-15 * (1.0 + std::abs(v))) break;
    }
    return t;
}

double Activation::dprox(double v, double gamma) const
{
    switch (type) {
    case ActivationType::Identity: return 1.0;
    case ActivationType::Relu: return v > 0 ? 1.0 : 0.0;
    case ActivationType::LeakyRelu: return v >= 0 ? 1.0 : 1.0 / (1.0 + gamma * (1.0 / slope - 1.0));
    case ActivationType::Clip: return (v > lo && v < hi) ? 1.0 : 0.0;
    case ActivationType::SoftThreshold: return std::abs(v) > gamma * lambda ? 1.0 : 0.0;
    default: break;
    }
    const double t = prox(v, gamma);
    const double d = (1.0 - gamma) + gamma * dinverse(t);
    return std::isfinite(d) && d > 0 ? 1.0 / d : 0.0;
}

}  // namespace opteq

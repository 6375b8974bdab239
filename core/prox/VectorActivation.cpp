// SPDX-License-Identifier: GPL-3.0-or-later
#include "VectorActivation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <xsimd/xsimd.hpp>

namespace opteq {
namespace {

using Batch = xsimd::batch<double>;
constexpr std::size_t kLanes = Batch::size;

// Applies the batch kernel to whole SIMD widths and the scalar kernel to the tail, so both
// definitions are visible side by side (and tested against each other).
template <class Vec, class Scalar>
void transform(const double* in, double* out, std::size_t count, Vec vec, Scalar scalar)
{
    std::size_t i = 0;
    for (; i + kLanes <= count; i += kLanes) vec(Batch::load_unaligned(in + i)).store_unaligned(out + i);
    for (; i < count; ++i) out[i] = scalar(in[i]);
}

Batch logisticB(const Batch& v) { return Batch(1.0) / (Batch(1.0) + xsimd::exp(-v)); }

}  // namespace

void sigmaInPlace(const Activation& a, double* v, std::size_t count)
{
    auto scalar = [&a](double x) { return a.sigma(x); };
    switch (a.type) {
    case ActivationType::Identity: return;
    case ActivationType::Relu:
        for (std::size_t i = 0; i < count; ++i) v[i] = v[i] > 0 ? v[i] : 0.0;
        return;
    case ActivationType::LeakyRelu: {
        const double s = a.slope;
        for (std::size_t i = 0; i < count; ++i) v[i] = v[i] >= 0 ? v[i] : s * v[i];
        return;
    }
    case ActivationType::Clip: {
        const double lo = a.lo, hi = a.hi;
        for (std::size_t i = 0; i < count; ++i) v[i] = v[i] < lo ? lo : (v[i] > hi ? hi : v[i]);
        return;
    }
    case ActivationType::SoftThreshold: {
        const double l = a.lambda;
        for (std::size_t i = 0; i < count; ++i) v[i] = v[i] > l ? v[i] - l : (v[i] < -l ? v[i] + l : 0.0);
        return;
    }
    case ActivationType::Tanh: transform(v, v, count, [](const Batch& x) { return xsimd::tanh(x); }, scalar); return;
    case ActivationType::Logistic: transform(v, v, count, logisticB, scalar); return;
    case ActivationType::Arctan: transform(v, v, count, [](const Batch& x) { return xsimd::atan(x); }, scalar); return;
    case ActivationType::Softsign:
        transform(v, v, count, [](const Batch& x) { return x / (Batch(1.0) + xsimd::abs(x)); }, scalar);
        return;
    case ActivationType::Elu:
        transform(v, v, count, [](const Batch& x) { return xsimd::select(x >= Batch(0.0), x, xsimd::expm1(x)); }, scalar);
        return;
    case ActivationType::Softplus:
        // log(1 + e^v) = max(v, 0) + log1p(e^{-|v|}): no overflow, full relative accuracy both sides.
        transform(v, v, count,
                  [](const Batch& x) { return xsimd::max(x, Batch(0.0)) + xsimd::log1p(xsimd::exp(-xsimd::abs(x))); },
                  scalar);
        return;
    }
}

void potentialArray(const Activation& a, const double* t, double* f, std::size_t count)
{
    auto scalar = [&a](double x) { return a.potential(x); };
    const Batch inf(std::numeric_limits<double>::infinity()), one(1.0), half(0.5), zero(0.0);
    switch (a.type) {
    case ActivationType::Tanh:
        transform(t, f, count, [&](const Batch& x) {
            const Batch x2 = x * x;
            const Batch v = x * xsimd::atanh(x) + half * xsimd::log1p(-x2) - half * x2;
            return xsimd::select(xsimd::abs(x) < one, v, inf);   // |x| >= 1 or NaN: outside
        }, scalar);
        return;
    case ActivationType::Logistic:
        transform(t, f, count, [&](const Batch& x) {
            const Batch v = x * xsimd::log(x) + (one - x) * xsimd::log1p(-x) - half * x * x;
            return xsimd::select(x > zero && x < one, v, inf);
        }, scalar);
        return;
    case ActivationType::Arctan:
        transform(t, f, count, [&](const Batch& x) {
            const Batch v = -xsimd::log(xsimd::cos(x)) - half * x * x;
            return xsimd::select(xsimd::abs(x) < Batch(std::numbers::pi / 2), v, inf);
        }, scalar);
        return;
    case ActivationType::Softsign:
        transform(t, f, count, [&](const Batch& x) {
            const Batch ax = xsimd::abs(x);
            const Batch v = -ax - xsimd::log1p(-ax) - half * x * x;
            return xsimd::select(ax < one, v, inf);
        }, scalar);
        return;
    case ActivationType::Elu:
        transform(t, f, count, [&](const Batch& x) {
            const Batch neg = (one + x) * xsimd::log1p(x) - x - half * x * x;
            return xsimd::select(x > Batch(-1.0), xsimd::select(x >= zero, zero, neg), inf);
        }, scalar);
        return;
    default:
        // Piecewise linear (0, an indicator or λ|t|) and softplus (Li2): the scalar definitions.
        for (std::size_t i = 0; i < count; ++i) f[i] = a.potential(t[i]);
        return;
    }
}

void dsigmaArray(const Activation& a, const double* v, double* d, std::size_t count)
{
    auto scalar = [&a](double x) { return a.dsigma(x); };
    switch (a.type) {
    case ActivationType::Tanh:
        transform(v, d, count, [](const Batch& x) { const Batch t = xsimd::tanh(x); return Batch(1.0) - t * t; }, scalar);
        return;
    case ActivationType::Logistic:
        transform(v, d, count, [](const Batch& x) { const Batch s = logisticB(x); return s * (Batch(1.0) - s); }, scalar);
        return;
    case ActivationType::Softplus:   // softplus' = logistic
        transform(v, d, count, logisticB, scalar);
        return;
    case ActivationType::Arctan:
        transform(v, d, count, [](const Batch& x) { return Batch(1.0) / (Batch(1.0) + x * x); }, scalar);
        return;
    case ActivationType::Softsign:
        transform(v, d, count, [](const Batch& x) { const Batch q = Batch(1.0) + xsimd::abs(x); return Batch(1.0) / (q * q); }, scalar);
        return;
    case ActivationType::Elu:
        transform(v, d, count, [](const Batch& x) { return xsimd::select(x >= Batch(0.0), Batch(1.0), xsimd::exp(x)); }, scalar);
        return;
    default:
        // Piecewise linear: 0/1 (or the leaky slope); cheap enough as a scalar loop.
        for (std::size_t i = 0; i < count; ++i) d[i] = a.dsigma(v[i]);
        return;
    }
}

}  // namespace opteq

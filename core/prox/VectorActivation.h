// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// σ and σ' over whole arrays: the hot loop of every batched solve, map and training step.
// Smooth activations go through xsimd (SIMD exp/log/tanh/atan for the build's instruction set,
// a few ulp from the scalar std:: functions); piecewise-linear ones are plain loops the compiler
// vectorises. Pure functions; safe to call from any thread.
#include "Activation.h"

#include <cstddef>

namespace opteq {

// v[i] ← σ(v[i]) for i < count (σ = prox_f with γ = 1, no regularizer).
void sigmaInPlace(const Activation& a, double* v, std::size_t count);
// d[i] ← σ'(v[i]); at a kink the derivative of the flat side is taken (0 for ReLU at 0, as
// Activation::dsigma), so d stays in [0, 1].
void dsigmaArray(const Activation& a, const double* v, double* d, std::size_t count);

// f[i] ← f(t[i]), the potential (+inf outside dom f, NaN treated as outside), to a few ulp of
// Activation::potential; softplus's dilogarithm falls back to the scalar function.
void potentialArray(const Activation& a, const double* t, double* f, std::size_t count);

}  // namespace opteq

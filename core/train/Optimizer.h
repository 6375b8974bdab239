// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// SGD (with momentum) and Adam over a network's weights, with weight decay. Deterministic: the
// same gradients give the same weights bit for bit. One thread owns an optimiser.
#include "ImplicitGradient.h"

namespace opteq {

class Optimizer {
public:
    explicit Optimizer(const TrainingSettings& settings);
    // θ ← θ − update(∇L + weight_decay·θ), weight decay on W, U and V only (biases are not
    // pulled to 0). SGD: v ← μv + g, θ ← θ − lr·v (μ = 0: exactly θ − lr·g). Adam: the usual
    // β₁ = 0.9, β₂ = 0.999, ε = 1e-8 with bias correction. lrFactor scales lr for this step
    // (the schedule's factor, TrainingSettings::lrFactor).
    void step(NetworkWeights& w, const NetworkWeights& grad, double lrFactor = 1.0);
    long long steps() const { return m_t; }

private:
    OptimizerKind m_kind;
    double m_lr, m_momentum, m_decay;
    NetworkWeights m_m, m_v;   // first and second moments (SGD: the velocity in m_m)
    long long m_t = 0;
};

}  // namespace opteq

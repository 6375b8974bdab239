// SPDX-License-Identifier: GPL-3.0-or-later
#include "Optimizer.h"

#include <cmath>

namespace opteq {

Optimizer::Optimizer(const TrainingSettings& s)
    : m_kind(s.optimizer), m_lr(s.lr), m_momentum(s.momentum), m_decay(s.weightDecay)
{
}

void Optimizer::step(NetworkWeights& w, const NetworkWeights& grad, double lrFactor)
{
    ++m_t;
    const double lr = m_lr * lrFactor;
    const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
    const double c1 = 1.0 - std::pow(b1, double(m_t)), c2 = 1.0 - std::pow(b2, double(m_t));
    // One update rule for every weight (matrices and vectors alike).
    auto update = [&](auto& theta, const auto& g, auto& m, auto& v, bool decay) {
        if (m.size() != theta.size()) {
            m.setZero(theta.rows(), theta.cols());
            v.setZero(theta.rows(), theta.cols());
        }
        auto gd = (g + (decay ? m_decay : 0.0) * theta).eval();
        if (m_kind == OptimizerKind::Sgd) {
            if (m_momentum == 0.0) {
                theta -= lr * gd;
                return;
            }
            m = m_momentum * m + gd;
            theta -= lr * m;
        } else {
            m = b1 * m + (1 - b1) * gd;
            v = b2 * v + (1 - b2) * gd.cwiseAbs2();
            theta.array() -= lr * (m.array() / c1) / ((v.array() / c2).sqrt() + eps);
        }
    };
    update(w.W, grad.W, m_m.W, m_v.W, true);
    update(w.U, grad.U, m_m.U, m_v.U, true);
    update(w.V, grad.V, m_m.V, m_v.V, true);
    update(w.b, grad.b, m_m.b, m_v.b, false);
    update(w.c, grad.c, m_m.c, m_v.c, false);
}

}  // namespace opteq

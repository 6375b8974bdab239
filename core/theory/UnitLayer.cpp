// SPDX-License-Identifier: GPL-3.0-or-later
#include "UnitLayer.h"

#include <cmath>

namespace opteq {

double unitPotential(const ProxOperator& op, double v)
{
    const double t = op.sigma(v);
    double f = op.potential(t);
    if (!std::isfinite(f)) {
        // σ(v) rounded onto an open end of dom f (tanh(20) == 1.0 in double): step back inside,
        // where f is continuous; the error is of the order of the rounding that caused it.
        const auto [lo, hi] = op.base().domain();
        const double inner = std::nextafter(t, t >= hi ? lo : hi);
        f = op.potential(inner);
    }
    return v * t - 0.5 * t * t - f;
}

namespace {

Eigen::VectorXd preActivation(const Model& model, const Eigen::VectorXd& p, const Eigen::VectorXd& c)
{
    return model.W().transpose() * p + c;
}

}  // namespace

double unitObjective(const Model& model, const Eigen::VectorXd& p, const Eigen::VectorXd& c)
{
    const Eigen::VectorXd v = preActivation(model, p, c);
    double s = 0;
    for (int i = 0; i < model.n(); ++i) s += unitPotential(model.operators()[size_t(model.layerOf(i))], v(i));
    return 0.5 * p.squaredNorm() - s;
}

Eigen::VectorXd unitStep(const Model& model, const Eigen::VectorXd& p, const Eigen::VectorXd& c)
{
    Eigen::VectorXd z = preActivation(model, p, c);
    model.applyProx(z);
    return model.W() * z;
}

Eigen::VectorXd unitGradient(const Model& model, const Eigen::VectorXd& p, const Eigen::VectorXd& c)
{
    return p - unitStep(model, p, c);
}

}  // namespace opteq

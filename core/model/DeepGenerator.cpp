// SPDX-License-Identifier: GPL-3.0-or-later
#include "DeepGenerator.h"

#include <random>

namespace opteq {

Eigen::MatrixXd scaleToNorm(const Eigen::MatrixXd& W, double target)
{
    const double s = spectralNorm(W);
    if (!(s > 0)) return W;
    return W * (target / s);
}

Model makeDeepModel(const DeepSpec& spec)
{
    std::mt19937_64 rng(spec.seed);
    std::normal_distribution<double> g;
    int n = 0;
    std::vector<int> off;
    for (const LayerSpec& l : spec.layers) { off.push_back(n); n += l.size; }
    Eigen::MatrixXd W = Eigen::MatrixXd::Zero(n, n);
    for (size_t l = 0; l < spec.layers.size(); ++l) {
        const int nl = spec.layers[l].size;
        for (int i = 0; i < nl; ++i)
            for (int j = 0; j < nl; ++j) W(off[l] + i, off[l] + j) = g(rng) / std::sqrt(double(nl));
        if (l + 1 < spec.layers.size()) {
            const int nn = spec.layers[l + 1].size;
            for (int i = 0; i < nn; ++i)
                for (int j = 0; j < nl; ++j) W(off[l + 1] + i, off[l] + j) = spec.feedback * g(rng) / std::sqrt(double(nl));
        }
    }
    W = scaleToNorm(W, spec.targetNorm);
    Eigen::MatrixXd U = Eigen::MatrixXd::Zero(n, spec.inputDim);
    // The input drives the first layer only, as in a feed-forward stack.
    const int n1 = spec.layers.empty() ? 0 : spec.layers[0].size;
    for (int i = 0; i < n1; ++i)
        for (int j = 0; j < spec.inputDim; ++j) U(i, j) = g(rng) / std::sqrt(double(spec.inputDim));
    std::uniform_real_distribution<double> u(-0.5, 0.5);
    Eigen::VectorXd b(n);
    for (int i = 0; i < n; ++i) b(i) = u(rng);
    return Model(spec.layers, W, U, b);
}

Model makeRandomModel(int n, const Activation& act, double norm, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> g;
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    Eigen::MatrixXd W(n, n);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) W(i, j) = g(rng);
    W = scaleToNorm(W, norm);
    Eigen::VectorXd b(n);
    for (int i = 0; i < n; ++i) b(i) = u(rng);
    LayerSpec layer;
    layer.size = n;
    layer.activation = act;
    return Model({layer}, W, Eigen::MatrixXd::Identity(n, n), b);
}

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Random models: dense ones for tests and benchmarks, and the block lower-bidiagonal deep
// structure of MATH.md §3. Deterministic for a given seed.
#include "Model.h"

#include <cstdint>

namespace opteq {

struct DeepSpec {
    std::vector<LayerSpec> layers;   // sizes n_1..n_L with their activations
    int inputDim = 2;
    double targetNorm = 0.9;         // ‖W‖₂ after scaling
    double feedback = 1.0;           // scale of the below-diagonal blocks relative to the diagonal ones
    std::uint64_t seed = 1;
};

// W with diagonal blocks W_ll and below-diagonal blocks W_{l+1,l}, scaled to ‖W‖₂ = targetNorm.
Model makeDeepModel(const DeepSpec& spec);
// A dense n×n W scaled to ‖W‖₂ = norm, U = I (d = n), b random in [-1, 1].
Model makeRandomModel(int n, const Activation& act, double norm, std::uint64_t seed);
// Rescale W so that ‖W‖₂ = target (W unchanged when it is zero).
Eigen::MatrixXd scaleToNorm(const Eigen::MatrixXd& W, double target);

}  // namespace opteq

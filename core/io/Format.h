// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Numbers as the explorer writes them in sentences: "(0.8, −1, …)". One formatter for the theory
// descriptions, the CLI and the panels (no Qt: the core's descriptions use it too).
#include <Eigen/Core>
#include <string>

namespace opteq {

// %.<digits>g; |v| below `zeroBelow` prints as 0 (values bisected to ~1e-12); ±∞ as "∞"/"−∞".
std::string formatNumber(double v, int digits = 6, double zeroBelow = 0.0);
// "(v₁, v₂, …)" with at most maxShown entries, then "…".
std::string formatVector(const Eigen::Ref<const Eigen::VectorXd>& v, int maxShown = 6, int digits = 6, double zeroBelow = 0.0);

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#include "Format.h"

#include <cmath>
#include <cstdio>

namespace opteq {

std::string formatNumber(double v, int digits, double zeroBelow)
{
    if (std::isinf(v)) return v > 0 ? "∞" : "−∞";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.*g", digits, std::abs(v) < zeroBelow ? 0.0 : v);
    return buf;
}

std::string formatVector(const Eigen::Ref<const Eigen::VectorXd>& v, int maxShown, int digits, double zeroBelow)
{
    std::string s = "(";
    const Eigen::Index shown = std::min<Eigen::Index>(v.size(), maxShown);
    for (Eigen::Index i = 0; i < shown; ++i) s += (i ? ", " : "") + formatNumber(v(i), digits, zeroBelow);
    if (v.size() > shown) s += ", …";
    return s + ")";
}

}  // namespace opteq

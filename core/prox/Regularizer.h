// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Separable convex priors R of MATH.md §4, folded into the activation as prox_{f+R}.
#include <limits>
#include <optional>
#include <string>

namespace opteq {

enum class RegularizerType { L1, L2, Box };

struct Regularizer {
    RegularizerType type = RegularizerType::L1;
    double weight = 0.1;                  // l1: λ; l2: μ
    double center = 0.0;                  // l2: p
    double lo = -std::numeric_limits<double>::infinity();  // box
    double hi = std::numeric_limits<double>::infinity();   // box

    static const char* typeName(RegularizerType t);
    static std::optional<RegularizerType> parse(const std::string& s);
    std::string validate() const;
    // Compares the fields the type uses (a box has no weight, an l1 term no centre).
    bool operator==(const Regularizer& o) const
    {
        if (type != o.type) return false;
        switch (type) {
        case RegularizerType::L1: return weight == o.weight;
        case RegularizerType::L2: return weight == o.weight && center == o.center;
        case RegularizerType::Box: return lo == o.lo && hi == o.hi;
        }
        return false;
    }
};

}  // namespace opteq

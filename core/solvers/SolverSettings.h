// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What a solve is asked to do (SCENES.md "solver" and "prior"). Plain values.
#include <Eigen/Dense>
#include <optional>
#include <string>

namespace opteq {

enum class Method { Picard, KM, Anderson, Broyden, FB, Fista, PeacemanRachford };
enum class PriorType { None, Halpern, Viscosity, Hsd };

struct SolverSettings {
    Method method = Method::Picard;
    double tol = 1e-9;       // stop when ‖T z - z‖ <= tol
    int maxIter = 2000;
    double theta = 0.5;      // km relaxation; peaceman_rachford relaxation (1 = PR, ½ = Douglas–Rachford)
    int memory = 5;          // anderson / broyden history
    double lambda = 1e-4;    // anderson Tikhonov (relative to the smallest of diag(GᵀG), the newest residual²)
    double beta = 1.0;       // anderson mixing
    double step = 1.0;       // γ for fb, fista, peaceman_rachford
    bool operator==(const SolverSettings&) const = default;

    static const char* methodName(Method m);
    static std::optional<Method> parseMethod(const std::string& s);
    static constexpr int methodCount = 7;
    std::string validate() const;   // empty when valid; else names the parameter
};

struct PriorSettings {
    PriorType type = PriorType::None;
    Eigen::VectorXd anchor;   // halpern, viscosity (empty: 0)
    double rho = 0.5;         // viscosity contraction g(z) = a + ρ (z - a)
    Eigen::VectorXd target;   // hsd, R = ½‖z - target‖² (empty: 0)
    double mu = 1.0;          // hsd
    double theta = 1.0;       // averaging T_θ = (1-θ) I + θ T used inside the schemes
    bool operator==(const PriorSettings& o) const
    {
        return type == o.type && anchor.size() == o.anchor.size() && (anchor.size() == 0 || anchor == o.anchor)
            && rho == o.rho && target.size() == o.target.size() && (target.size() == 0 || target == o.target)
            && mu == o.mu && theta == o.theta;
    }
    static const char* typeName(PriorType t);
    static std::optional<PriorType> parseType(const std::string& s);
    std::string validate(int n) const;
};

}  // namespace opteq

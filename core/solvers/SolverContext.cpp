// SPDX-License-Identifier: GPL-3.0-or-later
#include "SolverContext.h"

#include <cmath>

namespace opteq {

const char* SolverSettings::methodName(Method m)
{
    switch (m) {
    case Method::Picard: return "picard";
    case Method::KM: return "km";
    case Method::Anderson: return "anderson";
    case Method::Broyden: return "broyden";
    case Method::FB: return "fb";
    case Method::Fista: return "fista";
    case Method::PeacemanRachford: return "peaceman_rachford";
    }
    return "picard";
}

std::optional<Method> SolverSettings::parseMethod(const std::string& s)
{
    for (int i = 0; i < methodCount; ++i)
        if (s == methodName(Method(i))) return Method(i);
    return std::nullopt;
}

std::string SolverSettings::validate() const
{
    if (!(tol > 0) || !std::isfinite(tol)) return "tol must be a finite number > 0";
    if (maxIter < 1 || maxIter > 1000000) return "max_iter must be between 1 and 1000000";
    if (!(theta > 0 && theta <= 1)) return "theta must be in (0, 1]";
    if (memory < 1 || memory > 100) return "memory must be between 1 and 100";
    if (!(lambda >= 0) || !std::isfinite(lambda)) return "lambda must be a finite number >= 0";
    if (!(beta > 0 && beta <= 1)) return "beta must be in (0, 1]";
    if (!(step > 0) || !std::isfinite(step) || step > 100) return "step must be in (0, 100]";
    return {};
}

const char* PriorSettings::typeName(PriorType t)
{
    switch (t) {
    case PriorType::None: return "none";
    case PriorType::Halpern: return "halpern";
    case PriorType::Viscosity: return "viscosity";
    case PriorType::Hsd: return "hsd";
    }
    return "none";
}

std::optional<PriorType> PriorSettings::parseType(const std::string& s)
{
    for (int i = 0; i < 4; ++i)
        if (s == typeName(PriorType(i))) return PriorType(i);
    return std::nullopt;
}

std::string PriorSettings::validate(int n) const
{
    if (anchor.size() != 0 && anchor.size() != n) return "anchor must have n = " + std::to_string(n) + " entries";
    if (target.size() != 0 && target.size() != n) return "target must have n = " + std::to_string(n) + " entries";
    if (anchor.size() && !anchor.allFinite()) return "anchor must be finite";
    if (target.size() && !target.allFinite()) return "target must be finite";
    if (!(rho >= 0 && rho < 1)) return "rho must be in [0, 1)";
    if (!(mu > 0) || !std::isfinite(mu)) return "mu must be a finite number > 0";
    if (!(theta > 0 && theta <= 1)) return "theta must be in (0, 1]";
    return {};
}

SolverContext::SolverContext(const Model& model, const Eigen::VectorXd& input, SolverSettings solver,
                             PriorSettings prior)
    : m_model(&model), m_solver(solver), m_prior(std::move(prior))
{
    m_c = model.bias(input);
    const int n = model.n();
    m_anchor = m_prior.anchor.size() == n ? m_prior.anchor : Eigen::VectorXd::Zero(n);
    m_target = m_prior.target.size() == n ? m_prior.target : Eigen::VectorXd::Zero(n);
    if (solver.method == Method::PeacemanRachford && m_prior.type == PriorType::None) {
        const double g = solver.step;
        Eigen::MatrixXd M = (1.0 + g) * Eigen::MatrixXd::Identity(n, n) - g * model.WtW();
        auto llt = std::make_shared<Eigen::LLT<Eigen::MatrixXd>>(M);
        if (llt->info() != Eigen::Success)
            m_problem = "Peaceman–Rachford needs I + γ(I − WᵀW) positive definite; with ‖W‖₂ = "
                + std::to_string(model.spectralNorm()) + " lower the step or scale W to ‖W‖₂ <= 1";
        m_llt = llt;
    }
}

}  // namespace opteq

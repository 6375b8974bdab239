// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Convergence-rate maps: iterations to tolerance over a grid of two solver parameters.
#include "BasinMap.h"

#include <optional>
#include <string>

namespace opteq {

enum class RateParam { Theta, NormScale, Memory, Beta, Step, Lambda };
const char* rateParamName(RateParam p);
std::optional<RateParam> parseRateParam(const std::string& s);

// Set parameter p to value in the settings (NormScale sets `norm`, the target ‖W‖₂), clamped to
// the parameter's valid range.
void applyRateParam(RateParam p, double value, SolverSettings& settings, double& norm);

// The parameters a method actually uses, plus the ‖W‖₂ scale every method responds to:
// picard {norm}; km {theta, norm}; anderson {memory, beta, lambda, norm}; broyden {memory, norm};
// fb and fista {step, norm}; peaceman_rachford {theta, step, norm}.
std::vector<RateParam> rateParamsFor(Method method);

struct RateMap {
    RateParam px = RateParam::Theta, py = RateParam::NormScale;
    // What was mapped (for the figure's title): the method, the prior scheme, the start, the tolerance.
    Method method = Method::Picard;
    PriorType prior = PriorType::None;
    int start = 1;
    double tol = 0;
    GridSpec spec;                 // x: px values, y: py values
    std::vector<int> iterations;   // row-major
    std::vector<std::uint8_t> status;
    bool complete = true;
};

// For each (px, py) on the grid, solve from z0 with those settings and the prior scheme
// (NormScale rescales W to that ‖W‖₂) and record the iterations to tolerance.
RateMap computeRateMap(const Model& model, const Eigen::VectorXd& input, const SolverSettings& base, const PriorSettings& prior,
                       const Eigen::VectorXd& z0, RateParam px, RateParam py, const GridSpec& spec,
                       const JobControl& job = {});

// The a-priori linear rate of a method (per iteration) at ‖W‖₂ = norm, when theory gives one:
// Picard ‖W‖₂²; KM 1 − θ(1 − ‖W‖₂²); forward–backward with step γ max(|1 − γ|, |1 − γ(1 − ‖W‖₂²)|)
// (the smooth part's Hessian I − WᵀW has its spectrum in [1 − ‖W‖₂², 1]). None for the others,
// for any prior of way 2 (sublinear), and when ‖W‖₂ >= 1.
std::optional<double> rateBound(Method method, const SolverSettings& s, double norm, PriorType prior);

// The rate map's one-dimensional cut: the observed rate (residual ratio per iteration over the
// second half, as the theory panel reports) and the bound, for values of one parameter with the
// others as in `base`. What the theory tab's "rate vs parameter" plot draws.
struct RateCut {
    RateParam param = RateParam::NormScale;
    Method method = Method::Picard;
    PriorType prior = PriorType::None;
    // observed: the residual ratio per iteration; for a selection scheme (a prior of way 2, which
    // is sublinear: `sublinear`) the log–log slope of the residual instead (−1 for O(1/k)).
    bool sublinear = false;
    std::vector<double> values, observed, bound;   // NaN where there is none
    std::vector<double> localRate;                 // ρ(J) at the end point (plain iteration's local rate)
    std::vector<std::uint8_t> status;
    bool complete = true;
};
RateCut computeRateCut(const Model& model, const Eigen::VectorXd& input, const SolverSettings& base, const PriorSettings& prior,
                       const Eigen::VectorXd& z0, RateParam param, const std::vector<double>& values, const JobControl& job = {});
// The values a cut sweeps for a parameter (its useful range), `count` of them.
std::vector<double> rateCutValues(RateParam param, int count = 25);

}  // namespace opteq

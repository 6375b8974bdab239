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

}  // namespace opteq

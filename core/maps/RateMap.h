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

struct RateMap {
    RateParam px = RateParam::Theta, py = RateParam::NormScale;
    GridSpec spec;                 // x: px values, y: py values
    std::vector<int> iterations;   // row-major
    std::vector<std::uint8_t> status;
    bool complete = true;
};

// For each (px, py) on the grid, solve from z0 with those settings (NormScale rescales W to that
// ‖W‖₂) and record the iterations to tolerance.
RateMap computeRateMap(const Model& model, const Eigen::VectorXd& input, const SolverSettings& base,
                       const Eigen::VectorXd& z0, RateParam px, RateParam py, const GridSpec& spec,
                       const JobControl& job = {});

}  // namespace opteq

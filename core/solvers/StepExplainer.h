// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Step-by-step mode: one iteration of the scene's solver explained in sentences with the actual
// numbers (for Anderson: the residual history, the mixing weights it solved for, the new iterate).
// Replays the solve from z0 up to iteration k, so it is meant for small models (it refuses above
// kMaxExplainDim coordinates or kMaxExplainIterations iterations and says so).
#include "SolverContext.h"

#include <string>
#include <vector>

namespace opteq {

constexpr int kMaxExplainDim = 200;
constexpr int kMaxExplainIterations = 20000;

struct StepExplanation {
    int k = 0;                          // the iteration explained: z_k → z_{k+1}
    std::vector<std::string> sentences;
    Eigen::VectorXd z, next;            // z_k and z_{k+1} (next empty when the solve stopped at k)
};

StepExplanation explainStep(const SolverContext& ctx, const Eigen::VectorXd& z0, int k);

// "(0.1, −2.3, …)" with at most `max` entries.
std::string formatVector(const Eigen::VectorXd& v, int max = 6);

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <limits>
// The theory panel's text: the equations being solved with the current numbers, the guarantee
// that applies, and the predicted rate ‖W‖₂² beside the observed one. A pure function of the
// scene and its solution, so every label always matches the current state.
#include "SceneSolution.h"

#include <QString>

namespace opteq {

// W with at most this many entries has its ‖W‖₂ computed on the GUI thread for immediate
// feedback (well under a millisecond); larger ones wait for the solve job's value.
constexpr long kSmallW = 64 * 64;

// knownNorm: ‖W‖₂ when known without a solution (NaN: computed here for small W only).
QString theoryHtml(const Scene& scene, const SceneSolution* solution, double knownNorm = std::numeric_limits<double>::quiet_NaN());

}  // namespace opteq

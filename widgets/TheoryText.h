// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The theory panel's text: the equations being solved with the current numbers, the guarantee
// that applies, and the predicted rate ‖W‖₂² beside the observed one. A pure function of the
// scene and its solution, so every label always matches the current state.
#include "SceneSolution.h"

#include <QString>

namespace opteq {

QString theoryHtml(const Scene& scene, const SceneSolution* solution);

}  // namespace opteq

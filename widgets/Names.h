// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The names a reader sees for solver methods, prior schemes, activations, losses and training
// gradients (issue 19):
// scene files and the CLI keep their ids ("picard", "hsd", "jacobian_free"); every label, title,
// legend and status line of the window and of exported figures says these instead. Pure
// functions, any thread.
#include "Activation.h"
#include "SceneSolution.h"
#include "SolverSettings.h"
#include "TrainingSettings.h"

#include <QString>

namespace opteq {

QString methodDisplayName(Method m);          // "Picard iteration", "Anderson acceleration", …
QString priorDisplayName(PriorType t);        // "no prior", "Halpern anchoring", "hybrid steepest descent (HSD)"
QString gradientDisplayName(GradientKind g);
QString activationDisplayName(ActivationType t);  // "ReLU", "leaky ReLU", "soft threshold", …
QString lossDisplayName(LossKind l);              // "cross-entropy", "mean squared error"
  // "implicit (exact)", "Jacobian-free", "unrolled iterations"
// A run as the legends name it: the method, or the prior scheme with the map T it iterates.
QString runDisplayName(Method m, bool withPrior, PriorType prior);
QString runDisplayName(const SolverRun& run, const SceneSolution& solution);   // the solution's prior
// What selects a point of Fix T: "HSD target (−0.6, −1)", "Halpern anchor (1, 0)".
QString selectorDisplayName(const FixSetReport& report);

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The unit-layer form of an OptEq layer (MATH.md §2). With V = Wᵀ the state p = W z ∈ ℝ^m obeys
//     p = W σ(Wᵀ p + c),      z = σ(Wᵀ p + c),
// and minimises G(p) = ½‖p‖² − Σ_i φ_i((Wᵀp + c)_i) with φ_i' = σ_i. Since σ = prox_f,
// φ(v) = ½v² − env_f(v) = v σ(v) − ½σ(v)² − f(σ(v)) (env_f the Moreau envelope), so every
// activation (and prior of way 1) has its φ without a table. At the equilibrium p* = W z* and
// G(p*) = E(z*). Pure functions; safe on any thread.
#include "Model.h"

namespace opteq {

// φ(v) for one coordinate's operator (finite for every v: σ(v) lies in dom f).
double unitPotential(const ProxOperator& op, double v);
// G(p) and ∇G(p) = p − W σ(Wᵀp + c).
double unitObjective(const Model& model, const Eigen::VectorXd& p, const Eigen::VectorXd& c);
Eigen::VectorXd unitGradient(const Model& model, const Eigen::VectorXd& p, const Eigen::VectorXd& c);
// One step of the unit layer's own fixed-point map p ↦ W σ(Wᵀp + c). Started at p₀ = W z₀ its
// iterates are exactly W z_k of plain iteration in z (the two trajectories are one, seen twice).
Eigen::VectorXd unitStep(const Model& model, const Eigen::VectorXd& p, const Eigen::VectorXd& c);

}  // namespace opteq

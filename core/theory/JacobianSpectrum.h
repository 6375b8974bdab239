// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The spectrum of the fixed-point map's Jacobian J = diag(σ'(v)) WᵀW at a state z (MATH.md §2):
// the local linear rate of plain iteration is ρ(J), the global bound is ‖W‖₂², and I − J is what
// the implicit gradient (§7) and Newton/Broyden steps invert. Pure function of (model, z, c).
#include "JobControl.h"
#include "Model.h"

#include <vector>

namespace opteq {

struct JacobianSpectrum {
    // Descending. All n eigenvalues when exact; the `top` largest (Lanczos) otherwise.
    std::vector<double> eigenvalues;
    bool exact = true;
    double spectralRadius = 0;   // ρ(J) = the largest eigenvalue (they are real and ≥ 0)
    double bound = 0;            // ‖W‖₂², the contraction bound of T
    double smallest = 0;         // λmin (exact, or the smallest Ritz value)
    // cond₂(I − J) by its singular values when exact; for large n the condition number of the
    // similar symmetric I − D^{1/2}WᵀWD^{1/2}, (1 − λmin)/(1 − λmax) (condOfSimilar = true).
    // +inf when 1 is an eigenvalue (I − J singular: ‖W‖₂ = 1 with active units on ker(I − WᵀW)).
    double cond = 0;
    bool condOfSimilar = false;
    // Units whose pre-activation sits on a kink of σ (σ' jumps there: ReLU at 0, clip at its
    // bounds): J is then not unique (σ'(v) is taken from one side), so neither are ρ and cond.
    int kinks = 0;
    bool complete = true;        // false when cancelled
};

// J = D A with D = diag(σ'(v)) ≥ 0 and A = WᵀW symmetric positive semi-definite is similar to the
// symmetric D^{1/2} A D^{1/2} (DA and D^{1/2}·D^{1/2}A share their eigenvalues even when D is
// singular), so its spectrum is real, non-negative and computed by a symmetric solver:
// dense for n <= exactLimit, the `top` largest by Lanczos on x ↦ D^{1/2} Wᵀ(W(D^{1/2}x)) above.
JacobianSpectrum jacobianSpectrum(const Model& model, const Eigen::VectorXd& z, const Eigen::VectorXd& c,
                                  int exactLimit = 512, int top = 32, const JobControl& job = {});

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The gradient of a loss through an OptEq layer (MATH.md §7; derivation in docs/training.md).
//
//   forward   z* = σ(A z* + U x + b), A = WᵀW, solved for a whole batch by the batched engine;
//   readout   y = V z* + c, loss L (softmax cross-entropy or mean squared error, batch mean);
//   adjoint   g = D (A g + gz), D = diag(σ'(v)), v = A z* + U x + b, gz = Vᵀ ∂L/∂y;
//   then      ∂L/∂b = Σ g, ∂L/∂U = Σ g xᵀ, ∂L/∂W = W (G + Gᵀ) with G = Σ g z*ᵀ,
//             ∂L/∂V = Σ (∂L/∂y) z*ᵀ, ∂L/∂c = Σ ∂L/∂y (sums over the batch's columns).
// At a kink of σ (ReLU at 0, a box at its bound) σ' is the derivative of the flat side, 0: a
// valid subgradient choice in [0, 1] (VectorActivation.h, Activation::dsigma).
// The cheaper estimators replace the adjoint: Jacobian-free g = D gz; unrolled ("phantom")
// backpropagates through k Picard steps started at z*.
// No Qt; runs on any thread; the inputs are read only.
#include "BatchSolver.h"
#include "Model.h"
#include "TrainingSettings.h"

#include <string>
#include <vector>

namespace opteq {

// The trainable weights of a network (the layers' activations and priors stay fixed).
struct NetworkWeights {
    Eigen::MatrixXd W, U, V;   // m × n, n × d, K × n
    Eigen::VectorXd b, c;      // n, K
};

// One batch: X is d × B (one sample per column); labels (classification) or targets K × B.
struct BatchView {
    const Eigen::MatrixXd& X;
    const std::vector<int>* labels = nullptr;
    const Eigen::MatrixXd* targets = nullptr;
};

// Forward pass of a batch: equilibria, outputs, and how the solve went.
struct ForwardPass {
    Eigen::MatrixXd Z, Y;          // n × B, K × B
    long long iterations = 0;      // Σ over columns
    int failed = 0;                // columns that did not converge
    std::string problem;           // non-empty when a column diverged (says which and why)
};
ForwardPass forwardPass(const Model& model, const Eigen::MatrixXd& V, const Eigen::VectorXd& c, const Eigen::MatrixXd& X,
                        const SolverSettings& solver, const JobControl& job = {});

// Loss (batch mean) and ∂L/∂y (K × B) of outputs Y; `correct` counts right labels
// (classification: the largest output) and is 0 for regression. mse with labels scores the
// one-hot targets; cross_entropy needs labels (NaN without them).
struct LossValue {
    double loss = 0;
    Eigen::MatrixXd dY;
    int correct = 0;
};
LossValue evaluateLoss(const Eigen::MatrixXd& Y, const BatchView& batch, LossKind kind);

struct GradientResult {
    NetworkWeights grad;           // ∂L/∂θ, same shapes as the weights
    double loss = 0;
    int correct = 0;
    long long forwardIterations = 0, adjointIterations = 0;
    // Columns whose forward solve stopped at max_iter. They enter the gradient as they are: the
    // last iterate is the best estimate of z* there is, and the formulas treat it as z = T(z);
    // the count is reported per epoch (EpochLog::unconverged) so the user sees how often.
    int unconverged = 0;
    int adjointUnconverged = 0;    // the same for the adjoint's columns
    std::string problem;           // non-empty: the gradient is not usable (diverged, not finite)
    bool ok() const { return problem.empty(); }
};

// The gradient of the batch's loss for the chosen estimator. `unroll`: steps for Unrolled.
// U x + b is computed once for the batch, σ' is taken at the forward's own pre-activations, and
// the adjoint runs on the batched engine with `adjointSolver` (default: `solver`: Anderson
// forward, Anderson adjoint; Picard or KM otherwise).
GradientResult computeGradient(const Model& model, const NetworkWeights& w, const BatchView& batch, LossKind loss,
                               const SolverSettings& solver, GradientKind kind, int unroll = 5, const JobControl& job = {},
                               const SolverSettings* adjointSolver = nullptr);

// The adjoint g = D (A g + gz) for every column by Picard on the batched engine (one product per
// iteration for the batch's running columns);
// a column stops when its step is below tol × its own scale (max(‖D gz‖, ‖g‖)), whatever the
// batch size; iterations are added to *iterations, columns still moving at maxIter to
// *unconverged (they are used as they are). The problem is non-empty only when it diverges.
std::string solveAdjoint(const Eigen::MatrixXd& A, const Eigen::MatrixXd& D, const Eigen::MatrixXd& GZ, double tol, int maxIter,
                         Eigen::MatrixXd& G, long long* iterations, int* unconverged = nullptr);
// The same with the engine's method (Picard, KM or Anderson with s.memory, s.lambda, s.beta),
// s.tol and s.maxIter (solveBatchAdjoint, BatchSolver.h); a cancelled job returns "cancelled".
std::string solveAdjoint(const Eigen::MatrixXd& A, const Eigen::MatrixXd& D, const Eigen::MatrixXd& GZ, const SolverSettings& s,
                         Eigen::MatrixXd& G, long long* iterations, int* unconverged = nullptr, const JobControl& job = {});

// The model of a network's weights with the layers (activations, priors) of `shape`.
Model networkModel(const Model& shape, const NetworkWeights& w);

// Cosine between two gradients as flat vectors (1 = same direction).
double gradientCosine(const NetworkWeights& a, const NetworkWeights& b);

}  // namespace opteq

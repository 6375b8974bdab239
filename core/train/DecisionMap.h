// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the Train tab draws of a network, computed off the GUI thread: its decision regions over
// the 2-D input plane (a grid of inputs solved in one batch) and the equilibria of the data
// points projected onto their two principal directions. No Qt.
#include "ImplicitGradient.h"
#include "Plane.h"

namespace opteq {

// The two inputs a 2-D view of the data shows, and where the others are held: 1-D data is drawn
// along x1 (iy = -1: regions are bands, the points sit on the line x2 = 0 of the view); d > 2
// on the plane of x_ix, x_iy through `base` (each other input at its mean over the data).
struct InputSlice {
    int ix = 0, iy = 1;
    Eigen::VectorXd base;           // d values; entries ix and iy are replaced by the view's x, y
    bool operator==(const InputSlice&) const = default;
    // The full input of the view's point (x, y).
    Eigen::VectorXd input(double x, double y) const;
    // The view's coordinates of a data row.
    double x(const Eigen::Ref<const Eigen::RowVectorXd>& row) const { return row(ix); }
    double y(const Eigen::Ref<const Eigen::RowVectorXd>& row) const { return iy >= 0 ? row(iy) : 0.0; }
    // "", or what the view holds fixed: "x₃ = 0.12, x₄ = −1.5 (their means)"; "1-D data" along x₁.
    std::string heldText() const;
};
// "x₁", "x₁₂": input i (from 0) as labels and titles name it.
std::string inputName(int i);
// The first two inputs (one for 1-D data), the others at their means over `data`.
InputSlice defaultSlice(const Dataset& data);

struct DecisionMap {
    GridSpec spec;                  // view box over (x_ix, x_iy)
    InputSlice slice;               // which inputs the box spans
    std::vector<int> label;         // argmax class per cell, row-major (j * nx + i)
    std::vector<double> confidence; // softmax probability of that class
};

// A box over the slice's two inputs of `data` with a 15% margin ([-1, 1] across 1-D data).
GridSpec inputBox(const Dataset& data, const InputSlice& slice, int nx, int ny);

DecisionMap computeDecisionMap(const Model& model, const NetworkWeights& w, const SolverSettings& solver, const GridSpec& box,
                               const InputSlice& slice, const JobControl& job = {});

// The equilibria z*(x) of the rows of X (N × d), projected on their top two principal
// directions (centred): N × 2. Predicted classes in *predicted when given.
// The top k principal directions (n × k, orthonormal, descending) of centred columns Zc (n × N),
// by subspace iteration: no n × n covariance or full eigendecomposition per frame.
Eigen::MatrixXd topPrincipalDirections(const Eigen::MatrixXd& Zc, int k);

Eigen::MatrixXd equilibriumEmbedding(const Model& model, const NetworkWeights& w, const SolverSettings& solver, const Eigen::MatrixXd& X,
                                     std::vector<int>* predicted = nullptr);

}  // namespace opteq

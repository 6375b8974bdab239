// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the Train tab draws of a network, computed off the GUI thread: its decision regions over
// the 2-D input plane (a grid of inputs solved in one batch) and the equilibria of the data
// points projected onto their two principal directions. No Qt.
#include "ImplicitGradient.h"
#include "Plane.h"

namespace opteq {

struct DecisionMap {
    GridSpec spec;                  // input plane box (x1, x2)
    std::vector<int> label;         // argmax class per cell, row-major (j * nx + i)
    std::vector<double> confidence; // softmax probability of that class
};

// A box over the inputs of `data` (its first two columns) with a 15% margin.
GridSpec inputBox(const Dataset& data, int nx, int ny);

DecisionMap computeDecisionMap(const Model& model, const NetworkWeights& w, const SolverSettings& solver, const GridSpec& box,
                               const JobControl& job = {});

// The equilibria z*(x) of the rows of X (N × d), projected on their top two principal
// directions (centred): N × 2. Predicted classes in *predicted when given.
Eigen::MatrixXd equilibriumEmbedding(const Model& model, const NetworkWeights& w, const SolverSettings& solver, const Eigen::MatrixXd& X,
                                     std::vector<int>* predicted = nullptr);

}  // namespace opteq

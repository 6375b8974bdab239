// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Fix T as the convex set it is (MATH.md §2: Fix T = argmin E), computed from one equilibrium.
//
// Why it is exact, not fitted: E = Σf + q with q(z) = ½zᵀ(I − WᵀW)z − ⟨c, z⟩ convex quadratic.
// All minimisers of such a sum share ∇q, so argmin E ⊆ z* + ker(I − WᵀW); and z* + d (d in that
// kernel) is a minimiser iff s = c − (I − WᵀW)z* still lies in ∂f(z* + d), coordinate by
// coordinate: (z* + d)_i ∈ I_i = {t : prox_{f_i}(t + s_i) = t}, a closed interval. So
//     Fix T = (z* + ker(I − WᵀW)) ∩ Π_i I_i,
// an affine subspace cut by a box: a point, segment, ray, line, or a (possibly unbounded) face.
// Pure function; runs on whichever thread calls it (a solution job in the window).
#include "Model.h"
#include "SolverSettings.h"

#include <optional>
#include <string>
#include <vector>

namespace opteq {

enum class FixSetKind { Point, Segment, Ray, Line, Face, Empty, Unknown };
const char* fixSetKindName(FixSetKind k);

struct FixedPointSet {
    FixSetKind kind = FixSetKind::Unknown;
    int dimension = 0;
    // The set is `point + Σ t_k directions[k]` with: point — nothing; segment — t ∈ [0, 1]
    // (directions[0] = other end − point); ray — t ≥ 0 (unit direction); line — t ∈ ℝ (unit);
    // face — the orthonormal directions of its affine hull, cut by the intervals below.
    Eigen::VectorXd point;
    std::vector<Eigen::VectorXd> directions;
    std::vector<Eigen::VectorXd> vertices;   // segment ends; a 2-D face's corners (finite ones)
    // A 2-D face's outline for drawing: its corners in order, an unbounded face cut by a square
    // of half-width 10⁶ around the point (far beyond any view; plots clip it).
    std::vector<Eigen::VectorXd> outline;
    bool bounded = true;
    // The coordinate intervals I_i (lo ≤ z_i ≤ hi, possibly infinite) that cut the affine hull.
    Eigen::VectorXd lo, hi;
    double residual = 0;        // max ‖T(z) − z‖ over the point and vertices (and a step along rays)
    std::string description;    // "a ray: (0, 0.8) + t·(1, 0), t ≥ 0"
    bool contains(const Eigen::VectorXd& z, double tol = 1e-7) const;
};

// Fix T from an (approximate) equilibrium z of the model with bias c; z is first polished by
// plain iteration. ‖W‖₂ < 1: a point. ‖W‖₂ > 1: Unknown (E is not convex). n > maxUnits: Unknown
// (one dense eigen-decomposition of WᵀW is needed).
FixedPointSet computeFixedPointSet(const Model& model, const Eigen::VectorXd& c, const Eigen::VectorXd& z,
                                   int maxUnits = 512);
// "No start converged" for ‖W‖₂ <= 1: Fix T appears empty (the iterates drift).
FixedPointSet emptyFixedPointSet(const std::string& why);

// Fix T with the scene's prior's choice on it (computed by fixSetReport in TheoryReports.h).
struct FixSetReport {
    FixedPointSet set;
    // The scene's prior of way 2 (Halpern/viscosity anchor, HSD target): the analytic choice on
    // the set (the projection, MATH.md §5), the solver's end point, and how far apart they are.
    std::optional<Eigen::VectorXd> selected;
    std::optional<Eigen::VectorXd> solverSelected;
    double selectionDistance = 0;
    std::string selectedBy;   // "halpern anchor (1, 0)", … (the CLI's words)
    PriorType selector = PriorType::None;   // the scheme that selects, and its anchor or target
    Eigen::VectorXd selectorPoint;
};

// The point of the set nearest to a (Euclidean projection). Halpern and viscosity with anchor a,
// and hybrid steepest descent with R = ½‖z − a‖², all select this point (MATH.md §5).
Eigen::VectorXd projectOntoFixedPointSet(const FixedPointSet& set, const Eigen::VectorXd& a);

}  // namespace opteq

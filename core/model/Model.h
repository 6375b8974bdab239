// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// An OptEq layer z* = σ(WᵀW z* + U x + b) with per-layer activations (MATH.md §2–§4).
// Immutable after construction (WᵀW and ‖W‖₂ are computed once), so one Model is shared
// read-only by every solver thread.
#include "ProxOperator.h"

#include <Eigen/Dense>
#include <vector>

namespace opteq {

struct LayerSpec {
    int size = 1;
    Activation activation;
    std::vector<Regularizer> regularizers;  // this layer's own priors (added to the model-wide ones)
    bool operator==(const LayerSpec&) const = default;
};

class Model {
public:
    Model() = default;
    // W is m×n, U is n×d, b has n entries; layer sizes sum to n. Shapes are assumed checked
    // (Scene validation does that); regularizers apply to every layer.
    Model(std::vector<LayerSpec> layers, Eigen::MatrixXd W, Eigen::MatrixXd U, Eigen::VectorXd b,
          std::vector<Regularizer> regularizers = {});

    int n() const { return int(m_WtW.rows()); }
    int m() const { return int(m_W.rows()); }
    int d() const { return int(m_U.cols()); }
    const Eigen::MatrixXd& W() const { return m_W; }
    const Eigen::MatrixXd& WtW() const { return m_WtW; }
    const Eigen::MatrixXd& U() const { return m_U; }
    const Eigen::VectorXd& b() const { return m_b; }
    const std::vector<LayerSpec>& layers() const { return m_layers; }
    const std::vector<Regularizer>& regularizers() const { return m_regs; }
    const std::vector<ProxOperator>& operators() const { return m_ops; }   // one per layer
    const std::vector<int>& offsets() const { return m_offsets; }          // first coordinate per layer
    bool hasRegularizers() const;
    // The same model with every regularizer removed (the "before" of a prior of way 1).
    Model withoutRegularizers() const;
    // The same model with W scaled by s: WᵀW scaled by s² and ‖W‖₂ by |s| (to rounding what a
    // fresh Model of sW computes) without the product or the eigen-solve, for sweeps over ‖W‖₂.
    Model scaledW(double s) const;

    // ‖W‖₂, computed once (see opteq::spectralNorm).
    double spectralNorm() const { return m_norm; }

    // c = U x + b.
    Eigen::VectorXd bias(const Eigen::VectorXd& x) const;

    // In place: v ← prox_{γ(f+R)}(v), layer by layer.
    void applyProx(Eigen::Ref<Eigen::VectorXd> v, double gamma = 1.0) const;
    void applyProxColumns(Eigen::Ref<Eigen::MatrixXd> V, double gamma = 1.0) const;
    // T(z) = σ(WᵀW z + c); also returns the pre-activation v = WᵀW z + c when asked.
    Eigen::VectorXd T(const Eigen::VectorXd& z, const Eigen::VectorXd& c) const;
    // Σ_i f_i(z_i) + R_i(z_i).
    double potential(const Eigen::Ref<const Eigen::VectorXd>& z) const;
    // E(z) = Σ f_i(z_i) + ½‖z‖² - ½‖Wz‖² - ⟨c, z⟩ (regularizers included).
    double objective(const Eigen::VectorXd& z, const Eigen::VectorXd& c) const;
    // Same, reusing WtWz = WᵀW z when the caller has it.
    double objectiveWith(const Eigen::Ref<const Eigen::VectorXd>& z, const Eigen::Ref<const Eigen::VectorXd>& WtWz,
                         const Eigen::VectorXd& c) const;
    // ∇ of the smooth part ½ zᵀ(I - WᵀW) z - ⟨c, z⟩.
    Eigen::VectorXd smoothGradient(const Eigen::VectorXd& z, const Eigen::VectorXd& c) const;
    // σ'(v) coordinate-wise at v = WᵀW z + c (the diagonal D of the Jacobian D WᵀW).
    Eigen::VectorXd activationSlopes(const Eigen::VectorXd& z, const Eigen::VectorXd& c) const;
    // Jacobian of T at z: diag(σ'(v)) WᵀW.
    Eigen::MatrixXd jacobianT(const Eigen::VectorXd& z, const Eigen::VectorXd& c) const;
    // Whether z lies in the domain of Σ f_i + R_i.
    bool inDomain(const Eigen::VectorXd& z) const;
    // The layer index of coordinate i.
    int layerOf(int i) const;

private:
    std::vector<LayerSpec> m_layers;
    std::vector<Regularizer> m_regs;
    std::vector<ProxOperator> m_ops;
    std::vector<int> m_offsets;
    Eigen::MatrixXd m_W, m_WtW, m_U;
    Eigen::VectorXd m_b;
    double m_norm = 0;
};

// ‖A‖₂: a dense symmetric eigen-solve of the smaller Gram matrix up to 160, Lanczos above
// (to ~1e-14 relative; milliseconds at n = 1000).
double spectralNorm(const Eigen::MatrixXd& A);
// λmax of a symmetric positive semi-definite matrix stored in full (e.g. WᵀW): the same two methods.
double largestEigenvalue(const Eigen::MatrixXd& S);
// How many eigen-solves or Lanczos runs the two functions above have done in this process (every
// Model constructor does one): lets tests check that a sweep over ‖W‖₂ reuses the known norm.
long long normComputations();
// The same count on the calling thread only (what the GUI thread computed itself).
long long normComputationsOnThisThread();

}  // namespace opteq

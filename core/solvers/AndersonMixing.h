// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The one Anderson (type II) least-squares kernel, used by the per-start solver, the batched
// engine and the step explainer. Given the history x_i and T(x_i), i = 1..m, with residuals
// g_i = T(x_i) − x_i, the mixing weights are
//   α = argmin ‖Σ α_i g_i‖² + λ·min(‖g_i‖²)·‖α‖²   subject to Σ α_i = 1,
// i.e. α ∝ (GᵀG + μI)^{-1} 1 with μ = λ·min diag(GᵀG). The regularisation is relative so that it
// keeps helping near convergence, where GᵀG ~ residual² is tiny; relative to the smallest
// residual, not the mean: while a start converges its residuals fall geometrically, the mean is
// the oldest's, and μ grew to a third of the newest residual's energy (m = 5) and drowned it:
// the n = 512 tanh batch of opteq_bench [4] took 15.9 iterations on average (21.6 at m = 8, worse
// than m = 3) against 13.4 (12.6 at m = 8) relative to the smallest. The system is not formed: a QR
// of the stacked differences A = [G; √μ I] = QR gives AᵀA = RᵀR, so α ∝ R⁻¹R⁻ᵀ1 with the
// conditioning of G, not of GᵀG (its square): near convergence the residuals are nearly parallel
// and the normal equations lose twice the digits. R comes from modified Gram–Schmidt (backward
// stable like Householder's R; Q is not kept), a few dot products and axpys on contiguous columns
// (Eigen's Householder QR of this tall thin matrix cost half a batched iteration's product). The
// workspace keeps A and R, so a solve allocates nothing once the history is full.
#include <Eigen/Dense>
#include <new>
#include <vector>

namespace opteq {

// Per-thread scratch (m = the history length, at most the memory).
struct AndersonWorkspace {
    Eigen::MatrixXd A;                       // at least (n + m) × m: G over √μ I, then Q
    Eigen::MatrixXd R;                       // at least m × m, upper triangular
    Eigen::VectorXd w;                       // memory
    void reserve(int memory)
    {
        if (w.size() < memory) w.resize(memory);
    }
};

// Weights α (first m entries of alpha, which must have room for m) from the history X, F (n×m,
// columns in any order, the same for both). False when the system is singular to working
// precision or the weights are wild (|α_i| >= 1e8): the caller then resets its history and takes
// a plain step. Never allocates when ws.reserve(m) was called and alpha has m entries.
bool andersonWeights(const Eigen::Ref<const Eigen::MatrixXd>& X, const Eigen::Ref<const Eigen::MatrixXd>& F, double lambda,
                     AndersonWorkspace& ws, Eigen::Ref<Eigen::VectorXd> alpha);

// Ring-buffer history of one start: push (x, T x), then mix into the next iterate. Not
// copyable: X and F view either its own storage or a caller's (the batched engine keeps all its
// columns' histories in one large block).
class AndersonHistory {
public:
    AndersonHistory() = default;
    AndersonHistory(const AndersonHistory&) = delete;
    AndersonHistory& operator=(const AndersonHistory&) = delete;
    // Own storage, n × memory each for X and F.
    void reset(int n, int memory)
    {
        if (own.size() != size_t(2) * n * memory) own.assign(size_t(2) * n * memory, 0.0);
        reset(own.data(), n, memory);
    }
    // The caller's storage: 2·n·memory doubles that outlive this history.
    void reset(double* storage, int n, int memory)
    {
        new (&X) Eigen::Map<Eigen::MatrixXd>(storage, n, memory);
        new (&F) Eigen::Map<Eigen::MatrixXd>(storage + size_t(n) * memory, n, memory);
        if (alpha.size() != memory) alpha.resize(memory);
        stored = head = 0;
    }
    void clear() { stored = head = 0; }
    // Records x and T x; computes next = β Σ α_i T(x_i) + (1 − β) Σ α_i x_i. With one entry, or
    // when the least squares is singular (history cleared), next = T x; returns false then.
    // next may be x's or T x's storage (both are recorded before next is written).
    bool step(const Eigen::Ref<const Eigen::VectorXd>& x, const Eigen::Ref<const Eigen::VectorXd>& Tx, double lambda,
              double beta, AndersonWorkspace& ws, Eigen::Ref<Eigen::VectorXd> next);
    int size() const { return stored; }
    // The weights of the last mixing step, in ring order (valid after step() returned true).
    Eigen::VectorXd::ConstSegmentReturnType weights() const { return alpha.head(stored); }

    Eigen::Map<Eigen::MatrixXd> X{nullptr, 0, 0}, F{nullptr, 0, 0};   // ring buffers of x_i and T(x_i), n × memory
    Eigen::VectorXd alpha;
    int stored = 0, head = 0;

private:
    std::vector<double> own;
};

}  // namespace opteq

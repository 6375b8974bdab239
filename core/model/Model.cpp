// SPDX-License-Identifier: GPL-3.0-or-later
#include "Model.h"

#include "Lanczos.h"
#include "VectorActivation.h"

#include <atomic>
#include <cmath>
#include <functional>
#include <limits>
#include <random>

namespace opteq {

namespace {

// λmax(AᵀA) by Lanczos on x ↦ Aᵀ(A x) (two matrix–vector products a step, the Gram matrix never
// formed). The top Ritz value increases monotonically to λmax: converges in tens of steps where
// power iteration took thousands (random matrices have close top singular values).
double lanczosTop(const SymmetricApply& apply, Eigen::Index n)
{
    return std::max(0.0, lanczosExtremes(apply, n, 1).top.front());
}

double lanczosTopGram(const Eigen::MatrixXd& A)
{
    Eigen::VectorXd Ax(A.rows());
    return lanczosTop([&](const Eigen::VectorXd& x, Eigen::VectorXd& y) {
        Ax.noalias() = A * x;
        y.noalias() = A.transpose() * Ax;
    }, A.cols());
}

std::atomic<long long> normCount{0};
thread_local long long threadNormCount = 0;   // the same, on the calling thread (the GUI thread test)

}  // namespace

long long normComputations() { return normCount.load(); }
long long normComputationsOnThisThread() { return threadNormCount; }

double largestEigenvalue(const Eigen::MatrixXd& S)
{
    if (S.size() == 0) return 0.0;
    if (!S.allFinite()) return std::numeric_limits<double>::quiet_NaN();
    normCount.fetch_add(1, std::memory_order_relaxed);
    ++threadNormCount;
    if (S.rows() <= 160) return Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(S, Eigen::EigenvaluesOnly).eigenvalues().maxCoeff();
    // The product by row blocks on the OpenMP threads (memory-bound: both cores' bandwidth) when
    // it is large enough to pay for a parallel region per step: below n = 1024 a step is a few
    // microseconds, less than the region (and training computes a norm after every step).
    const int n = int(S.rows());
    return lanczosTop([&](const Eigen::VectorXd& x, Eigen::VectorXd& y) {
#pragma omp parallel for schedule(static) if (n >= 1024)
        for (int r0 = 0; r0 < n; r0 += 128) {
            const int len = std::min(128, n - r0);
            y.segment(r0, len).noalias() = S.middleRows(r0, len) * x;
        }
    }, S.rows());
}

double spectralNorm(const Eigen::MatrixXd& A)
{
    if (A.size() == 0) return 0.0;
    if (!A.allFinite()) return std::numeric_limits<double>::quiet_NaN();
    normCount.fetch_add(1, std::memory_order_relaxed);
    ++threadNormCount;
    // Small: the dense symmetric eigenvalue problem of the smaller Gram matrix (exact to rounding).
    if (std::min(A.rows(), A.cols()) <= 160) {
        const Eigen::MatrixXd G = A.rows() < A.cols() ? Eigen::MatrixXd(A * A.transpose()) : Eigen::MatrixXd(A.transpose() * A);
        const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(G, Eigen::EigenvaluesOnly);
        return std::sqrt(std::max(0.0, es.eigenvalues().maxCoeff()));
    }
    return std::sqrt(std::max(0.0, A.rows() < A.cols() ? lanczosTopGram(A.transpose()) : lanczosTopGram(A)));
}

Model::Model(std::vector<LayerSpec> layers, Eigen::MatrixXd W, Eigen::MatrixXd U, Eigen::VectorXd b,
             std::vector<Regularizer> regularizers)
    : m_layers(std::move(layers)), m_regs(std::move(regularizers)), m_W(std::move(W)), m_U(std::move(U)),
      m_b(std::move(b))
{
    int offset = 0;
    for (const LayerSpec& l : m_layers) {
        m_offsets.push_back(offset);
        offset += l.size;
        std::vector<Regularizer> regs = m_regs;
        regs.insert(regs.end(), l.regularizers.begin(), l.regularizers.end());
        m_ops.emplace_back(l.activation, regs);
    }
    // WᵀW: the lower triangle (half the flops of the full product) in column blocks shared by the
    // OpenMP threads, then mirrored; ‖W‖₂² = λmax(WᵀW) from the same matrix (one product per
    // Lanczos step, not two). 1000×1000: ~10 ms instead of ~40 ms for a one-thread rank update.
    // Below n = 512 one thread (training builds a model after every step; a parallel region there
    // costs more than it saves on a loaded machine).
    const int n = int(m_W.cols());
    m_WtW.resize(n, n);
    constexpr int kBlock = 96;
#pragma omp parallel for schedule(dynamic, 1) if (n >= 512)
    for (int j0 = 0; j0 < n; j0 += kBlock) {
        const int bw = std::min(kBlock, n - j0);
        m_WtW.block(j0, j0, n - j0, bw).noalias() = m_W.rightCols(n - j0).transpose() * m_W.middleCols(j0, bw);
    }
    m_WtW.triangularView<Eigen::StrictlyUpper>() = m_WtW.transpose();
    m_norm = m_W.allFinite() ? std::sqrt(std::max(0.0, largestEigenvalue(m_WtW))) : std::numeric_limits<double>::quiet_NaN();
}

bool Model::hasRegularizers() const
{
    for (const ProxOperator& op : m_ops)
        if (op.hasRegularizers()) return true;
    return false;
}

Model Model::withoutRegularizers() const
{
    std::vector<LayerSpec> layers = m_layers;
    for (LayerSpec& l : layers) l.regularizers.clear();
    return Model(layers, m_W, m_U, m_b, {});
}

Model Model::scaledW(double s) const
{
    Model m = *this;
    m.m_W *= s;
    m.m_WtW *= s * s;
    m.m_norm *= std::abs(s);
    return m;
}

Eigen::VectorXd Model::bias(const Eigen::VectorXd& x) const { return m_U * x + m_b; }

int Model::layerOf(int i) const
{
    for (int l = int(m_offsets.size()) - 1; l >= 0; --l)
        if (i >= m_offsets[l]) return l;
    return 0;
}

void Model::applyProx(Eigen::Ref<Eigen::VectorXd> v, double gamma) const
{
    for (size_t l = 0; l < m_ops.size(); ++l) {
        const ProxOperator& op = m_ops[l];
        const int start = m_offsets[l], size = m_layers[l].size;
        if (!op.hasRegularizers() && gamma == 1.0) {
            // Hot path: plain σ over the whole segment with the SIMD kernels.
            sigmaInPlace(op.base(), v.data() + start, size_t(size));
        } else {
            for (int i = start; i < start + size; ++i) v(i) = op.prox(v(i), gamma);
        }
    }
}

void Model::applyProxColumns(Eigen::Ref<Eigen::MatrixXd> V, double gamma) const
{
    for (Eigen::Index j = 0; j < V.cols(); ++j) applyProx(V.col(j), gamma);
}

Eigen::VectorXd Model::T(const Eigen::VectorXd& z, const Eigen::VectorXd& c) const
{
    Eigen::VectorXd v = m_WtW * z + c;
    applyProx(v);
    return v;
}

double Model::potential(const Eigen::Ref<const Eigen::VectorXd>& z) const
{
    double s = 0;
    for (size_t l = 0; l < m_ops.size(); ++l) {
        const ProxOperator& op = m_ops[l];
        const int start = m_offsets[l], size = m_layers[l].size;
        if (op.base().type == ActivationType::Identity && !op.hasRegularizers()) continue;
        if (op.hasRegularizers() || size < 8) {
            for (int i = start; i < start + size; ++i) s += op.potential(z(i));
            continue;
        }
        // SIMD potentials in chunks on the stack (no allocation: called per grid point by maps).
        double buf[256];
        for (int i = start; i < start + size; i += 256) {
            const int len = std::min(256, start + size - i);
            potentialArray(op.base(), z.data() + i, buf, size_t(len));
            for (int k = 0; k < len; ++k) s += buf[k];
        }
    }
    return s;
}

double Model::objectiveWith(const Eigen::Ref<const Eigen::VectorXd>& z, const Eigen::Ref<const Eigen::VectorXd>& WtWz,
                            const Eigen::VectorXd& c) const
{
    const double f = potential(z);
    if (!std::isfinite(f)) return f;
    return f + 0.5 * z.squaredNorm() - 0.5 * z.dot(WtWz) - c.dot(z);
}

double Model::objective(const Eigen::VectorXd& z, const Eigen::VectorXd& c) const
{
    const Eigen::VectorXd WtWz = m_WtW * z;
    return objectiveWith(z, WtWz, c);
}

Eigen::VectorXd Model::smoothGradient(const Eigen::VectorXd& z, const Eigen::VectorXd& c) const
{
    return z - m_WtW * z - c;
}

Eigen::VectorXd Model::activationSlopes(const Eigen::VectorXd& z, const Eigen::VectorXd& c) const
{
    const Eigen::VectorXd v = m_WtW * z + c;
    Eigen::VectorXd d(v.size());
    for (size_t l = 0; l < m_ops.size(); ++l)
        for (int i = m_offsets[l]; i < m_offsets[l] + m_layers[l].size; ++i) d(i) = m_ops[l].dsigma(v(i));
    return d;
}

Eigen::MatrixXd Model::jacobianT(const Eigen::VectorXd& z, const Eigen::VectorXd& c) const
{
    return activationSlopes(z, c).asDiagonal() * m_WtW;
}

bool Model::inDomain(const Eigen::VectorXd& z) const { return std::isfinite(potential(z)); }

}  // namespace opteq

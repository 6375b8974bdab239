// SPDX-License-Identifier: GPL-3.0-or-later
#include "AndersonMixing.h"

#include <cmath>
#include <limits>

namespace opteq {

bool andersonWeights(const Eigen::Ref<const Eigen::MatrixXd>& X, const Eigen::Ref<const Eigen::MatrixXd>& F, double lambda,
                     AndersonWorkspace& ws, Eigen::Ref<Eigen::VectorXd> alpha)
{
    const int m = int(X.cols()), n = int(X.rows());
    ws.reserve(m);
    // Grows only (never shrinks), so a history of varying length allocates nothing once full.
    if (ws.A.rows() < n + m || ws.A.cols() < m) ws.A.resize(std::max<Eigen::Index>(ws.A.rows(), n + m), std::max<Eigen::Index>(ws.A.cols(), m));
    if (ws.R.rows() < m) ws.R.resize(m, m);
    auto A = ws.A.topLeftCorner(n + m, m);
    A.topRows(n) = F - X;
    double trace = 0, smallest = std::numeric_limits<double>::infinity();
    for (int i = 0; i < m; ++i) {
        const double g2 = A.col(i).head(n).squaredNorm();
        trace += g2;
        smallest = std::min(smallest, g2);
    }
    if (!std::isfinite(trace)) return false;
    const double mu = lambda * smallest + 1e-300;
    A.bottomRows(m).setZero();
    A.bottomRows(m).diagonal().setConstant(std::sqrt(mu));
    // R of A = QR by modified Gram–Schmidt on A's contiguous columns (Q is not needed; MGS's R is
    // backward stable like Householder's, and at m ≤ memory columns of n + m it is a few dot
    // products and axpys: the batched engine mixes every column every iteration).
    auto R = ws.R.topLeftCorner(m, m);
    for (int i = 0; i < m; ++i) {
        auto qi = A.col(i);
        const double rii = qi.norm();
        R(i, i) = rii;
        if (!(rii > 0) || !std::isfinite(rii)) return false;
        qi /= rii;
        for (int j = i + 1; j < m; ++j) {
            auto aj = A.col(j);
            const double rij = qi.dot(aj);
            R(i, j) = rij;
            aj -= rij * qi;
        }
    }
    // Singular to working precision: R's diagonal spans more than 1e10 (cond(G) past 1e10, where
    // α would keep fewer than ~6 digits; the normal equations had to stop at cond(G) ~ 3e6):
    // the caller resets its history.
    double dmax = 0, dmin = std::numeric_limits<double>::infinity();
    for (int i = 0; i < m; ++i) {
        const double d = std::abs(R(i, i));
        dmax = std::max(dmax, d);
        dmin = std::min(dmin, d);
    }
    if (!(dmin > 1e-10 * dmax) || !std::isfinite(dmax)) return false;
    // RᵀR w = 1: forward with Rᵀ, back with R.
    const auto U = R.template triangularView<Eigen::Upper>();
    auto w = ws.w.head(m);
    w.setOnes();
    U.transpose().solveInPlace(w);
    U.solveInPlace(w);
    const double sum = w.sum();
    if (!std::isfinite(sum) || std::abs(sum) < 1e-300) return false;
    for (int i = 0; i < m; ++i) {
        alpha(i) = w(i) / sum;
        if (!std::isfinite(alpha(i)) || std::abs(alpha(i)) >= 1e8) return false;
    }
    return true;
}

bool AndersonHistory::step(const Eigen::Ref<const Eigen::VectorXd>& x, const Eigen::Ref<const Eigen::VectorXd>& Tx,
                           double lambda, double beta, AndersonWorkspace& ws, Eigen::Ref<Eigen::VectorXd> next)
{
    const int m = int(X.cols());
    X.col(head) = x;
    F.col(head) = Tx;
    head = (head + 1) % m;
    stored = std::min(stored + 1, m);
    if (stored == 1) { next = Tx; return false; }
    if (!andersonWeights(X.leftCols(stored), F.leftCols(stored), lambda, ws, alpha.head(stored))) {
        clear();
        next = Tx;
        return false;
    }
    // next = β F α + (1 − β) X α, written column by column (no temporaries).
    next.setZero();
    for (int i = 0; i < stored; ++i) next += alpha(i) * (beta * F.col(i) + (1.0 - beta) * X.col(i));
    return true;
}

}  // namespace opteq

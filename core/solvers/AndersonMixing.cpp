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
    if (ws.A.rows() != n + m || ws.A.cols() != m) ws.A.resize(n + m, m);   // only while the history grows
    ws.A.topRows(n) = F - X;
    double trace = 0;
    for (int i = 0; i < m; ++i) trace += ws.A.col(i).head(n).squaredNorm();
    if (!std::isfinite(trace)) return false;
    const double mu = lambda * trace / m + 1e-300;
    ws.A.bottomRows(m).setZero();
    ws.A.bottomRows(m).diagonal().setConstant(std::sqrt(mu));
    ws.qr.compute(ws.A);
    const auto R = ws.qr.matrixQR().topLeftCorner(m, m).template triangularView<Eigen::Upper>();
    // Singular to working precision: R's diagonal spans more than 1e10 (cond(G) past 1e10, where
    // α would keep fewer than ~6 digits; the normal equations had to stop at cond(G) ~ 3e6):
    // the caller resets its history.
    double dmax = 0, dmin = std::numeric_limits<double>::infinity();
    for (int i = 0; i < m; ++i) {
        const double d = std::abs(ws.qr.matrixQR()(i, i));
        dmax = std::max(dmax, d);
        dmin = std::min(dmin, d);
    }
    if (!(dmin > 1e-10 * dmax) || !std::isfinite(dmax)) return false;
    // RᵀR w = 1: forward with Rᵀ, back with R.
    auto w = ws.w.head(m);
    w.setOnes();
    R.transpose().solveInPlace(w);
    R.solveInPlace(w);
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

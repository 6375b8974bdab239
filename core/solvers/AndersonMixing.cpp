// SPDX-License-Identifier: GPL-3.0-or-later
#include "AndersonMixing.h"

#include <cmath>
#include <limits>

namespace opteq {

bool andersonWeights(const Eigen::Ref<const Eigen::MatrixXd>& X, const Eigen::Ref<const Eigen::MatrixXd>& F, double lambda,
                     AndersonWorkspace& ws, Eigen::Ref<Eigen::VectorXd> alpha)
{
    const int m = int(X.cols());
    ws.reserve(m);
    auto H = ws.H.topLeftCorner(m, m);
    // H = GᵀG with G = F − X, formed column pair by column pair without storing G.
    for (int i = 0; i < m; ++i)
        for (int j = 0; j <= i; ++j) {
            H(i, j) = (F.col(i) - X.col(i)).dot(F.col(j) - X.col(j));
        }
    double trace = 0;
    for (int i = 0; i < m; ++i) trace += H(i, i);
    const double reg = lambda * trace / m + 1e-300;
    for (int i = 0; i < m; ++i) H(i, i) += reg;
    // LDLᵀ in place on the lower triangle (H is symmetric positive semi-definite plus reg·I).
    double dmax = 0, dmin = std::numeric_limits<double>::infinity();
    for (int j = 0; j < m; ++j) {
        double d = H(j, j);
        for (int k = 0; k < j; ++k) d -= H(j, k) * H(j, k) * H(k, k);
        H(j, j) = d;
        dmax = std::max(dmax, std::abs(d));
        dmin = std::min(dmin, std::abs(d));
        if (!(d != 0) || !std::isfinite(d)) return false;
        for (int i = j + 1; i < m; ++i) {
            double s = H(i, j);
            for (int k = 0; k < j; ++k) s -= H(i, k) * H(j, k) * H(k, k);
            H(i, j) = s / d;
        }
    }
    if (!(dmin > 1e-13 * dmax)) return false;
    // Solve L D Lᵀ w = 1.
    auto w = ws.w.head(m);
    for (int i = 0; i < m; ++i) {
        double s = 1.0;
        for (int k = 0; k < i; ++k) s -= H(i, k) * w(k);
        w(i) = s;
    }
    for (int i = 0; i < m; ++i) w(i) /= H(i, i);
    for (int i = m - 1; i >= 0; --i) {
        double s = w(i);
        for (int k = i + 1; k < m; ++k) s -= H(k, i) * w(k);
        w(i) = s;
    }
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

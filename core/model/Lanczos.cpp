// SPDX-License-Identifier: GPL-3.0-or-later
#include "Lanczos.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace opteq {

LanczosResult lanczosExtremes(const SymmetricApply& apply, Eigen::Index n, int count, double relTol, int maxSteps,
                              bool trackSmallest)
{
    LanczosResult out;
    if (n <= 0) return out;
    count = std::clamp(count, 1, int(n));
    const int kmax = int(std::min<Eigen::Index>(n, std::max(maxSteps, count + 2)));
    Eigen::MatrixXd Q(n, kmax + 1);
    Eigen::VectorXd alpha(kmax), beta(kmax), w(n), q(n), h(kmax);
    std::mt19937_64 rng(12345);
    std::normal_distribution<double> g;
    for (Eigen::Index i = 0; i < n; ++i) Q(i, 0) = g(rng);
    Q.col(0).normalize();
    // history[j]: the tracked Ritz values after step j (top `count`, then the smallest).
    std::vector<std::vector<double>> history;
    double bound = 0;
    for (int j = 0; j < kmax; ++j) {
        q = Q.col(j);
        apply(q, w);
        alpha(j) = Q.col(j).dot(w);
        for (int pass = 0; pass < 2; ++pass) {
            h.head(j + 1).noalias() = Q.leftCols(j + 1).transpose() * w;
            w.noalias() -= Q.leftCols(j + 1) * h.head(j + 1);
        }
        beta(j) = w.norm();
        // ‖T‖ ≤ max over rows of |α| + the β beside it: a scale for the breakdown test on the
        // steps that skip the eigenproblem (a low-rank operator, e.g. a ReLU layer with many
        // inactive units, runs out of directions there and w / β would be rounding noise).
        bound = std::max(bound, std::abs(alpha(j)) + beta(j) + (j > 0 ? beta(j - 1) : 0.0));
        // The tridiagonal eigenproblem costs O(j²) a step: past 60 steps, solve it every 4th step
        // only (the Krylov space keeps growing in between; at most 3 steps more than needed).
        const bool last = j + 1 == kmax || beta(j) <= 1e-14 * std::max(bound, 1e-300);
        if (j >= 60 && j % 4 != 3 && !last) {
            history.push_back(history.back());
            Q.col(j + 1) = w / beta(j);
            continue;
        }
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> T;
        T.computeFromTridiagonal(alpha.head(j + 1), beta.head(j), Eigen::EigenvaluesOnly);
        const Eigen::VectorXd& ev = T.eigenvalues();   // ascending
        std::vector<double> tracked;
        for (int k = 0; k < std::min(count, j + 1); ++k) tracked.push_back(ev(j - k));
        if (trackSmallest) tracked.push_back(ev(0));
        history.push_back(tracked);
        out.top.assign(tracked.begin(), tracked.begin() + std::min(count, j + 1));
        out.smallest = ev(0);
        out.steps = j + 1;
        const double scale = std::max(std::abs(ev(j)), std::abs(ev(0)));
        bool settled = j >= 4 && int(out.top.size()) == count;
        if (settled) {
            const std::vector<double>& old = history[size_t(j) - (j >= 60 ? 4 : 3)];
            for (size_t k = 0; k < tracked.size() && settled; ++k)
                settled = k < old.size() && std::abs(tracked[k] - old[k]) <= relTol * std::max(std::abs(tracked[k]), 1e-300);
        }
        const bool exhausted = beta(j) <= 1e-14 * std::max({scale, bound, 1e-300});
        if (settled || exhausted) { out.converged = true; break; }
        if (j + 1 == kmax) { out.converged = kmax == n; break; }
        Q.col(j + 1) = w / beta(j);
    }
    return out;
}

}  // namespace opteq

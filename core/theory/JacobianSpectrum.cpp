// SPDX-License-Identifier: GPL-3.0-or-later
#include "JacobianSpectrum.h"

#include "Lanczos.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace opteq {

namespace {

double conditionFromEigen(double lmin, double lmax)
{
    // I − S has eigenvalues 1 − λ; symmetric, so its singular values are |1 − λ|.
    const double a = std::abs(1.0 - lmin), b = std::abs(1.0 - lmax);
    const double hi = std::max(a, b), lo = std::min(a, b);
    // An eigenvalue near 1 between the two ends is not seen here: only the ends are known.
    return lo <= 1e-14 * std::max(hi, 1.0) ? std::numeric_limits<double>::infinity() : hi / lo;
}

}  // namespace

JacobianSpectrum jacobianSpectrum(const Model& model, const Eigen::VectorXd& z, const Eigen::VectorXd& c, int exactLimit,
                                  int top, const JobControl& job)
{
    JacobianSpectrum out;
    const int n = model.n();
    out.bound = model.spectralNorm() * model.spectralNorm();
    if (n == 0) return out;
    const Eigen::VectorXd root = model.activationSlopes(z, c).cwiseMax(0.0).cwiseSqrt();
    {
        const Eigen::VectorXd v = model.WtW() * z + c;
        for (int i = 0; i < n; ++i) {
            const ProxOperator& op = model.operators()[size_t(model.layerOf(i))];
            const double h = 1e-7 * (1.0 + std::abs(v(i)));
            out.kinks += std::abs(op.dsigma(v(i) - h) - op.dsigma(v(i) + h)) > 1e-3;
        }
    }
    if (n <= exactLimit) {
        const Eigen::MatrixXd S = root.asDiagonal() * model.WtW() * root.asDiagonal();
        const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(S, Eigen::EigenvaluesOnly);
        const Eigen::VectorXd& ev = es.eigenvalues();   // ascending
        for (int i = n - 1; i >= 0; --i) out.eigenvalues.push_back(std::max(0.0, ev(i)));
        out.smallest = out.eigenvalues.back();
        if (job.cancelled()) { out.complete = false; return out; }
        // cond(I − J) from the singular values of I − J itself: J is not symmetric, and the
        // similarity by D^{1/2} does not preserve 2-norm condition numbers.
        const Eigen::MatrixXd IJ = Eigen::MatrixXd::Identity(n, n) - model.jacobianT(z, c);
        const Eigen::BDCSVD<Eigen::MatrixXd> svd(IJ);
        const Eigen::VectorXd& sv = svd.singularValues();
        out.cond = sv(n - 1) <= 1e-15 * sv(0) ? std::numeric_limits<double>::infinity() : sv(0) / sv(n - 1);
    } else {
        Eigen::VectorXd t(n), Wt(model.m());
        const LanczosResult lr = lanczosExtremes([&](const Eigen::VectorXd& x, Eigen::VectorXd& y) {
            t = root.cwiseProduct(x);
            Wt.noalias() = model.W() * t;
            y.noalias() = model.W().transpose() * Wt;
            y = root.cwiseProduct(y);
        }, n, top, 1e-9, 400, true);
        for (double v : lr.top) out.eigenvalues.push_back(std::max(0.0, v));
        out.exact = false;
        out.condOfSimilar = true;
        out.smallest = std::max(0.0, lr.smallest);
        out.cond = conditionFromEigen(std::max(0.0, lr.smallest), out.eigenvalues.front());
    }
    out.spectralRadius = out.eigenvalues.front();
    return out;
}

}  // namespace opteq

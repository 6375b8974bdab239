// SPDX-License-Identifier: GPL-3.0-or-later
#include "DecisionMap.h"

#include "Format.h"

#include <algorithm>
#include <cmath>

namespace opteq {

Eigen::VectorXd InputSlice::input(double x, double y) const
{
    Eigen::VectorXd v = base;
    if (ix >= 0 && ix < v.size()) v(ix) = x;
    if (iy >= 0 && iy < v.size()) v(iy) = y;
    return v;
}

std::string inputName(int i)
{
    static const char* const sub[] = {"₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"};
    std::string s = "x";
    for (char c : std::to_string(i + 1)) s += sub[c - '0'];
    return s;
}

std::string InputSlice::heldText() const
{
    const auto name = inputName;
    if (iy < 0) return "1-D data along " + name(ix);
    std::string held;
    int shown = 0;
    for (Eigen::Index i = 0; i < base.size(); ++i) {
        if (i == ix || i == iy) continue;
        if (shown == 3) { held += ", …"; break; }
        held += (held.empty() ? "" : ", ") + name(int(i)) + " = " + formatNumber(base(i), 3);
        ++shown;
    }
    return held.empty() ? held : held + (base.size() > 3 ? " (the other inputs at their means)" : " (its mean)");
}

InputSlice defaultSlice(const Dataset& data)
{
    InputSlice s;
    const Eigen::Index d = data.X.cols();
    s.base = data.size() > 0 ? Eigen::VectorXd(data.X.colwise().mean().transpose()) : Eigen::VectorXd::Zero(d);
    s.ix = 0;
    s.iy = d > 1 ? 1 : -1;
    return s;
}

GridSpec inputBox(const Dataset& data, const InputSlice& slice, int nx, int ny)
{
    GridSpec g;
    g.nx = nx;
    g.ny = ny;
    if (data.size() == 0 || slice.ix >= data.X.cols() || slice.iy >= data.X.cols()) return g;
    const Eigen::VectorXd xs = data.X.col(slice.ix);
    const double lo = xs.minCoeff(), hi = xs.maxCoeff(), mx = 0.15 * std::max(hi - lo, 1e-3);
    g.x0 = lo - mx;
    g.x1 = hi + mx;
    if (slice.iy < 0) {
        // 1-D: the regions are bands along x1; y only gives them height.
        g.y0 = -1;
        g.y1 = 1;
        g.ny = 2;
        return g;
    }
    const Eigen::VectorXd ys = data.X.col(slice.iy);
    const double ylo = ys.minCoeff(), yhi = ys.maxCoeff(), my = 0.15 * std::max(yhi - ylo, 1e-3);
    g.y0 = ylo - my;
    g.y1 = yhi + my;
    return g;
}

DecisionMap computeDecisionMap(const Model& model, const NetworkWeights& w, const SolverSettings& solver, const GridSpec& box,
                               const InputSlice& slice, const JobControl& job)
{
    DecisionMap m;
    m.spec = box;
    m.slice = slice;
    Eigen::MatrixXd X(model.d(), Eigen::Index(box.nx) * box.ny);
    for (int j = 0; j < box.ny; ++j)
        for (int i = 0; i < box.nx; ++i) X.col(Eigen::Index(j) * box.nx + i) = slice.input(box.x(i), box.y(j));
    const ForwardPass f = forwardPass(model, w.V, w.c, X, solver, job);
    m.label.resize(size_t(X.cols()));
    m.confidence.resize(size_t(X.cols()));
    for (Eigen::Index k = 0; k < X.cols(); ++k) {
        Eigen::Index arg;
        const double top = f.Y.col(k).maxCoeff(&arg);
        m.label[size_t(k)] = int(arg);
        const double sum = (f.Y.col(k).array() - top).exp().sum();
        m.confidence[size_t(k)] = std::isfinite(sum) && sum > 0 ? 1.0 / sum : 0.0;
    }
    return m;
}

Eigen::MatrixXd equilibriumEmbedding(const Model& model, const NetworkWeights& w, const SolverSettings& solver, const Eigen::MatrixXd& X,
                                     std::vector<int>* predicted)
{
    const ForwardPass f = forwardPass(model, w.V, w.c, X.transpose(), solver);
    if (predicted) {
        predicted->resize(size_t(X.rows()));
        for (Eigen::Index k = 0; k < X.rows(); ++k) {
            Eigen::Index arg;
            f.Y.col(k).maxCoeff(&arg);
            (*predicted)[size_t(k)] = int(arg);
        }
    }
    const Eigen::MatrixXd Zc = f.Z.colwise() - f.Z.rowwise().mean();
    return Zc.transpose() * topPrincipalDirections(Zc, 2);
}

Eigen::MatrixXd topPrincipalDirections(const Eigen::MatrixXd& Zc, int k)
{
    // Block (subspace) iteration on C = Zc Zcᵀ applied as Zc (Zcᵀ Q): O(n·N·k) a sweep, never
    // the n × n covariance nor its full eigendecomposition (O(n³) per training frame at n = 512).
    // Rayleigh–Ritz on the block each sweep; k + 2 vectors so the k-th converges at the ratio
    // λ_{k+3}/λ_k rather than λ_{k+1}/λ_k. Deterministic start, signs fixed (largest entry
    // positive) so the picture does not flip between frames.
    const Eigen::Index n = Zc.rows();
    if (n == 0 || k <= 0) return Eigen::MatrixXd::Zero(n, std::max(k, 0));
    const Eigen::Index b = std::min<Eigen::Index>(n, k + 2);
    Eigen::MatrixXd Q(n, b);
    for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index j = 0; j < b; ++j) Q(i, j) = std::sin(1.0 + 0.7 * double(i) + 1.3 * double(j) * double(i % 7 + 1));
    Eigen::MatrixXd V(n, b), ritz(n, b);
    Eigen::VectorXd previous = Eigen::VectorXd::Zero(b);
    for (int sweep = 0; sweep < 300; ++sweep) {
        Q = Eigen::HouseholderQR<Eigen::MatrixXd>(Q).householderQ() * Eigen::MatrixXd::Identity(n, b);
        const Eigen::MatrixXd ZtQ = Zc.transpose() * Q;
        V.noalias() = Zc * ZtQ;                                       // C Q
        const Eigen::MatrixXd H = Q.transpose() * V;                  // b × b Rayleigh quotient
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(0.5 * (H + H.transpose()));
        ritz = Q * es.eigenvectors().rowwise().reverse();             // descending
        const Eigen::VectorXd values = es.eigenvalues().reverse();
        const double scale = std::max(values(0), 1e-300);
        const bool settled = sweep > 2 && ((values - previous).head(std::min<Eigen::Index>(k, b)).cwiseAbs().maxCoeff() <= 1e-13 * scale);
        previous = values;
        if (settled) break;
        Q = V * es.eigenvectors().rowwise().reverse();               // the next block: C Q in Ritz order
    }
    Eigen::MatrixXd P = Eigen::MatrixXd::Zero(n, k);
    for (Eigen::Index j = 0; j < std::min<Eigen::Index>(k, b); ++j) {
        Eigen::Index at;
        ritz.col(j).cwiseAbs().maxCoeff(&at);
        P.col(j) = ritz(at, j) < 0 ? Eigen::VectorXd(-ritz.col(j)) : Eigen::VectorXd(ritz.col(j));
    }
    return P;
}

}  // namespace opteq

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
    // Principal directions of the centred equilibria (n × n covariance: n is a hidden size).
    const Eigen::MatrixXd Zc = f.Z.colwise() - f.Z.rowwise().mean();
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(Zc * Zc.transpose());
    const Eigen::Index n = Zc.rows();
    Eigen::MatrixXd P(n, 2);
    P.col(0) = es.eigenvectors().col(n - 1);
    P.col(1) = n > 1 ? Eigen::VectorXd(es.eigenvectors().col(n - 2)) : Eigen::VectorXd::Zero(n);
    return Zc.transpose() * P;
}

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#include "DecisionMap.h"

#include <cmath>

namespace opteq {

GridSpec inputBox(const Dataset& data, int nx, int ny)
{
    GridSpec g;
    g.nx = nx;
    g.ny = ny;
    if (data.size() == 0 || data.X.cols() < 2) return g;
    const Eigen::VectorXd lo = data.X.leftCols(2).colwise().minCoeff(), hi = data.X.leftCols(2).colwise().maxCoeff();
    const double mx = 0.15 * std::max(hi(0) - lo(0), 1e-3), my = 0.15 * std::max(hi(1) - lo(1), 1e-3);
    g.x0 = lo(0) - mx;
    g.x1 = hi(0) + mx;
    g.y0 = lo(1) - my;
    g.y1 = hi(1) + my;
    return g;
}

DecisionMap computeDecisionMap(const Model& model, const NetworkWeights& w, const SolverSettings& solver, const GridSpec& box,
                               const JobControl& job)
{
    DecisionMap m;
    m.spec = box;
    Eigen::MatrixXd X = Eigen::MatrixXd::Zero(model.d(), Eigen::Index(box.nx) * box.ny);
    for (int j = 0; j < box.ny; ++j)
        for (int i = 0; i < box.nx; ++i) {
            X(0, Eigen::Index(j) * box.nx + i) = box.x(i);
            if (model.d() > 1) X(1, Eigen::Index(j) * box.nx + i) = box.y(j);
        }
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

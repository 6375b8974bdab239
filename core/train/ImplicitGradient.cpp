// SPDX-License-Identifier: GPL-3.0-or-later
#include "ImplicitGradient.h"

#include <cmath>

namespace opteq {
namespace {

// D = σ'(v) elementwise, layer by layer (each layer's prox, priors included).
Eigen::MatrixXd derivative(const Model& model, const Eigen::MatrixXd& Vpre)
{
    Eigen::MatrixXd D(Vpre.rows(), Vpre.cols());
    const std::vector<int>& off = model.offsets();
    for (size_t l = 0; l < model.layers().size(); ++l) {
        const ProxOperator& op = model.operators()[l];
        const int begin = off[l], end = begin + model.layers()[l].size;
        for (Eigen::Index j = 0; j < Vpre.cols(); ++j)
            for (int i = begin; i < end; ++i) D(i, j) = op.dsigma(Vpre(i, j));
    }
    return D;
}

Eigen::MatrixXd biasColumns(const Model& model, const Eigen::MatrixXd& X)
{
    Eigen::MatrixXd C = model.U() * X;
    C.colwise() += model.b();
    return C;
}

bool finite(const NetworkWeights& g)
{
    return g.W.allFinite() && g.U.allFinite() && g.V.allFinite() && g.b.allFinite() && g.c.allFinite();
}

}  // namespace

Model networkModel(const Model& shape, const NetworkWeights& w)
{
    return Model(shape.layers(), w.W, w.U, w.b, shape.regularizers());
}

ForwardPass forwardPass(const Model& model, const Eigen::MatrixXd& V, const Eigen::VectorXd& c, const Eigen::MatrixXd& X,
                        const SolverSettings& solver, const JobControl& job)
{
    ForwardPass f;
    const Eigen::MatrixXd C = biasColumns(model, X);
    const SolverContext ctx(model, Eigen::VectorXd::Zero(model.d()), solver);
    const BatchResult r = solveBatchDense(ctx, Eigen::MatrixXd::Zero(model.n(), X.cols()), job, C);
    f.Z = r.Z;
    f.iterations = r.columnIterations;
    for (size_t j = 0; j < r.status.size(); ++j) {
        if (r.status[j] == SolveStatus::Converged) continue;
        ++f.failed;
        if (r.status[j] == SolveStatus::Diverged && f.problem.empty())
            f.problem = "the forward solve diverged for sample " + std::to_string(j + 1) + " (‖W‖₂ = "
                + std::to_string(model.spectralNorm()) + "; keep max_norm below 1)";
        if (r.status[j] == SolveStatus::Cancelled && f.problem.empty()) f.problem = "cancelled";
    }
    f.Y = V * f.Z;
    f.Y.colwise() += c;
    return f;
}

LossValue evaluateLoss(const Eigen::MatrixXd& Y, const BatchView& batch, LossKind kind)
{
    LossValue out;
    const Eigen::Index B = Y.cols(), K = Y.rows();
    out.dY.resize(K, B);
    if (B == 0) return out;
    if (kind == LossKind::CrossEntropy && !batch.labels) {
        // Regression targets have no class to score: checkTrainingData refuses this pairing
        // before training; a caller that skipped it gets NaN, never a dereferenced null.
        out.loss = std::nan("");
        out.dY.setConstant(std::nan(""));
        return out;
    }
    if (kind == LossKind::CrossEntropy) {
        // Softmax cross-entropy, shifted by the column maximum so exp never overflows.
        for (Eigen::Index j = 0; j < B; ++j) {
            const int label = (*batch.labels)[size_t(j)];
            const double top = Y.col(j).maxCoeff();
            Eigen::VectorXd p = (Y.col(j).array() - top).exp().matrix();
            const double sum = p.sum();
            p /= sum;
            out.loss += -(Y(label, j) - top - std::log(sum));
            out.dY.col(j) = p;
            out.dY(label, j) -= 1.0;
            Eigen::Index arg;
            Y.col(j).maxCoeff(&arg);
            out.correct += int(arg) == label;
        }
        out.loss /= double(B);
        out.dY /= double(B);
    } else {
        // Mean over the batch and the outputs of (y − t)²; class labels are one-hot targets
        // (checkTrainingData says so to the user) and accuracy counts the largest output.
        Eigen::MatrixXd diff = Y;
        if (batch.targets) diff -= *batch.targets;
        else
            for (Eigen::Index j = 0; j < B; ++j) {
                const int label = (*batch.labels)[size_t(j)];
                diff(label, j) -= 1.0;
                Eigen::Index arg;
                Y.col(j).maxCoeff(&arg);
                out.correct += int(arg) == label;
            }
        out.loss = diff.squaredNorm() / double(B * K);
        out.dY = 2.0 * diff / double(B * K);
    }
    return out;
}

std::string solveAdjoint(const Eigen::MatrixXd& A, const Eigen::MatrixXd& D, const Eigen::MatrixXd& GZ, double tol, int maxIter,
                         Eigen::MatrixXd& G, long long* iterations, int* unconverged)
{
    // g ← D (A g + gz) for all columns at once: one GEMM per iteration. It contracts with factor
    // ‖D A‖ ≤ ‖W‖₂² (0 ≤ σ' ≤ 1), like the forward map; columns that have converged stay fixed.
    G = D.cwiseProduct(GZ);   // the first step from g = 0
    Eigen::MatrixXd next(G.rows(), G.cols());
    std::vector<char> done(size_t(G.cols()), 0);
    Eigen::Index remaining = G.cols();
    const double first = G.norm();
    // Each column stops relative to its own scale: ∂L/∂y carries the batch mean's 1/B, so an
    // absolute floor (max(1, ‖g‖)) would stop a large batch's columns after a step or two.
    Eigen::VectorXd scale(G.cols());
    for (Eigen::Index j = 0; j < G.cols(); ++j) scale(j) = G.col(j).norm();
    for (int k = 1; k <= maxIter && remaining > 0; ++k) {
        next.noalias() = A * G;
        next = D.cwiseProduct(next + GZ);
        for (Eigen::Index j = 0; j < G.cols(); ++j) {
            if (done[size_t(j)]) continue;
            const double change = (next.col(j) - G.col(j)).norm();
            G.col(j) = next.col(j);
            if (iterations) ++*iterations;
            if (change <= tol * std::max(scale(j), G.col(j).norm())) { done[size_t(j)] = 1; --remaining; }
        }
        if (!G.allFinite() || G.norm() > 1e6 * std::max(first, 1e-300) + 1e6)
            return "the adjoint solve diverged (‖W‖₂ near or above 1: keep max_norm below 1)";
    }
    // Columns still moving at max_iter are used as they are (as the forward's), and counted.
    if (unconverged) *unconverged += int(remaining);
    return {};
}

GradientResult computeGradient(const Model& model, const NetworkWeights& w, const BatchView& batch, LossKind loss,
                               const SolverSettings& solver, GradientKind kind, int unroll, const JobControl& job)
{
    GradientResult r;
    const ForwardPass f = forwardPass(model, w.V, w.c, batch.X, solver, job);
    r.forwardIterations = f.iterations;
    if (!f.problem.empty()) { r.problem = f.problem; return r; }
    r.unconverged = f.failed;
    const LossValue lv = evaluateLoss(f.Y, batch, loss);
    r.loss = lv.loss;
    r.correct = lv.correct;
    const Eigen::MatrixXd& A = model.WtW();
    const Eigen::MatrixXd C = biasColumns(model, batch.X);
    const Eigen::MatrixXd GZ = w.V.transpose() * lv.dY;   // gz per column
    Eigen::MatrixXd g;                                    // ∂L/∂c per column (n × B)
    Eigen::MatrixXd GA;                                   // ∂L/∂A (n × n)
    if (kind == GradientKind::Unrolled) {
        // Backpropagate through k Picard steps z_{t+1} = σ(A z_t + c) from z_0 = z*.
        const int k = std::max(1, unroll);
        std::vector<Eigen::MatrixXd> Zs{f.Z}, Ds;
        for (int t = 0; t < k; ++t) {
            Eigen::MatrixXd v = A * Zs.back() + C;
            Ds.push_back(derivative(model, v));
            model.applyProxColumns(v);
            Zs.push_back(std::move(v));
        }
        Eigen::MatrixXd dz = GZ;   // ∂L/∂z_k (the readout reads z_k ≈ z*)
        g = Eigen::MatrixXd::Zero(GZ.rows(), GZ.cols());
        GA = Eigen::MatrixXd::Zero(A.rows(), A.cols());
        for (int t = k - 1; t >= 0; --t) {
            const Eigen::MatrixXd dv = Ds[size_t(t)].cwiseProduct(dz);
            g += dv;
            GA.noalias() += dv * Zs[size_t(t)].transpose();
            dz.noalias() = A * dv;   // A is symmetric
        }
        r.adjointIterations = k;
    } else {
        const Eigen::MatrixXd D = derivative(model, A * f.Z + C);
        if (kind == GradientKind::JacobianFree) g = D.cwiseProduct(GZ);
        else {
            r.problem = solveAdjoint(A, D, GZ, solver.tol, solver.maxIter, g, &r.adjointIterations, &r.adjointUnconverged);
            if (!r.ok()) return r;
        }
        GA.noalias() = g * f.Z.transpose();
    }
    r.grad.b = g.rowwise().sum();
    r.grad.U.noalias() = g * batch.X.transpose();
    r.grad.W.noalias() = w.W * (GA + GA.transpose());
    r.grad.V.noalias() = lv.dY * f.Z.transpose();
    r.grad.c = lv.dY.rowwise().sum();
    if (!finite(r.grad)) r.problem = "the gradient is not finite (the model diverged: lower lr or max_norm)";
    return r;
}

double gradientCosine(const NetworkWeights& a, const NetworkWeights& b)
{
    double dot = 0, na = 0, nb = 0;
    auto add = [&](const auto& x, const auto& y) {
        dot += x.cwiseProduct(y).sum();
        na += x.squaredNorm();
        nb += y.squaredNorm();
    };
    add(a.W, b.W);
    add(a.U, b.U);
    add(a.V, b.V);
    add(a.b, b.b);
    add(a.c, b.c);
    return na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : 0.0;
}

}  // namespace opteq

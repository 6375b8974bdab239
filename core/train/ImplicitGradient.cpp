// SPDX-License-Identifier: GPL-3.0-or-later
#include "ImplicitGradient.h"

#include <algorithm>
#include <cmath>
#include <omp.h>
#include <vector>

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

// dst = lhs · rhs with dst's columns split between the OpenMP threads (Eigen itself runs
// single-threaded in the engine): the training products (U X, g Xᵀ, W (G + Gᵀ)) use both cores.
// Up to two products share one parallel region (one barrier: on a loaded machine each barrier
// can wait for a thread the scheduler has parked).
template <class Lhs, class Rhs>
struct ProductTask {
    Eigen::MatrixXd& dst;
    const Lhs& lhs;
    const Rhs& rhs;
    void run(int t, int nt) const
    {
        const int cols = int(rhs.cols());
        const int c0 = int((long long)cols * t / nt), c1 = int((long long)cols * (t + 1) / nt);
        if (c1 > c0) dst.middleCols(c0, c1 - c0).noalias() = lhs * rhs.middleCols(c0, c1 - c0);
    }
};
template <class Lhs, class Rhs>
ProductTask<Lhs, Rhs> product(Eigen::MatrixXd& dst, const Lhs& lhs, const Rhs& rhs)
{
    dst.resize(lhs.rows(), rhs.cols());
    return {dst, lhs, rhs};
}
template <class... Tasks>
void parallelProducts(long long flops, const Tasks&... tasks)
{
    const int threads = flops < 2000000 ? 1 : std::max(1, omp_get_max_threads());
#pragma omp parallel num_threads(threads)
    {
        const int t = omp_get_thread_num(), nt = omp_get_num_threads();
        (tasks.run(t, nt), ...);
    }
}
template <class Lhs, class Rhs>
void parallelProduct(Eigen::MatrixXd& dst, const Lhs& lhs, const Rhs& rhs)
{
    parallelProducts(2LL * lhs.rows() * lhs.cols() * rhs.cols(), product(dst, lhs, rhs));
}

Eigen::MatrixXd biasColumns(const Model& model, const Eigen::MatrixXd& X)
{
    Eigen::MatrixXd C;
    parallelProduct(C, model.U(), X);
    C.colwise() += model.b();
    return C;
}

// The forward solve of a batch from its bias columns C = U X + b; Vpre (optional) receives the
// pre-activations A z* + C of the reported states.
ForwardPass forwardFromBias(const Model& model, const Eigen::MatrixXd& V, const Eigen::VectorXd& c, const Eigen::MatrixXd& C,
                            const SolverSettings& solver, const JobControl& job, Eigen::MatrixXd* Vpre)
{
    ForwardPass f;
    const SolverContext ctx(model, Eigen::VectorXd::Zero(model.d()), solver);
    BatchResult r = solveBatchDense(ctx, Eigen::MatrixXd::Zero(model.n(), C.cols()), job, C, Vpre);
    f.iterations = r.columnIterations;
    for (size_t j = 0; j < r.status.size(); ++j) {
        if (r.status[j] == SolveStatus::Converged) continue;
        ++f.failed;
        if (r.status[j] == SolveStatus::Diverged && f.problem.empty())
            f.problem = "the forward solve diverged for sample " + std::to_string(j + 1) + " (‖W‖₂ = "
                + std::to_string(model.spectralNorm()) + "; keep max_norm below 1)";
        if (r.status[j] == SolveStatus::Cancelled && f.problem.empty()) f.problem = "cancelled";
    }
    f.Z = std::move(r.Z);
    f.Y.noalias() = V * f.Z;
    f.Y.colwise() += c;
    return f;
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
    return forwardFromBias(model, V, c, biasColumns(model, X), solver, job, nullptr);
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
    SolverSettings s;
    s.method = Method::Picard;
    s.tol = tol;
    s.maxIter = maxIter;
    return solveAdjoint(A, D, GZ, s, G, iterations, unconverged);
}

std::string solveAdjoint(const Eigen::MatrixXd& A, const Eigen::MatrixXd& D, const Eigen::MatrixXd& GZ, const SolverSettings& s,
                         Eigen::MatrixXd& G, long long* iterations, int* unconverged, const JobControl& job)
{
    // The batched engine on g ← D (A g + gz): one GEMM per iteration for the batch's running
    // columns, split between the threads. It contracts with factor ‖D A‖ ≤ ‖W‖₂² (0 ≤ σ' ≤ 1), like
    // the forward map. Each column stops relative to its own scale: ∂L/∂y carries the batch
    // mean's 1/B, so an absolute floor (max(1, ‖g‖)) would stop a large batch's columns after a
    // step or two.
    BatchResult r = solveBatchAdjoint(A, D, GZ, s, job);
    G = std::move(r.Z);
    if (iterations) *iterations += r.columnIterations;
    int still = 0;
    for (SolveStatus st : r.status) {
        if (st == SolveStatus::Diverged || !G.allFinite())
            return "the adjoint solve diverged (‖W‖₂ near or above 1: keep max_norm below 1)";
        if (st == SolveStatus::Cancelled) return "cancelled";
        if (st == SolveStatus::MaxIter) ++still;
    }
    // Columns still moving at max_iter are used as they are (as the forward's), and counted.
    if (unconverged) *unconverged += still;
    return {};
}

namespace {

GradientResult blockGradient(const Model& model, const NetworkWeights& w, const BatchView& batch, LossKind loss,
                             const SolverSettings& solver, GradientKind kind, int unroll, const JobControl& job,
                             const SolverSettings* adjointSolver);

}  // namespace

GradientResult computeGradient(const Model& model, const NetworkWeights& w, const BatchView& batch, LossKind loss,
                               const SolverSettings& solver, GradientKind kind, int unroll, const JobControl& job,
                               const SolverSettings* adjointSolver)
{
    // The batch's columns split between the threads, each computing the whole gradient of its
    // block alone (forward, loss, adjoint, products: the nested engine and products run on one
    // thread), then the blocks' gradients are summed, weighted by their share of the batch (the
    // loss is a batch mean and every gradient term is linear in ∂L/∂y). One parallel region per
    // step: on a loaded machine every barrier can wait for a thread the scheduler has parked, and
    // the forward and adjoint iterations of one block need no other block.
    const int B = int(batch.X.cols());
    const int threads = omp_in_parallel() ? 1 : std::min(omp_get_max_threads(), B / 32);
    if (threads <= 1) return blockGradient(model, w, batch, loss, solver, kind, unroll, job, adjointSolver);
    std::vector<GradientResult> parts(static_cast<size_t>(threads));
    std::vector<int> begin(size_t(threads) + 1);
    for (int t = 0; t <= threads; ++t) begin[size_t(t)] = int((long long)B * t / threads);
#pragma omp parallel for schedule(static, 1) num_threads(threads)
    for (int t = 0; t < threads; ++t) {
        omp_set_num_threads(1);   // this thread's nested regions (engine, products): one thread, even with nesting on
        const int b0 = begin[size_t(t)], len = begin[size_t(t) + 1] - b0;
        const Eigen::MatrixXd X = batch.X.middleCols(b0, len);
        std::vector<int> labels;
        Eigen::MatrixXd targets;
        if (batch.labels) labels.assign(batch.labels->begin() + b0, batch.labels->begin() + b0 + len);
        if (batch.targets) targets = batch.targets->middleCols(b0, len);
        const BatchView part{X, batch.labels ? &labels : nullptr, batch.targets ? &targets : nullptr};
        // The cancel flag only: progress goes from the calling thread alone (JobControl.h).
        parts[size_t(t)] = blockGradient(model, w, part, loss, solver, kind, unroll, JobControl{job.cancel, {}}, adjointSolver);
    }
    GradientResult r;
    for (int t = 0; t < threads; ++t) {
        GradientResult& p = parts[size_t(t)];
        r.forwardIterations += p.forwardIterations;
        r.adjointIterations += p.adjointIterations;
        r.unconverged += p.unconverged;
        r.adjointUnconverged += p.adjointUnconverged;
        if (!p.ok() && r.problem.empty()) r.problem = p.problem;
    }
    if (!r.ok()) return r;
    if (kind == GradientKind::Unrolled) r.adjointIterations = parts[0].adjointIterations;   // k steps, not per block
    for (int t = 0; t < threads; ++t) {
        GradientResult& p = parts[size_t(t)];
        const double share = double(begin[size_t(t) + 1] - begin[size_t(t)]) / B;
        r.loss += share * p.loss;
        r.correct += p.correct;
        auto add = [&](Eigen::MatrixXd& into, Eigen::MatrixXd& from) {
            if (t == 0) into = share * from;
            else into += share * from;
        };
        auto addv = [&](Eigen::VectorXd& into, Eigen::VectorXd& from) {
            if (t == 0) into = share * from;
            else into += share * from;
        };
        add(r.grad.W, p.grad.W);
        add(r.grad.U, p.grad.U);
        add(r.grad.V, p.grad.V);
        addv(r.grad.b, p.grad.b);
        addv(r.grad.c, p.grad.c);
    }
    if (!finite(r.grad)) r.problem = "the gradient is not finite (the model diverged: lower lr or max_norm)";
    return r;
}

namespace {

GradientResult blockGradient(const Model& model, const NetworkWeights& w, const BatchView& batch, LossKind loss,
                             const SolverSettings& solver, GradientKind kind, int unroll, const JobControl& job,
                             const SolverSettings* adjointSolver)
{
    GradientResult r;
    // U x + b once per batch; the forward keeps its pre-activations A z* + C for σ'.
    const Eigen::MatrixXd C = biasColumns(model, batch.X);
    Eigen::MatrixXd Vpre;
    const ForwardPass f = forwardFromBias(model, w.V, w.c, C, solver, job, kind == GradientKind::Unrolled ? nullptr : &Vpre);
    r.forwardIterations = f.iterations;
    if (!f.problem.empty()) { r.problem = f.problem; return r; }
    r.unconverged = f.failed;
    const LossValue lv = evaluateLoss(f.Y, batch, loss);
    r.loss = lv.loss;
    r.correct = lv.correct;
    const Eigen::MatrixXd& A = model.WtW();
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
        const Eigen::MatrixXd D = derivative(model, Vpre);
        if (kind == GradientKind::JacobianFree) g = D.cwiseProduct(GZ);
        else {
            r.problem = solveAdjoint(A, D, GZ, adjointSolver ? *adjointSolver : solver, g, &r.adjointIterations, &r.adjointUnconverged, job);
            if (!r.ok()) return r;
        }
    }
    r.grad.b = g.rowwise().sum();
    const auto Zt = f.Z.transpose();
    const auto Xt = batch.X.transpose();
    if (kind == GradientKind::Unrolled) parallelProduct(r.grad.U, g, Xt);
    else parallelProducts(2LL * g.rows() * g.cols() * (Zt.cols() + Xt.cols()), product(GA, g, Zt), product(r.grad.U, g, Xt));
    const Eigen::MatrixXd S = GA + GA.transpose();
    parallelProduct(r.grad.W, w.W, S);
    r.grad.V.noalias() = lv.dY * f.Z.transpose();
    r.grad.c = lv.dY.rowwise().sum();
    if (!finite(r.grad)) r.problem = "the gradient is not finite (the model diverged: lower lr or max_norm)";
    return r;
}

}  // namespace

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

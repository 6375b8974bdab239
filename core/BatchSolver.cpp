// SPDX-License-Identifier: GPL-3.0-or-later
#include "BatchSolver.h"

#include "Solve.h"

#include <cmath>
#include <numeric>
#include <omp.h>

namespace opteq {
namespace {

// Per-column Anderson state kept in column-major "ring" matrices: X_j, F_j of size n × m.
struct AndersonBlock {
    int n, m;
    std::vector<Eigen::MatrixXd> X, F;   // one pair per column
    std::vector<int> stored, head;
    void init(int cols, int n_, int m_)
    {
        n = n_;
        m = m_;
        X.assign(cols, Eigen::MatrixXd(n, m));
        F.assign(cols, Eigen::MatrixXd(n, m));
        stored.assign(cols, 0);
        head.assign(cols, 0);
    }
    void moveColumn(int from, int to)
    {
        X[to].swap(X[from]);
        F[to].swap(F[from]);
        stored[to] = stored[from];
        head[to] = head[from];
    }
};

}  // namespace

BatchResult solveBatchDense(const SolverContext& ctx, const Eigen::MatrixXd& Z0, const JobControl& job)
{
    const SolverSettings& s = ctx.solver();
    const int n = int(Z0.rows()), B = int(Z0.cols());
    BatchResult out;
    out.Z = Z0;
    out.iterations.assign(B, 0);
    out.status.assign(B, SolveStatus::MaxIter);
    out.residual.assign(B, std::numeric_limits<double>::quiet_NaN());
    const bool batched = ctx.prior().type == PriorType::None
        && (s.method == Method::Picard || s.method == Method::KM || s.method == Method::Anderson);
    if (!batched) {
        std::vector<Eigen::VectorXd> starts(B);
        for (int j = 0; j < B; ++j) starts[j] = Z0.col(j);
        TraceOptions o;
        o.storeIterates = o.storeScalars = o.computeObjective = false;
        const std::vector<Trace> traces = solveBatch(ctx, starts, o, job);
        for (int j = 0; j < B; ++j) {
            out.Z.col(j) = traces[j].z;
            out.iterations[j] = traces[j].iterations;
            out.status[j] = traces[j].status;
            out.residual[j] = traces[j].residual;
            out.columnIterations += traces[j].iterations;
        }
        return out;
    }

    const Eigen::MatrixXd& A = ctx.model().WtW();
    const Eigen::VectorXd& c = ctx.c();
    Eigen::MatrixXd Z = Z0, TZ(n, B);
    std::vector<int> id(B);                    // active column → start index
    std::iota(id.begin(), id.end(), 0);
    std::vector<double> res(B), first(B, 0.0);
    AndersonBlock aa;
    if (s.method == Method::Anderson) aa.init(B, n, s.memory);
    int active = B;
    const int threads = std::max(1, omp_get_max_threads());
    for (int k = 0; active > 0; ++k) {
        if (job.cancelled()) {
            for (int j = 0; j < active; ++j) { out.Z.col(id[j]) = Z.col(j); out.status[id[j]] = SolveStatus::Cancelled; out.iterations[id[j]] = k; }
            break;
        }
        // One GEMM per thread on its block of active columns, then the column-wise σ and residual
        // while the block is still in cache.
#pragma omp parallel for schedule(static, 1) num_threads(threads)
        for (int t = 0; t < threads; ++t) {
            const int b0 = int((long long)active * t / threads), b1 = int((long long)active * (t + 1) / threads);
            if (b1 <= b0) continue;
            TZ.middleCols(b0, b1 - b0).noalias() = A * Z.middleCols(b0, b1 - b0);
            for (int j = b0; j < b1; ++j) {
                auto col = TZ.col(j);
                col += c;
                ctx.model().applyProx(col);
                res[j] = (col - Z.col(j)).norm();
            }
        }
        // Bookkeeping on the calling thread: stop rule per column (as TraceRecorder), compaction.
        for (int j = 0; j < active;) {
            const double r = res[j];
            if (k == 0) first[j] = r;
            SolveStatus st = SolveStatus::MaxIter;
            if (!stopRule(k, r, first[j], 0.0, s.tol, s.maxIter, st)) { ++j; continue; }
            const int who = id[j];
            out.Z.col(who) = Z.col(j);
            out.status[who] = st;
            out.iterations[who] = k;
            out.residual[who] = r;
            out.columnIterations += k;
            // Swap the last active column into slot j.
            --active;
            if (j != active) {
                Z.col(j) = Z.col(active);
                TZ.col(j) = TZ.col(active);
                res[j] = res[active];
                first[j] = first[active];
                id[j] = id[active];
                if (s.method == Method::Anderson) aa.moveColumn(active, j);
            }
        }
        if (active == 0) break;
        if (s.method == Method::Picard) {
            Z.leftCols(active) = TZ.leftCols(active);
        } else if (s.method == Method::KM) {
            Z.leftCols(active) = (1.0 - s.theta) * Z.leftCols(active) + s.theta * TZ.leftCols(active);
        } else {
            // Anderson, column by column (independent least-squares problems), in parallel.
#pragma omp parallel for schedule(static) num_threads(threads)
            for (int j = 0; j < active; ++j) {
                const int m = aa.m;
                aa.X[j].col(aa.head[j]) = Z.col(j);
                aa.F[j].col(aa.head[j]) = TZ.col(j);
                aa.head[j] = (aa.head[j] + 1) % m;
                const int st = aa.stored[j] = std::min(aa.stored[j] + 1, m);
                if (st == 1) { Z.col(j) = TZ.col(j); continue; }
                const Eigen::MatrixXd G = aa.F[j].leftCols(st) - aa.X[j].leftCols(st);
                Eigen::MatrixXd H = G.transpose() * G;
                H.diagonal().array() += s.lambda * H.trace() / st + 1e-300;
                const Eigen::LDLT<Eigen::MatrixXd> ldlt(H);
                const Eigen::VectorXd w = ldlt.solve(Eigen::VectorXd::Ones(st));
                const double sum = w.sum();
                if (!(ldlt.vectorD().cwiseAbs().minCoeff() > 1e-13 * ldlt.vectorD().cwiseAbs().maxCoeff()) || !std::isfinite(sum) || std::abs(sum) < 1e-300) { aa.stored[j] = 0; aa.head[j] = 0; Z.col(j) = TZ.col(j); continue; }
                const Eigen::VectorXd alpha = w / sum;
                Z.col(j) = s.beta * (aa.F[j].leftCols(st) * alpha) + (1.0 - s.beta) * (aa.X[j].leftCols(st) * alpha);
            }
        }
        job.report(1.0 - double(active) / B);
    }
    return out;
}

}  // namespace opteq

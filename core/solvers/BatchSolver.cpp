// SPDX-License-Identifier: GPL-3.0-or-later
#include "BatchSolver.h"

#include "AndersonMixing.h"
#include "Solve.h"

#include <numeric>
#include <omp.h>

namespace opteq {

bool runsBatched(const SolverContext& ctx)
{
    const Method m = ctx.solver().method;
    return ctx.prior().type == PriorType::None && (m == Method::Picard || m == Method::KM || m == Method::Anderson);
}

namespace {

// The fallback: one column per OpenMP task through the per-start solver (no traces kept).
BatchResult solvePerColumn(const SolverContext& ctx, const Eigen::MatrixXd& Z0, const JobControl& job, const Eigen::MatrixXd& C)
{
    const int B = int(Z0.cols());
    BatchResult out;
    out.Z = Z0;
    out.iterations.assign(B, 0);
    out.status.assign(B, SolveStatus::Cancelled);
    out.residual.assign(B, std::numeric_limits<double>::quiet_NaN());
    TraceOptions o;
    o.storeIterates = o.storeScalars = o.computeObjective = false;
    std::atomic<int> done{0};
    long long total = 0;
#pragma omp parallel for schedule(dynamic, 1) reduction(+ : total)
    for (int j = 0; j < B; ++j) {
        if (job.cancelled()) continue;   // OpenMP loops cannot break
        const Trace t = C.cols() ? solve(ctx.withBias(C.col(j)), Z0.col(j), o, job.cancel) : solve(ctx, Z0.col(j), o, job.cancel);
        out.Z.col(j) = t.z;
        out.iterations[j] = t.iterations;
        out.status[j] = t.status;
        out.residual[j] = t.residual;
        total += t.iterations;
        const int d = done.fetch_add(1) + 1;
        if (omp_get_thread_num() == 0) job.report(double(d) / B);
    }
    out.columnIterations = total;
    return out;
}

}  // namespace

BatchResult solveBatchDense(const SolverContext& ctx, const Eigen::MatrixXd& Z0, const JobControl& job, const Eigen::MatrixXd& C)
{
    const bool perColumnBias = C.cols() > 0;
    if (!runsBatched(ctx)) return solvePerColumn(ctx, Z0, job, C);

    const SolverSettings& s = ctx.solver();
    const Model& model = ctx.model();
    const int n = int(Z0.rows()), B = int(Z0.cols());
    BatchResult out;
    out.Z = Z0;
    out.iterations.assign(B, 0);
    out.status.assign(B, SolveStatus::MaxIter);
    out.residual.assign(B, std::numeric_limits<double>::quiet_NaN());

    const Eigen::MatrixXd& A = model.WtW();
    // Working copies, compacted as columns finish: slot j holds problem id[j]. Z holds z_k; TZ
    // receives WᵀW z_k and then T z_k in place.
    Eigen::MatrixXd Z = Z0, TZ(n, B), Cw = perColumnBias ? C : Eigen::MatrixXd();
    std::vector<int> id(B);
    std::iota(id.begin(), id.end(), 0);
    std::vector<double> first(B, 0.0), best(B, 0.0);
    std::vector<char> stopped(B, 0);
    const bool anderson = s.method == Method::Anderson;
    std::vector<AndersonHistory> history(anderson ? B : 0);
    for (AndersonHistory& h : history) h.reset(n, s.memory);
    const int threads = std::max(1, omp_get_max_threads());
    std::vector<AndersonWorkspace> workspace(threads);
    for (AndersonWorkspace& w : workspace) w.reserve(s.memory);

    int active = B;
    for (int k = 0; active > 0; ++k) {
        if (job.cancelled()) {
            for (int j = 0; j < active; ++j) {
                out.Z.col(id[j]) = Z.col(j);
                out.status[id[j]] = SolveStatus::Cancelled;
                out.iterations[id[j]] = k;
            }
            break;
        }
#pragma omp parallel for schedule(static, 1) num_threads(threads)
        for (int t = 0; t < threads; ++t) {
            const int b0 = int((long long)active * t / threads), b1 = int((long long)active * (t + 1) / threads);
            if (b1 <= b0) continue;
            TZ.middleCols(b0, b1 - b0).noalias() = A * Z.middleCols(b0, b1 - b0);
            for (int j = b0; j < b1; ++j) {
                auto tz = TZ.col(j);
                if (perColumnBias) tz += Cw.col(j);
                else tz += ctx.c();
                model.applyProx(tz);
                const double r = (tz - Z.col(j)).norm();
                if (k == 0) first[j] = best[j] = r;
                best[j] = std::min(best[j], r);
                SolveStatus st = SolveStatus::MaxIter;
                // The per-start recorder's rules: the shared stop rule, and a runaway state is diverged.
                const bool runaway = Z.col(j).lpNorm<Eigen::Infinity>() > 1e150;
                if (runaway || stopRule(k, r, first[j], 0.0, s.tol, s.maxIter, st)) {
                    if (runaway) st = SolveStatus::Diverged;
                    // z_k (not T z_k) is the reported state, as in the per-start recorder.
                    const int who = id[j];
                    out.Z.col(who) = Z.col(j);
                    out.status[who] = st;
                    out.iterations[who] = k;
                    out.residual[who] = r;
                    stopped[j] = 1;
                    continue;
                }
                // Picard needs nothing here: TZ's running columns become Z by a swap below (no copy).
                if (s.method == Method::KM) Z.col(j) = (1.0 - s.theta) * Z.col(j) + s.theta * tz;
                else if (anderson && history[j].step(Z.col(j), tz, s.lambda, s.beta, workspace[t], Z.col(j))
                         && r > 1e3 * best[j])
                    history[j].clear();   // a wild extrapolation: restart the history (as the per-start solver)
            }
        }
        // Picard: the new iterates are TZ's running columns; finished columns were captured above.
        if (s.method == Method::Picard) Z.swap(TZ);
        // Compaction on the calling thread: move the last running column into each finished slot.
        for (int j = 0; j < active;) {
            if (!stopped[j]) { ++j; continue; }
            out.columnIterations += k;
            --active;
            if (j == active) break;
            Z.col(j) = Z.col(active);
            if (perColumnBias) Cw.col(j) = Cw.col(active);
            first[j] = first[active];
            best[j] = best[active];
            id[j] = id[active];
            stopped[j] = stopped[active];
            stopped[active] = 0;
            if (anderson) std::swap(history[j], history[active]);
        }
        job.report(1.0 - double(active) / B);
    }
    return out;
}

std::vector<double> columnObjectives(const SolverContext& ctx, const Eigen::MatrixXd& Z, const Eigen::MatrixXd& C)
{
    const int B = int(Z.cols());
    std::vector<double> e(B);
    const Model& m = ctx.model();
#pragma omp parallel for schedule(static)
    for (int j = 0; j < B; ++j) {
        const Eigen::VectorXd WtWz = m.WtW() * Z.col(j);
        e[j] = C.cols() ? m.objectiveWith(Z.col(j), WtWz, C.col(j)) : m.objectiveWith(Z.col(j), WtWz, ctx.c());
    }
    return e;
}

}  // namespace opteq

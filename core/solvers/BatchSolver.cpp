// SPDX-License-Identifier: GPL-3.0-or-later
#include "BatchSolver.h"

#include "AndersonMixing.h"
#include "LargeMatrix.h"
#include "Solve.h"

#include <atomic>
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

namespace {

// The one batched iteration, for any column map z ← map_j(A z) (the forward σ(A z + c_j), the
// adjoint D_j (A g + gz_j)) of the form map_j(A z) = φ_j(A z + o_j). Map supplies, by problem
// `who` (its data stays in problem order: working slots are compacted as columns finish, and
// only states and products move):
//   offset(who, tz)  writes o_who into tz (the product then adds A z to it);
//   finish(who, tz)  tz = A z + o_who on entry, φ_who of it on exit (may keep what it needs);
//   tol(who, tz)     the column's tolerance on ‖map(A z) − z‖ given its new value.
template <class Map>
BatchResult iterateBatched(const Eigen::MatrixXd& A, const SolverSettings& s, const Eigen::MatrixXd& Z0, const JobControl& job, Map& map)
{
    const int n = int(Z0.rows()), B = int(Z0.cols());
    BatchResult out;
    out.Z = largeMatrix(n, B);   // every column is written when it stops or is cancelled
    out.iterations.assign(B, 0);
    out.status.assign(B, SolveStatus::MaxIter);
    out.residual.assign(B, std::numeric_limits<double>::quiet_NaN());
    // Each thread owns a fixed block of the columns for the whole solve and iterates it to the
    // end on its own: no barrier per iteration (on a loaded machine a barrier waits for a thread
    // the scheduler has parked; one parallel region per solve instead of one per iteration).
    // The blocks take the problems round-robin (thread t: t, t + T, …) so that neighbours, which
    // often need alike iteration counts (a grid's cells, a basin), are spread over the threads.
    const int threads = std::max(1, std::min(omp_get_max_threads(), B / 8));
    std::vector<int> id(B);
    for (int t = 0, slot = 0; t < threads; ++t)
        for (int who = t; who < B; who += threads) id[slot++] = who;
    // Two working matrices in slot order, swapped every iteration per thread: one holds z_k, the
    // product A z_k lands in the other and becomes z_{k+1} there (no copy back).
    Eigen::MatrixXd work[2] = {largeMatrix(n, B), largeMatrix(n, B)};
    std::vector<double> first(B, 0.0), best(B, 0.0);
    std::vector<char> done(B, 0);   // per slot, this iteration: stopped
    const bool anderson = s.method == Method::Anderson;
    // Histories in problem order (they never move), all in one block: 80 MB at n = 512, 2048
    // columns, memory 5, which in 4 KB pages cost more page faults than the solve's products.
    std::vector<AndersonHistory> history(anderson ? B : 0);
    Eigen::MatrixXd historyStore = anderson ? largeMatrix(n, Eigen::Index(2) * s.memory * B) : Eigen::MatrixXd();
    std::atomic<int> finished{0};
    long long total = 0;
#pragma omp parallel num_threads(threads) reduction(+ : total)
    {
        const int t = omp_get_thread_num(), nt = omp_get_num_threads();
        // Thread t's slots hold its round-robin share (nt == threads unless the runtime gave fewer,
        // then a thread takes consecutive shares).
        auto share = [&](int u) { return u * (B / threads) + std::min(u, B % threads); };
        const int b0 = share(int((long long)threads * t / nt)), b1 = share(int((long long)threads * (t + 1) / nt));
        // First touch by the thread that works on the block (page faults in parallel, memory local).
        for (int j = b0; j < b1; ++j) {
            work[0].col(j) = Z0.col(id[j]);
            if (anderson) history[id[j]].reset(historyStore.data() + Eigen::Index(2) * s.memory * n * id[j], n, s.memory);
        }
        AndersonWorkspace workspace;
        workspace.reserve(s.memory);
        int cur = 0;   // work[cur] holds this block's z_k
        // Slots b0 .. end-1 run; after each sweep the running columns are packed to the front.
        int end = b1;
        for (int k = 0; end > b0; ++k) {
            Eigen::MatrixXd &Z = work[cur], &TZ = work[1 - cur];
            if (job.cancelled()) {
                for (int j = b0; j < end; ++j) {
                    out.Z.col(id[j]) = Z.col(j);
                    out.status[id[j]] = SolveStatus::Cancelled;
                    out.iterations[id[j]] = k;
                }
                break;
            }
            // TZ = offset + A Z: Eigen's product zeroes its destination before accumulating, so
            // writing the offsets there instead costs nothing and saves a pass over every column.
            for (int j = b0; j < end; ++j) map.offset(id[j], TZ.col(j));
            TZ.middleCols(b0, end - b0).noalias() += A * Z.middleCols(b0, end - b0);
            int running = 0;   // columns still running after this iteration
            for (int j = b0; j < end; ++j) {
                auto tz = TZ.col(j);
                const int who = id[j];
                map.finish(who, tz);
                const double r = (tz - Z.col(j)).norm();
                if (k == 0) first[j] = best[j] = r;
                best[j] = std::min(best[j], r);
                SolveStatus st = SolveStatus::MaxIter;
                // The per-start recorder's rules: the shared stop rule, and a runaway state is diverged.
                const bool runaway = Z.col(j).lpNorm<Eigen::Infinity>() > 1e150;
                if (runaway || stopRule(k, r, first[j], 0.0, map.tol(who, tz), s.maxIter, st)) {
                    if (runaway) st = SolveStatus::Diverged;
                    // z_k (not T z_k) is the reported state, as in the per-start recorder.
                    out.Z.col(who) = Z.col(j);
                    out.status[who] = st;
                    out.iterations[who] = k;
                    out.residual[who] = r;
                    total += k;
                    done[j] = 1;
                    const int f = finished.fetch_add(1) + 1;
                    if (t == 0) job.report(double(f) / B);
                    continue;
                }
                done[j] = 0;
                ++running;
                // z_{k+1}, written over T z_k in TZ (which becomes this block's Z).
                if (s.method == Method::KM) tz = (1.0 - s.theta) * Z.col(j) + s.theta * tz;
                else if (anderson) {
                    // step() records z_k and T z_k before it writes the mixed iterate over tz.
                    if (history[who].step(Z.col(j), tz, s.lambda, s.beta, workspace, tz) && r > 1e3 * best[j])
                        history[who].clear();   // a wild extrapolation: restart the history (as the per-start solver)
                }
            }
            // Compaction after the sweep: the last running columns' new states fill the stopped
            // slots below them, so the running ones are b0 .. b0 + running − 1 for the next product.
            // Only the new states move (the old ones are overwritten by that product), and nothing
            // moves when every column stopped together (at max_iter, a basin's cells).
            for (int lo = b0, hi = end - 1;; ++lo, --hi) {
                while (lo < hi && !done[lo]) ++lo;
                while (hi > lo && done[hi]) --hi;
                if (lo >= hi) break;
                TZ.col(lo) = TZ.col(hi);
                first[lo] = first[hi];
                best[lo] = best[hi];
                id[lo] = id[hi];
                done[lo] = 0;
                done[hi] = 1;
            }
            end = b0 + running;
            cur = 1 - cur;
        }
    }
    out.columnIterations = total;
    return out;
}

// The forward map σ(A z + c_j), c_j = C.col(j) or ctx.c(); optionally writing the pre-activation
// A z_k + c_j of every state z_k into preOut's column (the last one written is the reported state's).
struct ForwardMap {
    const SolverContext& ctx;
    const Eigen::MatrixXd& C;   // problem order; empty: ctx.c() for every column
    Eigen::MatrixXd* preOut;    // problem order, or null
    double tolerance;
    void offset(int who, Eigen::Ref<Eigen::VectorXd> tz) const
    {
        if (C.cols()) tz = C.col(who);
        else tz = ctx.c();
    }
    void finish(int who, Eigen::Ref<Eigen::VectorXd> tz) const
    {
        if (preOut) preOut->col(who) = tz;
        ctx.model().applyProx(tz);
    }
    double tol(int, const Eigen::Ref<Eigen::VectorXd>&) const { return tolerance; }
};

// The adjoint map D_j (A g + gz_j), stopping relative to the column's own scale.
struct AdjointMap {
    const Eigen::MatrixXd &D, &GZ;   // problem order
    Eigen::VectorXd scale;           // ‖D_j gz_j‖ per problem
    double tolerance;
    void offset(int who, Eigen::Ref<Eigen::VectorXd> tz) const { tz = GZ.col(who); }
    void finish(int who, Eigen::Ref<Eigen::VectorXd> tz) const { tz.array() *= D.col(who).array(); }
    double tol(int who, const Eigen::Ref<Eigen::VectorXd>& tz) const { return tolerance * std::max(scale(who), tz.norm()); }
};

}  // namespace

BatchResult solveBatchDense(const SolverContext& ctx, const Eigen::MatrixXd& Z0, const JobControl& job, const Eigen::MatrixXd& C,
                            Eigen::MatrixXd* preActivation)
{
    const bool perColumnBias = C.cols() > 0;
    if (!runsBatched(ctx)) {
        BatchResult r = solvePerColumn(ctx, Z0, job, C);
        if (preActivation) {
            // The fallback keeps no pre-activation: one product for every column.
            *preActivation = ctx.model().WtW() * r.Z;
            if (perColumnBias) *preActivation += C;
            else preActivation->colwise() += ctx.c();
        }
        return r;
    }
    if (preActivation) *preActivation = largeMatrix(Z0.rows(), Z0.cols());
    ForwardMap map{ctx, C, preActivation, ctx.solver().tol};
    return iterateBatched(ctx.model().WtW(), ctx.solver(), Z0, job, map);
}

BatchResult solveBatchAdjoint(const Eigen::MatrixXd& A, const Eigen::MatrixXd& D, const Eigen::MatrixXd& GZ, const SolverSettings& s,
                              const JobControl& job)
{
    SolverSettings settings = s;
    if (settings.method != Method::Anderson && settings.method != Method::KM) settings.method = Method::Picard;
    const Eigen::MatrixXd G0 = D.cwiseProduct(GZ);   // the first step from g = 0
    AdjointMap map{D, GZ, G0.colwise().norm().transpose(), s.tol};
    return iterateBatched(A, settings, G0, job, map);
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

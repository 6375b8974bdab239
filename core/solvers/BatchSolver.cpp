// SPDX-License-Identifier: GPL-3.0-or-later
#include "BatchSolver.h"

#include "AndersonMixing.h"
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
// adjoint D_j (A g + gz_j)). Map supplies, by working slot j (slots are compacted as columns
// finish, so the map keeps its per-column data in slot order and moves it in move()):
//   load(j, who)   slot j takes problem `who` (before the first iteration);
//   finish(j, tz)  tz = A z_j on entry, map_j(A z_j) on exit (also keeps what it needs later);
//   tol(j, tz)     the column's tolerance on ‖map_j(A z_j) − z_j‖ given its new value;
//   stopped(j, who) column in slot j (problem `who`) stopped at its current z_j;
//   move(to, from) slot `from`'s data to slot `to`.
template <class Map>
BatchResult iterateBatched(const Eigen::MatrixXd& A, const SolverSettings& s, const Eigen::MatrixXd& Z0, const JobControl& job, Map& map)
{
    const int n = int(Z0.rows()), B = int(Z0.cols());
    BatchResult out;
    out.Z = Z0;
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
    // Working copies in slot order: Z holds z_k; TZ receives A z_k and then map(A z_k) in place.
    Eigen::MatrixXd Z(n, B), TZ(n, B);
    for (int j = 0; j < B; ++j) {
        Z.col(j) = Z0.col(id[j]);
        map.load(j, id[j]);
    }
    std::vector<double> first(B, 0.0), best(B, 0.0);
    const bool anderson = s.method == Method::Anderson;
    std::vector<AndersonHistory> history(anderson ? B : 0);
    for (AndersonHistory& h : history) h.reset(n, s.memory);
    std::atomic<int> finished{0};
    long long total = 0;
#pragma omp parallel num_threads(threads) reduction(+ : total)
    {
        const int t = omp_get_thread_num(), nt = omp_get_num_threads();
        // Thread t's slots hold its round-robin share (nt == threads unless the runtime gave fewer,
        // then a thread takes consecutive shares).
        auto share = [&](int u) { return u * (B / threads) + std::min(u, B % threads); };
        const int b0 = share(int((long long)threads * t / nt)), b1 = share(int((long long)threads * (t + 1) / nt));
        AndersonWorkspace workspace;
        workspace.reserve(s.memory);
        // Slots b0 .. end-1 run; a finished slot takes the block's last running column.
        int end = b1;
        for (int k = 0; end > b0; ++k) {
            if (job.cancelled()) {
                for (int j = b0; j < end; ++j) {
                    out.Z.col(id[j]) = Z.col(j);
                    out.status[id[j]] = SolveStatus::Cancelled;
                    out.iterations[id[j]] = k;
                }
                break;
            }
            TZ.middleCols(b0, end - b0).noalias() = A * Z.middleCols(b0, end - b0);
            for (int j = b0; j < end;) {
                auto tz = TZ.col(j);
                map.finish(j, tz);
                const double r = (tz - Z.col(j)).norm();
                if (k == 0) first[j] = best[j] = r;
                best[j] = std::min(best[j], r);
                SolveStatus st = SolveStatus::MaxIter;
                // The per-start recorder's rules: the shared stop rule, and a runaway state is diverged.
                const bool runaway = Z.col(j).lpNorm<Eigen::Infinity>() > 1e150;
                if (runaway || stopRule(k, r, first[j], 0.0, map.tol(j, tz), s.maxIter, st)) {
                    if (runaway) st = SolveStatus::Diverged;
                    // z_k (not T z_k) is the reported state, as in the per-start recorder.
                    const int who = id[j];
                    out.Z.col(who) = Z.col(j);
                    out.status[who] = st;
                    out.iterations[who] = k;
                    out.residual[who] = r;
                    map.stopped(j, who);
                    total += k;
                    // Compaction: the block's last running column (already past this iteration's
                    // product) moves into slot j and is processed next.
                    --end;
                    if (j != end) {
                        Z.col(j) = Z.col(end);
                        TZ.col(j) = TZ.col(end);
                        map.move(j, end);
                        first[j] = first[end];
                        best[j] = best[end];
                        id[j] = id[end];
                        if (anderson) std::swap(history[j], history[end]);
                    }
                    const int f = finished.fetch_add(1) + 1;
                    if (t == 0) job.report(double(f) / B);
                    continue;
                }
                if (s.method == Method::KM) Z.col(j) = (1.0 - s.theta) * Z.col(j) + s.theta * tz;
                else if (anderson) {
                    if (history[j].step(Z.col(j), tz, s.lambda, s.beta, workspace, Z.col(j)) && r > 1e3 * best[j])
                        history[j].clear();   // a wild extrapolation: restart the history (as the per-start solver)
                } else Z.col(j) = tz;
                ++j;
            }
        }
    }
    out.columnIterations = total;
    return out;
}

// The forward map σ(A z + c_j), c_j = C.col(j) or ctx.c(); optionally keeping the pre-activation
// A z_k + c_j of the reported state z_k.
struct ForwardMap {
    const SolverContext& ctx;
    Eigen::MatrixXd C;          // working copy (slot order), empty: ctx.c() for every column
    Eigen::MatrixXd Vpre;       // slot order, when kept
    Eigen::MatrixXd* preOut;    // problem order, or null
    double tolerance;
    const Eigen::MatrixXd& source;   // C in problem order (empty: ctx.c())
    void load(int j, int who)
    {
        if (C.cols()) C.col(j) = source.col(who);
    }
    void finish(int j, Eigen::Ref<Eigen::VectorXd> tz)
    {
        if (C.cols()) tz += C.col(j);
        else tz += ctx.c();
        if (preOut) Vpre.col(j) = tz;
        ctx.model().applyProx(tz);
    }
    double tol(int, const Eigen::Ref<Eigen::VectorXd>&) const { return tolerance; }
    void stopped(int j, int who)
    {
        if (preOut) preOut->col(who) = Vpre.col(j);
    }
    void move(int to, int from)
    {
        if (C.cols()) C.col(to) = C.col(from);
    }
};

// The adjoint map D_j (A g + gz_j), stopping relative to the column's own scale.
struct AdjointMap {
    Eigen::MatrixXd D, GZ;   // working copies, slot order
    Eigen::VectorXd scale;   // ‖D_j gz_j‖ per slot
    double tolerance;
    const Eigen::MatrixXd &sourceD, &sourceGZ;   // problem order
    void load(int j, int who)
    {
        D.col(j) = sourceD.col(who);
        GZ.col(j) = sourceGZ.col(who);
        scale(j) = D.col(j).cwiseProduct(GZ.col(j)).norm();
    }
    void finish(int j, Eigen::Ref<Eigen::VectorXd> tz)
    {
        tz += GZ.col(j);
        tz.array() *= D.col(j).array();
    }
    double tol(int j, const Eigen::Ref<Eigen::VectorXd>& tz) const { return tolerance * std::max(scale(j), tz.norm()); }
    void stopped(int, int) {}
    void move(int to, int from)
    {
        D.col(to) = D.col(from);
        GZ.col(to) = GZ.col(from);
        scale(to) = scale(from);
    }
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
    if (preActivation) preActivation->resize(Z0.rows(), Z0.cols());
    ForwardMap map{ctx, perColumnBias ? Eigen::MatrixXd(C.rows(), C.cols()) : Eigen::MatrixXd(),
                   preActivation ? Eigen::MatrixXd(Z0.rows(), Z0.cols()) : Eigen::MatrixXd(), preActivation, ctx.solver().tol, C};
    return iterateBatched(ctx.model().WtW(), ctx.solver(), Z0, job, map);
}

BatchResult solveBatchAdjoint(const Eigen::MatrixXd& A, const Eigen::MatrixXd& D, const Eigen::MatrixXd& GZ, const SolverSettings& s,
                              const JobControl& job)
{
    SolverSettings settings = s;
    if (settings.method != Method::Anderson && settings.method != Method::KM) settings.method = Method::Picard;
    AdjointMap map{Eigen::MatrixXd(D.rows(), D.cols()), Eigen::MatrixXd(GZ.rows(), GZ.cols()), Eigen::VectorXd(GZ.cols()), s.tol, D, GZ};
    return iterateBatched(A, settings, D.cwiseProduct(GZ), job, map);   // from the first step from g = 0
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

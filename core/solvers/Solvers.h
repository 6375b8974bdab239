// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The individual iterations behind solve() (MATH.md §5, §6). Each runs on the calling thread
// only and writes one Trace.
#include "TraceRecorder.h"

namespace opteq::detail {

// WtWz ← WᵀW z, Tz ← σ(WtWz + c): the one matrix-vector product of an iteration.
inline void evalT(const SolverContext& ctx, const Eigen::VectorXd& z, Eigen::VectorXd& WtWz, Eigen::VectorXd& Tz)
{
    WtWz.noalias() = ctx.model().WtW() * z;
    Tz = WtWz + ctx.c();
    ctx.model().applyProx(Tz);
}

void runRelaxed(const SolverContext& ctx, Eigen::VectorXd z, double theta, TraceRecorder& rec);   // picard / km
void runForwardBackward(const SolverContext& ctx, Eigen::VectorXd z, TraceRecorder& rec, Trace& out);
void runAnderson(const SolverContext& ctx, Eigen::VectorXd z, TraceRecorder& rec, Trace& out);
void runBroyden(const SolverContext& ctx, Eigen::VectorXd z, TraceRecorder& rec, Trace& out);
void runFista(const SolverContext& ctx, Eigen::VectorXd z, TraceRecorder& rec, Trace& out);
void runPeacemanRachford(const SolverContext& ctx, Eigen::VectorXd z, TraceRecorder& rec, Trace& out);
void runPrior(const SolverContext& ctx, Eigen::VectorXd z, TraceRecorder& rec);

}  // namespace opteq::detail

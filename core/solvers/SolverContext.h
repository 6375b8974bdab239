// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Everything a solve needs that is shared by all starts of a batch: the model, c = Ux + b, the
// settings and the per-model factorizations (Peaceman–Rachford's Cholesky, once per model).
// Built once on the calling thread, then read-only from the worker threads.
#include "Model.h"
#include "SolverSettings.h"

#include <memory>
#include <string>

namespace opteq {

class SolverContext {
public:
    SolverContext(const Model& model, const Eigen::VectorXd& input, SolverSettings solver,
                  PriorSettings prior = {});
    // The context keeps a pointer to the model: a temporary model would dangle.
    SolverContext(Model&&, const Eigen::VectorXd&, SolverSettings, PriorSettings = {}) = delete;

    const Model& model() const { return *m_model; }
    // The same context with another iteration cap (factorizations are shared, not recomputed).
    SolverContext withMaxIter(int maxIter) const
    {
        SolverContext c = *this;
        c.m_solver.maxIter = maxIter;
        return c;
    }
    const Eigen::VectorXd& c() const { return m_c; }
    // The same context for another bias c = U x + b (one input of a data set); factorizations and
    // prior settings are shared, nothing is recomputed.
    SolverContext withBias(const Eigen::VectorXd& c) const
    {
        SolverContext r = *this;
        r.m_c = c;
        return r;
    }
    const SolverSettings& solver() const { return m_solver; }
    const PriorSettings& prior() const { return m_prior; }
    // Empty when the context can run; else why not (e.g. PR with I + γ(I - WᵀW) not positive definite).
    const std::string& problem() const { return m_problem; }
    // (I + γ(I - WᵀW))^{-1} r, for Peaceman–Rachford.
    Eigen::VectorXd solveResolvent(const Eigen::VectorXd& r) const { return m_llt->solve(r); }
    // The prior's anchor / target padded to n (zeros when not given).
    const Eigen::VectorXd& anchor() const { return m_anchor; }
    const Eigen::VectorXd& target() const { return m_target; }

private:
    const Model* m_model;
    Eigen::VectorXd m_c, m_anchor, m_target;
    SolverSettings m_solver;
    PriorSettings m_prior;
    std::shared_ptr<const Eigen::LLT<Eigen::MatrixXd>> m_llt;
    std::string m_problem;
};

}  // namespace opteq

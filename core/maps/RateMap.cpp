// SPDX-License-Identifier: GPL-3.0-or-later
#include "Solve.h"
#include "RateMap.h"

#include "DeepGenerator.h"
#include "TraceRecorder.h"

#include <algorithm>
#include <cmath>
#include <omp.h>

namespace opteq {

const char* rateParamName(RateParam p)
{
    switch (p) {
    case RateParam::Theta: return "theta";
    case RateParam::NormScale: return "norm";
    case RateParam::Memory: return "memory";
    case RateParam::Beta: return "beta";
    case RateParam::Step: return "step";
    case RateParam::Lambda: return "lambda";
    }
    return "theta";
}

std::optional<RateParam> parseRateParam(const std::string& s)
{
    for (int i = 0; i < 6; ++i)
        if (s == rateParamName(RateParam(i))) return RateParam(i);
    return std::nullopt;
}

void applyRateParam(RateParam p, double value, SolverSettings& s, double& norm)
{
    switch (p) {
    case RateParam::Theta: s.theta = std::clamp(value, 0.01, 1.0); break;
    case RateParam::NormScale: norm = std::max(value, 1e-6); break;
    case RateParam::Memory: s.memory = std::clamp(int(std::lround(value)), 1, 100); break;
    case RateParam::Beta: s.beta = std::clamp(value, 0.01, 1.0); break;
    case RateParam::Step: s.step = std::clamp(value, 0.01, 100.0); break;
    case RateParam::Lambda: s.lambda = std::max(0.0, value); break;
    }
}

std::vector<RateParam> rateParamsFor(Method method)
{
    switch (method) {
    case Method::Picard: return {RateParam::NormScale};
    case Method::KM: return {RateParam::Theta, RateParam::NormScale};
    case Method::Anderson: return {RateParam::Memory, RateParam::Beta, RateParam::Lambda, RateParam::NormScale};
    case Method::Broyden: return {RateParam::Memory, RateParam::NormScale};
    case Method::FB: case Method::Fista: return {RateParam::Step, RateParam::NormScale};
    case Method::PeacemanRachford: return {RateParam::Theta, RateParam::Step, RateParam::NormScale};
    }
    return {RateParam::NormScale};
}

RateMap computeRateMap(const Model& model, const Eigen::VectorXd& input, const SolverSettings& base, const PriorSettings& prior,
                       const Eigen::VectorXd& z0, RateParam px, RateParam py, const GridSpec& spec,
                       const JobControl& job)
{
    RateMap map;
    map.px = px;
    map.py = py;
    map.method = base.method;
    map.prior = prior.type;
    map.tol = base.tol;
    map.spec = spec;
    map.iterations.assign(size_t(spec.nx) * spec.ny, 0);
    map.status.assign(size_t(spec.nx) * spec.ny, std::uint8_t(SolveStatus::Cancelled));
    TraceOptions opts;
    opts.storeIterates = false;
    opts.storeScalars = false;
    opts.computeObjective = false;
    const bool rescales = px == RateParam::NormScale || py == RateParam::NormScale;
    std::atomic<int> rows{0};
#pragma omp parallel for schedule(dynamic, 1)
    for (int j = 0; j < spec.ny; ++j) {
        if (job.cancelled()) continue;
        for (int i = 0; i < spec.nx; ++i) {
            SolverSettings s = base;
            double norm = model.spectralNorm();
            applyRateParam(px, spec.x(i), s, norm);
            applyRateParam(py, spec.y(j), s, norm);
            const size_t k = size_t(j) * spec.nx + i;
            if (!s.validate().empty()) { map.status[k] = std::uint8_t(SolveStatus::Diverged); continue; }
            Trace t;
            if (rescales) {
                const Model scaled(model.layers(), scaleToNorm(model.W(), norm), model.U(), model.b(),
                                   model.regularizers());
                const SolverContext ctx(scaled, input, s, prior);
                t = solve(ctx, z0, opts, job.cancel);
            } else {
                const SolverContext ctx(model, input, s, prior);
                t = solve(ctx, z0, opts, job.cancel);
            }
            map.iterations[k] = t.iterations;
            map.status[k] = std::uint8_t(t.status);
        }
        const int r = rows.fetch_add(1) + 1;
        if (omp_get_thread_num() == 0) job.report(double(r) / spec.ny);
    }
    map.complete = !job.cancelled();
    return map;
}

}  // namespace opteq

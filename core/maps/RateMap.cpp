// SPDX-License-Identifier: GPL-3.0-or-later
#include "Solve.h"
#include "RateMap.h"

#include "JacobianSpectrum.h"
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

namespace {

// The model at ‖W‖₂ = norm: W scaled by norm / ‖W‖₂, reusing the known WᵀW and ‖W‖₂ (a sweep
// rescales per cell; a fresh Model would redo the product and the eigen-solve each time).
Model withNorm(const Model& model, double norm)
{
    const double s = model.spectralNorm();
    return model.scaledW(s > 0 ? norm / s : 1.0);
}

}  // namespace

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
                const Model scaled = withNorm(model, norm);
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

std::optional<double> rateBound(Method method, const SolverSettings& s, double norm, PriorType prior)
{
    if (prior != PriorType::None || !(norm < 1.0)) return std::nullopt;
    const double q = norm * norm;
    switch (method) {
    case Method::Picard: return q;
    case Method::KM: return 1.0 - s.theta * (1.0 - q);
    case Method::FB: return std::max(std::abs(1.0 - s.step), std::abs(1.0 - s.step * (1.0 - q)));
    default: return std::nullopt;
    }
}

std::vector<double> rateCutValues(RateParam param, int count)
{
    double lo = 0.05, hi = 1.0;
    switch (param) {
    case RateParam::Theta: case RateParam::Beta: lo = 0.05; hi = 1.0; break;
    case RateParam::NormScale: lo = 0.05; hi = 1.0; break;   // up to 1: where uniqueness ends (no bound there)
    case RateParam::Memory: lo = 1; hi = 12; count = 12; break;
    case RateParam::Step: lo = 0.1; hi = 2.5; break;
    case RateParam::Lambda: lo = 0; hi = 0.1; break;
    }
    std::vector<double> v;
    for (int i = 0; i < count; ++i) v.push_back(count > 1 ? lo + (hi - lo) * i / (count - 1) : lo);
    if (count > 1) v.back() = hi;   // exactly: ‖W‖₂ = 1 is where the bound ends (0.05 + 0.95·24/24 < 1 in floating point)
    return v;
}

RateCut computeRateCut(const Model& model, const Eigen::VectorXd& input, const SolverSettings& base, const PriorSettings& prior,
                       const Eigen::VectorXd& z0, RateParam param, const std::vector<double>& values, const JobControl& job)
{
    RateCut cut;
    cut.param = param;
    cut.method = base.method;
    cut.prior = prior.type;
    cut.sublinear = prior.type != PriorType::None;
    cut.values = values;
    const size_t N = values.size();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    cut.observed.assign(N, nan);
    cut.bound.assign(N, nan);
    cut.localRate.assign(N, nan);
    cut.status.assign(N, std::uint8_t(SolveStatus::MaxIter));
    TraceOptions opts;
    opts.storeIterates = false;
    opts.computeObjective = false;
    const Eigen::VectorXd c = model.bias(input);
#pragma omp parallel for schedule(dynamic, 1)
    for (int i = 0; i < int(N); ++i) {
        if (job.cancelled()) continue;
        SolverSettings s = base;
        double norm = model.spectralNorm();
        applyRateParam(param, values[size_t(i)], s, norm);
        if (!s.validate().empty()) { cut.status[size_t(i)] = std::uint8_t(SolveStatus::Diverged); continue; }
        const Model scaled = param == RateParam::NormScale ? withNorm(model, norm) : Model();
        const Model& m = param == RateParam::NormScale ? scaled : model;
        const SolverContext ctx(m, input, s, prior);
        const Trace t = solve(ctx, z0, opts, job.cancel);
        cut.status[size_t(i)] = std::uint8_t(t.status);
        if (cut.sublinear) {
            // Converged or not, the slope over the second half of the run says how fast it goes.
            if (t.status != SolveStatus::Diverged) cut.observed[size_t(i)] = observedSlope(t.absResidual);
        } else if (t.status == SolveStatus::Converged) {
            const double r = observedRate(t.absResidual);
            if (r > 0) cut.observed[size_t(i)] = r;
            // ρ(diag(σ'(v)) WᵀW) at the end point: plain iteration's local rate there.
            cut.localRate[size_t(i)] = jacobianSpectrum(m, t.z, c, 400, 4).spectralRadius;
        }
        if (const auto b = rateBound(s.method, s, norm, prior.type)) cut.bound[size_t(i)] = *b;
    }
    cut.complete = !job.cancelled();
    return cut;
}

}  // namespace opteq

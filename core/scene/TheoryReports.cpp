// SPDX-License-Identifier: GPL-3.0-or-later
#include "TheoryReports.h"

#include "Format.h"
#include "ScenePlane.h"
#include "Solve.h"
#include "UnitLayer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace opteq {

namespace {

const Trace* firstConverged(const SolverRun& run)
{
    for (const Trace& t : run.traces)
        if (t.status == SolveStatus::Converged) return &t;
    return nullptr;
}

}  // namespace

FixSetReport fixSetReport(const Scene& scene, const Model& model, const std::vector<SolverRun>& runs)
{
    FixSetReport r;
    const Eigen::VectorXd c = model.bias(scene.input);
    const Trace* t = runs.empty() ? nullptr : firstConverged(runs[0]);
    if (!t) {
        // Any run that converged gives a point of Fix T (the comparisons run without the prior).
        for (const SolverRun& run : runs)
            if ((t = firstConverged(run))) break;
    }
    if (t) {
        r.set = computeFixedPointSet(model, c, t->z);
    } else {
        // No start reached the tolerance (a sublinear selection scheme, a tight tolerance): the
        // end point nearest to a fixed point, polished by plain iteration, still locates Fix T
        // when it lies on it. Emptiness is claimed only when every start drifted off: diverged,
        // or stopped by max_iter moving by the same step with a residual that does not shrink
        // (the solver's note then says Fix T appears empty; polishing such an end point only
        // drifts on, which used to make the set "unknown").
        const Trace* best = nullptr;
        bool allDriftedOff = true;
        for (const SolverRun& run : runs)
            for (const Trace& tr : run.traces) {
                allDriftedOff = allDriftedOff && (tr.status == SolveStatus::Diverged || tr.drift);
                if (tr.z.allFinite() && std::isfinite(tr.residual) && (!best || tr.residual < best->residual)) best = &tr;
            }
        if (allDriftedOff && model.spectralNorm() <= 1.0 + 1e-9) {
            r.set = emptyFixedPointSet("every start drifted off; with ‖W‖₂ ≤ 1 that is what an empty Fix T does");
            return r;
        }
        if (best) r.set = computeFixedPointSet(model, c, best->z);
        if (!best || !(r.set.residual <= 1e-8 * (1.0 + r.set.point.norm()))) {
            r.set = FixedPointSet{};
            r.set.description = "not known: no start converged and no end point polishes onto a fixed point (raise max_iter "
                                "or the tolerance)";
            return r;
        }
    }
    const PriorSettings& p = scene.prior;
    if (p.type != PriorType::None && (r.set.kind != FixSetKind::Empty && r.set.kind != FixSetKind::Unknown)) {
        const bool byTarget = p.type == PriorType::Hsd;
        Eigen::VectorXd a = byTarget ? p.target : p.anchor;
        if (a.size() != model.n()) a = Eigen::VectorXd::Zero(model.n());
        r.selected = projectOntoFixedPointSet(r.set, a);
        r.selectedBy = std::string(PriorSettings::typeName(p.type)) + (byTarget ? " target " : " anchor ") + formatVector(a, 4, 4);
        r.selector = p.type;
        r.selectorPoint = a;
        // Where the scheme ended (converged or stopped by max_iter: a sublinear scheme often is).
        if (!runs.empty() && runs[0].withPrior && !runs[0].traces.empty()) {
            const Trace* s = firstConverged(runs[0]);
            if (!s) s = &runs[0].traces[0];
            if (s->z.allFinite() && s->z.size() == r.selected->size()) {
                r.solverSelected = s->z;
                r.selectionDistance = (s->z - *r.selected).norm();
            }
        }
    }
    return r;
}

std::vector<StartSpectrum> spectraAtEndPoints(const Model& model, const Eigen::VectorXd& c, const SolverRun& run,
                                              const JobControl& job)
{
    std::vector<StartSpectrum> out;
    for (size_t k = 0; k < run.traces.size(); ++k) {
        if (job.cancelled()) break;
        StartSpectrum s;
        s.start = int(k) + 1;
        s.status = run.traces[k].status;
        s.spectrum = jacobianSpectrum(model, run.traces[k].z, c, 512, 32, job);
        if (!run.withPrior) s.observedRate = observedRate(run.traces[k].absResidual);
        out.push_back(std::move(s));
        job.report(double(k + 1) / run.traces.size());
    }
    return out;
}

UnitLayerPicture computeUnitLayerPicture(const SceneSolution& sol, int grid, const JobControl& job)
{
    UnitLayerPicture pic;
    if (!sol.model || !sol.request) { pic.problem = "no solution yet"; return pic; }
    if (!sol.equilibrium) { pic.problem = "no start converged: there is no equilibrium to map to p* = W z*"; return pic; }
    const Model& model = *sol.model;
    const Eigen::VectorXd c = model.bias(sol.request->input);
    const int m = model.m();
    pic.zStar = *sol.equilibrium;
    pic.pStar = model.W() * pic.zStar;
    pic.E = model.objective(pic.zStar, c);
    pic.Gvalue = unitObjective(model, pic.pStar, c);
    const std::vector<int> saturated = saturatedUnits(model, pic.zStar);
    pic.saturated = int(saturated.size());
    pic.saturation = describeSaturation(model, pic.zStar);
    pic.Einside = saturated.empty() ? pic.E : model.objective(insideOpenDomain(model, pic.zStar), c);
    pic.gradientNorm = unitGradient(model, pic.pStar, c).norm();
    pic.fixedPointResidual = (model.T(pic.zStar, c) - pic.zStar).norm();
    if (m < 1) { pic.problem = "W has no rows"; return pic; }
    pic.plane = Plane::coordinate(std::max(m, 2), 0, 1, Eigen::VectorXd::Zero(std::max(m, 2)));
    if (m == 1) { pic.plane.origin = Eigen::VectorXd::Zero(1); pic.plane.u = Eigen::VectorXd::Ones(1); pic.plane.v = Eigen::VectorXd::Zero(1); }
    else { pic.plane.origin = pic.pStar; pic.plane.origin(0) = 0; pic.plane.origin(1) = 0; }
    // Trajectories p_k = W z_k of the scene's method, in plane coordinates.
    std::vector<Trace> mapped;
    if (!sol.runs.empty())
        for (const Trace& t : sol.runs[0].traces) {
            Trace p;
            std::vector<Eigen::Vector2d> path;
            for (const Eigen::VectorXd& z : t.iterates) {
                const Eigen::VectorXd pz = model.W() * z;
                p.iterates.push_back(pz);
                path.emplace_back(pz(0), m > 1 ? pz(1) : 0.0);
            }
            pic.paths.push_back(std::move(path));
            mapped.push_back(std::move(p));
        }
    Trace star;
    star.iterates.push_back(pic.pStar);
    mapped.push_back(star);
    GridSpec spec;
    if (m == 1) {
        double lo = pic.pStar(0), hi = pic.pStar(0);
        for (const auto& path : pic.paths) for (const Eigen::Vector2d& q : path) { lo = std::min(lo, q(0)); hi = std::max(hi, q(0)); }
        const double pad = 0.15 * std::max(hi - lo, 0.5);
        spec.x0 = lo - pad; spec.x1 = hi + pad; spec.y0 = spec.y1 = 0;
        spec.nx = std::max(grid * 4, 64); spec.ny = 1;
    } else {
        spec = boundingGrid(pic.plane, mapped, grid, grid);
        // Square in p units: G is drawn over the whole plot, so a unit is about as long on both axes.
        const double half = 0.5 * std::max(spec.x1 - spec.x0, spec.y1 - spec.y0);
        const double cx = 0.5 * (spec.x0 + spec.x1), cy = 0.5 * (spec.y0 + spec.y1);
        spec.x0 = cx - half; spec.x1 = cx + half; spec.y0 = cy - half; spec.y1 = cy + half;
    }
    if (sol.fixSet && sol.fixSet->set.kind != FixSetKind::Point && m > 1) {
        const FixedPointSet& f = sol.fixSet->set;
        auto img = [&](const Eigen::VectorXd& z) { const Eigen::VectorXd p = model.W() * z; return Eigen::Vector2d(p(0), p(1)); };
        const double far = 1e6;
        switch (f.kind) {
        case FixSetKind::Segment: pic.fixSetImage = {img(f.vertices[0]), img(f.vertices[1])}; break;
        case FixSetKind::Ray: pic.fixSetImage = {img(f.point), img(f.point + far * f.directions[0])}; break;
        case FixSetKind::Line: pic.fixSetImage = {img(f.point - far * f.directions[0]), img(f.point + far * f.directions[0])}; break;
        case FixSetKind::Face:
            for (const Eigen::VectorXd& v : f.outline) pic.fixSetImage.push_back(img(v));
            if (!pic.fixSetImage.empty()) pic.fixSetImage.push_back(pic.fixSetImage.front());
            break;
        default: break;
        }
        pic.fixSetKind = fixSetKindName(f.kind);
    }
    pic.G.spec = spec;
    pic.G.values.assign(size_t(spec.nx) * spec.ny, 0.0);
    // v = Wᵀ(o + s e₁ + t e₂) + c = v₀ + s w₁ + t w₂ (rows of W): O(n) per grid point.
    const Eigen::VectorXd v0 = model.W().transpose() * pic.plane.origin + c;
    const Eigen::VectorXd w1 = model.W().row(0).transpose();
    const Eigen::VectorXd w2 = m > 1 ? Eigen::VectorXd(model.W().row(1).transpose()) : Eigen::VectorXd::Zero(model.n());
    const double half0 = 0.5 * (pic.plane.origin.squaredNorm());
    std::atomic<int> rows{0};
#pragma omp parallel for schedule(dynamic, 4)
    for (int j = 0; j < spec.ny; ++j) {
        if (job.cancelled()) continue;
        Eigen::VectorXd v(model.n());
        for (int i = 0; i < spec.nx; ++i) {
            const double s = spec.x(i), t = spec.y(j);
            v = v0 + s * w1 + t * w2;
            double phi = 0;
            for (int q = 0; q < model.n(); ++q) phi += unitPotential(model.operators()[size_t(model.layerOf(q))], v(q));
            // ½‖p‖² with p = o + s e₁ + t e₂ and o₁ = o₂ = 0.
            pic.G.values[size_t(j) * spec.nx + i] = half0 + 0.5 * (s * s + t * t) - phi;
        }
        rows.fetch_add(1);
    }
    if (job.cancelled()) { pic.complete = false; return pic; }
    if (m > 1) pic.contours = computeContours(pic.G, contourLevels(pic.G, 14));
    pic.valid = true;
    return pic;
}

namespace {
std::string g(double x, int digits)
{
    if (std::isinf(x)) return x > 0 ? "+∞" : "−∞";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.*g", digits, x);
    return buf;
}
// Within rounding of a sum over n units and m rows: a relative 1e-9 of the larger value.
bool sameValue(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max({1.0, std::abs(a), std::abs(b)}); }
}  // namespace

std::string unitLayerComparison(const UnitLayerPicture& p)
{
    const std::string head = "E(z*) = " + g(p.E, 12) + "   G(p*) = " + g(p.Gvalue, 12);
    if (!std::isfinite(p.Gvalue)) return head + " (G(p*) is not finite: the two values cannot be compared)";
    if (std::isfinite(p.E)) {
        const std::string diff = "difference " + g(std::abs(p.E - p.Gvalue), 2);
        if (sameValue(p.E, p.Gvalue)) return head + " (" + diff + ": the two minima are equal)";
        return head + " (" + diff + ", more than rounding: z* and p* are not both minimisers to this precision; "
            "see the residuals below)";
    }
    if (p.saturated > 0) {
        std::string w = head + ". " + p.saturation + ": z* sits on the edge of dom f, where f = +∞ (dom f is open), so "
            "E(z*) cannot be evaluated in floating point (the true z* lies just inside); the dual value G(p*) = "
            + g(p.Gvalue, 12) + " is finite";
        if (std::isfinite(p.Einside)) {
            w += ", and E with those units one double inside dom f is " + g(p.Einside, 12) + " (difference "
                + g(std::abs(p.Einside - p.Gvalue), 2) + (sameValue(p.Einside, p.Gvalue) ? ": the two minima are equal)" : ")");
        }
        return w;
    }
    return head + " (E(z*) is not finite although no unit of z* is on the edge of an open dom f: the two values cannot be "
        "compared)";
}

}  // namespace opteq

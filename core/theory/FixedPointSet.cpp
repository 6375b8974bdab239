// SPDX-License-Identifier: GPL-3.0-or-later
#include "FixedPointSet.h"

#include "Format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace opteq {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Interval ends are bisected to ~1e-12: print those as 0.
std::string fmt(double v) { return formatNumber(v, 6, 1e-10); }
std::string fmt(const Eigen::VectorXd& v) { return formatVector(v, 6, 6, 1e-10); }

// Plain iteration from z until the residual stops falling (or a work budget of ~2·10⁸ flops):
// the set is built from s = c − (I − WᵀW)z, so z should be as exact as the model allows.
Eigen::VectorXd polish(const Model& model, const Eigen::VectorXd& c, Eigen::VectorXd z)
{
    const double n = std::max(1, model.n());
    const int budget = int(std::clamp(2e8 / (n * n), 50.0, 20000.0));
    for (int k = 0; k < budget; ++k) {
        Eigen::VectorXd t = model.T(z, c);
        if (!t.allFinite()) break;
        const double r = (t - z).norm();
        z = std::move(t);
        if (r <= 1e-15 * (1.0 + z.norm())) break;
    }
    return z;
}

// {t : prox(t + s) = t} around t0 (which belongs to it), as [lo, hi]: doubling steps outwards,
// then bisection on the predicate (the set is an interval, so the predicate is monotone on
// each side). Strictly convex potentials give a single point without searching.
std::pair<double, double> subgradientInterval(const ProxOperator& op, double t0, double s, bool strictlyConvex,
                                              const std::vector<double>& kinks)
{
    if (strictlyConvex) return {t0, t0};
    auto holds = [&](double t) { return std::abs(op.sigma(t + s) - t) <= 1e-12 * (1.0 + std::abs(t) + std::abs(s)); };
    // A bisected end lies within ~1e-12 of where σ has a kink (0, a clip or box bound): the end
    // is that kink exactly ("−1", not "−1.000000000002").
    auto snap = [&](double e) {
        for (double k : kinks)
            if (std::abs(e - k) <= 1e-9 * (1.0 + std::abs(k)) && holds(k)) return k;
        return e;
    };
    auto search = [&](double sign) {
        double inside = t0, step = 1e-6 * (1.0 + std::abs(t0));
        for (;;) {
            const double t = t0 + sign * step;
            if (!holds(t)) {
                double a = inside, b = t;   // holds(a), !holds(b)
                for (int it = 0; it < 200 && a != b; ++it) {
                    const double m = 0.5 * (a + b);
                    if (m == a || m == b) break;
                    (holds(m) ? a : b) = m;
                }
                return a;
            }
            inside = t;
            step *= 4;
            if (step > 1e12) return sign * kInf;
        }
    };
    return {snap(search(-1.0)), snap(search(+1.0))};
}

// Where the potentials of layer l have kinks: 0 for the piecewise-linear activations and ELU,
// the clip bounds, the bounds of box priors.
std::vector<double> kinksOf(const Model& model, int l)
{
    const Activation& a = model.operators()[size_t(l)].base();
    std::vector<double> k{0.0};
    if (a.type == ActivationType::Clip) { k.push_back(a.lo); k.push_back(a.hi); }
    auto boxes = [&](const std::vector<Regularizer>& regs) {
        for (const Regularizer& r : regs)
            if (r.type == RegularizerType::Box) { k.push_back(r.lo); k.push_back(r.hi); }
    };
    boxes(model.regularizers());
    boxes(model.layers()[size_t(l)].regularizers);
    return k;
}

bool strictlyConvexPotential(const ProxOperator& op, bool hasL2)
{
    if (hasL2) return true;
    switch (op.base().type) {
    case ActivationType::Tanh: case ActivationType::Logistic: case ActivationType::Arctan:
    case ActivationType::Softsign: case ActivationType::Softplus:
        return true;
    default:
        return false;   // identity, ReLU, leaky ReLU, clip, soft threshold, ELU have flat pieces
    }
}

bool hasL2Term(const Model& model, int layer)
{
    for (const Regularizer& r : model.regularizers()) if (r.type == RegularizerType::L2 && r.weight > 0) return true;
    for (const Regularizer& r : model.layers()[size_t(layer)].regularizers)
        if (r.type == RegularizerType::L2 && r.weight > 0) return true;
    return false;
}

// Corners of {y ∈ ℝ² : A y ≤ b} clipped to the square |y|∞ ≤ L (Sutherland–Hodgman).
std::vector<Eigen::Vector2d> clipPolygon(const std::vector<std::pair<Eigen::Vector2d, double>>& halfPlanes, double L)
{
    std::vector<Eigen::Vector2d> poly{{-L, -L}, {L, -L}, {L, L}, {-L, L}};
    for (const auto& [a, b] : halfPlanes) {
        std::vector<Eigen::Vector2d> out;
        for (size_t i = 0; i < poly.size(); ++i) {
            const Eigen::Vector2d& p = poly[i];
            const Eigen::Vector2d& q = poly[(i + 1) % poly.size()];
            const double fp = a.dot(p) - b, fq = a.dot(q) - b;
            if (fp <= 0) out.push_back(p);
            if ((fp < 0 && fq > 0) || (fp > 0 && fq < 0)) out.push_back(p + (q - p) * (fp / (fp - fq)));
        }
        poly = std::move(out);
        if (poly.empty()) break;
    }
    return poly;
}

double residualAt(const Model& model, const Eigen::VectorXd& c, const Eigen::VectorXd& z)
{
    return (model.T(z, c) - z).norm();
}

}  // namespace

const char* fixSetKindName(FixSetKind k)
{
    switch (k) {
    case FixSetKind::Point: return "point";
    case FixSetKind::Segment: return "segment";
    case FixSetKind::Ray: return "ray";
    case FixSetKind::Line: return "line";
    case FixSetKind::Face: return "face";
    case FixSetKind::Empty: return "empty";
    case FixSetKind::Unknown: return "unknown";
    }
    return "unknown";
}

FixedPointSet emptyFixedPointSet(const std::string& why)
{
    FixedPointSet set;
    set.kind = FixSetKind::Empty;
    set.dimension = -1;
    set.description = "empty: " + why;
    return set;
}

FixedPointSet computeFixedPointSet(const Model& model, const Eigen::VectorXd& c, const Eigen::VectorXd& zApprox, int maxUnits)
{
    FixedPointSet set;
    const int n = model.n();
    const double norm = model.spectralNorm();
    // Only a set at ‖W‖₂ = 1 needs z to rounding accuracy (s is read off it); elsewhere z as given.
    const bool flat = std::abs(norm - 1.0) <= 1e-9;
    const Eigen::VectorXd z = flat ? polish(model, c, zApprox) : zApprox;
    set.point = z;
    set.lo = set.hi = z;
    set.residual = residualAt(model, c, z);
    if (!z.allFinite()) return emptyFixedPointSet("the iterates left every bounded region");
    if (norm > 1.0 + 1e-9) {
        set.description = "‖W‖₂ = " + fmt(norm) + " > 1: E is not convex, so Fix T need not be convex; the solver found "
                          + fmt(z) + ".";
        return set;
    }
    if (norm < 1.0 - 1e-9) {
        set.kind = FixSetKind::Point;
        set.description = "a point " + fmt(z) + ": ‖W‖₂ = " + fmt(norm) + " < 1, T is a contraction and E strongly convex.";
        return set;
    }
    if (n > maxUnits) {
        set.description = "not computed for n = " + std::to_string(n) + " > " + std::to_string(maxUnits) + " units.";
        return set;
    }
    // ker(I − WᵀW): eigenvectors of WᵀW with eigenvalue 1 (to the accuracy of ‖W‖₂).
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(model.WtW());
    std::vector<int> unit;
    for (int i = 0; i < n; ++i)
        if (es.eigenvalues()(i) >= 1.0 - 1e-8) unit.push_back(i);
    Eigen::MatrixXd B(n, Eigen::Index(unit.size()));
    for (size_t k = 0; k < unit.size(); ++k) B.col(Eigen::Index(k)) = es.eigenvectors().col(unit[k]);

    // The intervals I_i at s = c − (I − WᵀW) z.
    const Eigen::VectorXd s = -model.smoothGradient(z, c);   // c − (I − WᵀW) z = −∇q(z)
    std::vector<bool> fixedCoord(size_t(n), false);
    for (int i = 0; i < n; ++i) {
        const int l = model.layerOf(i);
        const ProxOperator& op = model.operators()[size_t(l)];
        const auto [lo, hi] = subgradientInterval(op, z(i), s(i), strictlyConvexPotential(op, hasL2Term(model, l)), kinksOf(model, l));
        set.lo(i) = lo;
        set.hi(i) = hi;
        fixedCoord[size_t(i)] = hi - lo <= 1e-7 * (1.0 + std::abs(z(i)));
        if (fixedCoord[size_t(i)]) set.lo(i) = set.hi(i) = z(i);
    }
    // Directions of the kernel that keep the fixed coordinates fixed.
    Eigen::MatrixXd Q(n, 0);
    if (B.cols() > 0) {
        std::vector<int> rows;
        for (int i = 0; i < n; ++i) if (fixedCoord[size_t(i)]) rows.push_back(i);
        Eigen::MatrixXd BP(Eigen::Index(rows.size()), B.cols());
        for (size_t r = 0; r < rows.size(); ++r) BP.row(Eigen::Index(r)) = B.row(rows[r]);
        Eigen::MatrixXd K;
        if (rows.empty()) {
            K = Eigen::MatrixXd::Identity(B.cols(), B.cols());
        } else {
            const Eigen::JacobiSVD<Eigen::MatrixXd> svd(BP, Eigen::ComputeFullV);
            int rank = 0;
            for (Eigen::Index k = 0; k < svd.singularValues().size(); ++k) rank += svd.singularValues()(k) > 1e-9;
            K = svd.matrixV().rightCols(B.cols() - rank);
        }
        if (K.cols() > 0) Q = Eigen::HouseholderQR<Eigen::MatrixXd>(B * K).householderQ() * Eigen::MatrixXd::Identity(n, K.cols());
    }
    // Orient directions: largest-magnitude entry positive (stable output).
    for (Eigen::Index k = 0; k < Q.cols(); ++k) {
        Eigen::Index arg;
        Q.col(k).cwiseAbs().maxCoeff(&arg);
        if (Q(arg, k) < 0) Q.col(k) = -Q.col(k);
        for (Eigen::Index i = 0; i < n; ++i) if (std::abs(Q(i, k)) < 1e-13) Q(i, k) = 0;
    }
    const int k = int(Q.cols());
    if (k == 0) {
        set.kind = FixSetKind::Point;
        set.description = "a single point " + fmt(z) + ": ‖W‖₂ = 1, but the active units pin every direction of ker(I − WᵀW).";
        return set;
    }
    if (k == 1) {
        const Eigen::VectorXd d = Q.col(0);
        double tmin = -kInf, tmax = kInf;
        for (int i = 0; i < n; ++i) {
            if (d(i) == 0) continue;
            double a = (set.lo(i) - z(i)) / d(i), b = (set.hi(i) - z(i)) / d(i);
            if (a > b) std::swap(a, b);
            tmin = std::max(tmin, a);
            tmax = std::min(tmax, b);
        }
        if (std::isfinite(tmin) && std::isfinite(tmax) && tmax - tmin <= 1e-9) {
            set.kind = FixSetKind::Point;
            set.point = z + 0.5 * (tmin + tmax) * d;
            set.description = "a single point " + fmt(set.point) + " (‖W‖₂ = 1, but the domain cuts the flat direction to a point).";
        } else if (std::isfinite(tmin) && std::isfinite(tmax)) {
            set.kind = FixSetKind::Segment;
            set.dimension = 1;
            set.point = z + tmin * d;
            set.vertices = {set.point, z + tmax * d};
            set.directions = {set.vertices[1] - set.vertices[0]};
            set.description = "a segment from " + fmt(set.vertices[0]) + " to " + fmt(set.vertices[1]) + " (length "
                              + fmt(tmax - tmin) + ")";
        } else if (std::isfinite(tmin) || std::isfinite(tmax)) {
            set.kind = FixSetKind::Ray;
            set.dimension = 1;
            set.bounded = false;
            set.point = std::isfinite(tmin) ? Eigen::VectorXd(z + tmin * d) : Eigen::VectorXd(z + tmax * d);
            set.directions = {std::isfinite(tmin) ? d : Eigen::VectorXd(-d)};
            set.vertices = {set.point};
            set.description = "a ray: " + fmt(set.point) + " + t·" + fmt(set.directions[0]) + ", t ≥ 0";
        } else {
            set.kind = FixSetKind::Line;
            set.dimension = 1;
            set.bounded = false;
            set.point = z - d.dot(z) * d;   // the point of the line nearest the origin
            set.directions = {d};
            set.description = "a line: " + fmt(set.point) + " + t·" + fmt(d) + ", t ∈ ℝ";
        }
    } else {
        set.kind = FixSetKind::Face;
        set.dimension = k;
        for (int j = 0; j < k; ++j) set.directions.push_back(Q.col(j));
        if (k == 2) {
            std::vector<std::pair<Eigen::Vector2d, double>> hp;
            for (int i = 0; i < n; ++i) {
                const Eigen::Vector2d a(Q(i, 0), Q(i, 1));
                if (a.isZero()) continue;
                if (std::isfinite(set.hi(i))) hp.push_back({a, set.hi(i) - z(i)});
                if (std::isfinite(set.lo(i))) hp.push_back({-a, z(i) - set.lo(i)});
            }
            const double L = 1e6;
            const std::vector<Eigen::Vector2d> poly = clipPolygon(hp, L);
            for (const Eigen::Vector2d& y : poly) {
                set.outline.push_back(z + Q * y);
                if (y.cwiseAbs().maxCoeff() >= L * (1 - 1e-9)) set.bounded = false;
                else set.vertices.push_back(z + Q * y);
            }
            set.description = std::string(set.bounded ? "a polygon" : "an unbounded face") + " of dimension 2 through " + fmt(z)
                              + (hp.empty() ? " (a whole plane)" : "");
        } else {
            set.bounded = false;   // not decided above two dimensions
            set.description = "a face of dimension " + std::to_string(k) + " through " + fmt(z);
        }
    }
    set.residual = residualAt(model, c, set.point);
    for (const Eigen::VectorXd& v : set.vertices) set.residual = std::max(set.residual, residualAt(model, c, v));
    if (set.kind == FixSetKind::Ray || set.kind == FixSetKind::Line)
        set.residual = std::max(set.residual, residualAt(model, c, set.point + set.directions[0]));
    return set;
}

bool FixedPointSet::contains(const Eigen::VectorXd& z, double tol) const
{
    if (point.size() != z.size()) return false;
    if (kind == FixSetKind::Empty || kind == FixSetKind::Unknown) return false;
    return (projectOntoFixedPointSet(*this, z) - z).norm() <= tol * (1.0 + z.norm());
}

Eigen::VectorXd projectOntoFixedPointSet(const FixedPointSet& set, const Eigen::VectorXd& a)
{
    switch (set.kind) {
    case FixSetKind::Point: case FixSetKind::Empty: case FixSetKind::Unknown:
        return set.point;
    case FixSetKind::Segment: {
        const Eigen::VectorXd& d = set.directions[0];
        const double t = std::clamp(d.dot(a - set.point) / d.squaredNorm(), 0.0, 1.0);
        return set.point + t * d;
    }
    case FixSetKind::Ray: {
        const Eigen::VectorXd& d = set.directions[0];
        return set.point + std::max(0.0, d.dot(a - set.point)) * d;
    }
    case FixSetKind::Line: {
        const Eigen::VectorXd& d = set.directions[0];
        return set.point + d.dot(a - set.point) * d;
    }
    case FixSetKind::Face: break;
    }
    // Dykstra's alternating projections between the affine hull and the box of intervals:
    // converges to the projection onto their intersection (plain alternation would not).
    const int n = int(set.point.size());
    Eigen::MatrixXd Q(n, Eigen::Index(set.directions.size()));
    for (size_t k = 0; k < set.directions.size(); ++k) Q.col(Eigen::Index(k)) = set.directions[k];
    Eigen::VectorXd x = a, p = Eigen::VectorXd::Zero(n), q = Eigen::VectorXd::Zero(n);
    for (int it = 0; it < 200000; ++it) {
        const Eigen::VectorXd xp = x + p;
        const Eigen::VectorXd y = set.point + Q * (Q.transpose() * (xp - set.point));
        p = xp - y;
        const Eigen::VectorXd yq = y + q;
        const Eigen::VectorXd next = yq.cwiseMax(set.lo).cwiseMin(set.hi);
        q = yq - next;
        const double change = (next - x).norm();
        x = next;
        if (change <= 1e-15 * (1.0 + x.norm())) break;
    }
    return x;
}

}  // namespace opteq

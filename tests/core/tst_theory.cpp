// SPDX-License-Identifier: GPL-3.0-or-later
// The theory views (issue #13) against independent computations: the Jacobian spectrum against a
// general (non-symmetric) eigen-solve and against the rate plain iteration actually shows; the
// nullclines against the equilibrium; Fix T against the lessons' analytic sets and against T
// itself; the unit layer's G against E for every activation.
#include "FixedPointSet.h"
#include "JacobianSpectrum.h"
#include "PhasePlane.h"
#include "RateMap.h"
#include "SceneIO.h"
#include "TheoryReports.h"
#include "Solve.h"
#include "TestHelpers.h"
#include "UnitLayer.h"

#include <random>

using namespace opteq;

namespace {

Eigen::MatrixXd randomMatrix(int m, int n, std::mt19937_64& rng, double norm)
{
    std::normal_distribution<double> g;
    Eigen::MatrixXd W(m, n);
    for (int i = 0; i < m; ++i) for (int j = 0; j < n; ++j) W(i, j) = g(rng);
    return W * (norm / spectralNorm(W));
}

Eigen::VectorXd randomVector(int n, std::mt19937_64& rng, double scale = 1.0)
{
    std::normal_distribution<double> g;
    Eigen::VectorXd v(n);
    for (int i = 0; i < n; ++i) v(i) = scale * g(rng);
    return v;
}

Model randomModel(ActivationType type, int m, int n, double norm, std::mt19937_64& rng, std::vector<Regularizer> regs = {})
{
    LayerSpec l;
    l.size = n;
    l.activation.type = type;
    return Model({l}, randomMatrix(m, n, rng, norm), Eigen::MatrixXd::Identity(n, n), randomVector(n, rng, 0.5), regs);
}

// Plain iteration to (near) machine precision.
Eigen::VectorXd equilibrium(const Model& model, const Eigen::VectorXd& c, Eigen::VectorXd z, int iters = 100000)
{
    for (int k = 0; k < iters; ++k) {
        Eigen::VectorXd t = model.T(z, c);
        const double r = (t - z).norm();
        z = std::move(t);
        if (r <= 1e-15) break;
    }
    return z;
}

std::vector<double> sortedDescending(const Eigen::VectorXcd& ev)
{
    std::vector<double> v;
    for (Eigen::Index i = 0; i < ev.size(); ++i) v.push_back(ev(i).real());
    std::sort(v.rbegin(), v.rend());
    return v;
}

Scene lesson(const char* file)
{
    const SceneResult r = loadScene(sourcePath(QStringLiteral("resources/lessons/") + file));
    if (!r.ok()) qFatal("%s: %s", file, r.error.c_str());
    return *r.scene;
}

// A phase plane with a lattice of transversal crossings: n = 2K tanh units, W = √λ·I, the slice
// spanned by u = (1, …, 1, 0, …, 0)/√K and v = (0, …, 0, 1, …, 1)/√K. The s component of the
// field is Σ u_i tanh(λ u_i s + c_i) − s, a staircase of K steep steps 2/√K apart minus s: a
// sawtooth with 2K + 1 zeros in s (vertical nullclines), the t component likewise in t, so the
// nullclines cross (2K + 1)² times.
struct CrossingLattice {
    Model model;
    Eigen::VectorXd c;
    Plane plane;
    GridSpec box;
};

CrossingLattice crossingLattice(int K, double lambda = 50)
{
    const int n = 2 * K;
    LayerSpec l;
    l.size = n;
    l.activation.type = ActivationType::Tanh;
    CrossingLattice f{Model({l}, std::sqrt(lambda) * Eigen::MatrixXd::Identity(n, n), Eigen::MatrixXd::Identity(n, n),
                            Eigen::VectorXd::Zero(n)), Eigen::VectorXd(n), {}, {}};
    const double w = 1 / std::sqrt(double(K)), spacing = 2 * w;
    f.plane.origin = Eigen::VectorXd::Zero(n);
    f.plane.u = f.plane.v = Eigen::VectorXd::Zero(n);
    f.plane.u.head(K).setConstant(w);
    f.plane.v.tail(K).setConstant(w);
    for (int i = 0; i < K; ++i) f.c(i) = f.c(K + i) = -lambda * w * (i - (K - 1) / 2.0) * spacing;   // step i at its place
    f.box.x0 = f.box.y0 = -1.15 * K * w;
    f.box.x1 = f.box.y1 = 1.15 * K * w;
    return f;
}

}  // namespace

class TestTheory : public QObject {
    Q_OBJECT
private slots:
    void spectrumEqualsGeneralEigenSolve()
    {
        std::mt19937_64 rng(7);
        const ActivationType types[] = {ActivationType::Tanh, ActivationType::Relu, ActivationType::Softplus,
                                        ActivationType::Clip, ActivationType::Elu, ActivationType::Logistic};
        int k = 0;
        for (int n : {2, 3, 7, 20, 60}) {
            for (ActivationType type : types) {
                const Model model = randomModel(type, n + (k++ % 3), n, 0.3 + 0.65 * ((k * 37) % 11) / 10.0, rng);
                const Eigen::VectorXd c = model.b();
                const Eigen::VectorXd z = randomVector(n, rng);
                const JacobianSpectrum s = jacobianSpectrum(model, z, c);
                const Eigen::MatrixXd J = model.jacobianT(z, c);
                const Eigen::EigenSolver<Eigen::MatrixXd> es(J, false);
                QCOMPARE(int(s.eigenvalues.size()), n);
                QVERIFY(s.exact);
                const std::vector<double> ref = sortedDescending(es.eigenvalues());
                for (int i = 0; i < n; ++i) {
                    OPTEQ_VERIFY_LE(std::abs(es.eigenvalues()(i).imag()), 1e-7);
                    OPTEQ_COMPARE_NEAR(s.eigenvalues[size_t(i)], ref[size_t(i)], 1e-9);
                }
                OPTEQ_COMPARE_NEAR(s.spectralRadius, ref.front(), 1e-9);
                OPTEQ_COMPARE_NEAR(s.bound, model.spectralNorm() * model.spectralNorm(), 1e-12);
                OPTEQ_VERIFY_LE(s.spectralRadius, s.bound + 1e-12);
                const Eigen::JacobiSVD<Eigen::MatrixXd> svd(Eigen::MatrixXd::Identity(n, n) - J);
                const double cond = svd.singularValues()(0) / svd.singularValues()(n - 1);
                OPTEQ_COMPARE_NEAR(s.cond / cond, 1.0, 1e-8);
            }
        }
    }

    void lanczosTopEigenvaluesAgreeWithDense()
    {
        std::mt19937_64 rng(11);
        const Model model = randomModel(ActivationType::Tanh, 150, 140, 0.95, rng);
        const Eigen::VectorXd z = randomVector(140, rng, 0.3);
        const JacobianSpectrum dense = jacobianSpectrum(model, z, model.b());
        const JacobianSpectrum top = jacobianSpectrum(model, z, model.b(), /*exactLimit=*/50, /*top=*/8);
        QVERIFY(!top.exact);
        QCOMPARE(int(top.eigenvalues.size()), 8);
        for (int i = 0; i < 8; ++i) OPTEQ_COMPARE_NEAR(top.eigenvalues[size_t(i)], dense.eigenvalues[size_t(i)], 1e-8);
        OPTEQ_COMPARE_NEAR(top.spectralRadius, dense.spectralRadius, 1e-10);
    }

    void lanczosSurvivesAKrylovSpaceThatRunsOut()
    {
        // A 600-unit ReLU layer at its equilibrium has many inactive units: D^½WᵀWD^½ has a
        // small rank, and Lanczos runs out of directions. Past step 60 the breakdown was tested
        // only every 4th step, so it divided by a vanishing β: ρ(J) = 2778 where it is 0.595.
        std::mt19937_64 rng(3);
        const Model model = randomModel(ActivationType::Relu, 600, 600, 0.9, rng);
        SolverSettings tight;
        tight.method = Method::Anderson;
        tight.tol = 1e-12;
        tight.maxIter = 5000;
        const Trace t = solve(SolverContext(model, Eigen::VectorXd::Zero(model.d()), tight), Eigen::VectorXd::Zero(600));   // c = b
        const JacobianSpectrum big = jacobianSpectrum(model, t.z, model.b());
        const JacobianSpectrum dense = jacobianSpectrum(model, t.z, model.b(), /*exactLimit=*/1000);
        QVERIFY(!big.exact && dense.exact);
        OPTEQ_COMPARE_NEAR(big.spectralRadius, dense.spectralRadius, 1e-8);
        for (size_t i = 0; i < 8 && i < big.eigenvalues.size(); ++i) OPTEQ_COMPARE_NEAR(big.eigenvalues[i], dense.eigenvalues[i], 1e-8);
    }

    void spectralRadiusIsTheObservedPicardRate()
    {
        std::mt19937_64 rng(3);
        for (ActivationType type : {ActivationType::Tanh, ActivationType::Logistic, ActivationType::Softplus,
                                    ActivationType::Arctan, ActivationType::Softsign}) {
            const Model model = randomModel(type, 6, 6, 0.9, rng);
            const Eigen::VectorXd c = model.b();
            Eigen::VectorXd z = randomVector(6, rng);
            // The asymptotic ratio ‖r_{k+1}‖ / ‖r_k‖ where the residual is small but above rounding.
            double rate = 0, prev = (model.T(z, c) - z).norm();
            for (int k = 0; k < 5000; ++k) {
                z = model.T(z, c);
                const double r = (model.T(z, c) - z).norm();
                if (r < 1e-11) break;
                rate = r / prev;
                prev = r;
            }
            const Eigen::VectorXd zs = equilibrium(model, c, z);
            const JacobianSpectrum s = jacobianSpectrum(model, zs, c);
            OPTEQ_COMPARE_NEAR(s.spectralRadius, rate, 1e-3);
            OPTEQ_VERIFY_LE(s.spectralRadius, s.bound);
        }
    }

    void nullclinesCrossAtTheEquilibrium()
    {
        std::mt19937_64 rng(5);
        for (ActivationType type : {ActivationType::Tanh, ActivationType::Relu, ActivationType::Softplus}) {
            const Model model = randomModel(type, 2, 2, 0.8, rng);
            const Eigen::VectorXd c = randomVector(2, rng, 0.6);
            const Eigen::VectorXd zs = equilibrium(model, c, Eigen::VectorXd::Zero(2));
            const Plane plane = Plane::coordinate(2, 0, 1, Eigen::VectorXd::Zero(2));
            GridSpec box;
            box.x0 = zs(0) - 1.7; box.x1 = zs(0) + 1.3; box.y0 = zs(1) - 1.1; box.y1 = zs(1) + 1.9;
            const PhaseField f = computePhaseField(model, c, plane, box, 15, 121);
            QVERIFY(f.complete);
            QCOMPARE(int(f.arrows.size()), 15 * 15);
            QVERIFY(!f.nullclines[0].empty() && !f.nullclines[1].empty());
            // The arrows are T(z) − z (checked at one arrow against the model directly).
            const PhaseArrow& a = f.arrows[37];
            const Eigen::Vector2d z(a.s, a.t);
            const Eigen::VectorXd d = model.T(z, c) - z;
            OPTEQ_COMPARE_NEAR(a.ds, d(0), 1e-13);
            OPTEQ_COMPARE_NEAR(a.dt, d(1), 1e-13);
            // Exactly one crossing (a contraction has one fixed point), at z* to solver precision.
            QCOMPARE(int(f.crossings.size()), 1);
            OPTEQ_VERIFY_LE((f.crossings[0] - Eigen::Vector2d(zs)).norm(), 1e-9);
            // Every nullcline point has that component of the field near zero (to grid accuracy).
            for (int k = 0; k < 2; ++k)
                for (const ContourLine& l : f.nullclines[k])
                    for (size_t i = 0; i < l.xs.size(); i += 7) {
                        if (!std::isfinite(l.xs[i])) continue;
                        const Eigen::Vector2d p(l.xs[i], l.ys[i]);
                        OPTEQ_VERIFY_LE(std::abs((model.T(p, c) - p)(k)), 5e-3);
                    }
        }
    }

    // A nullcline that holds on a region (ReLU's flat side) is a shaded band, and the meeting of
    // the nullclines along Fix T is not reported as isolated crossings (it is a set).
    void nullclineBandsOnTheRayLesson()
    {
        const Scene scene = lesson("04-ray-of-equilibria.opteq.json");
        const Model model = scene.model();
        const Eigen::VectorXd c = model.bias(scene.input);
        GridSpec box;
        box.x0 = -2; box.x1 = 2; box.y0 = -2; box.y1 = 2;
        const PhaseField f = computePhaseField(model, c, Plane::coordinate(2, 0, 1, Eigen::VectorXd::Zero(2)), box, 11, 101);
        QVERIFY(!f.zeroRegion[0].empty());   // T₁(z) = z₁ for every z₁ ≥ 0
        const GridSpec& g = f.components[0].spec;
        for (int j = 0; j < g.ny; j += 10)
            for (int i = 0; i < g.nx; i += 10)
                QCOMPARE(bool(f.zeroRegion[0][size_t(j) * g.nx + i]), g.x(i) >= 0);
        QVERIFY(f.crossings.empty());
        // On a 3-D model's slice a crossing's full residual is reported, and it is the model's.
        std::mt19937_64 rng(29);
        const Model m3 = randomModel(ActivationType::Tanh, 3, 3, 0.7, rng);
        const Eigen::VectorXd zs = equilibrium(m3, m3.b(), Eigen::VectorXd::Zero(3));
        Plane plane = Plane::coordinate(3, 0, 1, zs);
        plane.origin(2) += 0.3;   // a slice that misses the equilibrium
        GridSpec b3;
        b3.x0 = -2; b3.x1 = 2; b3.y0 = -2; b3.y1 = 2;
        const PhaseField f3 = computePhaseField(m3, m3.b(), plane, b3, 11, 121);
        QCOMPARE(f3.crossings.size(), f3.crossingResidual.size());
        for (size_t k = 0; k < f3.crossings.size(); ++k) {
            const Eigen::VectorXd z = plane.point(f3.crossings[k](0), f3.crossings[k](1));
            OPTEQ_COMPARE_NEAR(f3.crossingResidual[k], (m3.T(z, m3.b()) - z).norm(), 1e-12);
            QVERIFY(f3.crossingResidual[k] > 1e-3);   // the projected step vanishes, T(z) ≠ z
        }
    }

    // The crossing search stops at 64 crossings (the cap used to end only the inner loop: every
    // further segment of the first nullcline added one more).
    void phasePlaneCrossingsAreCapped()
    {
        const CrossingLattice lattice = crossingLattice(8);
        const PhaseField f = computePhaseField(lattice.model, lattice.c, lattice.plane, lattice.box, 11, 161);
        QVERIFY(f.complete);
        QCOMPARE(int(f.crossings.size()), 64);   // of 17² crossings
        QCOMPARE(f.crossingResidual.size(), f.crossings.size());
        for (size_t k = 0; k < f.crossings.size(); ++k)   // distinct points of the lattice
            for (size_t j = 0; j < k; ++j) QVERIFY((f.crossings[k] - f.crossings[j]).norm() > 0.2);
    }

    // The crossing search (quadratic in the nullclines' segments: the slow part on a fine grid)
    // polls the cancel flag: a job cancelled during it stops at its next segment, incomplete.
    void phasePlaneCrossingSearchIsCancellable()
    {
        const CrossingLattice lattice = crossingLattice(8);
        // Cancelled at the first progress report after the grid's (the search reports per segment).
        std::atomic<bool> cancel{false};
        int reports = 0;
        JobControl job;
        job.cancel = &cancel;
        job.progress = [&](double) { if (++reports == 2) cancel = true; };
        const PhaseField g = computePhaseField(lattice.model, lattice.c, lattice.plane, lattice.box, 11, 401, job);
        QVERIFY(!g.complete);
        QCOMPARE(reports, 2);   // nothing ran past the cancel
        QVERIFY(g.crossings.size() < 64);
    }

    // At ‖W‖₂ = 1 inside a segment of equilibria 1 is an eigenvalue of J (not isolated, I − J
    // singular); at its end on clip's kink, σ' is one-sided and the kink is reported.
    void spectrumOnASegmentOfEquilibria()
    {
        const Scene scene = lesson("11-segment-hsd.opteq.json");
        const Model model = scene.model();
        const Eigen::VectorXd c = model.bias(scene.input);
        const JacobianSpectrum inside = jacobianSpectrum(model, Eigen::Vector2d(0.3, 0.8), c);
        OPTEQ_COMPARE_NEAR(inside.spectralRadius, 1.0, 1e-12);
        QVERIFY(std::isinf(inside.cond));
        QCOMPARE(inside.kinks, 0);
        const JacobianSpectrum end = jacobianSpectrum(model, Eigen::Vector2d(-1.0, 0.8), c);
        QCOMPARE(end.kinks, 1);
    }

    void fixSetOfTheRayLesson()
    {
        const Scene scene = lesson("04-ray-of-equilibria.opteq.json");
        const Model model = scene.model();
        const Eigen::VectorXd c = model.bias(scene.input);
        // From several starts (each lands elsewhere on the ray) the set is the same.
        for (const Eigen::VectorXd& z0 : scene.starts) {
            const FixedPointSet set = computeFixedPointSet(model, c, equilibrium(model, c, z0));
            QCOMPARE(fixSetKindName(set.kind), "ray");
            QCOMPARE(set.dimension, 1);
            OPTEQ_VERIFY_LE((set.point - Eigen::Vector2d(0.0, 0.8)).norm(), 1e-12);   // the end snaps to ReLU's kink
            OPTEQ_VERIFY_LE((set.directions[0] - Eigen::Vector2d(1.0, 0.0)).norm(), 1e-6);
            OPTEQ_VERIFY_LE(set.residual, 1e-9);
            // Halpern with anchor a selects (max(a₁, 0), 4c/3) (MATH.md §5).
            OPTEQ_VERIFY_LE((projectOntoFixedPointSet(set, Eigen::Vector2d(-0.7, 3.0)) - Eigen::Vector2d(0.0, 0.8)).norm(), 1e-9);
            OPTEQ_VERIFY_LE((projectOntoFixedPointSet(set, Eigen::Vector2d(1.3, -2.0)) - Eigen::Vector2d(1.3, 0.8)).norm(), 1e-9);
        }
    }

    void fixSetOfTheSegmentLesson()
    {
        const Scene scene = lesson("11-segment-hsd.opteq.json");
        const Model model = scene.model();
        const Eigen::VectorXd c = model.bias(scene.input);
        const FixedPointSet set = computeFixedPointSet(model, c, equilibrium(model, c, scene.starts[0]));
        QCOMPARE(fixSetKindName(set.kind), "segment");
        QCOMPARE(int(set.vertices.size()), 2);
        QCOMPARE(set.vertices[0](0), -1.0);   // clip's bounds, exactly
        QCOMPARE(set.vertices[1](0), 1.0);
        OPTEQ_VERIFY_LE((set.vertices[0] - Eigen::Vector2d(-1.0, 0.8)).norm(), 1e-6);
        OPTEQ_VERIFY_LE((set.vertices[1] - Eigen::Vector2d(1.0, 0.8)).norm(), 1e-6);
        OPTEQ_VERIFY_LE((set.point + set.directions[0] - set.vertices[1]).norm(), 1e-12);
        // HSD with R = ½‖z − target‖² selects the point of the segment nearest the target.
        const Eigen::VectorXd selected = projectOntoFixedPointSet(set, scene.prior.target);
        OPTEQ_VERIFY_LE((selected - Eigen::Vector2d(-0.6, 0.8)).norm(), 1e-12);
    }

    // A selection scheme stopped by max_iter (it is sublinear) still locates Fix T exactly, says
    // how far it stopped from its analytic choice, and its note says "still falling", not "stalled".
    void unconvergedPriorStillLocatesFixT()
    {
        Scene scene = lesson("04-ray-of-equilibria.opteq.json");
        scene.prior.type = PriorType::Halpern;
        scene.prior.anchor = Eigen::Vector2d(0.7, 0.0);
        scene.solver.tol = 1e-9;
        scene.solver.maxIter = 400;
        const Model model = scene.model();
        TraceOptions o;
        o.storeIterates = false;
        const std::vector<SolverRun> runs = solveRuns(scene, model, o);
        for (const Trace& t : runs[0].traces) {
            QCOMPARE(t.status, SolveStatus::MaxIter);
            QVERIFY2(t.note.find("still falling sublinearly") != std::string::npos, t.note.c_str());
        }
        const FixSetReport r = fixSetReport(scene, model, runs);
        QCOMPARE(fixSetKindName(r.set.kind), "ray");
        QVERIFY(r.selected && r.solverSelected);
        OPTEQ_VERIFY_LE((*r.selected - Eigen::Vector2d(0.7, 0.8)).norm(), 1e-12);
        QVERIFY(r.selectionDistance > 0 && r.selectionDistance < 0.05);
        // The sweep of a selection scheme reports the log–log slope: about −1 for Halpern.
        SolverSettings s = scene.solver;
        const RateCut cut = computeRateCut(model, scene.input, s, scene.prior, scene.starts[0], RateParam::NormScale, {0.5, 0.8});
        QVERIFY(cut.sublinear);
        for (double slope : cut.observed) OPTEQ_COMPARE_NEAR(slope, -1.0, 0.3);
    }

    void fixSetOfAContractionIsAPoint()
    {
        std::mt19937_64 rng(9);
        const Model model = randomModel(ActivationType::Relu, 4, 4, 0.9, rng);
        const Eigen::VectorXd zs = equilibrium(model, model.b(), Eigen::VectorXd::Zero(4));
        const FixedPointSet set = computeFixedPointSet(model, model.b(), zs);
        QCOMPARE(fixSetKindName(set.kind), "point");
        QCOMPARE(set.dimension, 0);
        OPTEQ_VERIFY_LE((set.point - zs).norm(), 1e-12);
    }

    // A rotated flat direction: nothing here is read off a diagonal W. Every reported end point is
    // a fixed point and a step past it along the set is not.
    void fixSetOfARotatedSegmentIsCheckedByT()
    {
        const double a = 0.5;   // 30°-ish rotation
        Eigen::Matrix2d R;
        R << std::cos(a), -std::sin(a), std::sin(a), std::cos(a);
        const Eigen::MatrixXd W = R * Eigen::Vector2d(1.0, 0.6).asDiagonal() * R.transpose();
        LayerSpec l;
        l.size = 2;
        l.activation.type = ActivationType::Clip;
        const Model model({l}, W, Eigen::MatrixXd::Identity(2, 2), Eigen::VectorXd::Zero(2));
        const Eigen::VectorXd c = R * Eigen::Vector2d(0.0, 0.2);
        const Eigen::VectorXd zs = equilibrium(model, c, Eigen::Vector2d(0.3, -0.4));
        const FixedPointSet set = computeFixedPointSet(model, c, zs);
        QCOMPARE(fixSetKindName(set.kind), "segment");
        const Eigen::VectorXd d = set.directions[0].normalized();
        OPTEQ_VERIFY_LE(std::abs(std::abs(d.dot(R.col(0))) - 1.0), 1e-9);   // along ker(I − WᵀW)
        for (const Eigen::VectorXd& e : set.vertices) {
            OPTEQ_VERIFY_LE((model.T(e, c) - e).norm(), 1e-9);
            const Eigen::VectorXd out = e + 1e-3 * (e - (set.vertices[0] + set.vertices[1]) / 2).normalized();
            QVERIFY((model.T(out, c) - out).norm() > 1e-5);
        }
        QVERIFY(set.contains(zs));
    }

    void fixSetFacesAndTheirProjection()
    {
        LayerSpec l;
        l.size = 2;
        l.activation.type = ActivationType::Clip;
        const Model box({l}, Eigen::MatrixXd::Identity(2, 2), Eigen::MatrixXd::Identity(2, 2), Eigen::VectorXd::Zero(2));
        const FixedPointSet square = computeFixedPointSet(box, Eigen::VectorXd::Zero(2), Eigen::Vector2d(0.2, -0.1));
        QCOMPARE(fixSetKindName(square.kind), "face");
        QCOMPARE(square.dimension, 2);
        QVERIFY(square.bounded);
        QCOMPARE(int(square.vertices.size()), 4);
        for (const Eigen::VectorXd& v : square.vertices) OPTEQ_COMPARE_NEAR(v.cwiseAbs().minCoeff(), 1.0, 1e-9);
        OPTEQ_VERIFY_LE((projectOntoFixedPointSet(square, Eigen::Vector2d(2.0, 0.5)) - Eigen::Vector2d(1.0, 0.5)).norm(), 1e-9);
        OPTEQ_VERIFY_LE((projectOntoFixedPointSet(square, Eigen::Vector2d(-3.0, -2.0)) - Eigen::Vector2d(-1.0, -1.0)).norm(), 1e-9);
        l.activation.type = ActivationType::Relu;
        const Model quadrant({l}, Eigen::MatrixXd::Identity(2, 2), Eigen::MatrixXd::Identity(2, 2), Eigen::VectorXd::Zero(2));
        const FixedPointSet q = computeFixedPointSet(quadrant, Eigen::VectorXd::Zero(2), Eigen::Vector2d(0.5, 0.5));
        QCOMPARE(fixSetKindName(q.kind), "face");
        QVERIFY(!q.bounded);
        OPTEQ_VERIFY_LE((projectOntoFixedPointSet(q, Eigen::Vector2d(-1.0, 2.0)) - Eigen::Vector2d(0.0, 2.0)).norm(), 1e-9);
    }

    // The "rate vs parameter" cut: along ‖W‖₂ Picard's observed rate follows ρ(J) at the end point
    // (the local rate) and stays under the bound ‖W‖₂²; along θ, KM's bound is 1 − θ(1 − ‖W‖₂²).
    void rateCutFollowsTheLocalRateUnderTheBound()
    {
        std::mt19937_64 rng(17);
        const Model model = randomModel(ActivationType::Tanh, 5, 5, 0.8, rng);
        SolverSettings s;
        s.tol = 1e-12;
        s.maxIter = 5000;
        QCOMPARE(rateCutValues(RateParam::NormScale).back(), 1.0);   // the default 25 values end exactly at 1
        const std::vector<double> norms = rateCutValues(RateParam::NormScale, 9);
        const RateCut cut = computeRateCut(model, Eigen::VectorXd::Zero(5), s, {}, Eigen::VectorXd::Ones(5), RateParam::NormScale, norms);
        QVERIFY(cut.complete);
        QCOMPARE(norms.back(), 1.0);
        QVERIFY(std::isnan(cut.bound.back()));   // no linear rate where uniqueness ends
        for (size_t i = 0; i + 1 < norms.size(); ++i) {
            OPTEQ_COMPARE_NEAR(cut.bound[i], norms[i] * norms[i], 1e-12);
            if (norms[i] < 0.3) continue;   // a few iterations: too short a curve to read a rate from
            QCOMPARE(SolveStatus(cut.status[i]), SolveStatus::Converged);
            OPTEQ_VERIFY_LE(cut.observed[i], cut.bound[i] + 1e-9);
            OPTEQ_COMPARE_NEAR(cut.observed[i], cut.localRate[i], 0.03);
        }
        s.method = Method::KM;
        const RateCut km = computeRateCut(model, Eigen::VectorXd::Zero(5), s, {}, Eigen::VectorXd::Ones(5), RateParam::Theta,
                                          rateCutValues(RateParam::Theta, 5));
        for (size_t i = 0; i < km.values.size(); ++i) {
            OPTEQ_COMPARE_NEAR(km.bound[i], 1 - km.values[i] * (1 - 0.64), 1e-12);
            OPTEQ_VERIFY_LE(km.observed[i], km.bound[i] + 1e-9);
        }
        // A prior of way 2 has no linear bound.
        PriorSettings halpern;
        halpern.type = PriorType::Halpern;
        QVERIFY(!rateBound(Method::Picard, s, 0.5, halpern.type));
    }

    // A model with W scaled by s, built from the known WᵀW and ‖W‖₂ (the rate map's ‖W‖₂ axis),
    // is the model built afresh from sW: the same WᵀW, norm and solves. Both of Model's norm paths
    // (dense up to 160 units, Lanczos above), with a regularizer.
    void scaledModelEqualsAFreshOne()
    {
        std::mt19937_64 rng(31);
        Regularizer box;
        box.type = RegularizerType::Box;
        for (int n : {5, 200}) {
            const Model model = randomModel(ActivationType::Tanh, n + 3, n, 0.9, rng, {box});
            for (double target : {0.35, 0.8, 0.99}) {
                const double s = target / model.spectralNorm();
                const long long before = normComputations();
                const Model scaled = model.scaledW(s);
                QCOMPARE(normComputations(), before);   // nothing decomposed
                const Model fresh(model.layers(), s * model.W(), model.U(), model.b(), model.regularizers());
                QCOMPARE(scaled.W(), fresh.W());
                OPTEQ_VERIFY_LE((scaled.WtW() - fresh.WtW()).cwiseAbs().maxCoeff(), 1e-12);
                OPTEQ_COMPARE_NEAR(scaled.spectralNorm(), fresh.spectralNorm(), 1e-12);
                OPTEQ_COMPARE_NEAR(scaled.spectralNorm(), target, 1e-12);
                QCOMPARE(scaled.U(), fresh.U());
                QCOMPARE(scaled.b(), fresh.b());
                QVERIFY(scaled.layers() == fresh.layers() && scaled.hasRegularizers());
                SolverSettings st;
                st.tol = 1e-11;
                st.maxIter = 5000;
                const Eigen::VectorXd x = randomVector(n, rng), z0 = randomVector(n, rng);
                const Trace a = solve(SolverContext(scaled, x, st), z0), b = solve(SolverContext(fresh, x, st), z0);
                QCOMPARE(a.status, SolveStatus::Converged);
                QCOMPARE(a.iterations, b.iterations);
                OPTEQ_VERIFY_LE((a.z - b.z).norm(), 1e-12);
            }
        }
    }

    // A sweep over ‖W‖₂ rescales the model per cell without a new WᵀW or eigen-solve: the known
    // norm is reused (it used to rebuild a Model per cell: two norm computations each).
    void rateSweepsOverTheNormComputeNoNorm()
    {
        std::mt19937_64 rng(37);
        const Model model = randomModel(ActivationType::Tanh, 6, 6, 0.8, rng);
        SolverSettings s;
        s.method = Method::KM;
        s.tol = 1e-10;
        s.maxIter = 3000;
        GridSpec spec;
        spec.x0 = 0.3; spec.x1 = 1.0; spec.nx = 4;   // θ
        spec.y0 = 0.2; spec.y1 = 0.95; spec.ny = 3;  // ‖W‖₂
        const long long before = normComputations();
        const RateMap map = computeRateMap(model, Eigen::VectorXd::Zero(6), s, {}, Eigen::VectorXd::Ones(6), RateParam::Theta,
                                           RateParam::NormScale, spec);
        const RateCut cut = computeRateCut(model, Eigen::VectorXd::Zero(6), s, {}, Eigen::VectorXd::Ones(6), RateParam::NormScale,
                                           rateCutValues(RateParam::NormScale, 5));
        QCOMPARE(normComputations() - before, 0LL);
        QVERIFY(map.complete && cut.complete);
        for (std::uint8_t st : map.status) QCOMPARE(SolveStatus(st), SolveStatus::Converged);
        // The cells solved the rescaled model: KM's iterations grow with ‖W‖₂ along every column.
        for (int i = 0; i < spec.nx; ++i) QVERIFY(map.iterations[size_t(i)] < map.iterations[size_t(2 * spec.nx + i)]);
    }

    void unitLayerMatchesTheOptEqLayerForEveryActivation()
    {
        std::mt19937_64 rng(21);
        for (int t = 0; t < Activation::typeCount; ++t) {
            const ActivationType type = ActivationType(t);
            const Model model = randomModel(type, 3, 4, 0.85, rng);
            const Eigen::VectorXd c = randomVector(4, rng, 0.7);
            const Eigen::VectorXd zs = equilibrium(model, c, Eigen::VectorXd::Zero(4));
            const Eigen::VectorXd ps = model.W() * zs;
            const QByteArray name = Activation::typeName(type);
            // Minimality in both forms, the map between them, and equal optimal values.
            OPTEQ_VERIFY_LE((model.T(zs, c) - zs).norm(), 1e-9);
            OPTEQ_VERIFY_LE(unitGradient(model, ps, c).norm(), 1e-9);
            Eigen::VectorXd back = model.W().transpose() * ps + c;
            model.applyProx(back);
            OPTEQ_VERIFY_LE((back - zs).norm(), 1e-9);
            OPTEQ_COMPARE_NEAR(unitObjective(model, ps, c), model.objective(zs, c), 1e-9);
            // p* minimises G (G convex for ‖W‖₂ ≤ 1): no random nearby point is lower.
            for (int k = 0; k < 20; ++k) {
                const Eigen::VectorXd q = ps + randomVector(3, rng, 0.3);
                if (!(unitObjective(model, q, c) >= unitObjective(model, ps, c) - 1e-12)) QFAIL(name + ": G below G(p*)");
            }
            // φ' = σ, by central differences away from kinks.
            const ProxOperator& op = model.operators()[0];
            for (double v : {-2.3, -0.7, 0.4, 1.9}) {
                const double h = 1e-5;
                OPTEQ_COMPARE_NEAR((unitPotential(op, v + h) - unitPotential(op, v - h)) / (2 * h), op.sigma(v), 1e-6);
            }
            // The unit layer's own iteration is W times plain iteration.
            const Eigen::VectorXd z0 = randomVector(4, rng);
            OPTEQ_VERIFY_LE((unitStep(model, model.W() * z0, c) - model.W() * model.T(z0, c)).norm(), 1e-12);
        }
    }

    void unitLayerWordsFollowTheNumbers()
    {
        // Lesson 17: z* has units at exactly ±1 (tanh saturated in double precision), where
        // f = +∞, so E(z*) = +∞ while G(p*) is finite: the words must not call the minima equal,
        // and must say how many units and why (counted from z*, not written in).
        const Scene s = lesson("17-equilibrium-of-an-image.opteq.json");
        const SceneSolution sol = solveScene(s);
        QVERIFY(sol.equilibrium);
        const UnitLayerPicture pic = computeUnitLayerPicture(sol, 16);
        QVERIFY(pic.valid);
        int k = 0;
        for (Eigen::Index i = 0; i < pic.zStar.size(); ++i) k += std::abs(pic.zStar(i)) >= 1.0;
        QVERIFY(k > 0);
        QCOMPARE(pic.saturated, k);
        const std::string w = unitLayerComparison(pic);
        qInfo("%s", w.c_str());
        // Equality is claimed only of finite values that agree: here of E one double inside dom f.
        QVERIFY2(w.find("difference inf") == std::string::npos, w.c_str());
        QVERIFY2(w.find("equal") == std::string::npos
                     || (std::isfinite(pic.Einside) && std::abs(pic.Einside - pic.Gvalue) <= 1e-9 * std::abs(pic.Gvalue)),
                 w.c_str());
        QVERIFY2(w.find(std::to_string(k) + " of " + std::to_string(pic.zStar.size()) + " units") != std::string::npos, w.c_str());
        QVERIFY2(w.find("+∞") != std::string::npos, w.c_str());
        // A finite, matching pair is called equal; a finite pair far apart is not.
        UnitLayerPicture same = pic;
        same.saturated = 0;
        same.E = -612.76;
        same.Gvalue = -612.76 + 1e-9;
        QVERIFY2(unitLayerComparison(same).find("the two minima are equal") != std::string::npos, unitLayerComparison(same).c_str());
        UnitLayerPicture apart = same;
        apart.E = -600;
        QVERIFY2(unitLayerComparison(apart).find("equal") == std::string::npos, unitLayerComparison(apart).c_str());
    }
};

QTEST_APPLESS_MAIN(TestTheory)
#include "tst_theory.moc"

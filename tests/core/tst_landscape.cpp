// SPDX-License-Identifier: GPL-3.0-or-later
// Landscapes of E, contour lines and view planes.
#include "Contours.h"
#include "DeepGenerator.h"
#include "Landscape.h"
#include "ScenePlane.h"
#include "Solve.h"
#include "SceneIO.h"
#include "SceneSolution.h"
#include "TestHelpers.h"

#include <random>

using namespace opteq;

namespace {
// The cells of a scene's slice within a tenth of the box's width and height of the point z*
// projects to, and how many of them have E finite.
struct NearCells {
    int near = 0, finite = 0;
};
NearCells finiteNearEquilibrium(const SceneSolution& sol)
{
    const Eigen::Vector2d q = sol.view.plane.project(*sol.equilibrium);
    const GridSpec& g = sol.view.grid;
    const double rx = 0.1 * (g.x1 - g.x0), ry = 0.1 * (g.y1 - g.y0);
    NearCells c;
    for (int j = 0; j < g.ny; ++j)
        for (int i = 0; i < g.nx; ++i)
            if (std::abs(g.x(i) - q(0)) <= rx && std::abs(g.y(j) - q(1)) <= ry) {
                ++c.near;
                c.finite += std::isfinite(sol.landscape.at(i, j));
            }
    return c;
}
}  // namespace

class TestLandscape : public QObject {
    Q_OBJECT
private slots:
    void gridEqualsObjectiveAndMasksTheDomain()
    {
        const Scene s = defaultScene();
        const Model m = s.model();
        const Eigen::VectorXd c = m.bias(s.input);
        const Plane p = Plane::coordinate(2, 0, 1, Eigen::VectorXd::Zero(2));
        GridSpec g;
        g.nx = 33;
        g.ny = 17;
        const Grid grid = computeLandscape(m, c, p, g);
        for (int j = 0; j < g.ny; ++j)
            for (int i = 0; i < g.nx; ++i) {
                const Eigen::Vector2d z(g.x(i), g.y(j));
                const double E = m.objective(z, c);
                if (z.minCoeff() < 0) QVERIFY(std::isinf(grid.at(i, j)));   // ReLU: E = +inf outside z >= 0
                else OPTEQ_COMPARE_NEAR(grid.at(i, j), E, 1e-12 * (1 + std::abs(E)));
            }
    }

    void deepPlaneMatchesObjective()
    {
        DeepSpec spec;
        LayerSpec a;
        a.size = 3;
        a.activation.type = ActivationType::Tanh;
        spec.layers = {a, a};
        const Model m = makeDeepModel(spec);
        const Eigen::VectorXd c = m.bias(Eigen::Vector2d(0.5, -0.5));
        Plane p{Eigen::VectorXd::Constant(6, 0.1), Eigen::VectorXd::Unit(6, 0) * 0.3, Eigen::VectorXd::Unit(6, 4) * 0.2};
        GridSpec g;
        g.nx = g.ny = 9;
        const Grid grid = computeLandscape(m, c, p, g);
        for (int j = 0; j < 9; ++j)
            for (int i = 0; i < 9; ++i)
                OPTEQ_COMPARE_NEAR(grid.at(i, j), m.objective(p.point(g.x(i), g.y(j)), c), 1e-12);
    }

    void contoursLieOnTheirLevel()
    {
        LayerSpec l;
        l.size = 2;
        l.activation.type = ActivationType::Identity;
        const Model m({l}, 0.6 * Eigen::MatrixXd::Identity(2, 2), Eigen::MatrixXd::Identity(2, 2), Eigen::VectorXd::Zero(2));
        const Eigen::VectorXd c = Eigen::Vector2d(0.2, -0.1);
        GridSpec g;
        g.nx = g.ny = 201;
        const Grid grid = computeLandscape(m, c, Plane::coordinate(2, 0, 1, Eigen::VectorXd::Zero(2)), g);
        const std::vector<double> levels = contourLevels(grid, 8);
        QCOMPARE(levels.size(), size_t(8));
        const std::vector<ContourLine> lines = computeContours(grid, levels);
        for (const ContourLine& line : lines) {
            QVERIFY(line.xs.size() > 10);
            int breaks = 0;
            for (size_t k = 0; k < line.xs.size(); ++k) {
                if (std::isnan(line.xs[k])) { ++breaks; continue; }
                // Quadratic E: linear interpolation on a 0.02 grid is accurate to ~1e-4.
                OPTEQ_COMPARE_NEAR(m.objective(Eigen::Vector2d(line.xs[k], line.ys[k]), c), line.level, 2e-4);
            }
            QVERIFY(breaks <= 2);   // closed ellipses chain into one polyline (or a few at the border)
        }
    }

    void principalPlaneFollowsTrajectories()
    {
        DeepSpec spec;
        LayerSpec a;
        a.size = 2;
        a.activation.type = ActivationType::Tanh;
        spec.layers = {a, a};
        spec.targetNorm = 0.9;
        Scene s;
        const Model m = makeDeepModel(spec);
        s.layers = m.layers();
        s.W = m.W();
        s.U = m.U();
        s.b = m.b();
        s.input = Eigen::Vector2d(1, -1);
        s.starts = {Eigen::Vector4d(1, 0, 0, 0), Eigen::Vector4d(0, 1, 0.5, 0), Eigen::Vector4d(-1, -1, 1, 1)};
        QVERIFY(s.validate().empty());
        const std::vector<Trace> traces = solveBatch(SolverContext(m, s.input, s.solver), s.starts);
        const ViewPlane vp = resolveView(s, traces, 16, 16);
        OPTEQ_COMPARE_NEAR(vp.plane.u.norm(), 1.0, 1e-12);
        OPTEQ_COMPARE_NEAR(vp.plane.u.dot(vp.plane.v), 0.0, 1e-12);
        OPTEQ_COMPARE_NEAR((vp.plane.origin - traces[0].z).norm(), 0.0, 1e-12);
        // The equilibrium projects to the origin of the plane and sits inside the box.
        const Eigen::Vector2d q = vp.plane.project(traces[0].z);
        QVERIFY(q.norm() < 1e-9);
        QVERIFY(vp.grid.x0 < 0 && vp.grid.x1 > 0 && vp.grid.y0 < 0 && vp.grid.y1 > 0);
        s.view.axisI = 1;
        s.view.axisJ = 3;
        const ViewPlane axes = resolveView(s, traces, 8, 8);
        QCOMPARE(axes.plane.u, Eigen::VectorXd(Eigen::VectorXd::Unit(4, 1)));
    }

    void reluSliceStaysInsideTheDomain()
    {
        // 60 ReLU units, many of them inactive (z_i = 0, on the edge of dom f) at the equilibrium:
        // the principal slice through it must stay in the face that holds it, so E is finite on
        // most of the slice (the unrestricted plane was grey nearly everywhere).
        const int n = 60;
        std::mt19937 rng(7);
        std::normal_distribution<double> g;
        Scene s;
        s.layers = {LayerSpec{n, Activation{}, {}}};
        s.W = Eigen::MatrixXd::NullaryExpr(n, n, [&] { return g(rng); });
        s.W *= 0.9 / spectralNorm(s.W);
        s.U = Eigen::MatrixXd::NullaryExpr(n, 2, [&] { return g(rng); });
        s.b = Eigen::VectorXd::NullaryExpr(n, [&] { return g(rng) - 0.3; });
        s.input = Eigen::Vector2d(1, -0.5);
        s.starts = {Eigen::VectorXd::Constant(n, 0.5), Eigen::VectorXd::LinSpaced(n, 0, 1)};
        QVERIFY(s.validate().empty());
        const SceneSolution sol = solveScene(s);
        QVERIFY(sol.equilibrium);
        const std::vector<int> edge = domainEdgeCoordinates(*sol.model, *sol.equilibrium);
        QVERIFY2(edge.size() > 10, "the test needs many inactive units");
        for (int i : edge) {
            QCOMPARE(sol.view.plane.u(i), 0.0);
            QCOMPARE(sol.view.plane.v(i), 0.0);
        }
        OPTEQ_COMPARE_NEAR(sol.view.plane.u.norm(), 1.0, 1e-12);
        OPTEQ_COMPARE_NEAR(sol.view.plane.u.dot(sol.view.plane.v), 0.0, 1e-12);
        size_t finite = 0;
        for (double v : sol.landscape.values) finite += std::isfinite(v);
        QVERIFY2(finite > sol.landscape.values.size() / 4, qPrintable(QString("%1 of %2 finite").arg(finite).arg(sol.landscape.values.size())));
        QVERIFY(QString::fromStdString(sol.view.description).contains("face of dom f"));
        // The equilibrium's value is the minimum of the slice (to the grid's resolution).
        double lowest = 1e300;
        for (double v : sol.landscape.values) lowest = std::min(lowest, v);
        QVERIFY(lowest >= sol.objectiveAtEquilibrium - 1e-9);
        // Axes chosen on the edge are kept, and the words say the slice leaves the domain.
        s.view.axisI = edge[0];
        s.view.axisJ = edge[1];
        const SceneSolution axes = solveScene(s);
        QVERIFY2(QString::fromStdString(axes.view.description).contains("outside dom f"), axes.view.description.c_str());
    }

    void deepReluSliceShowsWhereEIsFinite()
    {
        // Issue #19: the Model dock's deep generator with layers (30, 30) of ReLU units. Units at
        // exactly 0 at the equilibrium sit on the kink (the edge of dom f, the orthant); the
        // default slice through z* must show E finite around z*, and its words must not say both
        // that the slice keeps to where E is finite and that (nearly) all of it lies outside dom f.
        for (std::uint64_t seed : {1, 2, 3}) {
            DeepSpec spec;
            LayerSpec l;
            l.size = 30;
            l.activation.type = ActivationType::Relu;
            spec.layers = {l, l};
            spec.seed = seed;
            const Scene s = withDeepModel(defaultScene(), spec);
            const SceneSolution sol = solveScene(s);
            QVERIFY(sol.equilibrium);
            const std::string& words = sol.view.description;
            const QByteArray where = "seed " + QByteArray::number(qulonglong(seed)) + ": " + words.c_str();
            QVERIFY2(domainEdgeCoordinates(*sol.model, *sol.equilibrium).size() > 10, where.constData());
            // E is finite on most of a neighbourhood of z* in the slice: the cells within a tenth
            // of the box's width and height of the point z* projects to.
            const auto [near, finite] = finiteNearEquilibrium(sol);
            QVERIFY2(near > 0, where.constData());
            QVERIFY2(finite >= near * 3 / 4, (where + " · finite near z*: " + QByteArray::number(finite) + " of "
                                              + QByteArray::number(near)).constData());
            QVERIFY2(words.find("whole slice lies outside dom f") == std::string::npos, where.constData());
        }
    }

    void sliceAtAVertexOfDomFSaysWhyNoPlaneStaysInside()
    {
        // Every ReLU unit at 0 (biases far below 0), then all but one: the face of dom f through z*
        // is a point, then a line, so no plane through z* keeps E finite around it. The slice moves
        // edge units into dom f only (E finite on a quadrant, then a half-plane) and its words say
        // why, with the numbers.
        for (int free = 0; free <= 1; ++free) {
            const int n = 5;
            Scene s;
            s.layers = {LayerSpec{n, Activation{}, {}}};
            s.W = 0.5 * Eigen::MatrixXd::Identity(n, n);
            s.W(0, 1) = 0.2;
            s.U = Eigen::MatrixXd::Zero(n, 2);
            s.b = Eigen::VectorXd::Constant(n, -1.0);
            if (free) s.b(2) = 1.0;
            s.input = Eigen::Vector2d(0.3, 0.1);
            s.starts = {Eigen::VectorXd::LinSpaced(n, 0.5, 2.0), Eigen::VectorXd::Constant(n, 1.0)};
            QVERIFY(s.validate().empty());
            const SceneSolution sol = solveScene(s);
            QVERIFY(sol.equilibrium);
            const Eigen::VectorXd& z = *sol.equilibrium;
            QCOMPARE(int(domainEdgeCoordinates(*sol.model, z).size()), n - free);
            const QString words = QString::fromStdString(sol.view.description);
            QVERIFY2(words.contains(QString("%1 of 5 units on the edge of dom f").arg(n - free))
                         && words.contains(QString("%1-dimensional").arg(free))
                         && words.contains(free ? "half of the slice" : "a quadrant") && !words.contains("whole slice lies outside"),
                     qPrintable(words));
            const Plane& p = sol.view.plane;
            const GridSpec& g = sol.view.grid;
            int finite = 0;
            for (int j = 0; j < g.ny; ++j)
                for (int i = 0; i < g.nx; ++i) {
                    // Exactly where every coordinate of z* + s u + t v is >= 0.
                    const bool inside = p.point(g.x(i), g.y(j)).minCoeff() >= 0;
                    QCOMPARE(std::isfinite(sol.landscape.at(i, j)), inside);
                    finite += inside;
                    if (!free) QCOMPARE(inside, g.x(i) >= 0 && g.y(j) >= 0);
                    else if (inside) QVERIFY(g.y(j) >= 0);
                }
            QVERIFY(finite > g.nx * g.ny / 10);
        }
    }

    void aPlaneThroughZStarIsNeverWhollyOutsideDomF()
    {
        // The scene's own plane through z* = 0 (every ReLU unit at 0) along e1 − e2 and e3 − e4:
        // E is finite only at z* itself. The words say that, not "the whole slice lies outside
        // dom f" (z* is on the slice and in dom f).
        const int n = 5;
        Scene s;
        s.layers = {LayerSpec{n, Activation{}, {}}};
        s.W = 0.5 * Eigen::MatrixXd::Identity(n, n);
        s.U = Eigen::MatrixXd::Zero(n, 2);
        s.b = Eigen::VectorXd::Constant(n, -1.0);
        s.input = Eigen::Vector2d(0, 0);
        s.starts = {Eigen::VectorXd::Constant(n, 1.0)};
        s.view.hasPlane = true;
        s.view.origin = Eigen::VectorXd::Zero(n);
        s.view.u = (Eigen::VectorXd(n) << 1, -1, 0, 0, 0).finished() / std::sqrt(2.0);
        s.view.v = (Eigen::VectorXd(n) << 0, 0, 1, -1, 0).finished() / std::sqrt(2.0);
        QVERIFY(s.validate().empty());
        SolutionOptions o;
        o.grid = 64;   // even: no cell falls on z* itself
        const SceneSolution sol = solveScene(s, o);
        QVERIFY(sol.equilibrium);
        const QString words = QString::fromStdString(sol.view.description);
        QVERIFY2(words.contains("sliver of the slice around z*") && !words.contains("outside dom f"), qPrintable(words));
    }

    void clipSliceKeepsSaturatedUnitsAtTheirBound()
    {
        // The same rule on a box domain: clip units saturated at -1 or 1 are on the edge of
        // dom f = [-1, 1]^n and are held; the two free units span a plane with E finite around z*.
        const int n = 6;
        Activation clip;
        clip.type = ActivationType::Clip;
        clip.lo = -1;
        clip.hi = 1;
        Scene s;
        s.layers = {LayerSpec{n, clip, {}}};
        s.W = 0.3 * Eigen::MatrixXd::Identity(n, n);
        s.W(2, 3) = 0.1;
        s.U = Eigen::MatrixXd::Zero(n, 2);
        s.b = (Eigen::VectorXd(n) << 3, -3, 0.1, -0.2, 4, -4).finished();
        s.input = Eigen::Vector2d(0, 0);
        s.starts = {Eigen::VectorXd::LinSpaced(n, -0.5, 0.5), Eigen::VectorXd::Constant(n, 0.3)};
        QVERIFY(s.validate().empty());
        const SceneSolution sol = solveScene(s);
        QVERIFY(sol.equilibrium);
        const std::vector<int> edge = domainEdgeCoordinates(*sol.model, *sol.equilibrium);
        QCOMPARE(edge, (std::vector<int>{0, 1, 4, 5}));
        for (int i : edge) {
            QCOMPARE(sol.view.plane.u(i), 0.0);
            QCOMPARE(sol.view.plane.v(i), 0.0);
        }
        const QString words = QString::fromStdString(sol.view.description);
        QVERIFY2(words.contains("4 of 6 units on the edge of dom f") && words.contains("E is finite at least within"), qPrintable(words));
        const auto [near, finite] = finiteNearEquilibrium(sol);
        QVERIFY2(near > 0 && finite == near, qPrintable(QString("%1 of %2 finite near z*").arg(finite).arg(near)));
    }

    void saturatedTanhSliceShowsWhereEIsFinite()
    {
        // Lesson 17 (a trained 64-unit tanh layer on an image): some units of z* are tanh(v) with
        // |v| > 19, which rounds to exactly ±1, where f = +∞ (dom f = (−1, 1) is open). The default
        // slice through z* was grey but for a sliver; it must show E finite around z* and say why.
        const Scene s = *loadScene(sourcePath(QStringLiteral("resources/lessons/17-equilibrium-of-an-image.opteq.json"))).scene;
        const SceneSolution sol = solveScene(s);
        QVERIFY(sol.equilibrium);
        int saturated = 0;
        for (Eigen::Index i = 0; i < sol.equilibrium->size(); ++i) saturated += std::abs((*sol.equilibrium)(i)) >= 1.0;
        QVERIFY2(saturated > 0, "lesson 17 no longer has units saturated at ±1: this test checks nothing");
        const std::string& words = sol.view.description;
        const auto [near, finite] = finiteNearEquilibrium(sol);
        qInfo("%d of %d cells finite near z* · %s", finite, near, words.c_str());
        QVERIFY2(near > 0 && finite >= near * 3 / 4,
                 qPrintable(QString("%1 of %2 finite near z* · %3").arg(finite).arg(near).arg(QString::fromStdString(words))));
        // The words name the saturated units (counted from the data) and the nudge.
        QVERIFY2(words.find(std::to_string(saturated) + " of 64 units") != std::string::npos, words.c_str());
        QVERIFY2(words.find("±1 to double precision") != std::string::npos, words.c_str());
    }

    void equilibriumIsNeverOnTheBorderOfTheView()
    {
        // Lessons 2 and 10 give boxes whose border the equilibrium sits on (1.87 in [-2, 2];
        // 0.998 in [-1, 1]): the view widens so it is at least 8% inside, and says so.
        for (const char* name : {"02-proximal-gradient", "10-tanh-saturation"}) {
            const Scene s = *loadScene(sourcePath(QString("resources/lessons/%1.opteq.json").arg(name))).scene;
            const SceneSolution sol = solveScene(s);
            QVERIFY(sol.equilibrium);
            const Eigen::Vector2d q = sol.view.plane.project(*sol.equilibrium);
            const GridSpec& g = sol.view.grid;
            const double mx = 0.079 * (g.x1 - g.x0), my = 0.079 * (g.y1 - g.y0);
            QVERIFY2(q(0) - g.x0 >= mx && g.x1 - q(0) >= mx && q(1) - g.y0 >= my && g.y1 - q(1) >= my, name);
            QVERIFY2(QString::fromStdString(sol.view.description).contains("widened"), name);
        }
        // A box with the equilibrium well inside is left as the scene gives it.
        const SceneSolution plain = solveScene(defaultScene());
        QCOMPARE(plain.view.grid.x0, -2.0);
        QCOMPARE(plain.view.grid.x1, 2.0);
    }

    void cancelledLandscapeSaysIncomplete()
    {
        const Scene s = defaultScene();
        const Model m = s.model();
        std::atomic<bool> cancel{true};
        JobControl job;
        job.cancel = &cancel;
        GridSpec g;
        const Grid grid = computeLandscape(m, m.bias(s.input), Plane::coordinate(2, 0, 1, Eigen::VectorXd::Zero(2)), g, job);
        QVERIFY(!grid.complete);
    }
};

QTEST_GUILESS_MAIN(TestLandscape)
#include "tst_landscape.moc"

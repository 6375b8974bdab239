// SPDX-License-Identifier: GPL-3.0-or-later
// MATH.md §5: with a non-singleton Fix T, plain iteration lands where the start says; the priors
// land at the chosen equilibrium from every start.
#include "BasinMap.h"
#include "Solve.h"
#include "TestHelpers.h"

using namespace opteq;

namespace {
// W = diag(1, 0.5), Ux + b = (0, c): Fix T = {(t, 4c/3) : t in dom}. ReLU gives a ray (t >= 0),
// clip to [-1, 1] a segment.
Model exampleModel(ActivationType type)
{
    LayerSpec l;
    l.size = 2;
    l.activation.type = type;
    l.activation.lo = -1;
    l.activation.hi = 1;
    Eigen::MatrixXd W = Eigen::MatrixXd::Zero(2, 2);
    W.diagonal() << 1.0, 0.5;
    return Model({l}, W, Eigen::MatrixXd::Identity(2, 2), Eigen::VectorXd::Zero(2));
}
constexpr double c = 0.6;
const Eigen::Vector2d input(0.0, c);
const std::vector<Eigen::Vector2d> starts{{-1.0, 1.0}, {2.0, -1.0}, {0.5, 0.5}, {-0.3, 3.0}, {0.9, 0.0}};

Trace run(const Model& m, PriorSettings p, const Eigen::Vector2d& z0, int maxIter = 20000)
{
    SolverSettings s;
    s.tol = 1e-12;
    s.maxIter = maxIter;
    const SolverContext ctx(m, input, s, p);
    return solve(ctx, z0);
}
}  // namespace

class TestPriors : public QObject {
    Q_OBJECT
private slots:
    void plainIterationDependsOnTheStart()
    {
        const Model m = exampleModel(ActivationType::Relu);
        QCOMPARE(m.spectralNorm(), 1.0);
        for (const Eigen::Vector2d& s : starts) {
            const Trace t = run(m, {}, s);
            QCOMPARE(t.status, SolveStatus::Converged);
            OPTEQ_COMPARE_NEAR(t.z(0), std::max(s(0), 0.0), 1e-12);
            OPTEQ_COMPARE_NEAR(t.z(1), 4 * c / 3, 1e-10);
        }
    }

    void halpernLandsAtTheProjectionOfTheAnchor()
    {
        for (ActivationType type : {ActivationType::Relu, ActivationType::Clip}) {
            const Model m = exampleModel(type);
            for (const Eigen::Vector2d& a : {Eigen::Vector2d(1.5, 0.0), Eigen::Vector2d(-0.7, 2.0), Eigen::Vector2d(0.4, -1.0)}) {
                PriorSettings p;
                p.type = PriorType::Halpern;
                p.anchor = a;
                const double lo = type == ActivationType::Relu ? 0.0 : -1.0, hi = type == ActivationType::Relu ? 1e9 : 1.0;
                const Eigen::Vector2d projection(std::clamp(a(0), lo, hi), 4 * c / 3);
                for (const Eigen::Vector2d& s : starts) {
                    const Trace t = run(m, p, s);
                    // Halpern converges at O(1/k): 20000 iterations give ~1e-4.
                    OPTEQ_VERIFY_LE((t.z - projection).norm(), 5e-4);
                }
            }
        }
    }

    void hsdLandsAtArgminOfRoverFixT()
    {
        for (ActivationType type : {ActivationType::Relu, ActivationType::Clip}) {
            const Model m = exampleModel(type);
            PriorSettings p;
            p.type = PriorType::Hsd;
            p.target = Eigen::Vector2d(0.75, -3.0);
            p.mu = 1.0;
            // argmin over {(t, 4c/3)} of ½‖z - target‖² is t = clamp(0.75) = 0.75.
            for (const Eigen::Vector2d& s : starts) {
                const Trace t = run(m, p, s);
                OPTEQ_VERIFY_LE((t.z - Eigen::Vector2d(0.75, 4 * c / 3)).norm(), 5e-4);
            }
        }
    }

    // Viscosity: the limit z* satisfies ⟨z* - g(z*), z - z*⟩ >= 0 for all z in Fix T.
    void viscositySatisfiesItsVariationalInequality()
    {
        const Model m = exampleModel(ActivationType::Clip);
        PriorSettings p;
        p.type = PriorType::Viscosity;
        p.anchor = Eigen::Vector2d(-0.4, 0.0);
        p.rho = 0.2;   // viscosity converges like k^-(1-ρ)
        std::vector<Eigen::VectorXd> limits;
        for (const Eigen::Vector2d& s : starts) limits.push_back(run(m, p, s).z);
        for (const Eigen::VectorXd& zs : limits) {
            OPTEQ_VERIFY_LE((zs - limits[0]).norm(), 5e-3);   // the same point from every start
            const Eigen::VectorXd g = p.anchor + p.rho * (zs - p.anchor);
            for (int k = 0; k <= 40; ++k) {
                const Eigen::Vector2d z(-1.0 + 2.0 * k / 40, 4 * c / 3);   // points of the segment
                QVERIFY((zs - g).dot(z - zs) >= -5e-3);
            }
        }
    }

    void basinMapShowsStartDependenceAndPriorRemovesIt()
    {
        const Model m = exampleModel(ActivationType::Relu);
        const Plane plane = Plane::coordinate(2, 0, 1, Eigen::VectorXd::Zero(2));
        GridSpec g;
        g.nx = g.ny = 21;
        SolverSettings s;
        s.tol = 1e-10;
        s.maxIter = 5000;
        const BasinMap plain = computeBasins(SolverContext(m, input, s), plane, g);
        for (int j = 0; j < g.ny; ++j)
            for (int i = 0; i < g.nx; ++i) {
                QCOMPARE(SolveStatus(plain.status[plain.index(i, j)]), SolveStatus::Converged);
                OPTEQ_COMPARE_NEAR(plain.endFirst[plain.index(i, j)], std::max(g.x(i), 0.0), 1e-10);
            }
        PriorSettings p;
        p.type = PriorType::Halpern;
        p.anchor = Eigen::Vector2d(1.2, 0.0);
        s.tol = 1e-4;
        const BasinMap prior = computeBasins(SolverContext(m, input, s, p), plane, g);
        for (int k = 0; k < prior.cells(); ++k) {
            OPTEQ_COMPARE_NEAR(prior.endS[k], 1.2, 2e-3);
            OPTEQ_COMPARE_NEAR(prior.endT[k], 4 * c / 3, 2e-3);
        }
    }
};

QTEST_GUILESS_MAIN(TestPriors)
#include "tst_priors.moc"

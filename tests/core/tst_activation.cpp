// SPDX-License-Identifier: GPL-3.0-or-later
// MATH.md §1: each activation is the proximity operator of its potential, for every γ > 0.
#include "ProxOperator.h"
#include "TestHelpers.h"

#include <limits>

using namespace opteq;

Q_DECLARE_METATYPE(opteq::Activation)
Q_DECLARE_METATYPE(std::vector<opteq::Regularizer>)

namespace {
// argmin_t γ h(t) + (t - v)²/2 by brute force: a fine grid, then golden-section refinement of the
// bracket around the best grid point (h convex, so the bracket holds the minimiser).
template <class H>
double bruteProx(H h, double v, double gamma, double lo, double hi)
{
    auto phi = [&](double t) { return gamma * h(t) + 0.5 * (t - v) * (t - v); };
    const int N = 20000;
    double best = lo, bestVal = std::numeric_limits<double>::infinity();
    for (int i = 0; i <= N; ++i) {
        const double t = lo + (hi - lo) * i / N;
        const double p = phi(t);
        if (p < bestVal) { bestVal = p; best = t; }
    }
    double a = std::max(lo, best - (hi - lo) / N), b = std::min(hi, best + (hi - lo) / N);
    const double g = (std::sqrt(5.0) - 1) / 2;
    for (int it = 0; it < 200; ++it) {
        const double c = b - g * (b - a), d = a + g * (b - a);
        if (phi(c) <= phi(d)) b = d; else a = c;
    }
    return 0.5 * (a + b);
}

Activation act(ActivationType t)
{
    Activation a;
    a.type = t;
    a.slope = 0.2;
    a.lo = -0.5;
    a.hi = 1.5;
    a.lambda = 0.3;
    return a;
}

// Search interval: dom f ∩ [v - 30, v + 30] (the prox moves v by at most γ·sup|∂f| on the
// relevant part; 30 is plenty for the tested v and γ).
std::pair<double, double> searchBox(const Activation& a, double v)
{
    auto [lo, hi] = a.domain();
    const double eps = a.domainOpen() ? 1e-13 : 0.0;
    return {std::max(lo + eps, v - 30), std::min(hi - eps, v + 30)};
}
}  // namespace

class TestActivation : public QObject {
    Q_OBJECT
private slots:
    void proxMatchesBruteForce_data()
    {
        QTest::addColumn<Activation>("a");
        QTest::addColumn<double>("gamma");
        for (int t = 0; t < Activation::typeCount; ++t)
            for (double g : {0.25, 1.0, 3.0})
                QTest::addRow("%s γ=%g", Activation::typeName(ActivationType(t)), g) << act(ActivationType(t)) << g;
    }
    void proxMatchesBruteForce()
    {
        QFETCH(Activation, a);
        QFETCH(double, gamma);
        for (double v : {-3.0, -1.2, -0.31, -0.05, 0.0, 0.07, 0.4, 0.9, 2.5, 6.0}) {
            const auto [lo, hi] = searchBox(a, v);
            const double brute = bruteProx([&](double t) { return a.potential(t); }, v, gamma, lo, hi);
            const double p = a.prox(v, gamma);
            OPTEQ_COMPARE_NEAR(p, brute, 2e-6 * (1 + std::abs(v)));
            if (gamma == 1.0) OPTEQ_COMPARE_NEAR(a.sigma(v), brute, 2e-6 * (1 + std::abs(v)));
        }
    }

    // f'(t) = σ^{-1}(t) - t on σ's range (a finite difference of the potential, independent of the prox).
    void potentialDerivativeIsInverseMinusIdentity_data()
    {
        QTest::addColumn<Activation>("a");
        for (ActivationType t : {ActivationType::Tanh, ActivationType::Logistic, ActivationType::Arctan,
                                 ActivationType::Softsign, ActivationType::Elu, ActivationType::Softplus})
            QTest::addRow("%s", Activation::typeName(t)) << act(t);
    }
    void potentialDerivativeIsInverseMinusIdentity()
    {
        QFETCH(Activation, a);
        for (double v : {-2.0, -0.7, -0.1, 0.3, 1.1, 2.4}) {
            const double t = a.sigma(v);
            const double h = 1e-6;
            const double fd = (a.potential(t + h) - a.potential(t - h)) / (2 * h);
            OPTEQ_COMPARE_NEAR(fd, v - t, 1e-5 * (1 + std::abs(v)));
        }
    }

    void dsigmaMatchesFiniteDifference_data() { proxMatchesBruteForce_data(); }
    void dsigmaMatchesFiniteDifference()
    {
        QFETCH(Activation, a);
        QFETCH(double, gamma);
        for (double v : {-2.3, -0.77, 0.13, 0.61, 1.9}) {
            const double h = 1e-6;
            const double fd = (a.prox(v + h, gamma) - a.prox(v - h, gamma)) / (2 * h);
            OPTEQ_COMPARE_NEAR(a.dprox(v, gamma), fd, 1e-5);
        }
    }

    // MATH.md §4: regularizers change the architecture to prox_{f+R}.
    void foldedRegularizersMatchBruteForce_data()
    {
        QTest::addColumn<Activation>("a");
        QTest::addColumn<std::vector<Regularizer>>("regs");
        Regularizer l1{RegularizerType::L1, 0.4};
        Regularizer l2{RegularizerType::L2, 0.7, 0.5};
        Regularizer box{RegularizerType::Box, 0, 0, -0.3, 0.8};
        for (int t = 0; t < Activation::typeCount; ++t) {
            const char* name = Activation::typeName(ActivationType(t));
            QTest::addRow("%s+l1", name) << act(ActivationType(t)) << std::vector<Regularizer>{l1};
            QTest::addRow("%s+l2", name) << act(ActivationType(t)) << std::vector<Regularizer>{l2};
            QTest::addRow("%s+l1+l2", name) << act(ActivationType(t)) << std::vector<Regularizer>{l1, l2};
            QTest::addRow("%s+box", name) << act(ActivationType(t)) << std::vector<Regularizer>{box};
        }
    }
    void foldedRegularizersMatchBruteForce()
    {
        QFETCH(Activation, a);
        QFETCH(std::vector<Regularizer>, regs);
        const ProxOperator op(a, regs);
        for (double gamma : {0.5, 1.0, 2.0})
            for (double v : {-2.0, -0.5, -0.2, 0.0, 0.35, 1.0, 3.0}) {
                const auto [lo, hi] = searchBox(a, v);
                const double brute = bruteProx([&](double t) { return op.potential(t); }, v, gamma, lo, hi);
                OPTEQ_COMPARE_NEAR(op.prox(v, gamma), brute, 3e-6 * (1 + std::abs(v)));
            }
    }

    void namedSpecialCases()
    {
        // ReLU + λ‖z‖₁ is a shifted ReLU; identity + λ‖z‖₁ is the soft threshold.
        const ProxOperator shifted(act(ActivationType::Relu), {{RegularizerType::L1, 0.3}});
        const ProxOperator soft(act(ActivationType::Identity), {{RegularizerType::L1, 0.3}});
        for (double v : {-1.0, 0.1, 0.3, 0.8}) {
            OPTEQ_COMPARE_NEAR(shifted.sigma(v), std::max(v - 0.3, 0.0), 1e-15);
            OPTEQ_COMPARE_NEAR(soft.sigma(v), v > 0.3 ? v - 0.3 : (v < -0.3 ? v + 0.3 : 0.0), 1e-15);
        }
        // (μ/2)‖z - p‖² shrinks toward p: prox_{f+R}(v) = prox_{f/(1+μ)}((v + μp)/(1+μ)).
        const Activation t = act(ActivationType::Tanh);
        const ProxOperator shrink(t, {{RegularizerType::L2, 2.0, 0.4}});
        for (double v : {-1.0, 0.2, 1.7})
            OPTEQ_COMPARE_NEAR(shrink.sigma(v), t.prox((v + 2.0 * 0.4) / 3.0, 1.0 / 3.0), 1e-12);
    }

    void outsideDomainIsInfinite()
    {
        QVERIFY(std::isinf(act(ActivationType::Relu).potential(-0.1)));
        QVERIFY(std::isinf(act(ActivationType::Tanh).potential(1.0)));
        QVERIFY(std::isinf(act(ActivationType::Logistic).potential(0.0)));
        QVERIFY(std::isinf(act(ActivationType::Elu).potential(-1.5)));
        QVERIFY(std::isinf(act(ActivationType::Softplus).potential(-0.1)));
        QVERIFY(std::isinf(act(ActivationType::Clip).potential(2.0)));
        QVERIFY(std::isfinite(act(ActivationType::Softsign).potential(0.99)));
    }

    void proxIsRobustAtExtremes()
    {
        for (int t = 0; t < Activation::typeCount; ++t) {
            const Activation a = act(ActivationType(t));
            for (double g : {0.01, 1.0, 50.0})
                for (double v : {-1e6, -40.0, 40.0, 1e6}) {
                    const double p = a.prox(v, g);
                    QVERIFY2(std::isfinite(p), qPrintable(QString("%1 γ=%2 v=%3").arg(a.name().c_str()).arg(g).arg(v)));
                    const auto [lo, hi] = a.domain();
                    QVERIFY(p >= lo && p <= hi);
                    // Inside the domain (not rounded onto its last representable points, where the
                    // true root underflows) the optimality equation (1−γ)p + γσ⁻¹(p) = v holds.
                    const bool interior = p - lo > 1e-12 * (1 + std::abs(lo)) && hi - p > 1e-12 * (1 + std::abs(hi));
                    if (!a.piecewiseLinear() && interior && std::isfinite(a.inverse(p))) {
                        const double h = (1 - g) * p + g * a.inverse(p) - v;
                        // Near a pole of σ⁻¹ one ulp of p moves h a lot: judge by the Newton step to the root.
                        const double step = std::abs(h) / ((1 - g) + g * a.dinverse(p));
                        QVERIFY2(std::abs(h) <= 1e-8 * (1 + std::abs(v)) || step <= 1e-13 * (1 + std::abs(p)),
                                 qPrintable(QString("%1 γ=%2 v=%3: p = %4, residual %5").arg(a.name().c_str()).arg(g).arg(v).arg(p, 0, 'g', 17).arg(h)));
                    }
                }
        }
    }

    void parsesEveryName()
    {
        for (int t = 0; t < Activation::typeCount; ++t)
            QCOMPARE(int(*Activation::parse(Activation::typeName(ActivationType(t)))), t);
        QVERIFY(!Activation::parse("sigmoid"));
    }
};

QTEST_GUILESS_MAIN(TestActivation)
#include "tst_activation.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// The SIMD activations (VectorActivation.h) against the scalar definitions (Activation.cpp):
// every activation, σ and σ', on edge values (±0, tiny, huge, ±inf, NaN, domain edges) and on a
// random sweep, to a few ulp; whole SIMD widths and the scalar tail both covered (odd lengths).
#include "Activation.h"
#include "TestHelpers.h"
#include "VectorActivation.h"

#include <limits>
#include <random>

using namespace opteq;

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

// Every parameter off its default, so a kernel that ignored one would differ from the scalar.
Activation withParameters(ActivationType type)
{
    Activation a;
    a.type = type;
    a.slope = 0.2;
    a.lo = -0.5;
    a.hi = 1.5;
    a.lambda = 0.3;
    return a;
}

std::vector<double> probeValues()
{
    std::vector<double> v{0.0, -0.0, 1e-300, -1e-300, 5e-324, 1e-8, -1e-8, 0.5, -0.5, 1.0, -1.0, 0.1, -0.1, 2.0,
                          -2.0, 19.0, -19.0, 20.5, -20.5, 30.0, 31.0, -30.0, 37.0, -37.0, 710.0, -710.0, 745.0, -745.0,
                          1e10, -1e10, 1e300, -1e300, kInf, -kInf, std::numeric_limits<double>::quiet_NaN()};
    std::mt19937_64 rng(5);
    std::normal_distribution<double> g(0.0, 4.0);
    for (int i = 0; i < 2001; ++i) v.push_back(g(rng));   // odd count: a scalar tail too
    return v;
}

// Same value to a few ulp (relative 4e-16 of the larger magnitude, or 1e-300 absolute);
// NaN matches NaN, ±inf matches itself.
bool close(double a, double b)
{
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    if (std::isinf(a) || std::isinf(b)) return a == b;
    return std::abs(a - b) <= 4.5e-16 * std::max(std::abs(a), std::abs(b)) + 1e-300;
}
}  // namespace

class TestVectorActivation : public QObject {
    Q_OBJECT
private slots:
    void matchesScalar_data()
    {
        QTest::addColumn<int>("type");
        for (int t = 0; t < Activation::typeCount; ++t) QTest::newRow(Activation::typeName(ActivationType(t))) << t;
    }
    void matchesScalar()
    {
        QFETCH(int, type);
        const Activation a = withParameters(ActivationType(type));
        const std::vector<double> v = probeValues();
        std::vector<double> s = v, d(v.size());
        sigmaInPlace(a, s.data(), s.size());
        dsigmaArray(a, v.data(), d.data(), v.size());
        for (size_t i = 0; i < v.size(); ++i) {
            const double es = a.sigma(v[i]), ed = a.dsigma(v[i]);
            if (!close(s[i], es))
                QFAIL(qPrintable(QString("σ(%1) = %2, scalar %3").arg(v[i], 0, 'g', 17).arg(s[i], 0, 'g', 17).arg(es, 0, 'g', 17)));
            // σ' is compared where the scalar one is finite and the point is not a kink.
            if (std::isfinite(v[i]) && !close(d[i], ed) && std::abs(d[i] - ed) > 1e-15)
                QFAIL(qPrintable(QString("σ'(%1) = %2, scalar %3").arg(v[i], 0, 'g', 17).arg(d[i], 0, 'g', 17).arg(ed, 0, 'g', 17)));
            if (std::isfinite(v[i])) QVERIFY2(d[i] >= 0 && d[i] <= 1, "σ' of a prox lies in [0, 1]");
        }
    }
    void potentialsMatchScalar_data() { matchesScalar_data(); }
    void potentialsMatchScalar()
    {
        QFETCH(int, type);
        const Activation a = withParameters(ActivationType(type));
        // Inside and outside every domain, its edges, and NaN.
        std::vector<double> t{0.0, -0.0, 1e-300, 0.5, -0.5, 0.999999, -0.999999, 1.0, -1.0, 1.5, -1.5, 1.5707963, -1.5707963,
                              1.5707964, 3.0, -3.0, 1e10, kInf, -kInf, std::numeric_limits<double>::quiet_NaN()};
        std::mt19937_64 rng(9);
        std::uniform_real_distribution<double> u(-2.0, 2.0);
        for (int i = 0; i < 1001; ++i) t.push_back(u(rng));
        std::vector<double> f(t.size());
        potentialArray(a, t.data(), f.data(), t.size());
        for (size_t i = 0; i < t.size(); ++i) {
            const double e = a.potential(t[i]);
            const bool ok = std::isinf(e) ? f[i] == e : std::abs(f[i] - e) <= 1e-14 * (1 + std::abs(e));
            if (!ok) QFAIL(qPrintable(QString("f(%1) = %2, scalar %3").arg(t[i], 0, 'g', 17).arg(f[i], 0, 'g', 17).arg(e, 0, 'g', 17)));
        }
    }
    void lengthsAroundTheSimdWidth()
    {
        // Every length from 0 to 33 (tails of each size) gives the scalar answers.
        Activation a;
        a.type = ActivationType::Tanh;
        for (size_t len = 0; len <= 33; ++len) {
            std::vector<double> v(len + 1, 7.0);   // a sentinel after the range must stay untouched
            for (size_t i = 0; i < len; ++i) v[i] = 0.37 * double(i) - 3.0;
            sigmaInPlace(a, v.data(), len);
            for (size_t i = 0; i < len; ++i) QVERIFY(close(v[i], std::tanh(0.37 * double(i) - 3.0)));
            QCOMPARE(v[len], 7.0);
        }
    }
};

QTEST_APPLESS_MAIN(TestVectorActivation)
#include "tst_vector_activation.moc"

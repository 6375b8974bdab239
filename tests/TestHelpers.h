// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Shared test helpers: a tolerance comparison that prints both numbers on failure
// (QCOMPARE on doubles is too strict for solver tolerances).
#include <QString>
#include <QtTest>
#include <cmath>

#define OPTEQ_COMPARE_NEAR(actual, expected, tol)                                                            \
    do {                                                                                                     \
        const double a_ = (actual), e_ = (expected), t_ = (tol);                                             \
        if (!(std::abs(a_ - e_) <= t_))                                                                      \
            QFAIL(qPrintable(QString("%1 = %2, expected %3 within %4 (off by %5)")                          \
                                 .arg(#actual).arg(a_, 0, 'g', 17).arg(e_, 0, 'g', 17).arg(t_)              \
                                 .arg(std::abs(a_ - e_))));                                                  \
    } while (0)

#define OPTEQ_VERIFY_LE(actual, bound)                                                                       \
    do {                                                                                                     \
        const double a_ = (actual), b_ = (bound);                                                            \
        if (!(a_ <= b_))                                                                                     \
            QFAIL(qPrintable(QString("%1 = %2, expected <= %3").arg(#actual).arg(a_, 0, 'g', 17).arg(b_, 0, 'g', 17))); \
    } while (0)

inline QString sourcePath(const QString& rel)
{
    return qEnvironmentVariable("OPTEQ_SOURCE_DIR", QStringLiteral(".")) + "/" + rel;
}

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Shared test helpers: a tolerance comparison that prints both numbers on failure
// (QCOMPARE on doubles is too strict for solver tolerances), and a full disk for failed-write
// tests.
#include <QString>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <csignal>
#include <sys/resource.h>

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

// While alive, no regular file of this process (any thread) can grow past `bytes`: a write past
// it fails with EFBIG, as on a disk that fills up mid-write (RLIMIT_FSIZE; SIGXFSZ is ignored
// meanwhile so the write reports the error instead of ending the process). Unlike permissions it
// also holds for root, which CI containers often are. Pipes are not affected (ctest's output).
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        m_handler = std::signal(SIGXFSZ, SIG_IGN);
        if (getrlimit(RLIMIT_FSIZE, &m_old) != 0) return;
        rlimit r = m_old;
        r.rlim_cur = r.rlim_max == RLIM_INFINITY ? bytes : std::min<rlim_t>(bytes, r.rlim_max);
        m_active = setrlimit(RLIMIT_FSIZE, &r) == 0;
    }
    ~FileSizeLimit()
    {
        if (m_active) setrlimit(RLIMIT_FSIZE, &m_old);
        std::signal(SIGXFSZ, m_handler);
    }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;
    bool active() const { return m_active; }

private:
    rlimit m_old{};
    void (*m_handler)(int) = SIG_DFL;
    bool m_active = false;
};

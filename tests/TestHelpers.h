// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Shared test helpers: a tolerance comparison that prints both numbers on failure
// (QCOMPARE on doubles is too strict for solver tolerances), a scale for wall-clock bounds, and a
// full disk for failed-write tests.
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

// Wall-clock bounds in tests are multiplied by this. Sanitizer builds run several times slower
// (ASan with assertions at -O1, TSan 5–15×), so they get 4×; OPTEQ_TEST_TIME_SCALE multiplies
// further on a slow or loaded machine.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define OPTEQ_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define OPTEQ_TEST_SANITIZED 1
#endif
#endif
inline double timeScale()
{
#ifdef OPTEQ_TEST_SANITIZED
    double s = 4.0;
#else
    double s = 1.0;
#endif
    bool ok = false;
    const double env = qEnvironmentVariable("OPTEQ_TEST_TIME_SCALE").toDouble(&ok);
    if (ok && env > 0) s *= env;
    return s;
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

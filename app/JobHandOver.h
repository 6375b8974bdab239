// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Running a job on a QThreadPool with the hand-over stated for ThreadSanitizer (used by the
// Controller and the TrainingController).
#include <QThreadPool>
#include <QtConcurrent>

#if defined(__SANITIZE_THREAD__)
#define OPTEQ_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define OPTEQ_TSAN 1
#endif
#endif
#ifdef OPTEQ_TSAN
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace opteq {

// The hand-over of a job to m_pool, for ThreadSanitizer. The pool's queue is guarded by a mutex
// locked inside libQt6Core, which (as Debian ships it) is not built with ThreadSanitizer: a job
// taken from the queue by a pool thread that was already running would have everything the GUI
// thread prepared for it (its scene, view and cancel flag) reported as racing with its first
// reads. enqueued() just before QtConcurrent::run (runJob) and dequeued() first thing in the job
// state the edge that mutex provides: a release and an acquire on the pool. They compile to
// nothing without ThreadSanitizer. What the GUI thread writes after enqueued() stays checked,
// except the task object QtConcurrent::run builds itself (tests/sanitizers/tsan.supp).
inline void enqueued([[maybe_unused]] QThreadPool* pool)
{
#ifdef OPTEQ_TSAN
    __tsan_release(pool);
#endif
}
inline void dequeued([[maybe_unused]] QThreadPool* pool)
{
#ifdef OPTEQ_TSAN
    __tsan_acquire(pool);
#endif
}
// The cores a job's OpenMP teams may use, shared by every controller's jobs (the solve and map
// jobs, training, the theory views): each controller has its own one-thread pool, so without a
// common budget three jobs would each start a team of every core. A job takes the free cores
// (at least one, so it never waits for another: at most one thread over the cores when all are
// taken) and gives them back when it ends. Any thread; lock-free.
class CoreBudget {
public:
    static int cores();
    static int take();                 // the threads granted (>= 1)
    static void give(int threads);
    static int free();                 // for tests
};

// First thing in every controller job: the TSan hand-over (dequeued) and the job's share of the
// cores, set as its OpenMP team size; both end with the job's scope.
class JobStart {
public:
    explicit JobStart(QThreadPool* pool);
    ~JobStart();
    JobStart(const JobStart&) = delete;
    JobStart& operator=(const JobStart&) = delete;
    int threads() const { return m_threads; }

private:
    int m_threads;
};

// QtConcurrent::run on the pool with the hand-over stated: the job's captures are built before
// the call (they are its argument), so enqueued() covers them; the job starts with a JobStart.
// Capture by init-capture (`scene = scene`): the pool thread moves the job before it runs, and a
// capture of a const local would be copied there instead, touching a shared_ptr's or a QString's
// reference count before the hand-over (ThreadSanitizer reports it).
template <typename Job>
auto runJob(QThreadPool* pool, Job&& job)
{
    enqueued(pool);
    return QtConcurrent::run(pool, std::forward<Job>(job));
}

}  // namespace opteq

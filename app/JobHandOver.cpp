// SPDX-License-Identifier: GPL-3.0-or-later
#include "JobHandOver.h"

#include <algorithm>
#include <atomic>
#include <omp.h>

namespace opteq {
namespace {
std::atomic<int>& freeCores()
{
    static std::atomic<int> cores{CoreBudget::cores()};
    return cores;
}
}  // namespace

int CoreBudget::cores() { return std::max(1, omp_get_num_procs()); }

int CoreBudget::take()
{
    std::atomic<int>& f = freeCores();
    int now = f.load();
    for (;;) {
        const int grant = std::max(1, now);
        if (f.compare_exchange_weak(now, now - grant)) return grant;
    }
}

void CoreBudget::give(int threads) { freeCores().fetch_add(threads); }

int CoreBudget::free() { return freeCores().load(); }

JobStart::JobStart(QThreadPool* pool) : m_threads(CoreBudget::take())
{
    dequeued(pool);
    omp_set_num_threads(m_threads);   // this pool thread's teams, for this job
}

JobStart::~JobStart() { CoreBudget::give(m_threads); }

}  // namespace opteq

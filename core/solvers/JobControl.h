// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Progress and cancellation for long core jobs. The cancel flag may be set from any thread
// (the GUI thread, typically) and is polled by the worker threads; progress is reported only
// from the thread that called the job, so the callback needs no locking.
#include <atomic>
#include <functional>

namespace opteq {

struct JobControl {
    const std::atomic<bool>* cancel = nullptr;
    std::function<void(double)> progress;   // fraction in [0, 1]

    bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }
    void report(double f) const { if (progress) progress(f); }
};

}  // namespace opteq

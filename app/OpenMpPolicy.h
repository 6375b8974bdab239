// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The window shares two cores between the GUI thread and OpenMP teams inside core jobs. libgomp's
// default (active) wait policy makes idle team threads spin after each parallel region, stealing
// the core the GUI thread needs to replot: measured, slider-to-replot latency drops from ~17 ms to
// ~12 ms with the passive policy (tests/bench/gui_bench.cpp). libgomp reads OMP_WAIT_POLICY once,
// when it is loaded, so the process re-executes itself with the variable set. Call first in main.
#include <cstdlib>
#include <unistd.h>

namespace opteq {

inline void ensurePassiveOpenMP(char** argv)
{
    if (std::getenv("OMP_WAIT_POLICY")) return;   // the user's choice wins
    ::setenv("OMP_WAIT_POLICY", "passive", 1);
    ::execv("/proc/self/exe", argv);               // returns only on failure: then run as we are
}

}  // namespace opteq

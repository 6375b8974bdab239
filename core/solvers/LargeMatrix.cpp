// SPDX-License-Identifier: GPL-3.0-or-later
#include "LargeMatrix.h"

#include <cstdint>
#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace opteq {

Eigen::MatrixXd largeMatrix(Eigen::Index rows, Eigen::Index cols)
{
    Eigen::MatrixXd m(rows, cols);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    constexpr std::uintptr_t huge = std::uintptr_t(2) << 20;
    const std::uintptr_t begin = reinterpret_cast<std::uintptr_t>(m.data());
    const std::uintptr_t end = begin + std::uintptr_t(m.size()) * sizeof(double);
    const std::uintptr_t first = (begin + huge - 1) & ~(huge - 1), last = end & ~(huge - 1);
    // Advice only: where the kernel declines (no THP, a small matrix), the pages stay 4 KB.
    if (last > first) (void)madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#endif
    return m;
}

}  // namespace opteq

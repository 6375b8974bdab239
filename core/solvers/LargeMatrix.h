// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Large working matrices (the batched engine's states, products and outputs). Any thread.
// A fresh matrix is paid for on first touch: 8 MB in 4 KB pages took 3.4 ms of page faults here
// (AMD EPYC, Debian 12), in 2 MB pages 0.3 ms. Transparent huge pages are "madvise" on Debian's
// default kernel, so a large matrix asks for them before anything touches it. A solve of ten
// iterations at n = 512, 2048 columns spent 12 ms (as much as one and a half iterations) in
// such faults before this.
#include <Eigen/Dense>

namespace opteq {

// rows × cols, uninitialised; its 2 MB-aligned interior advised as huge pages when large.
Eigen::MatrixXd largeMatrix(Eigen::Index rows, Eigen::Index cols);

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// How a residual curve falls, named by what was measured: linear (geometric, a straight line of
// log r against k) with its ratio per step; sublinear (a straight line of log r against log k, and
// not against k) with its power; otherwise neither, and then only the measured drop is reported.
// Pure functions.
#include <string>
#include <vector>

namespace opteq {

struct DecayFit {
    enum class Kind { TooShort, Stalled, Linear, Sublinear, Other };
    Kind kind = Kind::TooShort;
    double ratio = 0;      // per step, from the least-squares line of log r against k
    double slope = 0;      // power s of r ∝ k^s, from the line of log r against log k
    double factor = 1;     // r(last) / r(first) over the window
    double first = 0, last = 0;
    int from = 0, to = 0;  // the window's iterations
    // Root-mean-square distance of log r from each line, relative to the drop of log r over the
    // window: a line is "straight" below kStraight.
    double semilogMisfit = 0, loglogMisfit = 0;
    static constexpr double kStraight = 0.01;
};

// k: iteration numbers (increasing, >= 1), r: residuals at them; points with r <= 0 or non-finite
// are skipped. Needs at least 8 points spanning a factor of 1.5 in k (else TooShort); a fall by
// less than 10% over the window is Stalled.
DecayFit classifyDecay(const std::vector<double>& k, const std::vector<double>& r);
// A whole residual curve r_0, r_1, …: the fit uses its second half (k from n/2 to n − 1).
DecayFit classifyDecay(const std::vector<double>& residuals);

// "linearly (residual × 0.9927 per step)", "sublinearly (residual ∝ k^-2.00, a straight line on
// log–log axes)", "neither linearly nor as a power of k: the residual fell by a factor 0.31 over
// iterations 250–500"; empty for TooShort and Stalled.
std::string describeDecay(const DecayFit& fit);

}  // namespace opteq

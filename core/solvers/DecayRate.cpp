// SPDX-License-Identifier: GPL-3.0-or-later
#include "DecayRate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace opteq {
namespace {
// Least-squares line y = a + b x; returns the root-mean-square residual and the slope.
void fitLine(const std::vector<double>& x, const std::vector<double>& y, double& slope, double& rms)
{
    const double n = double(x.size());
    double mx = 0, my = 0;
    for (size_t i = 0; i < x.size(); ++i) { mx += x[i]; my += y[i]; }
    mx /= n;
    my /= n;
    double sxx = 0, sxy = 0;
    for (size_t i = 0; i < x.size(); ++i) { sxx += (x[i] - mx) * (x[i] - mx); sxy += (x[i] - mx) * (y[i] - my); }
    slope = sxx > 0 ? sxy / sxx : 0;
    double ss = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        const double e = y[i] - (my + slope * (x[i] - mx));
        ss += e * e;
    }
    rms = std::sqrt(ss / n);
}
}  // namespace

DecayFit classifyDecay(const std::vector<double>& k, const std::vector<double>& r)
{
    DecayFit fit;
    std::vector<double> ks, logk, logr;
    for (size_t i = 0; i < k.size() && i < r.size(); ++i)
        if (k[i] >= 1 && std::isfinite(r[i]) && r[i] > 0) {
            ks.push_back(k[i]);
            logk.push_back(std::log(k[i]));
            logr.push_back(std::log(r[i]));
        }
    if (ks.size() < 8 || ks.back() < 1.5 * ks.front()) return fit;
    fit.from = int(ks.front());
    fit.to = int(ks.back());
    fit.first = std::exp(logr.front());
    fit.last = std::exp(logr.back());
    fit.factor = fit.last / fit.first;
    if (!(fit.factor < 0.9)) { fit.kind = DecayFit::Kind::Stalled; return fit; }
    double semiSlope, semiRms, logSlope, logRms;
    fitLine(ks, logr, semiSlope, semiRms);
    fitLine(logk, logr, logSlope, logRms);
    const double drop = *std::max_element(logr.begin(), logr.end()) - *std::min_element(logr.begin(), logr.end());
    fit.ratio = std::exp(semiSlope);
    fit.slope = logSlope;
    fit.semilogMisfit = semiRms / drop;
    fit.loglogMisfit = logRms / drop;
    if (fit.semilogMisfit < DecayFit::kStraight && fit.semilogMisfit <= fit.loglogMisfit) fit.kind = DecayFit::Kind::Linear;
    else if (fit.loglogMisfit < DecayFit::kStraight && fit.loglogMisfit < fit.semilogMisfit) fit.kind = DecayFit::Kind::Sublinear;
    else fit.kind = DecayFit::Kind::Other;
    return fit;
}

DecayFit classifyDecay(const std::vector<double>& residuals)
{
    const size_t n = residuals.size();
    std::vector<double> k, r;
    for (size_t i = std::max<size_t>(1, n / 2); i < n; ++i) {
        k.push_back(double(i));
        r.push_back(residuals[i]);
    }
    return classifyDecay(k, r);
}

std::string describeDecay(const DecayFit& fit)
{
    char buf[240];
    switch (fit.kind) {
    case DecayFit::Kind::Linear:
        std::snprintf(buf, sizeof buf, "linearly (residual × %.4f per step)", fit.ratio);
        return buf;
    case DecayFit::Kind::Sublinear:
        std::snprintf(buf, sizeof buf, "sublinearly (residual ∝ k^%.2f, a straight line on log–log axes)", fit.slope);
        return buf;
    case DecayFit::Kind::Other:
        std::snprintf(buf, sizeof buf,
                      "neither linearly nor as a power of k: the residual fell by a factor %.3g over iterations %d–%d "
                      "(from %.3g to %.3g)", fit.factor, fit.from, fit.to, fit.first, fit.last);
        return buf;
    case DecayFit::Kind::TooShort:
    case DecayFit::Kind::Stalled: break;
    }
    return {};
}

}  // namespace opteq

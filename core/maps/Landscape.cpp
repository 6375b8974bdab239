// SPDX-License-Identifier: GPL-3.0-or-later
#include "Landscape.h"

#include <cmath>
#include <limits>
#include <omp.h>

namespace opteq {

double Grid::minFinite() const
{
    double m = std::numeric_limits<double>::infinity();
    for (double v : values) if (std::isfinite(v)) m = std::min(m, v);
    return m;
}

double Grid::maxFinite() const
{
    double m = -std::numeric_limits<double>::infinity();
    for (double v : values) if (std::isfinite(v)) m = std::max(m, v);
    return m;
}

Grid computeLandscape(const Model& model, const Eigen::VectorXd& c, const Plane& plane, const GridSpec& spec,
                      const JobControl& job)
{
    Grid g;
    g.spec = spec;
    g.values.assign(size_t(spec.nx) * spec.ny, std::numeric_limits<double>::quiet_NaN());
    // The smooth part is a quadratic in (s, t): precompute its coefficients once so a grid point
    // costs only the separable Σ f_i(z_i) pass.
    const Eigen::MatrixXd& A = model.WtW();
    auto Q = [&](const Eigen::VectorXd& x, const Eigen::VectorXd& y) { return x.dot(y) - x.dot(A * y); };
    const Eigen::VectorXd &o = plane.origin, &u = plane.u, &v = plane.v;
    const double q0 = 0.5 * Q(o, o) - c.dot(o);
    const double qs = Q(o, u) - c.dot(u), qt = Q(o, v) - c.dot(v);
    const double quu = Q(u, u), quv = Q(u, v), qvv = Q(v, v);
    std::atomic<int> rows{0};
    bool cancelled = false;
#pragma omp parallel for schedule(dynamic, 4)
    for (int j = 0; j < spec.ny; ++j) {
        if (job.cancelled()) continue;
        Eigen::VectorXd z(o.size());
        const double t = spec.y(j);
        for (int i = 0; i < spec.nx; ++i) {
            const double s = spec.x(i);
            z = o + s * u + t * v;
            const double f = model.potential(z);
            g.values[size_t(j) * spec.nx + i] =
                std::isfinite(f) ? f + q0 + s * qs + t * qt + 0.5 * (s * s * quu + 2 * s * t * quv + t * t * qvv)
                                 : std::numeric_limits<double>::infinity();
        }
        const int r = rows.fetch_add(1) + 1;
        if (omp_get_thread_num() == 0) job.report(double(r) / spec.ny);
    }
    cancelled = job.cancelled();
    g.complete = !cancelled;
    return g;
}

}  // namespace opteq

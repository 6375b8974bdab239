// SPDX-License-Identifier: GPL-3.0-or-later
#include "Contours.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace opteq {

std::vector<double> contourLevels(const Grid& grid, int count)
{
    std::vector<double> finite;
    finite.reserve(grid.values.size());
    for (double v : grid.values) if (std::isfinite(v)) finite.push_back(v);
    std::vector<double> levels;
    if (finite.size() < 4 || count < 1) return levels;
    std::sort(finite.begin(), finite.end());
    // Quantiles of the lower 90%: the highest walls carry little information and crowd lines.
    for (int k = 0; k < count; ++k) {
        const double q = 0.9 * (k + 0.5) / count;
        const double v = finite[size_t(q * (finite.size() - 1))];
        if (levels.empty() || v > levels.back() + 1e-12 * (1 + std::abs(v))) levels.push_back(v);
    }
    return levels;
}

namespace {
// A point on an edge, keyed by the edge (so neighbouring cells share it exactly) for chaining.
struct Seg { std::pair<long, long> a, b; double ax, ay, bx, by; };
}

std::vector<ContourLine> computeContours(const Grid& grid, const std::vector<double>& levels)
{
    const GridSpec& s = grid.spec;
    std::vector<ContourLine> out;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (double level : levels) {
        ContourLine line;
        line.level = level;
        std::vector<Seg> segs;
        // Edge ids: horizontal edge (i,j)-(i+1,j) -> 2*(j*nx+i); vertical (i,j)-(i,j+1) -> 2*(j*nx+i)+1.
        auto hEdge = [&](int i, int j) { return long(2) * (long(j) * s.nx + i); };
        auto vEdge = [&](int i, int j) { return long(2) * (long(j) * s.nx + i) + 1; };
        for (int j = 0; j + 1 < s.ny; ++j) {
            for (int i = 0; i + 1 < s.nx; ++i) {
                const double v00 = grid.at(i, j), v10 = grid.at(i + 1, j), v01 = grid.at(i, j + 1),
                             v11 = grid.at(i + 1, j + 1);
                if (!std::isfinite(v00) || !std::isfinite(v10) || !std::isfinite(v01) || !std::isfinite(v11)) continue;
                const int idx = (v00 > level) | ((v10 > level) << 1) | ((v11 > level) << 2) | ((v01 > level) << 3);
                if (idx == 0 || idx == 15) continue;
                const double x0 = s.x(i), x1 = s.x(i + 1), y0 = s.y(j), y1 = s.y(j + 1);
                auto lerp = [&](double a, double b) { return (level - a) / (b - a); };
                // Crossing points on the four edges: bottom, right, top, left.
                struct P { long id; double x, y; };
                const P bottom{hEdge(i, j), x0 + lerp(v00, v10) * (x1 - x0), y0};
                const P right{vEdge(i + 1, j), x1, y0 + lerp(v10, v11) * (y1 - y0)};
                const P top{hEdge(i, j + 1), x0 + lerp(v01, v11) * (x1 - x0), y1};
                const P left{vEdge(i, j), x0, y0 + lerp(v00, v01) * (y1 - y0)};
                auto add = [&](const P& p, const P& q) {
                    segs.push_back({{p.id, 0}, {q.id, 0}, p.x, p.y, q.x, q.y});
                };
                const double centre = 0.25 * (v00 + v10 + v01 + v11);
                switch (idx) {
                case 1: case 14: add(left, bottom); break;
                case 2: case 13: add(bottom, right); break;
                case 3: case 12: add(left, right); break;
                case 4: case 11: add(right, top); break;
                case 6: case 9: add(bottom, top); break;
                case 7: case 8: add(left, top); break;
                case 5:   // saddle: resolve by the cell centre
                    if (centre > level) { add(left, top); add(bottom, right); }
                    else { add(left, bottom); add(right, top); }
                    break;
                case 10:
                    if (centre > level) { add(left, bottom); add(right, top); }
                    else { add(left, top); add(bottom, right); }
                    break;
                }
            }
        }
        // Chain segments into polylines through shared edge points.
        std::multimap<long, size_t> byEnd;
        for (size_t k = 0; k < segs.size(); ++k) {
            byEnd.emplace(segs[k].a.first, k);
            byEnd.emplace(segs[k].b.first, k);
        }
        std::vector<char> used(segs.size(), 0);
        auto takeNext = [&](long id, size_t& k, bool& forward) {
            auto range = byEnd.equal_range(id);
            for (auto it = range.first; it != range.second; ++it)
                if (!used[it->second]) { k = it->second; forward = segs[k].a.first == id; return true; }
            return false;
        };
        for (size_t k0 = 0; k0 < segs.size(); ++k0) {
            if (used[k0]) continue;
            used[k0] = 1;
            std::vector<std::pair<double, double>> pts{{segs[k0].ax, segs[k0].ay}, {segs[k0].bx, segs[k0].by}};
            // Extend forward from b, then backward from a.
            for (int dir = 0; dir < 2; ++dir) {
                long id = dir == 0 ? segs[k0].b.first : segs[k0].a.first;
                size_t k;
                bool fwd;
                std::vector<std::pair<double, double>> ext;
                while (takeNext(id, k, fwd)) {
                    used[k] = 1;
                    if (fwd) { ext.emplace_back(segs[k].bx, segs[k].by); id = segs[k].b.first; }
                    else { ext.emplace_back(segs[k].ax, segs[k].ay); id = segs[k].a.first; }
                }
                if (dir == 0) pts.insert(pts.end(), ext.begin(), ext.end());
                else pts.insert(pts.begin(), ext.rbegin(), ext.rend());
            }
            if (!line.xs.empty()) { line.xs.push_back(nan); line.ys.push_back(nan); }
            for (auto& p : pts) { line.xs.push_back(p.first); line.ys.push_back(p.second); }
        }
        out.push_back(std::move(line));
    }
    return out;
}

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
// `opteq landscape` and `opteq basins`: grids over the scene's view plane, as CSV or .npy.
#include "BasinMap.h"
#include "CliCommon.h"
#include "Csv.h"
#include "Landscape.h"
#include "Npy.h"
#include "ScenePlane.h"
#include "SceneSolution.h"
#include "Solve.h"

namespace opteq::cli {
namespace {

bool checkSuffix(const QString& out, QTextStream& err)
{
    const QString s = suffixOf(out);
    if (s == "csv" || s == "npy") return true;
    err << "opteq: --out must end in .csv or .npy, got \"" << out << "\"\n";
    return false;
}

// The plane the scene's view resolves to (n > 2 needs trajectories for the principal plane).
ViewPlane viewOf(const Scene& scene, const Model& model, int grid)
{
    // The default view covers the trajectories (n = 2) or spans their principal directions (n > 2):
    // every solver's, as in the window, so the CLI's maps line up with its landscape.
    TraceOptions o;
    o.storeIterates = scene.n() > 2;
    o.maxStoredIterates = storedIteratesFor(model, int(scene.effectiveStarts().size() * runList(scene).size()));
    std::vector<Trace> all;
    for (SolverRun& r : solveRuns(scene, model, o)) all.insert(all.end(), r.traces.begin(), r.traces.end());
    return resolveView(scene, all, grid, grid, &model);
}

void appendSummary(std::string& o, const BasinSummary& s)
{
    o += "{\"cells\": ";
    appendInt(o, s.cells);
    o += ", \"converged\": ";
    appendInt(o, s.converged);
    o += ", \"diverged\": ";
    appendInt(o, s.diverged);
    o += ", \"max_iter\": ";
    appendInt(o, s.maxIter);
    o += ", \"distinct_ends\": ";
    if (s.distinctEnds < 0) o += "null";   // too far apart for the tolerance to count
    else appendInt(o, s.distinctEnds);
    o += ", \"end_spread\": ";
    appendJsonNumber(o, s.endSpread);
    o += "}";
}

}  // namespace

int runLandscape(const Args& a, const Scene& scene, QTextStream&, QTextStream& err)
{
    if (!checkSuffix(a.out, err)) return kBadInput;
    const Model model = scene.model();
    const ViewPlane vp = viewOf(scene, model, a.grid);
    const Grid g = computeLandscape(model, model.bias(scene.input), vp.plane, vp.grid);
    const int nx = g.spec.nx, ny = g.spec.ny;
    if (suffixOf(a.out) == "npy") {
        std::vector<double> m(size_t(nx) * ny * 3);
        for (int j = 0; j < ny; ++j)
            for (int i = 0; i < nx; ++i) {
                double* r = &m[(size_t(j) * nx + i) * 3];
                r[0] = g.spec.x(i);
                r[1] = g.spec.y(j);
                r[2] = g.at(i, j);
            }
        return writeOutput(a.out, npyBytes(m.data(), size_t(nx) * ny, 3), err);
    }
    std::string csv = "x,y,objective\n";
    csv.reserve(size_t(nx) * ny * 60);
    for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) {
            appendNumber(csv, g.spec.x(i));
            csv += ',';
            appendNumber(csv, g.spec.y(j));
            csv += ',';
            appendNumber(csv, g.at(i, j));
            csv += '\n';
        }
    return writeOutput(a.out, csv, err);
}

int runBasins(const Args& a, const Scene& scene, QTextStream& out, QTextStream& err)
{
    if (!checkSuffix(a.out, err)) return kBadInput;
    QString prior = a.prior.isEmpty() ? "on" : a.prior;
    if (prior != "on" && prior != "off" && prior != "both") {
        err << "opteq: --prior takes on, off or both, got \"" << prior << "\"\n";
        return kBadInput;
    }
    const Model model = scene.model();
    const ViewPlane vp = viewOf(scene, model, a.grid);
    // "off": the same scene without its prior of either kind (regularizers folded into σ, and the
    // selection scheme of way 2).
    const Model plain = model.withoutRegularizers();
    struct Run { const char* name; const Model* model; PriorSettings prior; };
    std::vector<Run> runs;
    if (prior != "on") runs.push_back({"off", &plain, PriorSettings{}});
    if (prior != "off") runs.push_back({"on", &model, scene.prior});

    std::vector<BasinMap> maps;
    std::vector<BasinSummary> summaries;
    for (const Run& r : runs) {
        const SolverContext ctx(*r.model, scene.input, scene.solver, r.prior);
        maps.push_back(computeBasins(ctx, vp.plane, vp.grid));
        if (a.json) summaries.push_back(summarizeBasins(maps.back(), endTolerance(ctx)));   // sorts the ends: only when asked
    }
    const bool both = runs.size() == 2;
    const int nx = vp.grid.nx, ny = vp.grid.ny;
    std::string bytes;
    if (suffixOf(a.out) == "npy") {
        // Columns: [prior,] i, j, start_s, start_t, end_s, end_t, end_z1, iterations, status code.
        const int cols = both ? 10 : 9;
        std::vector<double> m;
        m.reserve(size_t(nx) * ny * cols * runs.size());
        for (size_t r = 0; r < runs.size(); ++r)
            for (int j = 0; j < ny; ++j)
                for (int i = 0; i < nx; ++i) {
                    const BasinMap& b = maps[r];
                    const size_t k = b.index(i, j);
                    if (both) m.push_back(runs[r].name == std::string("on") ? 1.0 : 0.0);
                    for (double v : {double(i), double(j), b.spec.x(i), b.spec.y(j), b.endS[k], b.endT[k], b.endFirst[k],
                                     double(b.iterations[k]), double(b.status[k])})
                        m.push_back(v);
                }
        bytes = npyBytes(m.data(), m.size() / cols, cols);
    } else {
        bytes = both ? "prior,i,j,start_s,start_t,end_s,end_t,end_z1,iterations,status\n"
                     : "i,j,start_s,start_t,end_s,end_t,end_z1,iterations,status\n";
        bytes.reserve(size_t(nx) * ny * runs.size() * 110);
        for (size_t r = 0; r < runs.size(); ++r)
            for (int j = 0; j < ny; ++j)
                for (int i = 0; i < nx; ++i) {
                    const BasinMap& b = maps[r];
                    const size_t k = b.index(i, j);
                    if (both) { bytes += runs[r].name; bytes += ','; }
                    appendInt(bytes, i);
                    bytes += ',';
                    appendInt(bytes, j);
                    for (double v : {b.spec.x(i), b.spec.y(j), b.endS[k], b.endT[k], b.endFirst[k]}) {
                        bytes += ',';
                        appendNumber(bytes, v);
                    }
                    bytes += ',';
                    appendInt(bytes, b.iterations[k]);
                    bytes += ',';
                    bytes += statusName(SolveStatus(b.status[k]));
                    bytes += '\n';
                }
    }
    const int rc = writeOutput(a.out, bytes, err);
    if (rc != kOk || !a.json) return rc;
    std::string o;
    appendSummary(o, summaries.back());
    if (both) {
        o.pop_back();
        o += ", \"without_prior\": ";
        appendSummary(o, summaries.front());
        o += "}";
    }
    out << QString::fromStdString(o) << "\n";
    return kOk;
}

}  // namespace opteq::cli

// SPDX-License-Identifier: GPL-3.0-or-later
#include "CliCommands.h"

#include "BasinMap.h"
#include "Landscape.h"
#include "SceneIO.h"
#include "ScenePlane.h"
#include "Solve.h"
#include "TraceExport.h"

#ifdef OPTEQ_WITH_FIGURES
#include "FigureExport.h"
#endif

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>

namespace opteq {
namespace {

constexpr int kOk = 0, kFailure = 1, kBadInput = 2;

const char* kUsage =
    "usage: opteq COMMAND SCENE [options]\n"
    "  solve SCENE [--json]                          solve from every start\n"
    "  trace SCENE --out FILE.csv|FILE.json          every iterate of every start\n"
    "  landscape SCENE --grid N --out FILE.csv       E on an N×N grid of the view plane\n"
    "  basins SCENE --grid N --out FILE.csv          where an N×N grid of starts ends\n"
    "  export SCENE --plot landscape|residual|basins|activation --out FILE.png|pdf|svg\n"
    "exit status: 0 success, 2 bad input or usage, 1 anything else\n";

struct Args {
    QString command, scene, out, plot;
    int grid = 0;
    bool json = false;
    QString error;
};

Args parseArgs(const QStringList& a)
{
    Args r;
    if (a.size() < 2) { r.error = "missing command and scene"; return r; }
    r.command = a[0];
    r.scene = a[1];
    for (int i = 2; i < a.size(); ++i) {
        const QString& k = a[i];
        auto value = [&]() -> QString {
            if (i + 1 >= a.size()) { r.error = k + " needs a value"; return {}; }
            return a[++i];
        };
        if (k == "--json") r.json = true;
        else if (k == "--out") r.out = value();
        else if (k == "--plot") r.plot = value();
        else if (k == "--grid") {
            bool ok = false;
            const QString v = value();
            r.grid = v.toInt(&ok);
            if (!ok || r.grid < 2 || r.grid > 4096) r.error = "--grid takes a whole number from 2 to 4096, got \"" + v + "\"";
        } else r.error = "unknown option \"" + k + "\"";
        if (!r.error.isEmpty()) return r;
    }
    return r;
}

QJsonArray toJson(const Eigen::VectorXd& v)
{
    QJsonArray a;
    for (Eigen::Index i = 0; i < v.size(); ++i) a.append(std::isfinite(v(i)) ? QJsonValue(v(i)) : QJsonValue());
    return a;
}

QJsonValue num(double v) { return std::isfinite(v) ? QJsonValue(v) : QJsonValue(); }

int write(const QString& path, const QByteArray& bytes, QTextStream& err)
{
    const std::string e = writeFileAtomically(path, bytes);
    if (e.empty()) return kOk;
    err << "opteq: " << QString::fromStdString(e) << "\n";
    return kFailure;
}

std::vector<Trace> solveScene(const Scene& scene, const Model& model, bool keepIterates)
{
    const SolverContext ctx(model, scene.input, scene.solver, scene.prior);
    TraceOptions opts;
    opts.storeIterates = keepIterates;
    opts.maxStoredIterates = 1 << 20;   // exports keep every iterate
    return solveBatch(ctx, scene.effectiveStarts(), opts);
}

}  // namespace

int runCli(const QStringList& argv, QTextStream& out, QTextStream& err)
{
    if (argv.isEmpty() || argv[0] == "--help" || argv[0] == "-h" || argv[0] == "help") {
        (argv.isEmpty() ? err : out) << kUsage;
        return argv.isEmpty() ? kBadInput : kOk;
    }
    const Args a = parseArgs(argv);
    if (!a.error.isEmpty()) {
        err << "opteq: " << a.error << "\n" << kUsage;
        return kBadInput;
    }
    static const QStringList commands{"solve", "trace", "landscape", "basins", "export"};
    if (!commands.contains(a.command)) {
        err << "opteq: unknown command \"" << a.command << "\"\n" << kUsage;
        return kBadInput;
    }
    if (a.command != "solve" && a.out.isEmpty()) {
        err << "opteq: " << a.command << " needs --out FILE\n";
        return kBadInput;
    }
    if ((a.command == "landscape" || a.command == "basins") && a.grid == 0) {
        err << "opteq: " << a.command << " needs --grid N\n";
        return kBadInput;
    }
    const SceneResult loaded = loadScene(a.scene);
    if (!loaded.ok()) {
        err << "opteq: " << a.scene << ": " << QString::fromStdString(loaded.error) << "\n";
        return kBadInput;
    }
    const Scene& scene = *loaded.scene;
    const Model model = scene.model();

    if (a.command == "solve") {
        const std::vector<Trace> traces = solveScene(scene, model, false);
        const std::vector<Eigen::VectorXd> starts = scene.effectiveStarts();
        if (a.json) {
            QJsonArray results;
            for (size_t i = 0; i < traces.size(); ++i) {
                QJsonObject r{{"start", toJson(starts[i])}, {"z", toJson(traces[i].z)},
                              {"status", statusName(traces[i].status)}, {"iterations", traces[i].iterations},
                              {"residual", num(traces[i].residual)}, {"objective", num(traces[i].finalObjective)}};
                if (!traces[i].note.empty()) r["note"] = QString::fromStdString(traces[i].note);
                results.append(r);
            }
            const double s = model.spectralNorm();
            const QJsonObject root{{"spectral_norm", num(s)}, {"unique", s < 1.0}, {"results", results}};
            out << QJsonDocument(root).toJson(QJsonDocument::Indented);
        } else {
            out << "‖W‖₂ = " << model.spectralNorm()
                << (model.spectralNorm() < 1 ? " (< 1: unique equilibrium)\n" : " (>= 1: uniqueness not guaranteed)\n");
            for (size_t i = 0; i < traces.size(); ++i) {
                out << "start " << i << ": " << statusName(traces[i].status) << " after " << traces[i].iterations
                    << " iterations, residual " << traces[i].residual << ", E = " << traces[i].finalObjective << ", z = [";
                for (Eigen::Index k = 0; k < traces[i].z.size(); ++k) out << (k ? ", " : "") << traces[i].z(k);
                out << "]\n";
                if (!traces[i].note.empty()) out << "  note: " << QString::fromStdString(traces[i].note) << "\n";
            }
        }
        return kOk;
    }
    if (a.command == "trace") {
        const std::vector<Trace> traces = solveScene(scene, model, true);
        const QString suffix = QFileInfo(a.out).suffix().toLower();
        if (suffix == "csv") return write(a.out, tracesToCsv(traces, scene.n()), err);
        if (suffix == "json")
            return write(a.out, tracesToJson(traces, QFileInfo(a.scene).fileName(), model.spectralNorm()), err);
        err << "opteq: --out must end in .csv or .json\n";
        return kBadInput;
    }
    if (a.command == "landscape" || a.command == "basins") {
        if (QFileInfo(a.out).suffix().toLower() != "csv") {
            err << "opteq: --out must end in .csv\n";
            return kBadInput;
        }
        const std::vector<Trace> traces = solveScene(scene, model, scene.n() > 2);
        const ViewPlane vp = resolveView(scene, traces, a.grid, a.grid);
        if (a.command == "landscape") {
            const Grid g = computeLandscape(model, model.bias(scene.input), vp.plane, vp.grid);
            return write(a.out, gridToCsv(g), err);
        }
        const SolverContext ctx(model, scene.input, scene.solver, scene.prior);
        const BasinMap m = computeBasins(ctx, vp.plane, vp.grid);
        return write(a.out, basinsToCsv(m), err);
    }
    // export
#ifdef OPTEQ_WITH_FIGURES
    return exportFigure(scene, a.scene, a.plot, a.out, err);
#else
    err << "opteq: this build has no figure export (configured with OPTEQ_BUILD_GUI=OFF)\n";
    return kFailure;
#endif
}

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#include "CliCommands.h"

#include "BatchSolver.h"
#include "CliCommon.h"
#include "Csv.h"
#include "Npy.h"
#include "SceneIO.h"
#include "Solve.h"
#include "TraceExport.h"

#ifdef OPTEQ_WITH_FIGURES
#include "FigureExport.h"
#endif

#include <QFileInfo>
#include <cmath>
#include <cstdio>

namespace opteq {
using namespace cli;

QString cli::suffixOf(const QString& path) { return QFileInfo(path).suffix().toLower(); }

int cli::writeOutput(const QString& path, const std::string& bytes, QTextStream& err)
{
    const std::string e = writeFileAtomically(path, QByteArray::fromRawData(bytes.data(), qsizetype(bytes.size())));
    if (e.empty()) return kOk;
    err << "opteq: " << QString::fromStdString(e) << "\n";
    return kFailure;
}

void cli::appendJsonNumber(std::string& out, double v)
{
    if (std::isfinite(v)) appendNumber(out, v);
    else out += "null";
}

void cli::appendJsonString(std::string& out, const std::string& s)
{
    out += '"';
    for (char ch : s) {
        switch (ch) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        default:
            if ((unsigned char)ch < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", ch);
                out += buf;
            } else out += ch;
        }
    }
    out += '"';
}

void cli::appendJsonVector(std::string& o, const Eigen::Ref<const Eigen::VectorXd>& v)
{
    o += '[';
    for (Eigen::Index i = 0; i < v.size(); ++i) {
        if (i) o += ", ";
        appendJsonNumber(o, v(i));
    }
    o += ']';
}

namespace {

const char* kUsage =
    "usage: opteq COMMAND SCENE [options]\n"
    "  solve SCENE [--json]                          solve from every start\n"
    "  trace SCENE --out FILE.csv|.json|.npy         every iterate of every start\n"
    "  landscape SCENE --grid N --out FILE.csv|.npy  E on an N×N grid of the view plane\n"
    "  basins SCENE --grid N --out FILE.csv|.npy [--prior on|off|both] [--json]\n"
    "                                                where an N×N grid of starts ends\n"
    "  predict SCENE --inputs X.csv|.npy --out OUT.csv|.npy [--json]\n"
    "                                                the equilibrium of every input row\n"
    "  train SCENE --out TRAINED.opteq.json [--epochs N] [--log LOG.csv] [--json]\n"
    "                                                train the network on the scene's training data\n"
    "  evaluate SCENE [--json]                       a trained scene on its test data: accuracy, loss,\n"
    "                                                confusion matrix, per-class accuracy, iterations\n"
    "  import SCENE --W W.npy|.csv [--U ..] [--b ..] [--V ..] [--c ..] --out NEW.opteq.json\n"
    "                                                weights trained elsewhere, into a copy of SCENE\n"
    "  spectrum SCENE [--json]                       eigenvalues of J = diag(σ'(v))WᵀW at each start's end\n"
    "                                                point, ρ(J), the bound ‖W‖₂², cond(I − J)\n"
    "  fixset SCENE [--json]                         the set of equilibria (point, segment, ray, line, face)\n"
    "                                                and the scene's prior's choice on it\n"
    "  export SCENE --plot landscape|residual|basins|activation|phase|spectrum|unit-layer\n"
    "         |decision|curves|equilibria (a trained scene; curves with --log LOG.csv of train)\n"
    "         |samples|confusion|filters (a trained scene on images)\n"
    "         --out FILE.png|pdf|svg [--size WxH] [--scale PNG_DENSITY] [--font-scale F]\n"
    "exit status: 0 success, 2 bad input or usage, 1 anything else\n";

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
        else if (k == "--inputs") r.inputs = value();
        else if (k == "--prior") r.prior = value();
        else if (k == "--log") r.log = value();
        else if (k == "--epochs") {
            bool ok = false;
            const QString v = value();
            r.epochs = v.toInt(&ok);
            if (!ok || r.epochs < 1 || r.epochs > 100000) r.error = "--epochs takes a whole number from 1 to 100000, got \"" + v + "\"";
        } else if (k == "--W" || k == "--U" || k == "--b" || k == "--V" || k == "--c") r.weights[k.mid(2).toStdString()] = value();
        else if (k == "--size") {
            const QString v = value();
            const QStringList wh = v.split('x');
            bool okW = false, okH = false;
            if (wh.size() == 2) {
                r.width = wh[0].toInt(&okW);
                r.height = wh[1].toInt(&okH);
            }
            if (!okW || !okH || r.width < 50 || r.height < 50 || r.width > 20000 || r.height > 20000)
                r.error = "--size takes WIDTHxHEIGHT in pixels, each from 50 to 20000 (e.g. 1600x1000), got \"" + v + "\"";
        } else if (k == "--font-scale" || k == "--scale") {
            const QString v = value();
            bool ok = false;
            const double x = v.toDouble(&ok);
            const double hi = k == "--scale" ? 10 : 8, lo = k == "--scale" ? 0.1 : 0.25;
            if (!ok || !(x >= lo) || x > hi) r.error = k + QString(" takes a number from %1 to %2, got \"").arg(lo).arg(hi) + v + "\"";
            else (k == "--scale" ? r.scale : r.fontScale) = x;
        } else if (k == "--grid") {
            bool ok = false;
            const QString v = value();
            r.grid = v.toInt(&ok);
            if (!ok || r.grid < 2 || r.grid > 4096) r.error = "--grid takes a whole number from 2 to 4096, got \"" + v + "\"";
        } else r.error = "unknown option \"" + k + "\"";
        if (!r.error.isEmpty()) return r;
    }
    return r;
}

// Final states of every start: the batched engine (one GEMM per iteration for all starts) where
// the method runs batched, the per-start solver otherwise. Starts that did not converge are
// solved again one by one for the recorder's diagnosis note (cheap: they are few, and it says why).
struct Finals {
    std::vector<Trace> traces;   // z, status, iterations, residual, finalObjective, note
};
Finals solveFinals(const Scene& scene, const Model& model, const RunSpec& run)
{
    SolverSettings settings = scene.solver;
    settings.method = run.method;
    const SolverContext ctx(model, scene.input, settings, run.withPrior ? scene.prior : PriorSettings{});
    const std::vector<Eigen::VectorXd> starts = scene.effectiveStarts();
    Finals f;
    if (!runsBatched(ctx) || starts.size() < 2) {
        TraceOptions o;
        o.storeIterates = o.storeScalars = false;
        o.computeObjective = false;
        f.traces = solveBatch(ctx, starts, o);
        return f;
    }
    Eigen::MatrixXd Z0(model.n(), Eigen::Index(starts.size()));
    for (size_t j = 0; j < starts.size(); ++j) Z0.col(Eigen::Index(j)) = starts[j];
    const BatchResult r = solveBatchDense(ctx, Z0);
    const std::vector<double> E = columnObjectives(ctx, r.Z);
    f.traces.resize(starts.size());
    for (size_t j = 0; j < starts.size(); ++j) {
        Trace& t = f.traces[j];
        t.z = r.Z.col(Eigen::Index(j));
        t.status = r.status[j];
        t.iterations = r.iterations[j];
        t.residual = r.residual[j];
        t.finalObjective = E[j];
        if (t.status != SolveStatus::Converged) {
            TraceOptions o;
            o.storeIterates = o.storeScalars = false;
            t.note = solve(ctx, starts[j], o).note;
        }
    }
    return f;
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
    static const QStringList commands{"solve",  "trace",  "landscape", "basins",  "predict",
                                      "export", "import", "train",     "evaluate", "spectrum", "fixset"};
    if (!commands.contains(a.command)) {
        err << "opteq: unknown command \"" << a.command << "\"\n" << kUsage;
        return kBadInput;
    }
    if (a.command != "solve" && a.command != "spectrum" && a.command != "fixset" && a.command != "evaluate" && a.out.isEmpty()) {
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
        // The scene's solver (with its prior), then every compared method: "results" is the
        // first (SCENES.md), "compare" holds the others with their method named.
        const std::vector<RunSpec> list = runList(scene);
        std::vector<std::vector<Trace>> finals;
        for (const RunSpec& r : list) finals.push_back(solveFinals(scene, model, r).traces);
        const std::vector<Eigen::VectorXd> starts = scene.effectiveStarts();
        if (a.json) {
            // Written directly (shortest round-trip digits): thousands of starts × n numbers would
            // take longer through QJsonDocument than the solve itself.
            auto results = [&](std::string& o, const RunSpec& run, const std::vector<Trace>& traces, const char* indent) {
                o += '[';
                for (size_t i = 0; i < traces.size(); ++i) {
                    o += i ? ",\n" : "\n";
                    o += indent;
                    o += "{\"method\": ";
                    appendJsonString(o, run.label);
                    o += ", \"start\": ";
                    appendJsonVector(o, starts[i]);
                    o += ", \"z\": ";
                    appendJsonVector(o, traces[i].z);
                    o += ", \"status\": \"";
                    o += statusName(traces[i].status);
                    o += "\", \"iterations\": ";
                    appendInt(o, traces[i].iterations);
                    o += ", \"residual\": ";
                    appendJsonNumber(o, traces[i].residual);
                    o += ", \"objective\": ";
                    appendJsonNumber(o, traces[i].finalObjective);
                    if (!traces[i].note.empty()) {
                        o += ", \"note\": ";
                        appendJsonString(o, traces[i].note);
                    }
                    o += '}';
                }
                o += ']';
            };
            const double s = model.spectralNorm();
            std::string o = "{\n  \"spectral_norm\": ";
            appendJsonNumber(o, s);
            o += ",\n  \"unique\": ";
            o += s < 1.0 ? "true" : "false";
            o += ",\n  \"results\": ";
            results(o, list[0], finals[0], "    ");
            if (list.size() > 1) {
                o += ",\n  \"compare\": [";
                for (size_t r = 1; r < list.size(); ++r) {
                    o += r > 1 ? ",\n    {\"method\": " : "\n    {\"method\": ";
                    appendJsonString(o, list[r].label);
                    o += ", \"results\": ";
                    results(o, list[r], finals[r], "      ");
                    o += '}';
                }
                o += "\n  ]";
            }
            o += "\n}\n";
            out << QString::fromStdString(o);
        } else {
            out << "‖W‖₂ = " << model.spectralNorm()
                << (model.spectralNorm() < 1 ? " (< 1: unique equilibrium)\n" : " (>= 1: uniqueness not guaranteed)\n");
            for (size_t r = 0; r < list.size(); ++r) {
                const std::vector<Trace>& traces = finals[r];
                if (list.size() > 1) out << QString::fromStdString(list[r].label) << ":\n";
                for (size_t i = 0; i < traces.size(); ++i) {
                    out << "start " << i + 1 << ": " << statusName(traces[i].status) << " after " << traces[i].iterations
                        << " iterations, residual " << traces[i].residual << ", E = " << traces[i].finalObjective << ", z = [";
                    for (Eigen::Index k = 0; k < traces[i].z.size(); ++k) out << (k ? ", " : "") << traces[i].z(k);
                    out << "]\n";
                    if (!traces[i].note.empty()) out << "  note: " << QString::fromStdString(traces[i].note) << "\n";
                }
            }
        }
        return kOk;
    }
    if (a.command == "trace") {
        TraceOptions o;
        // Every iterate up to the export budget (the window's rule); past it every 2nd, 4th, …
        o.maxStoredIterates = exportIteratesFor(scene, model);
        const std::vector<SolverRun> runs = solveRuns(scene, model, o);   // the scene's solver and every compared one
        const int stride = storedIterateStride(runs);
        if (stride > 1)
            err << "opteq: note: every " << stride << "th iterate written (at most " << o.maxStoredIterates << " per trace for n = "
                << scene.n() << ")\n";
        const QString suffix = QFileInfo(a.out).suffix().toLower();
        auto bytes = [](const QByteArray& b) { return std::string(b.constData(), size_t(b.size())); };
        if (suffix == "csv") return writeOutput(a.out, bytes(tracesToCsv(runs, scene.n())), err);
        if (suffix == "json")
            return writeOutput(a.out, bytes(tracesToJson(runs, QFileInfo(a.scene).fileName(), model.spectralNorm())), err);
        if (suffix == "npy") {
            // Columns as in the CSV, with the method as its index in runs (the scene's solver is 0).
            const int cols = scene.n() + 6;
            const std::vector<double> m = tracesToRows(runs, scene.n());
            out << "column 1 (method):";
            for (size_t r = 0; r < runs.size(); ++r) out << (r ? ", " : " ") << r << " = " << QString::fromStdString(runs[r].label);
            out << "\n";
            return writeOutput(a.out, npyBytes(m.data(), m.size() / cols, cols), err);
        }
        err << "opteq: --out must end in .csv, .json or .npy\n";
        return kBadInput;
    }
    if (a.command == "landscape") return runLandscape(a, scene, out, err);
    if (a.command == "basins") return runBasins(a, scene, out, err);
    if (a.command == "predict") return runPredict(a, scene, out, err);
    if (a.command == "import") return runImport(a, scene, out, err);
    if (a.command == "train") return runTrain(a, scene, out, err);
    if (a.command == "evaluate") return runEvaluate(a, scene, out, err);
    if (a.command == "spectrum") return runSpectrum(a, scene, out, err);
    if (a.command == "fixset") return runFixset(a, scene, out, err);
    // export
#ifdef OPTEQ_WITH_FIGURES
    if (!a.prior.isEmpty() && a.prior != "on" && a.prior != "off" && a.prior != "both") {
        err << "opteq: --prior takes on, off or both, got \"" << a.prior << "\"\n";
        return kBadInput;
    }
    if (a.prior == "both") {
        err << "opteq: export draws one basin map: use --prior on or --prior off (or opteq basins --prior both for the data)\n";
        return kBadInput;
    }
    return exportFigure(scene, a.scene, a.plot, a.out, FigureOptions{a.width, a.height, a.scale, a.fontScale, a.prior != "off", a.log}, err);
#else
    err << "opteq: this build has no figure export (configured with OPTEQ_BUILD_GUI=OFF)\n";
    return kFailure;
#endif
}

}  // namespace opteq

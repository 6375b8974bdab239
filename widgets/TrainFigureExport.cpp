// SPDX-License-Identifier: GPL-3.0-or-later
// `opteq export --plot decision|curves|equilibria|samples|confusion|filters`: the Train tab's figures for a trained scene,
// computed here (its data read and split as `opteq train` does), never from a window's state.
// The decision regions are solved at the export's own resolution, not the tab's 72 × 72 grid.
#include "FigureExport.h"

#include "Csv.h"
#include "DecisionMap.h"
#include "Dataset.h"
#include "FileRead.h"
#include "ImageViews.h"
#include "PlotExport.h"
#include "PlotStyle.h"
#include "TrainPlots.h"

#include <QFileInfo>
#include <algorithm>

namespace opteq {
namespace {

// The per-epoch history from `opteq train --log` (its header names the columns).
std::string readHistory(const QString& path, std::vector<EpochLog>& history)
{
    const FileBytes f = readFileBounded(QFile::encodeName(path).toStdString(), std::size_t(64) << 20, "training log", true);
    if (!f.ok()) return f.error;
    const CsvTable t = parseNumericCsv(f.bytes);
    if (!t.ok()) return path.toStdString() + ": " + t.error;
    for (const char* need : {"epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy"})
        if (t.column(need) < 0) return path.toStdString() + ": no column \"" + need + "\" (expected the CSV of opteq train --log)";
    if (t.rows == 0) return path.toStdString() + ": no epochs";
    auto at = [&](std::size_t r, const char* name) { const int c = t.column(name); return c < 0 ? std::nan("") : t.at(r, std::size_t(c)); };
    for (std::size_t r = 0; r < t.rows; ++r) {
        EpochLog l;
        l.epoch = int(at(r, "epoch"));
        l.trainLoss = at(r, "train_loss");
        l.trainAccuracy = at(r, "train_accuracy");
        l.testLoss = at(r, "test_loss");
        l.testAccuracy = at(r, "test_accuracy");
        l.forwardIterations = (long long)(std::max(0.0, at(r, "forward_iterations")));
        l.adjointIterations = (long long)(std::max(0.0, at(r, "adjoint_iterations")));
        l.spectralNorm = at(r, "spectral_norm");
        l.seconds = at(r, "seconds");
        history.push_back(l);
    }
    return {};
}

}  // namespace

DecisionMap decisionMapForExport(const Scene& trained, const InputSlice& slice, GridSpec box, int width, int height, double scale,
                                 const JobControl& job)
{
    // One cell per ~3 output pixels (at most 400 a side): the regions stay smooth at any size.
    const double density = std::max(1.0, scale);
    box.nx = std::clamp(int(width * density / 3), 72, 400);
    box.ny = slice.iy < 0 ? 2 : std::clamp(int(height * density / 3), 72, 400);
    SolverSettings mapSolver = trained.solver;
    mapSolver.tol = std::max(mapSolver.tol, 1e-6);
    return computeDecisionMap(trained.model(), weightsOf(trained), mapSolver, box, slice, job);
}

int exportTrainingFigure(const Scene& scene, const QString& scenePath, const QString& plot, const QString& out,
                         const FigureOptions& options, QTextStream& err)
{
    const QString file = QFileInfo(scenePath).fileName();
    const QString name = scene.title.empty() ? QFileInfo(scenePath).completeBaseName() : QString::fromStdString(scene.title);
    const int w = options.width, h = options.height;
    auto save = [&](QCustomPlot* p) { return exportPlot(p, out, w, h, options.scale, options.fontScale); };
    QString error;
    if (plot == "curves") {
        if (options.log.isEmpty()) {
            err << "opteq: --plot curves draws a training log: add --log LOG.csv (written by opteq train --log)\n";
            return 2;
        }
        std::vector<EpochLog> history;
        if (const std::string e = readHistory(options.log, history); !e.empty()) {
            err << "opteq: " << QString::fromStdString(e) << "\n";
            return 2;
        }
        CurvesView v;
        v.resize(w, h);
        v.setHistory(history);
        setPlotTitle(&v, QString("%1 — loss and accuracy over %2 epochs").arg(name).arg(history.size()));
        error = save(&v);
    } else {
        if (!scene.hasTraining || scene.readout.empty()) {
            err << "opteq: " << file << ": no trained network to draw (train it first: opteq train " << file << " --out TRAINED.opteq.json)\n";
            return 2;
        }
        const TrainTestData data = loadTrainTest(scene.training, QFileInfo(scenePath).absolutePath().toStdString());
        if (!data.ok()) { err << "opteq: " << QString::fromStdString(data.error) << "\n"; return 2; }
        const DataFit fit = checkTrainingData(scene, data.train);
        if (!fit.error.empty()) { err << "opteq: " << file << ": " << QString::fromStdString(fit.error) << "\n"; return 2; }
        const bool imagePlot = plot == "samples" || plot == "confusion" || plot == "filters";
        if (imagePlot != data.train.isImage()) {
            err << "opteq: " << file << ": --plot " << plot
                << (imagePlot ? " draws image data; this scene's data are points (draw --plot decision or equilibria)\n"
                              : " draws 2-D points; this scene's data are images (draw --plot samples, confusion or filters)\n");
            return 2;
        }
        if (imagePlot) {
            // The window's views and drawing, of the test split's own evaluation (the first test
            // image's z* is not drawn by these three).
            auto test = std::make_shared<const Dataset>(data.test);
            auto report = std::make_shared<const ImageReport>(imageReport(scene, *test, nullptr, -1));
            const Evaluation& e = *report->test;
            if (plot == "samples") {
                ImageGrid v;
                v.resize(w, h);
                v.setData(test, report);
                error = v.saveFigure(out, w, h, options.scale);
            } else if (plot == "confusion") {
                ConfusionView v;
                v.setData(test, report);
                error = v.saveFigure(out, w, h, options.scale);
            } else {
                FilterView v;
                v.setData(scene.U, test->imageRows, test->imageCols, report);
                error = v.saveFigure(out, w, h, options.scale);
            }
            if (!e.problem.empty()) err << "opteq: note: " << QString::fromStdString(e.problem) << "\n";
            if (!error.isEmpty()) {
                err << "opteq: " << file << ": " << error << "\n";
                return 1;
            }
            return 0;
        }
        const Dataset& train = data.train;
        const Dataset& test = data.test;
        const Model model = scene.model();
        const NetworkWeights weights = weightsOf(scene);
        Eigen::MatrixXd all(train.size() + test.size(), train.X.cols());
        all << train.X, test.X;
        std::vector<int> predicted;
        const Eigen::MatrixXd embedding = equilibriumEmbedding(model, weights, scene.solver, all, &predicted);
        if (plot == "decision" && train.labels.empty()) {
            err << "opteq: " << file << ": decision regions need class labels; this data has regression targets (draw --plot equilibria)\n";
            return 2;
        }
        if (plot == "decision") {
            const InputSlice slice = defaultSlice(train);
            const DecisionMap map = decisionMapForExport(scene, slice, inputBox(train, slice, 2, 2), w, h, options.scale);
            DecisionView v;
            v.resize(w, h);
            v.setData(&map, train, test, predicted);
            const QString held = v.sliceText();
            setPlotTitle(&v, QString("%1 — decision regions (%2 misclassified of %3)%4")
                                 .arg(name).arg(v.misclassified()).arg(all.rows()).arg(held.isEmpty() ? QString() : " · " + held));
            error = save(&v);
        } else {
            std::vector<int> labels(train.labels);
            labels.insert(labels.end(), test.labels.begin(), test.labels.end());
            if (train.labels.empty()) labels.assign(size_t(all.rows()), 0);   // regression: one colour
            EmbeddingView v;
            v.resize(w, h);
            v.setEmbedding(embedding, labels);
            setPlotTitle(&v, QString("%1 — equilibria z* of the %2 data points, on their top two principal directions").arg(name).arg(all.rows()));
            error = save(&v);
        }
    }
    if (!error.isEmpty()) {
        err << "opteq: " << file << ": " << error << "\n";
        return 1;
    }
    return 0;
}

}  // namespace opteq

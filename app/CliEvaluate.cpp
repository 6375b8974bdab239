// SPDX-License-Identifier: GPL-3.0-or-later
// `opteq evaluate SCENE [--json]`: a trained scene (one with a readout) on its test data, through
// the same forward pass and loss as training's per-epoch test numbers (Evaluation.h): accuracy,
// loss, the confusion matrix (rows = true class), per-class accuracy and how the solves went.
#include "CliCommon.h"
#include "Csv.h"
#include "Dataset.h"
#include "Evaluation.h"
#include "Trainer.h"

#include <QFileInfo>
#include <cmath>

namespace opteq::cli {
namespace {

std::string evaluationJson(const Evaluation& e, const TrainTestData& data)
{
    std::string o = "{\n  \"test_accuracy\": ";
    appendJsonNumber(o, e.accuracy);
    o += ",\n  \"test_loss\": ";
    appendJsonNumber(o, e.loss);
    o += ",\n  \"confusion\": [";
    for (Eigen::Index r = 0; r < e.confusion.rows(); ++r) {
        o += r ? ",\n    [" : "\n    [";
        for (Eigen::Index c = 0; c < e.confusion.cols(); ++c) {
            if (c) o += ", ";
            appendInt(o, e.confusion(r, c));
        }
        o += ']';
    }
    o += e.confusion.rows() ? "\n  ],\n  \"per_class_accuracy\": [" : "],\n  \"per_class_accuracy\": [";
    for (size_t k = 0; k < e.perClassAccuracy.size(); ++k) {
        if (k) o += ", ";
        appendJsonNumber(o, e.perClassAccuracy[k]);
    }
    o += "],\n  \"iterations_mean\": ";
    appendJsonNumber(o, e.iterationsMean);
    o += ",\n  \"unconverged\": ";
    appendInt(o, int(e.unconverged));
    o += ",\n  \"zero_fraction\": ";
    appendJsonNumber(o, e.zeroFraction);
    o += ",\n  \"test_size\": ";
    appendInt(o, e.size);
    o += ",\n  \"test_split\": ";
    appendJsonString(o, data.ownTestSplit ? "data set" : "test_fraction");
    if (!data.test.classNames.empty()) {
        o += ",\n  \"class_names\": [";
        for (size_t k = 0; k < data.test.classNames.size(); ++k) {
            if (k) o += ", ";
            appendJsonString(o, data.test.classNames[k]);
        }
        o += ']';
    }
    return o + "\n}\n";
}

QString className(const Dataset& d, int k)
{
    return size_t(k) < d.classNames.size() ? QString::fromStdString(d.classNames[size_t(k)]) : QString("class %1").arg(k);
}

}  // namespace

int runEvaluate(const Args& a, const Scene& scene, QTextStream& out, QTextStream& err)
{
    if (scene.readout.empty()) {
        err << "opteq: " << a.scene << " has no readout: train it first (opteq train " << a.scene << " --out TRAINED.opteq.json)\n";
        return kBadInput;
    }
    if (!scene.hasTraining) {
        err << "opteq: " << a.scene << " has no \"training\" object: evaluate needs its data (see README, Training)\n";
        return kBadInput;
    }
    // Only the test inputs: the training images are not inflated (1.4 s of 1.4 s for fashion-mnist
    // before), and their 376 MB never allocated.
    const TrainTestData data = loadTrainTest(scene.training, QFileInfo(a.scene).absolutePath().toStdString(), Splits::TestInputsOnly);
    if (!data.ok()) { err << "opteq: " << QString::fromStdString(data.error) << "\n"; return kBadInput; }
    if (data.test.size() == 0) {
        err << "opteq: " << a.scene << ": the test split is empty (training.test_fraction is 0, or test_limit leaves nothing): nothing to evaluate\n";
        return kBadInput;
    }
    const DataFit fit = checkTrainingData(scene, data.test);
    if (!fit.error.empty()) {
        err << "opteq: cannot evaluate on " << QString::fromStdString(scene.training.data.sourceName()) << ": "
            << QString::fromStdString(fit.error) << "\n";
        return kBadInput;
    }
    const Evaluation e = evaluateNetwork(scene.model(), weightsOf(scene), scene.solver, scene.training.loss, data.test);
    if (!e.problem.empty()) err << "opteq: note: " << QString::fromStdString(e.problem) << "\n";
    if (a.json) {
        out << QString::fromStdString(evaluationJson(e, data));
        return kOk;
    }
    out << "test set: " << e.size << " rows" << (data.ownTestSplit ? " (the data set's own test split)" : " (test_fraction of the data)") << "\n";
    if (!std::isnan(e.accuracy)) out << "test accuracy " << e.accuracy << "\n";
    out << "test loss " << e.loss << " (" << TrainingSettings::lossName(scene.training.loss) << ")\n";
    out << "forward iterations per row " << e.iterationsMean << "; unconverged rows " << e.unconverged << "\n";
    out << "entries of z* that are zero (|z_i| <= 1e-12) " << e.zeroFraction << "\n";
    if (e.confusion.size() == 0) return kOk;
    out << "confusion (rows: true class, columns: predicted):\n";
    const int K = int(e.confusion.rows());
    int width = 0;
    for (int k = 0; k < K; ++k) width = std::max(width, int(className(data.test, k).size()));
    for (int k = 0; k < K; ++k) {
        out << className(data.test, k).leftJustified(width) << " ";
        for (int c = 0; c < K; ++c) out << QString::number(e.confusion(k, c)).rightJustified(6);
        out << "   " << (std::isnan(e.perClassAccuracy[size_t(k)]) ? QString("no rows") : QString::number(e.perClassAccuracy[size_t(k)], 'f', 4)) << "\n";
    }
    return kOk;
}

}  // namespace opteq::cli

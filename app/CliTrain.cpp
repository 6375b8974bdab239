// SPDX-License-Identifier: GPL-3.0-or-later
// `opteq train SCENE --out TRAINED.opteq.json [--epochs N] [--log LOG.csv] [--json]`: trains the
// scene's network on its "training" data, headless, with a progress line on stderr; writes the
// trained scene (weights, readout, the training settings and data reference) atomically.
#include "CliCommon.h"
#include "Csv.h"
#include "Dataset.h"
#include "SceneIO.h"
#include "Trainer.h"

#include <QFileInfo>
#include <cmath>

namespace opteq::cli {
namespace {

std::string jsonRow(const EpochLog& l)
{
    std::string o = "{";
    for (const auto& [name, v] : epochLogFields(l)) {
        if (o.size() > 1) o += ", ";
        o += '"';
        o += name;
        o += "\": ";
        appendJsonNumber(o, v);
    }
    return o + "}";
}

}  // namespace

int runTrain(const Args& a, const Scene& scene, QTextStream& out, QTextStream& err)
{
    if (!scene.hasTraining) {
        err << "opteq: " << a.scene << " has no \"training\" object: add one (see README, Training) to say what to learn\n";
        return kBadInput;
    }
    if (!a.out.endsWith(".json")) { err << "opteq: train writes a scene: --out must end in .json\n"; return kBadInput; }
    TrainTestData data = loadTrainTest(scene.training, QFileInfo(a.scene).absolutePath().toStdString());
    if (!data.ok()) { err << "opteq: " << QString::fromStdString(data.error) << "\n"; return kBadInput; }
    if (!data.note.empty()) err << "opteq: note: " << QString::fromStdString(data.note) << "\n";
    // The data against the loss and the network, on the training split (the same check the
    // Trainer makes, here first so the message names the data source).
    const DataFit fit = checkTrainingData(scene, data.train);
    const QString source = QString::fromStdString(scene.training.data.sourceName());
    if (!fit.error.empty()) { err << "opteq: cannot train on " << source << ": " << QString::fromStdString(fit.error) << "\n"; return kBadInput; }
    if (!fit.note.empty()) err << "opteq: note: " << QString::fromStdString(fit.note) << "\n";
    // --epochs N is the run's length: the scene trained for (and a learning-rate schedule over) N.
    Scene run = scene;
    if (a.epochs > 0) run.training.epochs = a.epochs;
    std::string error;
    Trainer trainer(run, std::move(data.train), std::move(data.test), &error);   // 376 MB for all of fashion-mnist: moved, not copied
    if (!error.empty()) { err << "opteq: cannot train: " << QString::fromStdString(error) << "\n"; return kBadInput; }
    const int epochs = run.training.epochs;
    std::vector<EpochLog> history;
    EpochLog last;
    const int every = std::max(1, epochs / 20);   // about twenty progress lines
    for (int e = 0; e < epochs; ++e) {
        last = trainer.runEpoch({}, true);   // with the estimators' cosines (the log's cos_* columns)
        if (!trainer.problem().empty()) break;
        history.push_back(last);
        if ((e + 1) % every == 0 || e + 1 == epochs)
            err << "epoch " << last.epoch << "/" << epochs << ": train loss " << last.trainLoss
                << (std::isnan(last.trainAccuracy) ? QString("; test loss %1").arg(last.testLoss)   // regression: no accuracy
                                                   : QString(", accuracy %1; test accuracy %2").arg(last.trainAccuracy).arg(last.testAccuracy))
                << "; ‖W‖₂ " << last.spectralNorm << "\n";
        err.flush();
    }
    // The weights are written either way: a run that stopped keeps its last good step.
    // The written scene keeps the file's own training settings (its epochs too): --epochs was
    // this run's length, not an edit of the scene.
    Scene trained = trainer.trainedScene();
    trained.training = scene.training;
    const std::string saved = saveScene(trained, a.out);
    if (!saved.empty()) { err << "opteq: cannot write " << a.out << ": " << QString::fromStdString(saved) << "\n"; return kFailure; }
    if (!a.log.isEmpty()) {
        const int rc = writeOutput(a.log, epochLogCsv(history), err);
        if (rc != kOk) return rc;
    }
    if (!trainer.problem().empty()) {
        err << "opteq: training stopped: " << QString::fromStdString(trainer.problem()) << "; the weights of epoch "
            << trainer.epoch() << " were written to " << a.out << "\n";
        return kFailure;
    }
    if (a.json) {
        // ‖W‖₂ of the written W as every command computes it for that scene (the epoch log's own
        // computation differs in the last digits above 160 units).
        last.spectralNorm = trained.model().spectralNorm();
        out << QString::fromStdString(jsonRow(last)) << "\n";
    }
    return kOk;
}

}  // namespace opteq::cli

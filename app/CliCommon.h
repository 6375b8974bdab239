// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Shared pieces of the `opteq` commands (internal to app/): parsed arguments, exit codes, output
// helpers. Each command lives in its own file: CliCommands.cpp (dispatch, solve, trace, export),
// CliMaps.cpp (landscape, basins), CliPredict.cpp (predict), CliImport.cpp (import), CliTrain.cpp (train), CliEvaluate.cpp (evaluate), CliTheory.cpp (spectrum, fixset).
#include "Scene.h"

#include <QString>
#include <QTextStream>
#include <map>
#include <string>

namespace opteq::cli {

constexpr int kOk = 0, kFailure = 1, kBadInput = 2;

struct Args {
    QString command, scene, out, plot, inputs, prior;
    int grid = 0;
    bool json = false;
    // export: figure size in px (PDF/SVG: points), PNG pixel density, font/line/marker scale.
    int width = 900, height = 700;
    double scale = 1.0, fontScale = 1.0;
    std::map<std::string, QString> weights;   // import: "W", "U", "b", "V", "c" → file
    int epochs = 0;                           // train: 0 = the scene's training.epochs
    QString log;                              // train: the per-epoch CSV
    QString error;
};

// ".csv", ".npy", ".json", … of an output path, lower case, or empty.
QString suffixOf(const QString& path);
// Writes bytes atomically; on failure prints why and returns kFailure.
int writeOutput(const QString& path, const std::string& bytes, QTextStream& err);
// A JSON string literal (quotes, backslashes and control characters escaped).
void appendJsonString(std::string& out, const std::string& s);
// A JSON number, or null when not finite.
void appendJsonNumber(std::string& out, double v);
// A JSON array of numbers.
void appendJsonVector(std::string& out, const Eigen::Ref<const Eigen::VectorXd>& v);

int runLandscape(const Args& a, const Scene& scene, QTextStream& out, QTextStream& err);
int runBasins(const Args& a, const Scene& scene, QTextStream& out, QTextStream& err);
int runPredict(const Args& a, const Scene& scene, QTextStream& out, QTextStream& err);
int runImport(const Args& a, const Scene& scene, QTextStream& out, QTextStream& err);
int runTrain(const Args& a, const Scene& scene, QTextStream& out, QTextStream& err);
int runEvaluate(const Args& a, const Scene& scene, QTextStream& out, QTextStream& err);
int runSpectrum(const Args& a, const Scene& scene, QTextStream& out, QTextStream& err);
int runFixset(const Args& a, const Scene& scene, QTextStream& out, QTextStream& err);

}  // namespace opteq::cli

// SPDX-License-Identifier: GPL-3.0-or-later
// `opteq predict`: the equilibrium of every input row (a data set) from z0 = 0, through the
// batched engine with one bias column c = U x + b per row.
#include "BatchSolver.h"
#include "CliCommon.h"
#include "Csv.h"
#include "FileRead.h"
#include "Npy.h"

#include <QFile>
#include <chrono>
#include <cmath>

namespace opteq::cli {
namespace {

struct Inputs {
    Eigen::MatrixXd X;   // d × N: one column per input row
    std::string error;
};

Inputs readInputs(const QString& path, int d, bool untrained)
{
    Inputs in;
    const std::string fileName = QFile::encodeName(path).toStdString();
    const QString suffix = suffixOf(path);
    std::vector<std::string> names;
    size_t rows = 0, cols = 0;
    std::vector<double> data;
    if (suffix == "npy") {
        NpyMatrix m = readNpyFile(fileName, kMaxInputFileBytes, "input file");
        if (!m.ok()) { in.error = "--inputs " + m.error; return in; }
        rows = m.rows;
        cols = m.cols;
        data = std::move(m.data);
    } else if (suffix == "csv") {
        const FileBytes f = readFileBounded(fileName, kMaxInputFileBytes, "input file", true);
        if (!f.ok()) { in.error = "--inputs " + f.error; return in; }
        CsvTable t = parseNumericCsv(f.bytes);
        if (!t.ok()) { in.error = path.toStdString() + ": " + t.error; return in; }
        // Training data's answers (a label column, y1..yK targets) are ignored: predict needs the
        // inputs only.
        auto answer = [&](size_t c) {
            const std::string& h = t.header[c];
            return h == "label" || (h.size() >= 2 && h[0] == 'y' && h.find_first_not_of("0123456789", 1) == std::string::npos);
        };
        rows = t.rows;
        for (size_t c = 0; c < t.cols(); ++c)
            if (!answer(c)) names.push_back(t.header[c]);
        cols = names.size();
        data.reserve(rows * cols);
        for (size_t r = 0; r < rows; ++r)
            for (size_t c = 0; c < t.cols(); ++c)
                if (!answer(c)) data.push_back(t.at(r, c));
    } else {
        in.error = "--inputs must end in .csv or .npy, got \"" + path.toStdString() + "\"";
        return in;
    }
    if (rows == 0) { in.error = path.toStdString() + ": no input rows"; return in; }
    if (int(cols) != d) {
        in.error = path.toStdString() + ": " + std::to_string(cols) + " input columns, but the scene's U takes d = "
            + std::to_string(d) + " (x1..x" + std::to_string(d) + ")" + (untrained ? "; an untrained scene takes its width from its training data: opteq train it first" : "");
        return in;
    }
    // Column names for messages only now that the width is known to be d (a .npy's shape
    // could declare billions of columns with no data).
    for (size_t c = names.size(); c < cols; ++c) names.push_back("column " + std::to_string(c + 1));
    in.X.resize(d, Eigen::Index(rows));
    for (size_t r = 0; r < rows; ++r)
        for (size_t c = 0; c < cols; ++c) {
            const double v = data[r * cols + c];
            if (!std::isfinite(v)) {
                in.error = path.toStdString() + ": row " + std::to_string(r + 1) + ", " + names[c] + " is not a finite number";
                return in;
            }
            in.X(Eigen::Index(c), Eigen::Index(r)) = v;
        }
    return in;
}

}  // namespace

int runPredict(const Args& a, const Scene& scene, QTextStream& out, QTextStream& err)
{
    const auto t0 = std::chrono::steady_clock::now();
    if (a.inputs.isEmpty()) { err << "opteq: predict needs --inputs X.csv|X.npy\n"; return kBadInput; }
    const QString outSuffix = suffixOf(a.out);
    if (outSuffix != "csv" && outSuffix != "npy") {
        err << "opteq: --out must end in .csv or .npy, got \"" << a.out << "\"\n";
        return kBadInput;
    }
    const Inputs in = readInputs(a.inputs, scene.d(), scene.hasTraining && scene.readout.empty());
    if (!in.error.empty()) { err << "opteq: " << QString::fromStdString(in.error) << "\n"; return kBadInput; }
    const Model model = scene.model();
    const SolverContext ctx(model, scene.input, scene.solver, scene.prior);
    if (!ctx.problem().empty()) { err << "opteq: " << QString::fromStdString(ctx.problem()) << "\n"; return kBadInput; }
    const int n = model.n();
    const Eigen::Index N = in.X.cols();
    Eigen::MatrixXd C = model.U() * in.X;   // c_j = U x_j + b, one GEMM
    C.colwise() += model.b();
    const BatchResult r = solveBatchDense(ctx, Eigen::MatrixXd::Zero(n, N), {}, C);
    // With a readout: the outputs y = V z* + c and (classification) the label argmax y.
    const int K = scene.readout.outputs();
    Eigen::MatrixXd Y;
    if (K > 0) {
        Y = scene.readout.V * r.Z;
        Y.colwise() += scene.readout.c;
    }
    const bool labels = K >= 2 && (!scene.hasTraining || scene.training.loss == LossKind::CrossEntropy);
    auto label = [&](Eigen::Index j) {
        Eigen::Index k;
        Y.col(j).maxCoeff(&k);
        return int(k);
    };

    std::string bytes;
    if (outSuffix == "npy") {
        // [z | y]: n + K columns (SCENES.md).
        const int cols = n + K;
        std::vector<double> m(size_t(N) * cols);
        for (Eigen::Index j = 0; j < N; ++j) {
            for (int i = 0; i < n; ++i) m[size_t(j) * cols + i] = r.Z(i, j);
            for (int k = 0; k < K; ++k) m[size_t(j) * cols + n + k] = Y(k, j);
        }
        bytes = npyBytes(m.data(), size_t(N), size_t(cols));
    } else {
        for (int i = 0; i < n; ++i) { bytes += 'z'; appendInt(bytes, i + 1); bytes += ','; }
        for (int k = 0; k < K; ++k) { bytes += 'y'; appendInt(bytes, k + 1); bytes += ','; }
        if (labels) bytes += "label,";
        bytes += "iterations,status\n";
        bytes.reserve(bytes.size() + size_t(N) * ((n + K) * 22 + 16));
        for (Eigen::Index j = 0; j < N; ++j) {
            for (int i = 0; i < n; ++i) { appendNumber(bytes, r.Z(i, j)); bytes += ','; }
            for (int k = 0; k < K; ++k) { appendNumber(bytes, Y(k, j)); bytes += ','; }
            if (labels) { appendInt(bytes, label(j)); bytes += ','; }
            appendInt(bytes, r.iterations[j]);
            bytes += ',';
            bytes += statusName(r.status[j]);
            bytes += '\n';
        }
    }
    const int rc = writeOutput(a.out, bytes, err);
    if (rc != kOk) return rc;
    int converged = 0, diverged = 0, maxIter = 0;
    for (SolveStatus s : r.status) {
        converged += s == SolveStatus::Converged;
        diverged += s == SolveStatus::Diverged;
        maxIter += s == SolveStatus::MaxIter;
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (a.json) {
        std::string o = "{\"inputs\": ";
        appendInt(o, N);
        o += ", \"converged\": ";
        appendInt(o, converged);
        o += ", \"diverged\": ";
        appendInt(o, diverged);
        o += ", \"max_iter\": ";
        appendInt(o, maxIter);
        o += ", \"mean_iterations\": ";
        appendJsonNumber(o, double(r.columnIterations) / double(N));
        o += ", \"seconds\": ";
        appendJsonNumber(o, secs);
        o += "}";
        out << QString::fromStdString(o) << "\n";
    } else if (converged < N) {
        err << "opteq: " << (N - converged) << " of " << N << " inputs did not converge (" << diverged << " diverged, "
            << maxIter << " hit max_iter); see the status column\n";
    }
    return kOk;
}

}  // namespace opteq::cli

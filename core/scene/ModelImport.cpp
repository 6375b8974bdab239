// SPDX-License-Identifier: GPL-3.0-or-later
#include "ModelImport.h"

#include "Csv.h"
#include "FileRead.h"
#include "Npy.h"

#include <QFile>
#include <QFileInfo>
#include <cmath>

namespace opteq {
namespace {

std::string shape(const Eigen::MatrixXd& m) { return std::to_string(m.rows()) + " × " + std::to_string(m.cols()); }

// One weight as given or as the scene has it; `from` names it in messages.
struct Part {
    Eigen::MatrixXd value;
    std::string from;    // "W.npy", or "the scene's W"
    bool given = false;
};

// For a mismatch in a part the user did not give: what to do about it.
std::string importToo(const Part& p, const char* key) { return p.given ? "" : std::string("; import ") + key + " too"; }

// The matrix in a .npy or header-less .csv file; errors start with the file name.
std::string readMatrix(const std::string& key, const std::string& path, Part& part)
{
    const QString qpath = QString::fromStdString(path);
    part.from = QFileInfo(qpath).fileName().toStdString();
    part.given = true;
    const QString suffix = QFileInfo(qpath).suffix().toLower();
    if (suffix != "npy" && suffix != "csv") return key + ": " + path + " must end in .npy or .csv";
    std::size_t rows = 0, cols = 0;
    std::vector<double> data;
    const std::string fileName = QFile::encodeName(qpath).toStdString();
    if (suffix == "npy") {
        NpyMatrix m = readNpyFile(fileName, kMaxWeightFileBytes, "weight file");
        if (!m.ok()) return key + ": " + m.error;
        rows = m.rows, cols = m.cols, data = std::move(m.data);
    } else {
        const FileBytes f = readFileBounded(fileName, kMaxWeightFileBytes, "weight file", true);
        if (!f.ok()) return key + ": " + f.error;
        CsvTable t = parseNumericMatrixCsv(f.bytes);
        if (!t.ok()) return part.from + ": " + t.error + " (weight CSVs are bare numbers, without a header line)";
        rows = t.rows, cols = t.cols(), data = std::move(t.data);
    }
    if (rows == 0 || cols == 0) return part.from + ": " + key + " is empty";
    if (rows > std::size_t(kMaxStateDim) * kMaxStateDim || cols > std::size_t(kMaxStateDim) * kMaxStateDim)
        return part.from + ": " + key + " is " + std::to_string(rows) + " × " + std::to_string(cols) + ", beyond the limit of "
            + std::to_string(kMaxStateDim) + " units";
    part.value.resize(Eigen::Index(rows), Eigen::Index(cols));
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) {
            const double v = data[r * cols + c];
            if (!std::isfinite(v)) {
                std::string s;
                appendNumber(s, v);
                return part.from + ": " + key + "[" + std::to_string(r + 1) + ", " + std::to_string(c + 1) + "] is " + s
                    + "; every weight must be a finite number";
            }
            part.value(Eigen::Index(r), Eigen::Index(c)) = v;
        }
    return {};
}

// b and c: a column or a row, as numpy saves a 1-D array (N × 1 here) or a (1, N) one.
std::string asVector(const std::string& key, Part& p, Eigen::Index expected, const std::string& why)
{
    const Eigen::MatrixXd& m = p.value;
    if (m.rows() != 1 && m.cols() != 1)
        return p.from + ": " + key + " is " + shape(m) + ", expected a vector of " + why;
    if (m.size() != expected) return p.from + ": " + key + " has " + std::to_string(m.size()) + " entries, expected " + why;
    if (m.rows() == 1) p.value = m.transpose().eval();
    return {};
}

}  // namespace

std::string importWeights(Scene& scene, const std::map<std::string, std::string>& files)
{
    if (files.empty()) return "nothing to import: name at least one of W, U, b, V, c";
    Part W{scene.W, "the scene's W"}, U{scene.U, "the scene's U"}, b{scene.b, "the scene's b"};
    Part V{scene.readout.V, "the scene's readout V"}, c{scene.readout.c, "the scene's readout c"};
    std::map<std::string, Part*> parts{{"W", &W}, {"U", &U}, {"b", &b}, {"V", &V}, {"c", &c}};
    for (const auto& [key, path] : files) {
        const auto it = parts.find(key);
        if (it == parts.end()) return "unknown weight \"" + key + "\" (one of W, U, b, V, c)";
        if (std::string e = readMatrix(key, path, *it->second); !e.empty()) return e;
    }
    // W fixes n (the layer sizes follow it), U fixes d, V fixes K: everything else must agree.
    const Eigen::Index n = W.value.cols(), d = U.value.cols(), K = V.value.rows();
    const std::string nFrom = " (n = " + std::to_string(n) + " from " + W.from + ")";
    if (n > kMaxStateDim || W.value.rows() > kMaxStateDim)
        return W.from + ": W is " + shape(W.value) + ", beyond the limit of " + std::to_string(kMaxStateDim) + " rows and columns";
    if (U.value.rows() != n)
        return U.from + ": U is " + shape(U.value) + ", expected n × d = " + std::to_string(n) + " × " + std::to_string(d) + nFrom
            + importToo(U, "U");
    if (d > kMaxStateDim) return U.from + ": U has " + std::to_string(d) + " columns, beyond the limit d <= " + std::to_string(kMaxStateDim);
    if (std::string e = asVector("b", b, n, "n = " + std::to_string(n) + " entries" + nFrom); !e.empty()) return e + importToo(b, "b");
    if (V.value.size() == 0 && c.value.size() != 0)
        return c.from + ": c needs a readout V (K × n) to go with it: import V too";
    if (V.value.size() != 0) {
        if (V.value.cols() != n)
            return V.from + ": V is " + shape(V.value) + ", expected K × n = " + std::to_string(K) + " × " + std::to_string(n) + nFrom
                + importToo(V, "V");
        if (c.value.size() == 0) return V.from + ": V needs the readout bias c (K = " + std::to_string(K) + " entries): import c too";
        if (std::string e = asVector("c", c, K, "K = " + std::to_string(K) + " entries (the rows of V in " + V.from + ")"); !e.empty())
            return e;
    }

    Scene s = scene;
    s.W = W.value;
    s.U = U.value;
    s.b = b.value.col(0);
    s.readout.V = V.value;
    s.readout.c = c.value.size() ? Eigen::VectorXd(c.value.col(0)) : Eigen::VectorXd();
    if (n != scene.n()) {
        // The layer structure of another n is unknown: one layer, the first one's activation.
        LayerSpec layer = scene.layers.empty() ? LayerSpec{} : scene.layers.front();
        layer.size = int(n);
        s.layers = {layer};
        s.starts.clear();
        s.view.hasPlane = false;
        s.view.origin = s.view.u = s.view.v = Eigen::VectorXd();
        s.view.axisI = s.view.axisJ = -1;
        if (s.prior.anchor.size()) s.prior.anchor = Eigen::VectorXd::Zero(n);
        if (s.prior.target.size()) s.prior.target = Eigen::VectorXd::Zero(n);
    }
    if (d != scene.d()) s.input = Eigen::VectorXd::Zero(d);
    if (std::string e = s.validate(); !e.empty()) return "the imported model: " + e;
    scene = std::move(s);
    return {};
}

}  // namespace opteq

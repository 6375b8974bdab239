// SPDX-License-Identifier: GPL-3.0-or-later
#include "Dataset.h"

#include "Csv.h"
#include "FileRead.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <random>
#include <sstream>

namespace opteq {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr int kMaxInputs = 4096;                      // d, as the scene's limit on U's columns

// Uniform and normal draws written out here: the arithmetic is fixed, so only the engine's
// (standardised) output sequence matters for reproducibility.
struct Rng {
    std::mt19937_64 engine;
    explicit Rng(std::uint64_t seed) : engine(seed) {}
    double uniform() { return double(engine() >> 11) * 0x1.0p-53; }   // [0, 1), 53 random bits
    double normal()                                                    // Box–Muller, one value per call
    {
        const double u1 = 1.0 - uniform();   // (0, 1]: log is finite
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * kPi * u2);
    }
    std::uint64_t below(std::uint64_t n) { return engine() % n; }   // bias < n / 2^64: irrelevant here
};

// Class k's share of N points: sizes differ by at most one.
int share(int N, int K, int k) { return N / K + (k < N % K ? 1 : 0); }

// Evenly spaced in [a, b] (both ends included), i of n.
double spaced(int i, int n, double a, double b) { return n > 1 ? a + (b - a) * double(i) / double(n - 1) : a; }

Dataset make(int N, int K)
{
    Dataset d;
    d.X.resize(N, 2);
    d.labels.reserve(size_t(N));
    d.classes = K;
    return d;
}

void put(Dataset& d, double x, double y, int label)
{
    const Eigen::Index r = Eigen::Index(d.labels.size());
    d.X(r, 0) = x;
    d.X(r, 1) = y;
    d.labels.push_back(label);
}

std::string num(double v)
{
    std::string s;
    appendNumber(s, v);
    return s;
}

// "x3" → ('x', 3); anything else → ('\0', 0).
std::pair<char, int> indexedName(const std::string& s)
{
    if (s.size() < 2 || (s[0] != 'x' && s[0] != 'y') || s[1] == '0' || s.size() > 6) return {'\0', 0};
    int k = 0;
    for (size_t i = 1; i < s.size(); ++i) {
        if (s[i] < '0' || s[i] > '9') return {'\0', 0};
        k = k * 10 + (s[i] - '0');
    }
    return {s[0], k};
}

// Columns of the table for names p1..pk, in index order; error when one is missing or repeated.
std::string collect(const CsvTable& t, char prefix, std::vector<int>& cols)
{
    for (size_t c = 0; c < t.cols(); ++c) {
        const auto [p, k] = indexedName(t.header[c]);
        if (p != prefix) continue;
        if (k > kMaxInputs) return "header: column \"" + t.header[c] + "\" is beyond the limit of " + std::to_string(kMaxInputs) + " columns";
        if (int(cols.size()) < k) cols.resize(size_t(k), -1);
        if (cols[size_t(k - 1)] >= 0) return "header: column \"" + t.header[c] + "\" appears twice";
        cols[size_t(k - 1)] = int(c);
    }
    for (size_t k = 0; k < cols.size(); ++k)
        if (cols[k] < 0)
            return std::string("header: has ") + prefix + std::to_string(cols.size()) + " but no " + prefix + std::to_string(k + 1);
    return {};
}

}  // namespace

Dataset generate(const DataSpec& spec)
{
    const int N = spec.samples;
    if (spec.generator == DataGenerator::None || N < 1) return {};
    const int K = (spec.generator == DataGenerator::Spirals || spec.generator == DataGenerator::Blobs)
        ? std::clamp(spec.classes, 2, kMaxClasses) : 2;
    Rng rng(spec.seed);
    Dataset d = make(N, K);
    switch (spec.generator) {
    case DataGenerator::Moons:
        // As make_moons: the outer moon gets floor(N/2) points, the inner one the rest.
        for (int i = 0, n = N / 2; i < n; ++i) {
            const double t = spaced(i, n, 0, kPi);
            put(d, std::cos(t), std::sin(t), 0);
        }
        for (int i = 0, n = N - N / 2; i < n; ++i) {
            const double t = spaced(i, n, 0, kPi);
            put(d, 1 - std::cos(t), 0.5 - std::sin(t), 1);
        }
        break;
    case DataGenerator::Circles:
        for (int k = 0; k < 2; ++k)
            for (int i = 0, n = k == 0 ? N / 2 : N - N / 2; i < n; ++i) {   // as make_circles
                const double t = 2 * kPi * double(i) / double(n), r = k == 0 ? 1.0 : 0.5;
                put(d, r * std::cos(t), r * std::sin(t), k);
            }
        break;
    case DataGenerator::Spirals:
        // Starting at r = 0.1 rather than 0 keeps the arms apart at the centre, where any noise
        // would otherwise make the classes inseparable (a floor on the test error, not learning).
        // Three quarters of a turn leaves 0.44 (K = 3) between neighbouring arms along a ray: a
        // 32-unit tanh layer reaches ~99% test accuracy at noise 0.05 and ~93% at 0.1 (a full
        // turn: 96% and 82%), so a test of learning is not a test of the noise.
        for (int k = 0; k < K; ++k)
            for (int i = 0, n = share(N, K, k); i < n; ++i) {
                const double t = spaced(i, n, 0.1, 1.0), angle = 1.5 * kPi * t + 2 * kPi * k / K;
                put(d, t * std::cos(angle), t * std::sin(angle), k);
            }
        break;
    case DataGenerator::Xor:
        // Alternate quadrants within a class: class 0 in the first and third, class 1 in the
        // second and fourth; the 0.1 margin keeps clean points off the decision boundary.
        for (int k = 0; k < 2; ++k)
            for (int i = 0, n = share(N, 2, k); i < n; ++i) {
                const double a = 0.1 + 0.9 * rng.uniform(), b = 0.1 + 0.9 * rng.uniform(), s = i % 2 ? -1.0 : 1.0;
                put(d, s * a, k == 0 ? s * b : -s * b, k);
            }
        break;
    case DataGenerator::Blobs:
        for (int k = 0; k < K; ++k)
            for (int i = 0, n = share(N, K, k); i < n; ++i) put(d, std::cos(2 * kPi * k / K), std::sin(2 * kPi * k / K), k);
        break;
    case DataGenerator::None: break;
    }
    // Noise last, in row order: the clean points do not depend on it, so noise 0 is exact.
    if (spec.noise > 0)
        for (Eigen::Index r = 0; r < d.X.rows(); ++r)
            for (Eigen::Index c = 0; c < 2; ++c) d.X(r, c) += spec.noise * rng.normal();
    return d;
}

std::pair<Dataset, Dataset> splitTrainTest(const Dataset& data, double testFraction, std::uint64_t seed)
{
    const int N = data.size();
    std::vector<int> order(size_t(std::max(N, 0)));
    for (int i = 0; i < N; ++i) order[size_t(i)] = i;
    Rng rng(seed);
    for (int i = N - 1; i > 0; --i) std::swap(order[size_t(i)], order[size_t(rng.below(std::uint64_t(i) + 1))]);   // Fisher–Yates
    const double f = std::isfinite(testFraction) ? std::clamp(testFraction, 0.0, 1.0) : 0.0;
    const int nTest = N < 1 ? 0 : std::clamp(int(std::llround(N * f)), 0, N - 1);
    auto take = [&](int from, int to) {
        Dataset s;
        s.classes = data.classes;
        s.imageRows = data.imageRows;   // the shape and the names travel with the rows
        s.imageCols = data.imageCols;
        s.classNames = data.classNames;
        s.X.resize(to - from, data.X.cols());
        if (!data.labels.empty()) s.labels.reserve(size_t(to - from));
        if (data.targets.size()) s.targets.resize(to - from, data.targets.cols());
        for (int i = from; i < to; ++i) {
            const int r = order[size_t(i)];
            s.X.row(i - from) = data.X.row(r);
            if (!data.labels.empty()) s.labels.push_back(data.labels[size_t(r)]);
            if (data.targets.size()) s.targets.row(i - from) = data.targets.row(r);
        }
        return s;
    };
    Dataset test = take(0, nTest);
    return {take(nTest, N), std::move(test)};
}

DatasetResult loadDatasetCsv(const std::string& text)
{
    DatasetResult res;
    const CsvTable t = parseNumericCsv(text);
    if (!t.ok()) { res.error = t.error; return res; }
    const int label = t.column("label");
    for (size_t c = 0; c < t.cols(); ++c)
        if (int(c) != label && indexedName(t.header[c]).first == '\0') {
            res.error = "header: column " + std::to_string(c + 1) + " \"" + t.header[c]
                + "\" is not x<i>, y<i> or label (expected x1,...,xd,label or x1,...,xd,y1,...,yK)";
            return res;
        }
    std::vector<int> xs, ys;
    if (std::string e = collect(t, 'x', xs); !e.empty()) { res.error = e; return res; }
    if (std::string e = collect(t, 'y', ys); !e.empty()) { res.error = e; return res; }
    if (xs.empty()) { res.error = "header: no input columns (expected x1,...,xd then label or y1,...,yK)"; return res; }
    if (label >= 0 && !ys.empty()) { res.error = "header: has both label and y1..: a file holds classes or regression targets, not both"; return res; }
    if (label < 0 && ys.empty()) { res.error = "header: needs a label column (classes 0..K-1) or y1,...,yK (regression targets)"; return res; }
    if (t.rows == 0) { res.error = "no data rows after the header"; return res; }

    const Eigen::Index N = Eigen::Index(t.rows);
    auto where = [&](size_t r, int c) {
        return "row " + std::to_string(r + 1) + " (line " + std::to_string(t.lines[r]) + "), column \"" + t.header[size_t(c)] + "\": ";
    };
    Dataset& d = res.data;
    d.X.resize(N, Eigen::Index(xs.size()));
    if (!ys.empty()) d.targets.resize(N, Eigen::Index(ys.size()));
    int K = 0;
    for (size_t r = 0; r < t.rows; ++r) {
        for (size_t k = 0; k < xs.size(); ++k) {
            const double v = t.at(r, size_t(xs[k]));
            if (!std::isfinite(v)) { res.error = where(r, xs[k]) + num(v) + " is not a finite number"; return res; }
            d.X(Eigen::Index(r), Eigen::Index(k)) = v;
        }
        for (size_t k = 0; k < ys.size(); ++k) {
            const double v = t.at(r, size_t(ys[k]));
            if (!std::isfinite(v)) { res.error = where(r, ys[k]) + num(v) + " is not a finite number"; return res; }
            d.targets(Eigen::Index(r), Eigen::Index(k)) = v;
        }
        if (label < 0) continue;
        const double v = t.at(r, size_t(label));
        std::string why;
        if (!std::isfinite(v) || v != std::floor(v)) why = " is not a whole class number";
        else if (v < 0) why = " is not a class number (classes are 0, 1, 2, ...)";
        else if (v >= kMaxClasses) why = " is above the largest class " + std::to_string(kMaxClasses - 1) + " (at most " + std::to_string(kMaxClasses) + " classes)";
        if (!why.empty()) { res.error = where(r, label) + num(v) + why; res.data = {}; return res; }
        d.labels.push_back(int(v));
        K = std::max(K, int(v) + 1);
    }
    if (label >= 0 && K < 2) {
        res.error = "column \"label\": every row is class 0; at least two classes (0 and 1) are needed";
        res.data = {};
        return res;
    }
    if (label >= 0) {
        // Labels {0, 5} would make six outputs, four of them never trained: say which are missing.
        std::vector<int> count(size_t(K), 0);
        for (int l : d.labels) ++count[size_t(l)];
        std::string missing;
        int nMissing = 0;
        for (int k = 0; k < K; ++k)
            if (count[size_t(k)] == 0) {
                if (nMissing < 8) missing += (missing.empty() ? "" : ", ") + std::to_string(k);
                ++nMissing;
            }
        if (nMissing > 0) {
            res.error = "column \"label\": class" + std::string(nMissing > 1 ? "es " : " ") + missing + (nMissing > 8 ? ", …" : "")
                + (nMissing > 1 ? " have" : " has") + " no rows; labels must be 0.." + std::to_string(K - 1)
                + " with every class present (renumber the classes 0, 1, 2, … in order)";
            res.data = {};
            return res;
        }
    }
    d.classes = label >= 0 ? K : 0;
    return res;
}

DatasetResult loadDatasetFile(const std::string& path)
{
    DatasetResult res;
    const FileBytes f = readFileBounded(path, kMaxDataFileBytes, "data file", true);
    if (!f.ok()) { res.error = f.error; return res; }
    res = loadDatasetCsv(f.bytes);
    if (!res.ok()) res.error = path + ": " + res.error;
    return res;
}

DatasetResult loadDataset(const DataSpec& spec, const std::string& sceneDir)
{
    if (spec.generator != DataGenerator::None) return DatasetResult{generate(spec), {}};
    if (spec.kind() != DataKind::Csv) return DatasetResult{{}, "training.data: " + spec.sourceName() + " has its own reader (loadTrainTest)"};
    if (spec.file.empty()) return DatasetResult{{}, "training.data: names neither a generator nor a file"};
    std::filesystem::path p(spec.file);
    if (p.is_relative() && !sceneDir.empty()) p = std::filesystem::path(sceneDir) / p;
    return loadDatasetFile(p.string());
}

}  // namespace opteq

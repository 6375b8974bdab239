// SPDX-License-Identifier: GPL-3.0-or-later
// The data sources with a test split of their own (a named data set, IDX files, .npy files) and
// the one loader every caller uses (loadTrainTest, Dataset.h).
#include "Dataset.h"

#include "Csv.h"
#include "FileRead.h"
#include "Idx.h"
#include "Npy.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>

namespace opteq {
namespace {

namespace fs = std::filesystem;

const char* const kOwnSplitNote = "test split from the data set (test_fraction ignored)";

std::string resolve(const std::string& file, const std::string& sceneDir)
{
    fs::path p(file);
    if (p.is_relative() && !sceneDir.empty()) p = fs::path(sceneDir) / p;
    return p.string();
}

// Train and test as read, before limits; hasTest: the source gave its own test split.
struct Sources {
    Dataset train, test;
    bool hasTest = false;
    std::string error;
};

// Labels 0..K−1 from label bytes or numbers; K is settled once both splits are read.
std::string takeLabels(const std::string& name, const double* values, const unsigned char* bytes, std::size_t n, Dataset& d)
{
    d.labels.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double v = bytes ? double(bytes[i]) : values[i];
        if (!(v >= 0) || v != std::floor(v) || v >= kMaxClasses) {
            std::string s;
            appendNumber(s, v);
            return name + ": label " + std::to_string(i + 1) + " is " + s + ": labels must be whole class numbers 0.."
                + std::to_string(kMaxClasses - 1);
        }
        d.labels[i] = int(v);
    }
    return {};
}

// IDX images and labels as a data set: pixels / 255, the image shape, counts checked together.
// labelsOnly: the labels and no images (a caller that needs only the class count).
std::string fromIdx(const std::string& imagesPath, const std::string& labelsPath, std::size_t limit, Dataset& d, bool labelsOnly = false)
{
    // Labels first: small, and a wrong file shows before 47 MB of images are inflated.
    const IdxArray labels = readIdxFile(labelsPath, IdxKind::Labels, limit);
    if (!labels.ok()) return labels.error;
    if (labelsOnly) return takeLabels(labelsPath, nullptr, reinterpret_cast<const unsigned char*>(labels.data.data()), labels.count, d);
    const IdxArray images = readIdxFile(imagesPath, IdxKind::Images, limit);
    if (!images.ok()) return images.error;
    if (images.declared != labels.declared)
        return imagesPath + " holds " + std::to_string(images.declared) + " images but " + labelsPath + " holds "
            + std::to_string(labels.declared) + " labels: name the images and labels of the same split";
    const Eigen::Index N = Eigen::Index(images.count), dim = Eigen::Index(images.itemBytes());
    using Bytes = Eigen::Matrix<unsigned char, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    d.X = Eigen::Map<const Bytes>(reinterpret_cast<const unsigned char*>(images.data.data()), N, dim).cast<double>() / 255.0;   // b / 255 rounded once (255 → exactly 1)
    d.imageRows = int(images.rows);
    d.imageCols = int(images.cols);
    return takeLabels(labelsPath, nullptr, reinterpret_cast<const unsigned char*>(labels.data.data()), labels.count, d);
}

// .npy inputs (N × d, or N × h × w images; uint8 scaled by 1/255) and labels (N or N × 1).
std::string fromNpy(const std::string& xPath, const std::string& yPath, std::size_t limit, Dataset& d, bool labelsOnly = false)
{
    const NpyMatrix y = readNpyFile(yPath, kMaxDataFileBytes, "data file");
    if (!y.ok()) return y.error;
    if (y.cols != 1) return yPath + ": labels must be one column (shape (N,) or (N, 1)), got " + std::to_string(y.rows) + " × " + std::to_string(y.cols);
    if (labelsOnly) return takeLabels(yPath, y.data.data(), nullptr, limit > 0 ? std::min(limit, y.rows) : y.rows, d);
    const NpyMatrix x = readNpyFile(xPath, kMaxDataFileBytes, "data file", 3);
    if (!x.ok()) return x.error;
    if (x.rows != y.rows)
        return xPath + " has " + std::to_string(x.rows) + " rows but " + yPath + " has " + std::to_string(y.rows)
            + " labels: one label per input row";
    if (x.cols < 1) return xPath + ": no input columns";
    const std::size_t N = limit > 0 ? std::min(limit, x.rows) : x.rows;
    d.X.resize(Eigen::Index(N), Eigen::Index(x.cols));
    const double scale = x.uint8 ? 255.0 : 1.0;   // divided: b / 255 rounded once, as for IDX
    for (std::size_t r = 0; r < N; ++r)
        for (std::size_t c = 0; c < x.cols; ++c) {
            const double v = x.data[r * x.cols + c];
            if (!std::isfinite(v)) {
                std::string s;
                appendNumber(s, v);
                return xPath + ": row " + std::to_string(r + 1) + ", column " + std::to_string(c + 1) + ": " + s + " is not a finite number";
            }
            d.X(Eigen::Index(r), Eigen::Index(c)) = v / scale;
        }
    if (x.shape.size() == 3) {
        d.imageRows = int(x.shape[1]);
        d.imageCols = int(x.shape[2]);
    }
    return takeLabels(yPath, y.data.data(), nullptr, N, d);
}

// Where a named data set's files are: OPTEQ_DATASETS (the directory that holds its folder, or
// the folder itself), else /usr/share/datasets.
std::string namedDatasetFile(const NamedDataset& set, int k)
{
    const char* env = std::getenv("OPTEQ_DATASETS");
    const fs::path root = env && *env ? fs::path(env) : fs::path("/usr/share/datasets");
    const std::string gz = set.files[k], plain = gz.substr(0, gz.size() - 3);
    std::error_code ec;
    for (const fs::path& dir : {root / set.folder, root})
        for (const std::string& name : {gz, plain})
            if (fs::exists(dir / name, ec)) return (dir / name).string();
    return {};
}

Sources readOwnSplit(const DataSpec& spec, const std::string& sceneDir, Splits splits)
{
    // Test inputs only: the training split's labels are read (the class count), not its inputs.
    const bool trainLabelsOnly = splits == Splits::TestInputsOnly;
    Sources s;
    const std::size_t trainLimit = std::size_t(std::max(spec.trainLimit, 0)), testLimit = std::size_t(std::max(spec.testLimit, 0));
    if (spec.kind() == DataKind::NamedDataset) {
        const NamedDataset* set = findNamedDataset(spec.dataset);
        if (!set) { s.error = "training.data.dataset: unknown data set \"" + spec.dataset + "\" (known: " + namedDatasetList() + ")"; return s; }
        std::string path[4];
        for (int k = 0; k < 4; ++k) {
            path[k] = namedDatasetFile(*set, k);
            if (path[k].empty()) {
                const char* env = std::getenv("OPTEQ_DATASETS");
                s.error = std::string("training.data.dataset: ") + set->name + ": no " + set->files[k] + " in "
                    + (env && *env ? std::string(env) + " (OPTEQ_DATASETS)" : "/usr/share/datasets/" + std::string(set->folder))
                    + ": install Debian's " + set->package + " (apt install " + set->package + ") or set OPTEQ_DATASETS";
                return s;
            }
        }
        s.hasTest = true;
        if ((s.error = fromIdx(path[0], path[1], trainLimit, s.train, trainLabelsOnly)).empty()) s.error = fromIdx(path[2], path[3], testLimit, s.test);
        s.train.classNames = s.test.classNames = set->classNames;
        return s;
    }
    const bool idx = spec.kind() == DataKind::Idx;
    const DataFiles& f = idx ? spec.idx : spec.npy;
    s.hasTest = f.hasTest();
    auto read = [&](const std::string& x, const std::string& y, std::size_t limit, Dataset& d, bool labelsOnly) {
        return idx ? fromIdx(resolve(x, sceneDir), resolve(y, sceneDir), limit, d, labelsOnly)
                   : fromNpy(resolve(x, sceneDir), resolve(y, sceneDir), limit, d, labelsOnly);
    };
    // Without a test pair the limits apply after the split, to whole files (and the test split is
    // cut from the training files: their inputs are needed).
    s.error = read(f.trainX, f.trainY, s.hasTest ? trainLimit : 0, s.train, s.hasTest && trainLabelsOnly);
    if (s.error.empty() && s.hasTest) s.error = read(f.testX, f.testY, testLimit, s.test, false);
    if (s.error.empty() && s.hasTest && !trainLabelsOnly && s.test.X.cols() != s.train.X.cols())
        s.error = resolve(f.testX, sceneDir) + ": test inputs have " + std::to_string(s.test.X.cols()) + " values each, the training inputs "
            + std::to_string(s.train.X.cols()) + ": both splits need the same shape";
    return s;
}

}  // namespace

Dataset firstRows(Dataset d, int limit)
{
    if (limit <= 0 || limit >= d.size()) return d;
    d.X.conservativeResize(limit, Eigen::NoChange);
    if (!d.labels.empty()) d.labels.resize(size_t(limit));
    if (d.targets.size()) d.targets.conservativeResize(limit, Eigen::NoChange);
    return d;
}

TrainTestData loadTrainTest(const TrainingSettings& t, const std::string& sceneDir, Splits splits)
{
    TrainTestData r;
    const DataSpec& spec = t.data;
    Sources s;
    if (spec.kind() == DataKind::Generated || spec.kind() == DataKind::Csv) {
        DatasetResult all = loadDataset(spec, sceneDir);
        if (!all.ok()) { r.error = all.error; return r; }
        s.train = std::move(all.data);
    } else {
        s = readOwnSplit(spec, sceneDir, splits);
        if (!s.error.empty()) { r.error = s.error; return r; }
        // K from both splits (a limit may leave a class out of one); a named set has its own.
        int K = 0;
        for (const Dataset* d : {&s.train, &s.test})
            for (int l : d->labels) K = std::max(K, l + 1);
        if (!s.train.classNames.empty()) K = std::max(K, int(s.train.classNames.size()));
        if (K < 2) { r.error = spec.sourceName() + ": every label is 0; at least two classes (0 and 1) are needed"; return r; }
        s.train.classes = s.test.classes = K;
        if (s.train.labels.empty()) { r.error = spec.sourceName() + ": the training files hold no items"; return r; }
    }
    if (s.hasTest) {
        r.ownTestSplit = true;
        r.note = kOwnSplitNote;
        r.train = firstRows(std::move(s.train), spec.trainLimit);
        r.test = firstRows(std::move(s.test), spec.testLimit);
    } else {
        auto [train, test] = splitTrainTest(s.train, t.testFraction, t.seed);
        r.train = firstRows(std::move(train), spec.trainLimit);
        r.test = firstRows(std::move(test), spec.testLimit);
    }
    return r;
}

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The values that describe a network's readout, its data and how it is trained (the scene file's
// "readout" and "training" objects, see README "Training"). Plain value types, no Qt.
#include <Eigen/Dense>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace opteq {

// y = V z* + c: K outputs from the n units' equilibrium.
struct Readout {
    Eigen::MatrixXd V;   // K × n
    Eigen::VectorXd c;   // K
    int outputs() const { return int(V.rows()); }
    bool empty() const { return V.size() == 0; }
    bool operator==(const Readout& o) const
    {
        return V.rows() == o.V.rows() && V.cols() == o.V.cols() && c.size() == o.c.size() && (V.size() == 0 || V == o.V)
            && (c.size() == 0 || c == o.c);
    }
};

enum class DataGenerator { None, Moons, Circles, Spirals, Xor, Blobs };
enum class LossKind { CrossEntropy, MeanSquaredError };
enum class OptimizerKind { Sgd, Adam };
enum class GradientKind { Implicit, JacobianFree, Unrolled };
// The learning rate over a run: constant, or cosine from lr down to 0 at the last epoch
// (lr * (1 + cos(pi t)) / 2, t the fraction of the run's steps done; steps past the run keep 0).
enum class LrSchedule { Constant, Cosine };

// The ranges TrainingSettings::validate() accepts (and states in its messages).
constexpr int kMinSamples = 4, kMaxSamples = 1000000;   // generated points
constexpr int kMaxClasses = 32;                          // classes of generated or CSV data
constexpr int kMaxEpochs = 100000;
constexpr int kMaxUnroll = 1000;
constexpr double kMaxMaxNorm = 10;

// Four files of a data source with its own test split: IDX (train_images, train_labels,
// test_images, test_labels) or .npy (X, y, test_X, test_y). The test pair is optional (both or
// neither): without it the training files are split by test_fraction.
struct DataFiles {
    std::string trainX, trainY, testX, testY;   // relative to the scene file
    bool empty() const { return trainX.empty() && trainY.empty() && testX.empty() && testY.empty(); }
    bool hasTest() const { return !testX.empty() || !testY.empty(); }
    bool operator==(const DataFiles&) const = default;
};

// Where the data comes from: exactly one of a generator, a CSV `file`, a named image `dataset`,
// IDX files or .npy files (generator None for all but the first).
enum class DataKind { Generated, Csv, NamedDataset, Idx, Npy };

constexpr int kMaxDataLimit = 100000000;   // train_limit / test_limit

struct DataSpec {
    DataGenerator generator = DataGenerator::Moons;   // None: read `file`, `dataset`, `idx` or `npy`
    std::string file;                                 // CSV, relative to the scene file
    int samples = 400;
    double noise = 0.1;
    int classes = 2;                                  // spirals: arms; blobs: blobs; others: 2
    std::uint64_t seed = 1;
    std::string dataset;                              // "fashion-mnist" (files under OPTEQ_DATASETS)
    DataFiles idx, npy;
    int trainLimit = 0, testLimit = 0;                // the first N of each split; 0: all of it
    bool operator==(const DataSpec&) const = default;

    // The source the fields name (Csv when none does: validate() says what is missing).
    DataKind kind() const;
    // Makes generator g the source: every file source (CSV, named data set, IDX, .npy) is
    // dropped, so the spec names one source (what validate() requires).
    void useGenerator(DataGenerator g)
    {
        generator = g;
        file.clear();
        dataset.clear();
        idx = {};
        npy = {};
    }
    // For messages: "the generated data", "points.csv", "the fashion-mnist data set", "the IDX files".
    std::string sourceName() const;
};

// A data set known by name (training.data.dataset): its folder under the data sets directory
// (OPTEQ_DATASETS, else /usr/share/datasets, where Debian's dataset-* packages put them), its
// IDX files (gzipped; the names without .gz are read too) and its class names.
struct NamedDataset {
    const char* name;
    const char* folder;
    const char* package;                  // the Debian package that installs it
    const char* files[4];                 // train images, train labels, test images, test labels
    std::vector<std::string> classNames;  // label k is classNames[k]
};
const NamedDataset* findNamedDataset(const std::string& name);
std::string namedDatasetList();   // "fashion-mnist" (for messages)

struct TrainingSettings {
    DataSpec data;
    double testFraction = 0.25;
    LossKind loss = LossKind::CrossEntropy;
    OptimizerKind optimizer = OptimizerKind::Adam;
    double lr = 0.01;
    double momentum = 0.9;        // sgd
    int batch = 64;               // >= the training split: full batch
    int epochs = 200;
    std::uint64_t seed = 1;       // initialisation and shuffling
    GradientKind gradient = GradientKind::Implicit;
    int unroll = 5;               // steps for GradientKind::Unrolled
    double maxNorm = 0.95;        // ‖W‖₂ <= maxNorm after every step
    double weightDecay = 0.0;     // L2 on W, U, V (not on b, c)
    LrSchedule lrSchedule = LrSchedule::Constant;
    bool operator==(const TrainingSettings&) const = default;

    static const char* generatorName(DataGenerator g);   // "moons", …, "none"
    static const char* lossName(LossKind l);              // "cross_entropy", "mse"
    static const char* optimizerName(OptimizerKind o);    // "sgd", "adam"
    static const char* gradientName(GradientKind g);      // "implicit", "jacobian_free", "unrolled"
    static const char* scheduleName(LrSchedule s);        // "constant", "cosine"
    // The inverse of the names above (the scene file's spelling); nullopt for anything else.
    // parseGenerator does not accept "none": a file is named by the "file" key instead.
    static std::optional<DataGenerator> parseGenerator(const std::string& s);
    static std::optional<LossKind> parseLoss(const std::string& s);
    static std::optional<OptimizerKind> parseOptimizer(const std::string& s);
    static std::optional<GradientKind> parseGradient(const std::string& s);
    static std::optional<LrSchedule> parseSchedule(const std::string& s);
    // The factor on lr after `done` of a run's `total` steps (1 for Constant).
    double lrFactor(double done, double total) const;
    // Empty when valid, else "training.field: what is wrong".
    std::string validate() const;
};

// A dataset: one sample per row of X (N × d); classification labels 0..K−1, or regression targets.
struct Dataset {
    Eigen::MatrixXd X;           // N × d
    std::vector<int> labels;     // N (classification), empty for regression
    Eigen::MatrixXd targets;     // N × K (regression), empty for classification
    int classes = 0;             // K for classification
    // Images: each row of X is an imageRows × imageCols picture in row-major order (0 for data
    // that is not an image); class names when the source has them (fashion-mnist), else empty.
    int imageRows = 0, imageCols = 0;
    std::vector<std::string> classNames;
    int size() const { return int(X.rows()); }
    bool isImage() const { return imageRows > 0 && imageCols > 0; }
};

}  // namespace opteq

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

// The ranges TrainingSettings::validate() accepts (and states in its messages).
constexpr int kMinSamples = 4, kMaxSamples = 1000000;   // generated points
constexpr int kMaxClasses = 32;                          // classes of generated or CSV data
constexpr int kMaxEpochs = 100000;
constexpr int kMaxUnroll = 1000;
constexpr double kMaxMaxNorm = 10;

struct DataSpec {
    DataGenerator generator = DataGenerator::Moons;   // None: read `file`
    std::string file;                                 // CSV, relative to the scene file
    int samples = 400;
    double noise = 0.1;
    int classes = 2;                                  // spirals: arms; blobs: blobs; others: 2
    std::uint64_t seed = 1;
    bool operator==(const DataSpec&) const = default;
};

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
    bool operator==(const TrainingSettings&) const = default;

    static const char* generatorName(DataGenerator g);   // "moons", …, "none"
    static const char* lossName(LossKind l);              // "cross_entropy", "mse"
    static const char* optimizerName(OptimizerKind o);    // "sgd", "adam"
    static const char* gradientName(GradientKind g);      // "implicit", "jacobian_free", "unrolled"
    // The inverse of the names above (the scene file's spelling); nullopt for anything else.
    // parseGenerator does not accept "none": a file is named by the "file" key instead.
    static std::optional<DataGenerator> parseGenerator(const std::string& s);
    static std::optional<LossKind> parseLoss(const std::string& s);
    static std::optional<OptimizerKind> parseOptimizer(const std::string& s);
    static std::optional<GradientKind> parseGradient(const std::string& s);
    // Empty when valid, else "training.field: what is wrong".
    std::string validate() const;
};

// A dataset: one sample per row of X (N × d); classification labels 0..K−1, or regression targets.
struct Dataset {
    Eigen::MatrixXd X;           // N × d
    std::vector<int> labels;     // N (classification), empty for regression
    Eigen::MatrixXd targets;     // N × K (regression), empty for classification
    int classes = 0;             // K for classification
    int size() const { return int(X.rows()); }
};

}  // namespace opteq

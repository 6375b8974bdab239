// SPDX-License-Identifier: GPL-3.0-or-later
#include "TrainingSettings.h"

#include "Csv.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <tuple>

namespace opteq {
namespace {

// One table per enum, so the name and the parser can never disagree.
template <class E>
struct Named { E value; const char* name; };

constexpr Named<DataGenerator> kGenerators[] = {{DataGenerator::Moons, "moons"},   {DataGenerator::Circles, "circles"},
                                                {DataGenerator::Spirals, "spirals"}, {DataGenerator::Xor, "xor"},
                                                {DataGenerator::Blobs, "gaussians"}};
constexpr Named<LossKind> kLosses[] = {{LossKind::CrossEntropy, "cross_entropy"}, {LossKind::MeanSquaredError, "mse"}};
constexpr Named<OptimizerKind> kOptimizers[] = {{OptimizerKind::Sgd, "sgd"}, {OptimizerKind::Adam, "adam"}};
constexpr Named<LrSchedule> kSchedules[] = {{LrSchedule::Constant, "constant"}, {LrSchedule::Cosine, "cosine"}};
constexpr Named<GradientKind> kGradients[] = {{GradientKind::Implicit, "implicit"},
                                              {GradientKind::JacobianFree, "jacobian_free"},
                                              {GradientKind::Unrolled, "unrolled"}};

template <class E, std::size_t N>
const char* nameOf(const Named<E> (&table)[N], E v, const char* fallback)
{
    for (const Named<E>& e : table)
        if (e.value == v) return e.name;
    return fallback;
}

template <class E, std::size_t N>
std::optional<E> parseName(const Named<E> (&table)[N], const std::string& s)
{
    for (const Named<E>& e : table)
        if (s == e.name) return e.value;
    return std::nullopt;
}

// "0.5", "-1", "nan": the value as the user wrote it (shortest round-trip digits).
std::string num(double v)
{
    std::string s;
    appendNumber(s, v);
    return s;
}

std::string bad(const char* field, const std::string& rule, double got)
{
    return std::string("training.") + field + ": must be " + rule + ", got " + num(got);
}

}  // namespace

const NamedDataset* findNamedDataset(const std::string& name)
{
    // Zalando's Fashion-MNIST (MIT licence), as Debian's dataset-fashion-mnist installs it.
    static const NamedDataset kSets[] = {
        {"fashion-mnist", "fashion-mnist", "dataset-fashion-mnist",
         {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"},
         {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}},
    };
    for (const NamedDataset& d : kSets)
        if (name == d.name) return &d;
    return nullptr;
}

std::string namedDatasetList() { return "fashion-mnist"; }

DataKind DataSpec::kind() const
{
    if (generator != DataGenerator::None) return DataKind::Generated;
    if (!dataset.empty()) return DataKind::NamedDataset;
    if (!idx.empty()) return DataKind::Idx;
    if (!npy.empty()) return DataKind::Npy;
    return DataKind::Csv;
}

std::string DataSpec::sourceName() const
{
    switch (kind()) {
    case DataKind::Generated: return "the generated data";
    case DataKind::Csv: return file;
    case DataKind::NamedDataset: return "the " + dataset + " data set";
    case DataKind::Idx: return "the IDX files";
    case DataKind::Npy: return "the .npy files";
    }
    return file;
}

const char* TrainingSettings::generatorName(DataGenerator g) { return nameOf(kGenerators, g, "none"); }
const char* TrainingSettings::lossName(LossKind l) { return nameOf(kLosses, l, "cross_entropy"); }
const char* TrainingSettings::optimizerName(OptimizerKind o) { return nameOf(kOptimizers, o, "adam"); }
const char* TrainingSettings::gradientName(GradientKind g) { return nameOf(kGradients, g, "implicit"); }
const char* TrainingSettings::scheduleName(LrSchedule s) { return nameOf(kSchedules, s, "constant"); }
std::optional<LrSchedule> TrainingSettings::parseSchedule(const std::string& s) { return parseName(kSchedules, s); }

double TrainingSettings::lrFactor(double done, double total) const
{
    if (lrSchedule == LrSchedule::Constant || !(total > 0)) return 1.0;
    const double t = std::clamp(done / total, 0.0, 1.0);
    return 0.5 * (1.0 + std::cos(std::numbers::pi * t));
}

std::optional<DataGenerator> TrainingSettings::parseGenerator(const std::string& s) { return parseName(kGenerators, s); }
std::optional<LossKind> TrainingSettings::parseLoss(const std::string& s) { return parseName(kLosses, s); }
std::optional<OptimizerKind> TrainingSettings::parseOptimizer(const std::string& s) { return parseName(kOptimizers, s); }
std::optional<GradientKind> TrainingSettings::parseGradient(const std::string& s) { return parseName(kGradients, s); }

std::string TrainingSettings::validate() const
{
    // Data first: without data nothing else matters.
    const int sources = int(data.generator != DataGenerator::None) + int(!data.file.empty()) + int(!data.dataset.empty())
        + int(!data.idx.empty()) + int(!data.npy.empty());
    if (sources == 0)
        return "training.data: needs a \"generator\" (moons, circles, spirals, xor, gaussians), a \"file\", a \"dataset\", \"idx\" or \"npy\"";
    if (sources > 1) return "training.data: give one of \"generator\", \"file\", \"dataset\", \"idx\" or \"npy\", not several";
    if (!data.dataset.empty() && !findNamedDataset(data.dataset))
        return "training.data.dataset: unknown data set \"" + data.dataset + "\" (known: " + namedDatasetList() + ")";
    for (const auto& [files, key, names] : {std::tuple{&data.idx, "idx", "train_images, train_labels, test_images, test_labels"},
                                            std::tuple{&data.npy, "npy", "X, y, test_X, test_y"}}) {
        if (files->empty()) continue;
        const std::string field = std::string("training.data.") + key;
        if (files->trainX.empty() || files->trainY.empty())
            return field + ": needs the training files " + (std::string(key) == "idx" ? "train_images and train_labels" : "X and y")
                + " (keys: " + names + ")";
        if (files->hasTest() && (files->testX.empty() || files->testY.empty()))
            return field + ": give both test files " + (std::string(key) == "idx" ? "test_images and test_labels" : "test_X and test_y")
                + " or neither (without them test_fraction splits the training files)";
    }
    if (data.trainLimit < 0 || data.trainLimit > kMaxDataLimit)
        return bad("data.train_limit", "between 0 (all) and " + std::to_string(kMaxDataLimit), data.trainLimit);
    if (data.testLimit < 0 || data.testLimit > kMaxDataLimit)
        return bad("data.test_limit", "between 0 (all) and " + std::to_string(kMaxDataLimit), data.testLimit);
    if (data.generator != DataGenerator::None) {
        if (data.samples < kMinSamples || data.samples > kMaxSamples)
            return bad("data.samples", "between " + std::to_string(kMinSamples) + " and " + std::to_string(kMaxSamples), data.samples);
        if (!(data.noise >= 0) || !std::isfinite(data.noise)) return bad("data.noise", ">= 0 and finite", data.noise);
        // Spirals and Gaussian blobs take any number of classes; the other sets are two-class by
        // construction, so another count would be silently ignored: refuse it instead.
        const bool anyK = data.generator == DataGenerator::Spirals || data.generator == DataGenerator::Blobs;
        if (anyK && (data.classes < 2 || data.classes > kMaxClasses))
            return bad("data.classes", "between 2 and " + std::to_string(kMaxClasses), data.classes);
        if (!anyK && data.classes != 2)
            return std::string("training.data.classes: ") + generatorName(data.generator) + " has 2 classes, got "
                + std::to_string(data.classes) + " (spirals and gaussians take 2.." + std::to_string(kMaxClasses) + ")";
    }
    if (!(testFraction >= 0 && testFraction < 1)) return bad("test_fraction", "in [0, 1)", testFraction);
    if (!(lr > 0)) return bad("lr", "> 0", lr);
    if (!std::isfinite(lr)) return bad("lr", "finite", lr);
    if (!(momentum >= 0 && momentum < 1)) return bad("momentum", "in [0, 1)", momentum);
    if (batch < 1) return bad("batch", ">= 1", batch);
    if (epochs < 1 || epochs > kMaxEpochs) return bad("epochs", "between 1 and " + std::to_string(kMaxEpochs), epochs);
    if (unroll < 1 || unroll > kMaxUnroll) return bad("unroll", "between 1 and " + std::to_string(kMaxUnroll), unroll);
    // 0 is allowed: W = 0 after every step, the layer z = σ(Ux + b) (an explicit one-hidden-layer
    // network, the exact baseline for an OptEq layer of the same width).
    if (!(maxNorm >= 0 && maxNorm <= kMaxMaxNorm)) return bad("max_norm", "in [0, " + num(kMaxMaxNorm) + "]", maxNorm);
    if (!(weightDecay >= 0) || !std::isfinite(weightDecay)) return bad("weight_decay", ">= 0 and finite", weightDecay);
    return {};
}

}  // namespace opteq

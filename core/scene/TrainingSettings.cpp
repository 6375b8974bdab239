// SPDX-License-Identifier: GPL-3.0-or-later
#include "TrainingSettings.h"

#include "Csv.h"

#include <cmath>

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

const char* TrainingSettings::generatorName(DataGenerator g) { return nameOf(kGenerators, g, "none"); }
const char* TrainingSettings::lossName(LossKind l) { return nameOf(kLosses, l, "cross_entropy"); }
const char* TrainingSettings::optimizerName(OptimizerKind o) { return nameOf(kOptimizers, o, "adam"); }
const char* TrainingSettings::gradientName(GradientKind g) { return nameOf(kGradients, g, "implicit"); }

std::optional<DataGenerator> TrainingSettings::parseGenerator(const std::string& s) { return parseName(kGenerators, s); }
std::optional<LossKind> TrainingSettings::parseLoss(const std::string& s) { return parseName(kLosses, s); }
std::optional<OptimizerKind> TrainingSettings::parseOptimizer(const std::string& s) { return parseName(kOptimizers, s); }
std::optional<GradientKind> TrainingSettings::parseGradient(const std::string& s) { return parseName(kGradients, s); }

std::string TrainingSettings::validate() const
{
    // Data first: without data nothing else matters.
    if (data.generator == DataGenerator::None && data.file.empty())
        return "training.data: needs a \"generator\" (moons, circles, spirals, xor, gaussians) or a \"file\"";
    if (data.generator != DataGenerator::None && !data.file.empty())
        return "training.data: give a \"generator\" or a \"file\", not both";
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
    if (!(maxNorm > 0 && maxNorm <= kMaxMaxNorm)) return bad("max_norm", "in (0, " + num(kMaxMaxNorm) + "]", maxNorm);
    if (!(weightDecay >= 0) || !std::isfinite(weightDecay)) return bad("weight_decay", ">= 0 and finite", weightDecay);
    return {};
}

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
// The scene file's "readout" and "training" objects (SCENES.md, issue #12).
#include "SceneJson.h"

#include <cmath>
#include <optional>

namespace opteq::scenejson {
namespace {

// Training seeds: whole numbers a double holds exactly, so they survive the JSON round trip.
std::uint64_t seedValue(const QJsonValue& v, const std::string& field)
{
    const double d = number(v, field);
    if (d != std::floor(d) || d < 0 || d > 9007199254740991.0) fail(field, "expected a whole number from 0 to 2^53 - 1");
    return std::uint64_t(d);
}

// A whole number of any int size: the range is checked by TrainingSettings::validate(), whose
// messages state it ("training.batch: must be >= 1, got 0").
int anyInteger(const QJsonValue& v, const std::string& field) { return integer(v, field, -2147483647, 2147483647); }

template <class E>
E named(const QJsonValue& v, const std::string& field, std::optional<E> (*parseName)(const std::string&), const char* list)
{
    const std::string s = string(v, field);
    const std::optional<E> e = parseName(s);
    if (!e) fail(field, "unknown value \"" + s + "\" (one of " + list + ")");
    return *e;
}

}  // namespace

void parseReadoutAndTraining(const QJsonObject& root, Scene& s)
{
    QJsonValue tmp;
    if (root.contains("readout")) {
        const QJsonObject ro = object(root.value("readout"), "readout");
        s.readout.V = matrix(need(ro, "V", "readout", tmp), "readout.V");
        s.readout.c = vector(need(ro, "c", "readout", tmp), "readout.c");
    }
    if (!root.contains("training")) return;
    const QJsonObject to = object(root.value("training"), "training");
    s.hasTraining = true;
    TrainingSettings& t = s.training;
    if (to.contains("data")) {
        const QJsonObject d = object(to.value("data"), "training.data");
        if (d.contains("generator") && d.contains("file")) fail("training.data", "give a \"generator\" or a \"file\", not both");
        if (d.contains("file")) {
            t.data.generator = DataGenerator::None;
            t.data.file = string(d.value("file"), "training.data.file");
            if (t.data.file.empty()) fail("training.data.file", "empty (expected a CSV path relative to the scene file)");
        } else if (d.contains("generator")) {
            t.data.generator = named(d.value("generator"), "training.data.generator", &TrainingSettings::parseGenerator,
                                     "moons, circles, spirals, xor, gaussians");
        } else {
            fail("training.data", "needs a \"generator\" (moons, circles, spirals, xor, gaussians) or a \"file\"");
        }
        if (d.contains("samples")) t.data.samples = anyInteger(d.value("samples"), "training.data.samples");
        t.data.noise = numberOr(d, "noise", t.data.noise, "training.data");
        if (d.contains("classes")) t.data.classes = anyInteger(d.value("classes"), "training.data.classes");
        if (d.contains("seed")) t.data.seed = seedValue(d.value("seed"), "training.data.seed");
    }
    t.testFraction = numberOr(to, "test_fraction", t.testFraction, "training");
    if (to.contains("loss")) t.loss = named(to.value("loss"), "training.loss", &TrainingSettings::parseLoss, "cross_entropy, mse");
    if (to.contains("optimizer"))
        t.optimizer = named(to.value("optimizer"), "training.optimizer", &TrainingSettings::parseOptimizer, "sgd, adam");
    t.lr = numberOr(to, "lr", t.lr, "training");
    t.momentum = numberOr(to, "momentum", t.momentum, "training");
    if (to.contains("batch")) t.batch = anyInteger(to.value("batch"), "training.batch");
    if (to.contains("epochs")) t.epochs = anyInteger(to.value("epochs"), "training.epochs");
    if (to.contains("seed")) t.seed = seedValue(to.value("seed"), "training.seed");
    if (to.contains("gradient"))
        t.gradient = named(to.value("gradient"), "training.gradient", &TrainingSettings::parseGradient, "implicit, jacobian_free, unrolled");
    if (to.contains("unroll")) t.unroll = anyInteger(to.value("unroll"), "training.unroll");
    t.maxNorm = numberOr(to, "max_norm", t.maxNorm, "training");
    t.weightDecay = numberOr(to, "weight_decay", t.weightDecay, "training");
}

namespace {

QJsonObject toJson(const TrainingSettings& t)
{
    const DataSpec dflt;
    const DataSpec& d = t.data;
    const bool generated = d.generator != DataGenerator::None;
    QJsonObject data;
    if (generated) data["generator"] = TrainingSettings::generatorName(d.generator);
    else data["file"] = QString::fromStdString(d.file);
    // A file needs no generator parameters: they are written only when set, so that the
    // reopened scene still equals the saved one.
    if (generated || d.samples != dflt.samples) data["samples"] = d.samples;
    if (generated || d.noise != dflt.noise) data["noise"] = d.noise;
    if (generated || d.classes != dflt.classes) data["classes"] = d.classes;
    if (generated || d.seed != dflt.seed) data["seed"] = double(d.seed);
    return QJsonObject{{"data", data},
                       {"test_fraction", t.testFraction},
                       {"loss", TrainingSettings::lossName(t.loss)},
                       {"optimizer", TrainingSettings::optimizerName(t.optimizer)},
                       {"lr", t.lr},
                       {"momentum", t.momentum},
                       {"batch", t.batch},
                       {"epochs", t.epochs},
                       {"seed", double(t.seed)},
                       {"gradient", TrainingSettings::gradientName(t.gradient)},
                       {"unroll", t.unroll},
                       {"max_norm", t.maxNorm},
                       {"weight_decay", t.weightDecay}};
}

}  // namespace

void writeReadoutAndTraining(const Scene& s, QJsonObject& root)
{
    // Written only when present, so a scene without them saves exactly as before.
    if (!s.readout.empty() || s.readout.c.size()) root["readout"] = QJsonObject{{"V", toArray(s.readout.V)}, {"c", toArray(s.readout.c)}};
    if (s.hasTraining) root["training"] = toJson(s.training);
}

}  // namespace opteq::scenejson

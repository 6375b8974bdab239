// SPDX-License-Identifier: GPL-3.0-or-later
// The scene file's "readout" and "training" objects (SCENES.md, issue #12).
#include "SceneJson.h"

#include <algorithm>
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

// The keys of the "idx" and "npy" objects, in the order DataFiles holds them.
constexpr const char* kIdxKeys[4] = {"train_images", "train_labels", "test_images", "test_labels"};
constexpr const char* kNpyKeys[4] = {"X", "y", "test_X", "test_y"};

std::string keyList(const char* const (&keys)[4]) { return std::string(keys[0]) + ", " + keys[1] + ", " + keys[2] + ", " + keys[3]; }

// {"train_images": "…", …}: every value a non-empty path, every key one of the four (a misspelt
// key would otherwise read as a missing file).
DataFiles files(const QJsonValue& v, const std::string& field, const char* const (&keys)[4])
{
    const QJsonObject o = object(v, field);
    for (auto it = o.begin(); it != o.end(); ++it)
        if (std::find_if(std::begin(keys), std::end(keys), [&](const char* k) { return it.key() == QLatin1String(k); }) == std::end(keys))
            fail(field + "." + it.key().toStdString(), "unknown key (the keys are " + keyList(keys) + ")");
    DataFiles f;
    std::string* out[4] = {&f.trainX, &f.trainY, &f.testX, &f.testY};
    for (int k = 0; k < 4; ++k) {
        if (!o.contains(keys[k])) continue;
        *out[k] = string(o.value(keys[k]), field + "." + keys[k]);
        if (out[k]->empty()) fail(field + "." + keys[k], "empty (expected a path relative to the scene file)");
    }
    if (f.trainX.empty()) fail(field + "." + keys[0], "missing (the training inputs' file)");
    if (f.trainY.empty()) fail(field + "." + keys[1], "missing (the training labels' file)");
    if (f.testX.empty() != f.testY.empty())
        fail(field + "." + (f.testX.empty() ? keys[2] : keys[3]),
             std::string("missing: give both ") + keys[2] + " and " + keys[3] + " or neither (then test_fraction splits the training files)");
    return f;
}

QJsonObject toJson(const DataFiles& f, const char* const (&keys)[4])
{
    QJsonObject o{{keys[0], QString::fromStdString(f.trainX)}, {keys[1], QString::fromStdString(f.trainY)}};
    if (f.hasTest()) {
        o[keys[2]] = QString::fromStdString(f.testX);
        o[keys[3]] = QString::fromStdString(f.testY);
    }
    return o;
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
        const int sources = int(d.contains("generator")) + int(d.contains("file")) + int(d.contains("dataset")) + int(d.contains("idx"))
            + int(d.contains("npy"));
        if (sources > 1) fail("training.data", "give one of \"generator\", \"file\", \"dataset\", \"idx\" or \"npy\", not several");
        if (d.contains("dataset")) {
            t.data.generator = DataGenerator::None;
            t.data.dataset = string(d.value("dataset"), "training.data.dataset");
            if (!findNamedDataset(t.data.dataset))
                fail("training.data.dataset", "unknown data set \"" + t.data.dataset + "\" (known: " + namedDatasetList() + ")");
        } else if (d.contains("idx")) {
            t.data.generator = DataGenerator::None;
            t.data.idx = files(d.value("idx"), "training.data.idx", kIdxKeys);
        } else if (d.contains("npy")) {
            t.data.generator = DataGenerator::None;
            t.data.npy = files(d.value("npy"), "training.data.npy", kNpyKeys);
        } else if (d.contains("file")) {
            t.data.generator = DataGenerator::None;
            t.data.file = string(d.value("file"), "training.data.file");
            if (t.data.file.empty()) fail("training.data.file", "empty (expected a CSV path relative to the scene file)");
        } else if (d.contains("generator")) {
            t.data.generator = named(d.value("generator"), "training.data.generator", &TrainingSettings::parseGenerator,
                                     "moons, circles, spirals, xor, gaussians");
        } else {
            fail("training.data", "needs a \"generator\" (moons, circles, spirals, xor, gaussians), a \"file\", a \"dataset\", \"idx\" or \"npy\"");
        }
        if (d.contains("train_limit")) t.data.trainLimit = anyInteger(d.value("train_limit"), "training.data.train_limit");
        if (d.contains("test_limit")) t.data.testLimit = anyInteger(d.value("test_limit"), "training.data.test_limit");
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
    if (to.contains("lr_schedule"))
        t.lrSchedule = named(to.value("lr_schedule"), "training.lr_schedule", &TrainingSettings::parseSchedule, "constant, cosine");
}

namespace {

QJsonObject toJson(const TrainingSettings& t)
{
    const DataSpec dflt;
    const DataSpec& d = t.data;
    const bool generated = d.generator != DataGenerator::None;
    QJsonObject data;
    switch (d.kind()) {
    case DataKind::Generated: data["generator"] = TrainingSettings::generatorName(d.generator); break;
    case DataKind::Csv: data["file"] = QString::fromStdString(d.file); break;
    case DataKind::NamedDataset: data["dataset"] = QString::fromStdString(d.dataset); break;
    case DataKind::Idx: data["idx"] = toJson(d.idx, kIdxKeys); break;
    case DataKind::Npy: data["npy"] = toJson(d.npy, kNpyKeys); break;
    }
    if (d.trainLimit != dflt.trainLimit) data["train_limit"] = d.trainLimit;
    if (d.testLimit != dflt.testLimit) data["test_limit"] = d.testLimit;
    // A file needs no generator parameters: they are written only when set, so that the
    // reopened scene still equals the saved one.
    if (generated || d.samples != dflt.samples) data["samples"] = d.samples;
    if (generated || d.noise != dflt.noise) data["noise"] = d.noise;
    if (generated || d.classes != dflt.classes) data["classes"] = d.classes;
    if (generated || d.seed != dflt.seed) data["seed"] = double(d.seed);
    QJsonObject o{{"data", data},
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
    // Written only when not constant, so scenes without a schedule save exactly as before.
    if (t.lrSchedule != LrSchedule::Constant) o["lr_schedule"] = TrainingSettings::scheduleName(t.lrSchedule);
    return o;
}

}  // namespace

void writeReadoutAndTraining(const Scene& s, QJsonObject& root)
{
    // Written only when present, so a scene without them saves exactly as before.
    if (!s.readout.empty() || s.readout.c.size()) root["readout"] = QJsonObject{{"V", toArray(s.readout.V)}, {"c", toArray(s.readout.c)}};
    if (s.hasTraining) root["training"] = toJson(s.training);
}

}  // namespace opteq::scenejson

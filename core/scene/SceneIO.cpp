// SPDX-License-Identifier: GPL-3.0-or-later
#include "SceneIO.h"

#include "FileRead.h"
#include "SceneJson.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <algorithm>
#include <cmath>

namespace opteq {
namespace {

using namespace scenejson;

Activation activation(const QJsonValue& v, const std::string& field)
{
    const QJsonObject o = object(v, field);
    QJsonValue tmp;
    const std::string type = string(need(o, "type", field, tmp), field + ".type");
    const auto t = Activation::parse(type);
    if (!t) {
        std::string list;
        for (int i = 0; i < Activation::typeCount; ++i) list += std::string(i ? ", " : "") + Activation::typeName(ActivationType(i));
        fail(field + ".type", "unknown activation \"" + type + "\" (one of " + list + ")");
    }
    Activation a;
    a.type = *t;
    // Only the parameters the type uses are read (others keep their defaults), exactly what the
    // writer saves: a "slope" given to relu would otherwise be kept, never saved, and the scene
    // would not survive a save and reload unchanged (found by the scene fuzzer).
    if (a.type == ActivationType::LeakyRelu) a.slope = numberOr(o, "slope", a.slope, field);
    if (a.type == ActivationType::Clip) {
        a.lo = numberOr(o, "lo", a.lo, field);
        a.hi = numberOr(o, "hi", a.hi, field);
    }
    if (a.type == ActivationType::SoftThreshold) a.lambda = numberOr(o, "lambda", a.lambda, field);
    if (const std::string e = a.validate(); !e.empty()) fail(field, e);
    return a;
}

std::vector<Regularizer> regularizers(const QJsonValue& v, const std::string& field)
{
    std::vector<Regularizer> out;
    const QJsonArray a = array(v, field);
    for (int i = 0; i < a.size(); ++i) {
        const std::string f = field + "[" + std::to_string(i) + "]";
        const QJsonObject o = object(a[i], f);
        QJsonValue tmp;
        const std::string type = string(need(o, "type", f, tmp), f + ".type");
        const auto t = Regularizer::parse(type);
        if (!t) fail(f + ".type", "unknown regularizer \"" + type + "\" (one of l1, l2, box)");
        Regularizer r;
        r.type = *t;
        r.weight = numberOr(o, "weight", r.weight, f);
        r.center = numberOr(o, "center", r.center, f);
        if (*t == RegularizerType::Box) {
            r.lo = number(need(o, "lo", f, tmp), f + ".lo");
            r.hi = number(need(o, "hi", f, tmp), f + ".hi");
        }
        if (const std::string e = r.validate(); !e.empty()) fail(f, e);
        out.push_back(r);
    }
    return out;
}

// The optional "window" object (issue #19): a bad value is refused like any other field's, with
// the names allowed (a lesson naming a tab that does not exist would open silently elsewhere).
// Keys it does not know are ignored, as at the top level (a later version may add switches).
SceneWindow window(const QJsonValue& v)
{
    const QJsonObject o = object(v, "window");
    SceneWindow w;
    if (o.contains("tab")) {
        w.tab = string(o.value("tab"), "window.tab");
        const auto& tabs = sceneWindowTabs();
        if (std::find(tabs.begin(), tabs.end(), w.tab) == tabs.end()) {
            std::string list;
            for (const std::string& t : tabs) list += (list.empty() ? "" : ", ") + t;
            fail("window.tab", "unknown tab \"" + w.tab + "\" (one of " + list + ")");
        }
    }
    if (o.contains("phase_plane")) {
        const QJsonValue p = o.value("phase_plane");
        if (!p.isBool()) fail("window.phase_plane", std::string("expected true or false, got ") + typeOf(p));
        w.phasePlane = p.toBool();
    }
    return w;
}

Scene parse(const QJsonObject& root)
{
    Scene s;
    QJsonValue tmp;
    if (root.contains("format") && root.value("format").toString() != "opteq-scene")
        fail("format", "expected \"opteq-scene\"");
    if (root.contains("version")) {
        const int version = integer(root.value("version"), "version", 1, 1000);
        if (version > 1) fail("version", "this explorer reads version 1 scenes; the file is version " + std::to_string(version));
    }
    // A text starting with U+FEFF (a byte-order mark pasted into the notes) loses it when written
    // (QString::fromUtf8 drops a leading BOM), so it is dropped here: a saved scene reads back equal
    // (found by fuzz_scene; corpus file bom-in-notes).
    auto text = [](std::string t) {
        while (t.rfind("\xEF\xBB\xBF", 0) == 0) t.erase(0, 3);
        return t;
    };
    if (root.contains("title")) s.title = text(string(root.value("title"), "title"));
    if (root.contains("notes")) s.notes = text(string(root.value("notes"), "notes"));
    if (root.contains("seed")) s.seed = std::uint64_t(integer(root.value("seed"), "seed", 0, 2147483647));

    const QJsonObject model = object(need(root, "model", "", tmp), "model");
    const QJsonArray layers = array(need(model, "layers", "model", tmp), "model.layers");
    if (layers.isEmpty()) fail("model.layers", "at least one layer is needed");
    if (layers.size() > kMaxLayers) fail("model.layers", "more than " + std::to_string(kMaxLayers) + " layers (the limit)");
    for (int i = 0; i < layers.size(); ++i) {
        const std::string f = "model.layers[" + std::to_string(i) + "]";
        const QJsonObject lo = object(layers[i], f);
        LayerSpec l;
        l.size = integer(need(lo, "size", f, tmp), f + ".size", 1, kMaxStateDim);
        l.activation = activation(need(lo, "activation", f, tmp), f + ".activation");
        if (lo.contains("regularizers")) l.regularizers = regularizers(lo.value("regularizers"), f + ".regularizers");
        s.layers.push_back(l);
    }
    s.W = matrix(need(model, "W", "model", tmp), "model.W");
    s.U = matrix(need(model, "U", "model", tmp), "model.U");
    s.b = vector(need(model, "b", "model", tmp), "model.b");
    if (model.contains("regularizers")) s.regularizers = regularizers(model.value("regularizers"), "model.regularizers");
    s.input = vector(need(root, "input", "", tmp), "input");

    if (root.contains("solver")) {
        const QJsonObject so = object(root.value("solver"), "solver");
        if (so.contains("method")) {
            const std::string m = string(so.value("method"), "solver.method");
            const auto method = SolverSettings::parseMethod(m);
            if (!method) fail("solver.method", "unknown method \"" + m + "\" (one of picard, km, anderson, broyden, fb, fista, peaceman_rachford)");
            s.solver.method = *method;
        }
        s.solver.tol = numberOr(so, "tol", s.solver.tol, "solver");
        if (so.contains("max_iter")) s.solver.maxIter = integer(so.value("max_iter"), "solver.max_iter", 1, 1000000);
        s.solver.theta = numberOr(so, "theta", s.solver.theta, "solver");
        if (so.contains("memory")) s.solver.memory = integer(so.value("memory"), "solver.memory", 1, 100);
        s.solver.lambda = numberOr(so, "lambda", s.solver.lambda, "solver");
        s.solver.beta = numberOr(so, "beta", s.solver.beta, "solver");
        s.solver.step = numberOr(so, "step", s.solver.step, "solver");
        if (so.contains("compare")) {
            const QJsonArray cmp = array(so.value("compare"), "solver.compare");
            for (int i = 0; i < cmp.size(); ++i) {
                const std::string f = "solver.compare[" + std::to_string(i) + "]";
                const std::string m = string(cmp[i], f);
                const auto method = SolverSettings::parseMethod(m);
                if (!method) fail(f, "unknown method \"" + m + "\"");
                s.compare.push_back(*method);
            }
        }
    }
    if (root.contains("prior")) {
        const QJsonObject po = object(root.value("prior"), "prior");
        if (po.contains("type")) {
            const std::string t = string(po.value("type"), "prior.type");
            const auto type = PriorSettings::parseType(t);
            if (!type) fail("prior.type", "unknown prior \"" + t + "\" (one of none, halpern, viscosity, hsd)");
            s.prior.type = *type;
        }
        if (po.contains("anchor")) s.prior.anchor = vector(po.value("anchor"), "prior.anchor");
        if (po.contains("target")) s.prior.target = vector(po.value("target"), "prior.target");
        s.prior.rho = numberOr(po, "rho", s.prior.rho, "prior");
        s.prior.mu = numberOr(po, "mu", s.prior.mu, "prior");
        s.prior.theta = numberOr(po, "theta", s.prior.theta, "prior");
    }
    if (root.contains("starts")) {
        const QJsonArray st = array(root.value("starts"), "starts");
        if (st.size() > kMaxStarts) fail("starts", "more than " + std::to_string(kMaxStarts) + " starts (the limit)");
        for (int i = 0; i < st.size(); ++i) s.starts.push_back(vector(st[i], "starts[" + std::to_string(i) + "]"));
    }
    if (root.contains("view")) {
        const QJsonObject vo = object(root.value("view"), "view");
        auto range = [&](const char* key, double& lo, double& hi) {
            const Eigen::VectorXd r = vector(vo.value(key), std::string("view.") + key);
            if (r.size() != 2) fail(std::string("view.") + key, "expected [low, high]");
            lo = r(0);
            hi = r(1);
        };
        if (vo.contains("x") || vo.contains("y")) {
            if (!vo.contains("x") || !vo.contains("y")) fail("view", "x and y go together");
            range("x", s.view.x0, s.view.x1);
            range("y", s.view.y0, s.view.y1);
            s.view.hasBox = true;
        }
        if (vo.contains("origin") || vo.contains("u") || vo.contains("v")) {
            s.view.origin = vector(need(vo, "origin", "view", tmp), "view.origin");
            s.view.u = vector(need(vo, "u", "view", tmp), "view.u");
            s.view.v = vector(need(vo, "v", "view", tmp), "view.v");
            s.view.hasPlane = true;
        }
        if (vo.contains("axes")) {
            const QJsonArray ax = array(vo.value("axes"), "view.axes");
            if (ax.size() != 2) fail("view.axes", "expected two coordinate indices [i, j]");
            s.view.axisI = integer(ax[0], "view.axes[0]", 0, kMaxStateDim);
            s.view.axisJ = integer(ax[1], "view.axes[1]", 0, kMaxStateDim);
        }
    }
    if (root.contains("window")) s.window = window(root.value("window"));
    parseReadoutAndTraining(root, s);
    if (const std::string e = s.validate(); !e.empty()) throw ParseError{e};
    return s;
}


QJsonObject toJson(const Activation& a)
{
    QJsonObject o{{"type", Activation::typeName(a.type)}};
    switch (a.type) {
    case ActivationType::LeakyRelu: o["slope"] = a.slope; break;
    case ActivationType::Clip: o["lo"] = a.lo; o["hi"] = a.hi; break;
    case ActivationType::SoftThreshold: o["lambda"] = a.lambda; break;
    default: break;
    }
    return o;
}

QJsonArray toJson(const std::vector<Regularizer>& regs)
{
    QJsonArray a;
    for (const Regularizer& r : regs) {
        QJsonObject o{{"type", Regularizer::typeName(r.type)}};
        if (r.type == RegularizerType::Box) { o["lo"] = r.lo; o["hi"] = r.hi; }
        else o["weight"] = r.weight;
        if (r.type == RegularizerType::L2) o["center"] = r.center;
        a.append(o);
    }
    return a;
}


}  // namespace

SceneResult parseScene(const QByteArray& raw)
{
    SceneResult result;
    // A UTF-8 byte-order mark (some Windows editors write one) is not JSON: skip it.
    const QByteArray bytes = raw.startsWith("\xEF\xBB\xBF") ? raw.mid(3) : raw;
    if (bytes.size() > kMaxSceneBytes) {
        result.error = "file: larger than the 64 MiB limit for scene files";
        return result;
    }
    if (bytes.trimmed().isEmpty()) {
        result.error = "file: empty (expected a JSON scene object)";
        return result;
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &pe);
    if (pe.error != QJsonParseError::NoError) {
        result.error = "file: not valid JSON at byte " + std::to_string(pe.offset) + " (" + pe.errorString().toStdString() + ")";
        return result;
    }
    if (!doc.isObject()) {
        result.error = "file: expected a JSON object at the top level";
        return result;
    }
    try {
        result.scene = parse(doc.object());
    } catch (const ParseError& e) {
        result.error = e.message;
    } catch (const std::bad_alloc&) {
        result.error = "file: too large to load into memory";
    }
    return result;
}

SceneResult loadScene(const QString& path)
{
    const std::string name = QFile::encodeName(path).toStdString();
    const FileBytes f = readFileBounded(name, std::size_t(kMaxSceneBytes), "scene file", true);
    if (!f.ok()) {
        // The reader's message starts with the path, which every caller already prints.
        SceneResult r;
        r.error = "file: " + (f.error.rfind(name + ": ", 0) == 0 ? f.error.substr(name.size() + 2) : f.error);
        return r;
    }
    return parseScene(QByteArray(f.bytes.data(), qsizetype(f.bytes.size())));
}

QByteArray sceneToJson(const Scene& s) { return sceneToJson(s, s.window); }

QByteArray sceneToJson(const Scene& s, const SceneWindow& window)
{
    QJsonObject root{{"format", "opteq-scene"}, {"version", 1}, {"title", QString::fromStdString(s.title)},
                     {"notes", QString::fromStdString(s.notes)}};
    QJsonArray layers;
    for (const LayerSpec& l : s.layers) {
        QJsonObject o{{"size", l.size}, {"activation", toJson(l.activation)}};
        if (!l.regularizers.empty()) o["regularizers"] = toJson(l.regularizers);
        layers.append(o);
    }
    QJsonObject model{{"layers", layers}, {"W", toArray(s.W)}, {"U", toArray(s.U)}, {"b", toArray(s.b)}};
    if (!s.regularizers.empty()) model["regularizers"] = toJson(s.regularizers);
    root["model"] = model;
    root["input"] = toArray(s.input);
    QJsonObject solver{{"method", SolverSettings::methodName(s.solver.method)}, {"tol", s.solver.tol},
                       {"max_iter", s.solver.maxIter}, {"theta", s.solver.theta}, {"memory", s.solver.memory},
                       {"lambda", s.solver.lambda}, {"beta", s.solver.beta}, {"step", s.solver.step}};
    if (!s.compare.empty()) {
        QJsonArray cmp;
        for (Method m : s.compare) cmp.append(SolverSettings::methodName(m));
        solver["compare"] = cmp;
    }
    root["solver"] = solver;
    QJsonObject prior{{"type", PriorSettings::typeName(s.prior.type)}, {"rho", s.prior.rho}, {"mu", s.prior.mu},
                      {"theta", s.prior.theta}};
    if (s.prior.anchor.size()) prior["anchor"] = toArray(s.prior.anchor);
    if (s.prior.target.size()) prior["target"] = toArray(s.prior.target);
    root["prior"] = prior;
    QJsonArray starts;
    for (const Eigen::VectorXd& z : s.starts) starts.append(toArray(z));
    root["starts"] = starts;
    QJsonObject view;
    if (s.view.hasBox) {
        view["x"] = QJsonArray{s.view.x0, s.view.x1};
        view["y"] = QJsonArray{s.view.y0, s.view.y1};
    }
    if (s.view.hasPlane) {
        view["origin"] = toArray(s.view.origin);
        view["u"] = toArray(s.view.u);
        view["v"] = toArray(s.view.v);
    }
    if (s.view.axisI >= 0 && s.view.axisJ >= 0) view["axes"] = QJsonArray{s.view.axisI, s.view.axisJ};
    root["view"] = view;
    root["seed"] = double(s.seed);
    writeReadoutAndTraining(s, root);
    if (!window.empty()) {
        QJsonObject w;
        if (!window.tab.empty()) w["tab"] = QString::fromStdString(window.tab);
        if (window.phasePlane) w["phase_plane"] = true;
        root["window"] = w;
    }
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

std::string writeFileAtomically(const QString& path, const QByteArray& bytes)
{
    QSaveFile f(path);
    // Unbuffered, and every byte accounted for: QSaveFile::commit() (Qt 6.4) renames the temporary
    // file over the old one even when a write fell short or the final flush of its buffer failed
    // (a disk that fills up), so the old file would be replaced by a truncated one. A short write
    // is retried for the rest, which fails with the system's reason (e.g. "File too large").
    if (!f.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
        return "cannot write " + path.toStdString() + ": " + f.errorString().toStdString();
    for (qint64 done = 0; done < bytes.size();) {
        const qint64 n = f.write(bytes.constData() + done, bytes.size() - done);
        if (n <= 0) {
            const std::string why = f.errorString().toStdString();
            f.cancelWriting();   // the temporary file is removed, the old file stays
            return "cannot write " + path.toStdString() + ": " + why;
        }
        done += n;
    }
    if (!f.commit()) return "cannot write " + path.toStdString() + ": " + f.errorString().toStdString();
    return {};
}

std::string saveScene(const Scene& scene, const QString& path)
{
    return writeFileAtomically(path, sceneToJson(scene));
}

std::string saveScene(const Scene& scene, const QString& path, const SceneWindow& window)
{
    return writeFileAtomically(path, sceneToJson(scene, window));
}

}  // namespace opteq

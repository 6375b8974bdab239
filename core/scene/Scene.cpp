// SPDX-License-Identifier: GPL-3.0-or-later
#include "Scene.h"

#include "DeepGenerator.h"

#include <limits>

#include <cmath>

namespace opteq {
namespace {
bool sameVec(const Eigen::VectorXd& a, const Eigen::VectorXd& b) { return a.size() == b.size() && (a.size() == 0 || a == b); }
bool sameMat(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b)
{
    return a.rows() == b.rows() && a.cols() == b.cols() && (a.size() == 0 || a == b);
}
}  // namespace

bool SceneView::operator==(const SceneView& o) const
{
    return x0 == o.x0 && x1 == o.x1 && y0 == o.y0 && y1 == o.y1 && hasBox == o.hasBox && hasPlane == o.hasPlane
        && sameVec(origin, o.origin) && sameVec(u, o.u) && sameVec(v, o.v) && axisI == o.axisI && axisJ == o.axisJ;
}

bool Scene::operator==(const Scene& o) const
{
    if (starts.size() != o.starts.size()) return false;
    for (size_t i = 0; i < starts.size(); ++i)
        if (!sameVec(starts[i], o.starts[i])) return false;
    return title == o.title && notes == o.notes && layers == o.layers && sameMat(W, o.W) && sameMat(U, o.U)
        && sameVec(b, o.b) && regularizers == o.regularizers && sameVec(input, o.input) && solver == o.solver
        && prior == o.prior && view == o.view && seed == o.seed && compare == o.compare && readout == o.readout
        && hasTraining == o.hasTraining && (!hasTraining || training == o.training) && window == o.window;
}

const std::vector<std::string>& sceneWindowTabs()
{
    static const std::vector<std::string> tabs{"landscape", "basins", "rate-map", "before-after", "train", "theory", "unit-layer"};
    return tabs;
}

Model Scene::model() const { return Model(layers, W, U, b, regularizers); }

std::vector<Eigen::VectorXd> Scene::effectiveStarts() const
{
    if (!starts.empty()) return starts;
    return {Eigen::VectorXd::Zero(n())};
}

std::string Scene::validate() const
{
    if (layers.empty()) return "model.layers: at least one layer is needed";
    if (int(layers.size()) > kMaxLayers) return "model.layers: more than " + std::to_string(kMaxLayers) + " layers";
    long total = 0;
    for (size_t l = 0; l < layers.size(); ++l) {
        const std::string f = "model.layers[" + std::to_string(l) + "]";
        if (layers[l].size < 1) return f + ".size: must be >= 1";
        total += layers[l].size;
        const std::string e = layers[l].activation.validate();
        if (!e.empty()) return f + ".activation: " + e;
        for (size_t r = 0; r < layers[l].regularizers.size(); ++r) {
            const std::string re = layers[l].regularizers[r].validate();
            if (!re.empty()) return f + ".regularizers[" + std::to_string(r) + "]: " + re;
        }
    }
    if (total > kMaxStateDim)
        return "model.layers: sizes sum to " + std::to_string(total) + ", above the limit n <= " + std::to_string(kMaxStateDim);
    const long n = total;
    if (W.cols() != n)
        return "model.W: has " + std::to_string(W.cols()) + " columns but the layer sizes sum to n = " + std::to_string(n);
    if (W.rows() < 1 || W.rows() > kMaxStateDim)
        return "model.W: needs between 1 and " + std::to_string(kMaxStateDim) + " rows";
    if (!W.allFinite()) return "model.W: every entry must be a finite number";
    if (U.rows() != n) return "model.U: has " + std::to_string(U.rows()) + " rows, expected n = " + std::to_string(n);
    if (U.cols() != input.size())
        return "model.U: has " + std::to_string(U.cols()) + " columns but input has " + std::to_string(input.size())
            + " entries";
    if (!U.allFinite()) return "model.U: every entry must be a finite number";
    if (b.size() != n) return "model.b: has " + std::to_string(b.size()) + " entries, expected n = " + std::to_string(n);
    if (!b.allFinite()) return "model.b: every entry must be a finite number";
    if (!input.allFinite()) return "input: every entry must be a finite number";
    for (size_t r = 0; r < regularizers.size(); ++r) {
        const std::string re = regularizers[r].validate();
        if (!re.empty()) return "model.regularizers[" + std::to_string(r) + "]: " + re;
    }
    // The boxes that apply to a layer (model-wide and its own) must intersect: an empty box
    // constraint has no prox (and would make std::clamp's lo > hi undefined).
    for (size_t l = 0; l < layers.size(); ++l) {
        double lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
        std::string where;
        auto meet = [&](const Regularizer& r, const std::string& name) {
            if (r.type != RegularizerType::Box) return;
            lo = std::max(lo, r.lo);
            hi = std::min(hi, r.hi);
            where += (where.empty() ? "" : " and ") + name + " [" + std::to_string(r.lo) + ", " + std::to_string(r.hi) + "]";
        };
        for (size_t r = 0; r < regularizers.size(); ++r) meet(regularizers[r], "model.regularizers[" + std::to_string(r) + "]");
        for (size_t r = 0; r < layers[l].regularizers.size(); ++r)
            meet(layers[l].regularizers[r], "model.layers[" + std::to_string(l) + "].regularizers[" + std::to_string(r) + "]");
        if (lo > hi) return "model.layers[" + std::to_string(l) + "]: the boxes " + where + " do not intersect";
    }
    if (const std::string e = solver.validate(); !e.empty()) return "solver: " + e;
    if (const std::string e = prior.validate(int(n)); !e.empty()) return "prior: " + e;
    if (int(starts.size()) > kMaxStarts) return "starts: more than " + std::to_string(kMaxStarts) + " starts";
    for (size_t s = 0; s < starts.size(); ++s) {
        if (starts[s].size() != n)
            return "starts[" + std::to_string(s) + "]: has " + std::to_string(starts[s].size())
                + " entries, expected n = " + std::to_string(n);
        if (!starts[s].allFinite()) return "starts[" + std::to_string(s) + "]: entries must be finite";
    }
    if (view.hasBox && !(view.x0 < view.x1 && view.y0 < view.y1))
        return "view: x and y must each be [low, high] with low < high";
    if (view.hasPlane) {
        Plane p{view.origin, view.u, view.v};
        if (view.origin.size() != n || view.u.size() != n || view.v.size() != n)
            return "view: origin, u and v must each have n = " + std::to_string(n) + " entries";
        if (!p.valid()) return "view: u and v must be finite and linearly independent";
    }
    if (view.axisI >= n || view.axisJ >= n || (view.axisI >= 0 && view.axisI == view.axisJ))
        return "view.axes: two different coordinates in 0.." + std::to_string(n - 1);
    return validateReadoutAndTraining();
}

std::string Scene::validateReadoutAndTraining() const
{
    const long n = W.cols();
    const bool hasReadout = readout.V.size() || readout.V.rows() || readout.c.size();
    const long K = readout.V.rows();
    if (hasReadout) {
        auto shape = [](const Eigen::MatrixXd& m) { return std::to_string(m.rows()) + " × " + std::to_string(m.cols()); };
        if (K < 1 || readout.V.cols() != n)
            return "readout.V: " + shape(readout.V) + ", expected K × " + std::to_string(n) + " (n = " + std::to_string(n) + ")";
        if (K > kMaxStateDim) return "readout.V: more than " + std::to_string(kMaxStateDim) + " rows (the limit)";
        if (readout.c.size() != K)
            return "readout.c: has " + std::to_string(readout.c.size()) + " entries, expected K = " + std::to_string(K)
                + " (the rows of readout.V)";
        if (!readout.V.allFinite()) return "readout.V: every entry must be a finite number";
        if (!readout.c.allFinite()) return "readout.c: every entry must be a finite number";
    }
    if (!hasTraining) return {};
    if (const std::string e = training.validate(); !e.empty()) return e;
    // What the generated data fixes, checked here so that training never meets a mismatch
    // (a file's d and K are known only once it is read: the trainer checks those).
    if (training.data.generator != DataGenerator::None) {
        if (input.size() != 2)
            return "input: has " + std::to_string(input.size()) + " entries, but training.data."
                + TrainingSettings::generatorName(training.data.generator) + " makes 2-D points (d = 2)";
        if (hasReadout && training.loss == LossKind::CrossEntropy && K != training.data.classes)
            return "readout.V: has " + std::to_string(K) + " rows, but training.data has " + std::to_string(training.data.classes)
                + " classes (cross_entropy needs one output per class)";
    }
    if (hasReadout && training.loss == LossKind::CrossEntropy && K < 2)
        return "readout.V: has 1 row, but cross_entropy needs K >= 2 outputs (one per class)";
    return {};
}

bool Scene::hasRegularizers() const
{
    if (!regularizers.empty()) return true;
    for (const LayerSpec& l : layers)
        if (!l.regularizers.empty()) return true;
    return false;
}

Scene defaultScene()
{
    Scene s;
    s.title = "A contraction: one equilibrium, the minimiser of E";
    s.notes = "With ‖W‖₂ < 1 the map T(z) = σ(WᵀW z + Ux + b) is a contraction: every start reaches the same "
              "equilibrium, the unique minimiser of the hidden objective E.";
    LayerSpec l;
    l.size = 2;
    l.activation.type = ActivationType::Relu;
    s.layers = {l};
    s.W.resize(2, 2);
    s.W << 0.7, 0.3, -0.2, 0.6;
    s.U = Eigen::MatrixXd::Identity(2, 2);
    s.b = Eigen::VectorXd::Zero(2);
    s.input = Eigen::Vector2d(0.6, 0.4);
    s.solver.method = Method::Picard;
    s.solver.tol = 1e-9;
    s.solver.maxIter = 500;
    s.starts = {Eigen::Vector2d(-1.5, 1.5), Eigen::Vector2d(1.8, 1.6), Eigen::Vector2d(1.5, -1.2)};
    s.view.hasBox = true;
    s.view.x0 = -2; s.view.x1 = 2; s.view.y0 = -2; s.view.y1 = 2;
    return s;
}

Scene withDeepModel(const Scene& base, const DeepSpec& spec)
{
    const Model m = makeDeepModel(spec);
    Scene s = base;
    s.layers = m.layers();
    s.W = m.W();
    s.U = m.U();
    s.b = m.b();
    s.input = Eigen::VectorXd::Constant(m.d(), 0.5);
    s.regularizers.clear();
    s.seed = spec.seed;
    s.starts.clear();
    for (int k = 0; k < 3; ++k) s.starts.push_back(Eigen::VectorXd::LinSpaced(m.n(), -1.0 + k, 1.0 - k));
    s.prior.anchor.resize(0);
    s.prior.target.resize(0);
    s.view = SceneView{};
    return s;
}

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#include "Trainer.h"

#include "Csv.h"
#include "Evaluation.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

namespace opteq {

std::vector<std::pair<const char*, double>> epochLogFields(const EpochLog& l)
{
    // Iteration counts are exact as doubles (below 2^53) and print without a decimal point.
    return {{"epoch", double(l.epoch)},
            {"train_loss", l.trainLoss},
            {"train_accuracy", l.trainAccuracy},
            {"test_loss", l.testLoss},
            {"test_accuracy", l.testAccuracy},
            {"forward_iterations", double(l.forwardIterations)},
            {"adjoint_iterations", double(l.adjointIterations)},
            {"spectral_norm", l.spectralNorm},
            {"seconds", l.seconds},
            {"unconverged", double(l.unconverged)},
            {"adjoint_unconverged", double(l.adjointUnconverged)},
            {"cos_jacobian_free", l.cosineJacobianFree},
            {"cos_unrolled", l.cosineUnrolled}};
}

std::string epochLogCsv(const std::vector<EpochLog>& history)
{
    std::string o;
    for (const auto& [name, v] : epochLogFields(EpochLog{})) {
        if (!o.empty()) o += ',';
        o += name;
    }
    o += '\n';
    for (const EpochLog& l : history) {
        bool first = true;
        for (const auto& [name, v] : epochLogFields(l)) {
            if (!first) o += ',';
            first = false;
            appendNumber(o, v);
        }
        o += '\n';
    }
    return o;
}

Scene withUntrainedNetwork(Scene s, int units, const Activation& activation)
{
    s.layers = {LayerSpec{units, activation, {}}};
    s.W = Eigen::MatrixXd::Zero(units, units);
    s.U = Eigen::MatrixXd::Zero(units, 2);
    s.b = Eigen::VectorXd::Zero(units);
    s.input = Eigen::VectorXd::Zero(2);
    s.readout = Readout{};
    s.starts.clear();
    s.prior = PriorSettings{};
    s.regularizers.clear();
    s.view = SceneView{};
    s.hasTraining = true;
    return s;
}

NetworkWeights weightsOf(const Scene& s)
{
    return NetworkWeights{s.W, s.U, s.readout.V, s.b, s.readout.c};
}

Scene withWeights(Scene s, const NetworkWeights& w)
{
    s.W = w.W;
    s.U = w.U;
    s.b = w.b;
    s.readout.V = w.V;
    s.readout.c = w.c;
    if (s.input.size() != w.U.cols()) s.input = Eigen::VectorXd::Zero(w.U.cols());
    for (Eigen::VectorXd& a : {std::ref(s.prior.anchor), std::ref(s.prior.target)})
        if (a.size() != 0 && a.size() != w.W.cols()) a.resize(0);
    return s;
}

namespace {
int outputsOf(const Dataset& d)
{
    return d.labels.empty() ? int(d.targets.cols()) : d.classes;
}
}  // namespace

DataFit checkTrainingData(const Scene& scene, const Dataset& data)
{
    DataFit fit;
    const int d = int(data.X.cols());
    const bool labelled = !data.labels.empty();
    const int K = outputsOf(data);
    auto columns = [](char p, int k) { return k == 1 ? std::string(1, p) + "1" : std::string(1, p) + "1.." + p + std::to_string(k); };
    if (data.size() == 0) { fit.error = "the data has no rows"; return fit; }
    if (!labelled && scene.training.loss == LossKind::CrossEntropy) {
        fit.error = "training.loss: cross_entropy needs class labels (a \"label\" column), but the data has regression targets "
            + columns('y', K) + ": set \"loss\": \"mse\" (the Train tab's loss), or give a label column instead of " + columns('y', K);
        return fit;
    }
    if (labelled && scene.training.loss == LossKind::MeanSquaredError)
        fit.note = "mse with class labels: label k is trained towards the one-hot target e_k (" + std::to_string(K)
            + " outputs); accuracy counts the largest output";
    if (!scene.readout.empty()) {
        // Trained weights: the data must fit them exactly; the user decides to start afresh.
        if (scene.U.cols() != d)
            fit.error = "the data has " + std::to_string(d) + " input column" + (d == 1 ? "" : "s") + " (" + columns('x', d)
                + ") but the trained network's U takes " + std::to_string(scene.U.cols()) + " (" + columns('x', int(scene.U.cols()))
                + "): use data with those columns, or remove \"readout\" from the scene (Train tab: Reset) to train a fresh network";
        else if (scene.readout.outputs() != K)
            fit.error = "the data has " + std::to_string(K) + (labelled ? " classes" : " targets") + " but the trained readout has "
                + std::to_string(scene.readout.outputs()) + " outputs: use data with " + std::to_string(scene.readout.outputs())
                + (labelled ? " classes" : " targets") + ", or remove \"readout\" from the scene (Train tab: Reset) to train a fresh network";
        else if (scene.readout.V.cols() != scene.n() || scene.readout.c.size() != K)
            fit.error = "readout: V is " + std::to_string(scene.readout.V.rows()) + " × " + std::to_string(scene.readout.V.cols())
                + " and c has " + std::to_string(scene.readout.c.size()) + " entries; expected " + std::to_string(K) + " × "
                + std::to_string(scene.n()) + " and " + std::to_string(K);
    }
    return fit;
}

Trainer::Trainer(const Scene& scene, Dataset train, Dataset test, std::string* error)
    : m_scene(scene), m_train(std::move(train)), m_test(std::move(test)), m_opt(scene.training), m_rng(scene.training.seed)
{
    auto fail = [&](const std::string& e) {
        m_problem = e;
        if (error) *error = e;
    };
    const int n = scene.n(), d = int(m_train.X.cols()), K = outputsOf(m_train);
    if (m_train.size() == 0) { fail("the training split is empty"); return; }
    if (K < 1) { fail("the data has no classes or targets"); return; }
    if (!m_train.X.allFinite() || (m_test.size() && !m_test.X.allFinite())) { fail("the data holds a value that is not finite"); return; }
    if (m_test.size() && (m_test.X.cols() != d || outputsOf(m_test) != K)) { fail("the test split's columns differ from the training split's"); return; }
    const DataFit fit = checkTrainingData(scene, m_train);
    if (!fit.error.empty()) { fail(fit.error); return; }
    m_note = fit.note;
    if (!scene.readout.empty()) {
        m_w = weightsOf(scene);
    } else {
        // Fresh weights: W scaled to half the allowed norm (a clear contraction to start from),
        // U ~ N(0, s²) with s = min(1, √(2/d)), b ~ N(0, 0.1²), V ~ N(0, 1/n), c = 0. For 2-D
        // data s = 1; for d inputs of unit order U x has unit-order entries (He's scaling): with
        // N(0, 1) on 784 pixels U x had entries ~10 and tanh saturated (Fashion-MNIST: test
        // accuracy 0.726 after one epoch on 10 000 images instead of 0.798).
        std::normal_distribution<double> g;
        auto draw = [&](Eigen::Index r, Eigen::Index c, double s) {
            return Eigen::MatrixXd(Eigen::MatrixXd::NullaryExpr(r, c, [&] { return s * g(m_rng); }));
        };
        m_w.W = draw(n, n, 1.0);
        m_w.W *= std::min(0.5, 0.5 * scene.training.maxNorm) / spectralNorm(m_w.W);
        m_w.U = draw(n, d, std::min(1.0, std::sqrt(2.0 / std::max(1, d))));
        m_w.b = draw(n, 1, 0.1);
        m_w.V = draw(K, n, 1.0 / std::sqrt(double(n)));
        m_w.c = Eigen::VectorXd::Zero(K);
    }
    m_scene = withWeights(m_scene, m_w);
    m_shape = m_scene.model();
    m_trainColumns = m_train.X.transpose();
}

BatchView Trainer::view(const Dataset& d, const std::vector<int>& rows, Eigen::MatrixXd& X, std::vector<int>& labels,
                        Eigen::MatrixXd& targets, const Eigen::MatrixXd* columns) const
{
    X.resize(d.X.cols(), Eigen::Index(rows.size()));
    labels.clear();
    if (!d.labels.empty()) labels.reserve(rows.size());
    if (d.labels.empty()) targets.resize(d.targets.cols(), Eigen::Index(rows.size()));
    for (size_t j = 0; j < rows.size(); ++j) {
        if (columns) X.col(Eigen::Index(j)) = columns->col(rows[j]);
        else X.col(Eigen::Index(j)) = d.X.row(rows[j]).transpose();
        if (!d.labels.empty()) labels.push_back(d.labels[size_t(rows[j])]);
        else targets.col(Eigen::Index(j)) = d.targets.row(rows[j]).transpose();
    }
    return BatchView{X, d.labels.empty() ? nullptr : &labels, d.labels.empty() ? &targets : nullptr};
}

std::pair<double, double> Trainer::evaluate(const Dataset& data) const
{
    // The one evaluation path (Evaluation.h): `opteq evaluate` reports the same numbers.
    const Evaluation e = evaluateNetwork(m_shape, m_w, m_scene.solver, m_scene.training.loss, data);
    return {e.loss, e.accuracy};
}

EpochLog Trainer::runEpoch(const JobControl& job, bool measureCosines)
{
    EpochLog log;
    log.epoch = m_epoch + 1;
    if (!m_problem.empty()) return log;
    const TrainingSettings& t = m_scene.training;
    const auto start = std::chrono::steady_clock::now();
    std::vector<int> order(size_t(m_train.size()));
    std::iota(order.begin(), order.end(), 0);
    const int B = std::max(1, std::min(t.batch, m_train.size()));
    if (B < m_train.size()) std::shuffle(order.begin(), order.end(), m_rng);
    Eigen::MatrixXd X, targets;
    std::vector<int> labels;
    log.steps = (m_train.size() + B - 1) / B;
    Model model = networkModel(m_shape, m_w);   // the current weights' model, kept in step with them
    for (int first = 0; first < m_train.size(); first += B) {
        // A cancel (Pause, another scene, closing) ends this call only: the weights are those of
        // the last finished step and the next call starts a fresh epoch.
        if (job.cancelled()) { log.cancelled = true; break; }
        const std::vector<int> rows(order.begin() + first, order.begin() + std::min(first + B, m_train.size()));
        const BatchView batch = view(m_train, rows, X, labels, targets, &m_trainColumns);
        const Model& m = model;
        const GradientResult g = computeGradient(m, m_w, batch, t.loss, m_scene.solver, t.gradient, t.unroll, job,
                                                 m_hasAdjoint ? &m_adjoint : nullptr);
        log.forwardIterations += g.forwardIterations;
        log.adjointIterations += g.adjointIterations;
        if (!g.ok() && job.cancelled()) { log.cancelled = true; break; }
        if (!g.ok()) {
            // Stop with the reason; the weights stay those of the last good step.
            m_problem = "epoch " + std::to_string(log.epoch) + ": " + g.problem;
            break;
        }
        log.unconverged += g.unconverged;
        log.adjointUnconverged += g.adjointUnconverged;
        if (measureCosines && first == 0) {
            // Every estimator against the exact gradient, the one in use included: the exact
            // gradient is computed once (it is g itself when training with it).
            const GradientResult exact = t.gradient == GradientKind::Implicit
                                             ? g
                                             : computeGradient(m, m_w, batch, t.loss, m_scene.solver, GradientKind::Implicit, t.unroll, job);
            auto cosine = [&](GradientKind kind) {
                if (!exact.ok()) return std::nan("");
                if (kind == t.gradient) return gradientCosine(g.grad, exact.grad);
                const GradientResult other = computeGradient(m, m_w, batch, t.loss, m_scene.solver, kind, t.unroll, job);
                return other.ok() ? gradientCosine(other.grad, exact.grad) : std::nan("");
            };
            log.cosineJacobianFree = cosine(GradientKind::JacobianFree);
            log.cosineUnrolled = cosine(GradientKind::Unrolled);
        }
        // The schedule runs over the scene's epochs, counted in steps (a cancelled epoch restarts,
        // so its steps are counted again).
        const double done = double(m_epoch) * log.steps + log.stepsDone;
        m_opt.step(m_w, g.grad, t.lrFactor(done, double(t.epochs) * log.steps));
        m_lastTest.reset();   // no longer these weights' evaluation
        // ‖W‖₂ ≤ max_norm after every step: rescaling keeps W's directions. The next step's model
        // is built here and its norm (WᵀW and one Lanczos) is the only one computed per step: a
        // rescale scales WᵀW and the norm it already has.
        model = networkModel(m_shape, m_w);
        const double s = model.spectralNorm();
        if (s > t.maxNorm) {
            m_w.W *= t.maxNorm / s;
            model = model.scaledW(t.maxNorm / s);
        }
        ++log.stepsDone;
        job.report(double(std::min(first + B, m_train.size())) / m_train.size());
    }
    if (log.cancelled) {
        // Nothing is evaluated for a cancelled epoch: the caller asked for the thread back.
        log.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        log.trainLoss = log.trainAccuracy = log.testLoss = log.testAccuracy = std::nan("");
        return log;
    }
    log.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    log.spectralNorm = model.spectralNorm();
    std::tie(log.trainLoss, log.trainAccuracy) = evaluate(m_train);
    // The test split's whole evaluation is kept: the image views draw its predictions and
    // confusion matrix without solving the test set a second time.
    auto test = std::make_shared<const Evaluation>(evaluateNetwork(m_shape, m_w, m_scene.solver, m_scene.training.loss, m_test));
    log.testLoss = test->loss;
    log.testAccuracy = test->accuracy;
    m_lastTest = std::move(test);
    if (m_problem.empty()) m_epoch = log.epoch;   // a failed or cancelled epoch does not count
    return log;
}

}  // namespace opteq

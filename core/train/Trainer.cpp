// SPDX-License-Identifier: GPL-3.0-or-later
#include "Trainer.h"

#include "Csv.h"
#include "Evaluation.h"

#include <algorithm>
#include <array>
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

Trainer::Trainer(const Scene& scene, std::shared_ptr<const Dataset> train, std::shared_ptr<const Dataset> test, std::string* error)
    : m_scene(scene),
      m_train(train ? std::move(train) : std::make_shared<const Dataset>()),
      m_test(test ? std::move(test) : std::make_shared<const Dataset>()),
      m_opt(scene.training),
      m_rng(scene.training.seed)
{
    auto fail = [&](const std::string& e) {
        m_problem = e;
        if (error) *error = e;
    };
    const int n = scene.n(), d = int(m_train->X.cols()), K = outputsOf(*m_train);
    if (m_train->size() == 0) { fail("the training split is empty"); return; }
    if (K < 1) { fail("the data has no classes or targets"); return; }
    if (!m_train->X.allFinite() || (m_test->size() && !m_test->X.allFinite())) { fail("the data holds a value that is not finite"); return; }
    if (m_test->size() && (m_test->X.cols() != d || outputsOf(*m_test) != K)) { fail("the test split's columns differ from the training split's"); return; }
    const DataFit fit = checkTrainingData(scene, *m_train);
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
}

namespace {
// byte → the double the image loaders make of it (b / 255.0, rounded once); one table for the
// check and the batches, so a byte stands for exactly the value it replaced.
const std::array<double, 256>& byteValues()
{
    static const std::array<double, 256> table = [] {
        std::array<double, 256> t{};
        for (int b = 0; b < 256; ++b) t[size_t(b)] = double(b) / 255.0;
        return t;
    }();
    return table;
}
}  // namespace

void Trainer::prepareInputs()
{
    if (m_inputsReady) return;
    m_inputsReady = true;
    const Eigen::MatrixXd& X = m_train->X;
    if (m_compactInputs && m_train->isImage()) {
        const auto& value = byteValues();
        m_trainBytes.resize(X.cols(), X.rows());
        bool exact = true;
        for (Eigen::Index c = 0; c < X.cols() && exact; ++c)
            for (Eigen::Index i = 0; i < X.rows(); ++i) {
                const double v = X(i, c);
                const double k = std::round(v * 255.0);
                if (!(k >= 0 && k <= 255) || value[size_t(k)] != v) { exact = false; break; }
                m_trainBytes(c, i) = std::uint8_t(k);
            }
        if (exact) return;
        m_trainBytes.resize(0, 0);
    }
    m_trainColumns = X.transpose();
}

BatchView Trainer::view(const Dataset& d, const std::vector<int>& rows, Eigen::MatrixXd& X, std::vector<int>& labels,
                        Eigen::MatrixXd& targets, const Eigen::MatrixXd* columns) const
{
    const bool bytes = columns && m_trainBytes.size() > 0;
    const auto& value = byteValues();
    X.resize(d.X.cols(), Eigen::Index(rows.size()));
    labels.clear();
    if (!d.labels.empty()) labels.reserve(rows.size());
    if (d.labels.empty()) targets.resize(d.targets.cols(), Eigen::Index(rows.size()));
    for (size_t j = 0; j < rows.size(); ++j) {
        if (bytes) {
            const std::uint8_t* b = m_trainBytes.col(rows[j]).data();
            double* x = X.col(Eigen::Index(j)).data();
            for (Eigen::Index i = 0; i < X.rows(); ++i) x[i] = value[b[i]];
        } else if (columns) X.col(Eigen::Index(j)) = columns->col(rows[j]);
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

EpochLog Trainer::runEpoch(const JobControl& job, bool measureCosines, const EpochProgressFn& progress)
{
    if (!m_problem.empty()) {
        EpochLog log;
        log.epoch = m_epoch + 1;
        return log;
    }
    const TrainingSettings& t = m_scene.training;
    const auto start = std::chrono::steady_clock::now();
    const int N = m_train->size();
    const int B = std::max(1, std::min(t.batch, N));
    // A paused epoch goes on from its next step in its own order; a new one draws its order.
    const bool resumed = m_resume.steps > 0;
    EpochLog log = resumed ? m_resume : EpochLog{};
    if (!resumed) {
        log.epoch = m_epoch + 1;
        log.steps = (N + B - 1) / B;
        m_order.resize(size_t(N));
        std::iota(m_order.begin(), m_order.end(), 0);
        if (B < N) std::shuffle(m_order.begin(), m_order.end(), m_rng);
        m_resumeTrainEval.reset();
    }
    log.cancelled = false;
    const double secondsBefore = log.seconds;
    auto elapsed = [&] { return secondsBefore + std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
    auto pause = [&] {
        // The thread goes back to the caller; everything needed to go on is kept (m_resume).
        log.cancelled = true;
        log.seconds = elapsed();
        m_resume = m_problem.empty() ? log : EpochLog{};
        m_resume.cancelled = false;
        log.trainLoss = log.trainAccuracy = log.testLoss = log.testAccuracy = std::nan("");
        return log;
    };
    auto report = [&](EpochProgress::Stage stage, int done, int total) {
        if (progress) progress(EpochProgress{log.epoch, stage, done, total, log.forwardIterations});
    };
    Eigen::MatrixXd X, targets;
    std::vector<int> labels;
    // The solves see the cancel flag only: the engine's progress (columns of one batch) is not
    // the epoch's, and the caller's progress is the callback's per step.
    const JobControl solveJob{job.cancel, {}};
    prepareInputs();
    Model model = networkModel(m_shape, m_w);   // the current weights' model, kept in step with them
    for (int step = log.stepsDone; step < log.steps; ++step) {
        // Between steps: a cancel (Pause, another scene, closing) ends this call before the next
        // step starts; the weights are those of the last finished step.
        if (job.cancelled()) return pause();
        const int first = step * B;
        const std::vector<int> rows(m_order.begin() + first, m_order.begin() + std::min(first + B, N));
        const BatchView batch = view(*m_train, rows, X, labels, targets, &m_trainColumns);
        const Model& m = model;
        const GradientResult g = computeGradient(m, m_w, batch, t.loss, m_scene.solver, t.gradient, t.unroll, solveJob,
                                                 m_hasAdjoint ? &m_adjoint : nullptr);
        // A step cut short by a cancel is not applied and not counted: the next call takes it again.
        if (!g.ok() && job.cancelled()) return pause();
        log.forwardIterations += g.forwardIterations;
        log.adjointIterations += g.adjointIterations;
        if (!g.ok()) {
            // Stop with the reason; the weights stay those of the last good step.
            // The losses are still measured (below), for those weights; the epoch does not count.
            m_problem = "epoch " + std::to_string(log.epoch) + ": " + g.problem;
            break;
        }
        log.unconverged += g.unconverged;
        log.adjointUnconverged += g.adjointUnconverged;
        if (measureCosines && step == 0) {
            // Every estimator against the exact gradient, the one in use included: the exact
            // gradient is computed once (it is g itself when training with it).
            const GradientResult exact = t.gradient == GradientKind::Implicit
                                             ? g
                                             : computeGradient(m, m_w, batch, t.loss, m_scene.solver, GradientKind::Implicit, t.unroll, solveJob);
            auto cosine = [&](GradientKind kind) {
                if (!exact.ok()) return std::nan("");
                if (kind == t.gradient) return gradientCosine(g.grad, exact.grad);
                const GradientResult other = computeGradient(m, m_w, batch, t.loss, m_scene.solver, kind, t.unroll, solveJob);
                return other.ok() ? gradientCosine(other.grad, exact.grad) : std::nan("");
            };
            log.cosineJacobianFree = cosine(GradientKind::JacobianFree);
            log.cosineUnrolled = cosine(GradientKind::Unrolled);
        }
        // The schedule runs over the scene's epochs, counted in steps (a paused epoch resumes at
        // its next step, so every step is counted once).
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
        m_resume = log;   // a cancel from here on resumes after this step
        report(EpochProgress::Stage::Steps, log.stepsDone, log.steps);
        job.report(double(log.stepsDone) / log.steps);
    }
    log.seconds = elapsed();
    if (job.cancelled()) return pause();
    log.spectralNorm = model.spectralNorm();
    // The evaluations read the cancel flag between (and inside) their chunks: on all 60 000
    // Fashion-MNIST images they take seconds. A cancelled one is done again on resuming.
    if (!m_resumeTrainEval) {
        auto train = std::make_shared<const Evaluation>(evaluateNetwork(m_shape, m_w, m_scene.solver, t.loss, *m_train, solveJob,
            [&](int done, int total) { report(EpochProgress::Stage::EvaluateTrain, done, total); }));
        if (job.cancelled()) return pause();
        m_resumeTrainEval = std::move(train);
    }
    log.trainLoss = m_resumeTrainEval->loss;
    log.trainAccuracy = m_resumeTrainEval->accuracy;
    // The test split's whole evaluation is kept: the image views draw its predictions and
    // confusion matrix without solving the test set a second time.
    auto test = std::make_shared<const Evaluation>(evaluateNetwork(m_shape, m_w, m_scene.solver, t.loss, *m_test, solveJob,
        [&](int done, int total) { report(EpochProgress::Stage::EvaluateTest, done, total); }));
    if (job.cancelled()) return pause();
    log.testLoss = test->loss;
    log.testAccuracy = test->accuracy;
    m_lastTest = std::move(test);
    m_resume = EpochLog{};
    m_resumeTrainEval.reset();
    if (m_problem.empty()) m_epoch = log.epoch;   // a failed epoch does not count
    return log;
}

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Training a scene's network on a dataset, one epoch at a time (`opteq train`, the Train tab).
// An epoch is one pass over the training split in shuffled mini-batches (full batch when the
// batch is at least the split); after every optimiser step ‖W‖₂ is brought back to max_norm by
// rescaling W, so the trained model keeps the guarantee of the theory panel. When a step fails
// (the forward or adjoint solve diverges, a gradient is not finite) training stops with the
// reason and the weights are those before that step. One thread owns a Trainer; no Qt.
#include "Evaluation.h"
#include "Optimizer.h"
#include "Scene.h"

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <random>

namespace opteq {

struct EpochLog {
    int epoch = 0;
    double trainLoss = 0, trainAccuracy = 0, testLoss = 0, testAccuracy = 0;
    long long forwardIterations = 0, adjointIterations = 0;   // over the epoch's batches
    double spectralNorm = 0;                                   // ‖W‖₂ after the epoch
    double seconds = 0;                                        // wall time of the epoch's steps
    // Cosine of each cheap estimator to the exact (implicit) gradient on the epoch's first batch,
    // measured for every estimator, the one in use included (NaN when not measured).
    double cosineJacobianFree = std::numeric_limits<double>::quiet_NaN();
    double cosineUnrolled = std::numeric_limits<double>::quiet_NaN();
    long long unconverged = 0;          // forward columns that stopped at max_iter, over the epoch
    long long adjointUnconverged = 0;   // adjoint columns that stopped at max_iter
    int steps = 0, stepsDone = 0;       // optimiser steps the epoch has, and took (a resumed epoch: in all its calls)
    bool cancelled = false;             // stopped by the job after stepsDone steps (not an epoch)
};

// Where runEpoch is, reported on the trainer's thread after every optimiser step (done = steps
// taken of the epoch's `total`, counting the steps of earlier calls of a resumed epoch) and after
// every chunk of the end-of-epoch evaluations (done = chunks evaluated of `total`).
struct EpochProgress {
    enum class Stage { Steps, EvaluateTrain, EvaluateTest };
    int epoch = 0;
    Stage stage = Stage::Steps;
    int done = 0, total = 0;
    long long forwardIterations = 0;   // Steps: Σ forward iterations of the steps taken so far
};
using EpochProgressFn = std::function<void(const EpochProgress&)>;

// The per-epoch log as CSV (`opteq train --log`, the Train tab's export): a header and one row per
// epoch: epoch,train_loss,train_accuracy,test_loss,test_accuracy,forward_iterations,
// adjoint_iterations,spectral_norm,seconds,unconverged,adjoint_unconverged,cos_jacobian_free,
// cos_unrolled.
std::string epochLogCsv(const std::vector<EpochLog>& history);

// The per-epoch log's columns and values, in order (CSV and JSON are written from this one list).
std::vector<std::pair<const char*, double>> epochLogFields(const EpochLog& log);

// The scene with a fresh, untrained network of `units` units of `activation` for 2-D data and
// training settings: zero W, U, b, no readout (the trainer draws the weights from training.seed).
Scene withUntrainedNetwork(Scene scene, int units, const Activation& activation);

// The weights a scene holds (W, U, b and its readout).
NetworkWeights weightsOf(const Scene& scene);
// The scene with these weights (and a readout) in place.
Scene withWeights(Scene scene, const NetworkWeights& w);

// Whether a data set fits the scene's loss and network, checked the same way for the window and
// `opteq train` before any weight is touched. error: training cannot start, and says what to
// change; note: it can, and the user should know how (mse with class labels trains on one-hot
// targets). A trained scene (one with a readout) is never silently rebuilt for other data.
struct DataFit {
    std::string error, note;
};
DataFit checkTrainingData(const Scene& scene, const Dataset& data);

class Trainer {
public:
    // Starts from the scene's weights when it has a readout that fits the data (continuing a
    // run), else draws fresh weights from training.seed for the scene's units and layers and the
    // data's input dimension and classes. `error` says why training cannot start (empty if it can).
    // The data is shared, never copied: the window's frames and views hold the same immutable
    // data sets (all of Fashion-MNIST's training split is 376 MB as float64).
    Trainer(const Scene& scene, std::shared_ptr<const Dataset> train, std::shared_ptr<const Dataset> test, std::string* error);
    Trainer(const Scene& scene, Dataset train, Dataset test, std::string* error)
        : Trainer(scene, std::make_shared<const Dataset>(std::move(train)), std::make_shared<const Dataset>(std::move(test)), error) {}

    // One epoch, or the rest of a paused one. `progress` is called after every step and every
    // evaluated chunk (EpochProgress); the job's cancel flag is read before every step, inside the
    // step's solves and between the evaluation's chunks. A cancelled call returns with
    // log.cancelled set: the weights are those of the last finished step (a step cut short is
    // not applied), epoch() does not advance, and the next call resumes the same epoch where it
    // stopped (the same shuffled order, the next step; or the evaluation when every step was
    // taken), so an epoch paused any number of times ends with the weights of one run through.
    EpochLog runEpoch(const JobControl& job = {}, bool measureCosines = false, const EpochProgressFn& progress = {});
    // Whether the next runEpoch resumes a paused epoch (after stepsDone() of its steps).
    bool midEpoch() const { return m_resume.steps > 0; }
    // The training rows in the order of the current (or last) epoch's steps, drawn from
    // training.seed: benchmarks give it to the numpy/torch peers so both see the same batches.
    const std::vector<int>& epochOrder() const { return m_order; }
    int stepsDone() const { return m_resume.stepsDone; }
    // Loss and accuracy of the current weights on a dataset (a forward pass of all its rows).
    std::pair<double, double> evaluate(const Dataset& data) const;

    // The test split's evaluation at the end of the last finished epoch (predictions, confusion,
    // activity), or null once a step has changed the weights since (a paused epoch) or before
    // the first epoch. Shared, so a frame holds it without copying (the image views draw it).
    std::shared_ptr<const Evaluation> lastTestEvaluation() const { return m_lastTest; }
    const std::string& problem() const { return m_problem; }   // non-empty: training stopped
    const std::string& note() const { return m_note; }         // checkTrainingData's note
    int epoch() const { return m_epoch; }
    const NetworkWeights& weights() const { return m_w; }
    Scene trainedScene() const { return withWeights(m_scene, m_w); }
    const Dataset& trainSet() const { return *m_train; }
    const Dataset& testSet() const { return *m_test; }
    std::shared_ptr<const Dataset> sharedTrainSet() const { return m_train; }
    std::shared_ptr<const Dataset> sharedTestSet() const { return m_test; }
    // The adjoint solve's method (Picard, KM or Anderson, with the scene solver's tolerance and
    // memory); by default the scene solver's own (Anderson forward: Anderson adjoint). For
    // benchmarks and comparisons; not part of the scene.
    // Whether the training inputs may be kept as bytes (default) or always as doubles (tests
    // compare the two); takes effect only before the first epoch.
    void setCompactInputs(bool on) { m_compactInputs = on; }
    // Bytes the trainer's own copy of the training inputs takes (beside the shared data set).
    long long inputCopyBytes() const { return m_trainBytes.size() + 8LL * m_trainColumns.size(); }
    void setAdjointMethod(Method m) { m_adjoint = m_scene.solver; m_adjoint.method = m; m_hasAdjoint = true; }

private:
    BatchView view(const Dataset& d, const std::vector<int>& rows, Eigen::MatrixXd& X, std::vector<int>& labels,
                   Eigen::MatrixXd& targets, const Eigen::MatrixXd* columns = nullptr) const;

    Scene m_scene;
    Model m_shape;   // layers and priors; weights come from m_w
    std::shared_ptr<const Dataset> m_train, m_test;   // never null
    // The training inputs one sample per column, made at the first epoch: a batch's columns are
    // contiguous copies from it (a row gather from the N × d matrix reads 8 bytes a cache line;
    // all of Fashion-MNIST: 0.6 s an epoch instead of 0.1 s). Images whose every pixel is exactly
    // byte / 255 (IDX, uint8 .npy) are kept as those bytes (d × N, 47 MB for Fashion-MNIST
    // instead of 376 MB) and turned back into the very same doubles for each batch, so the
    // arithmetic and its results are unchanged; other data is kept as doubles (m_trainColumns).
    void prepareInputs();
    Eigen::MatrixXd m_trainColumns;
    Eigen::Matrix<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic> m_trainBytes;
    bool m_inputsReady = false, m_compactInputs = true;
    SolverSettings m_adjoint;
    bool m_hasAdjoint = false;
    NetworkWeights m_w;
    Optimizer m_opt;
    std::mt19937_64 m_rng;
    int m_epoch = 0;
    // A paused epoch (m_resume.steps > 0): its shuffled order, its log so far (steps taken,
    // iterations, seconds) and, once every step is taken, the training split's evaluation if done.
    std::vector<int> m_order;
    EpochLog m_resume;
    std::shared_ptr<const Evaluation> m_resumeTrainEval;
    std::shared_ptr<const Evaluation> m_lastTest;
    std::string m_problem, m_note;
};

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
// Training: the optimiser's update rules exactly, reproducibility, ‖W‖₂ ≤ max_norm after every
// step, a diverging run stopped with its reason and its last good weights, and (with the data
// generators) the accuracy the lessons promise.
#include "Dataset.h"
#include "DecisionMap.h"
#include "DeepGenerator.h"
#include "SceneIO.h"
#include "Solve.h"
#include "Trainer.h"
#include "TestHelpers.h"

#include <atomic>
#include <random>

using namespace opteq;

namespace {

// Two Gaussian clusters in 2-D (classes 0 and 1), deterministic.
Dataset clusters(int N, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> g;
    Dataset d;
    d.X.resize(N, 2);
    d.classes = 2;
    for (int i = 0; i < N; ++i) {
        const int k = i % 2;
        d.X(i, 0) = (k ? 1.0 : -1.0) + 0.5 * g(rng);
        d.X(i, 1) = (k ? 0.5 : -0.5) + 0.5 * g(rng);
        d.labels.push_back(k);
    }
    return d;
}

Scene trainingScene(int n, ActivationType act)
{
    Scene s = defaultScene();
    Activation a;
    a.type = act;
    s.layers = {LayerSpec{n, a, {}}};
    s.W = Eigen::MatrixXd::Identity(n, n) * 0.5;
    s.U = Eigen::MatrixXd::Zero(n, 2);
    s.b = Eigen::VectorXd::Zero(n);
    s.starts.clear();
    s.hasTraining = true;
    s.solver.method = Method::Anderson;
    s.solver.tol = 1e-10;
    s.solver.maxIter = 2000;
    return s;
}

}  // namespace

class TestTrain : public QObject {
    Q_OBJECT
private slots:
    void fullBatchSgdStepIsExactlyMinusLrTimesGradient()
    {
        Scene s = trainingScene(6, ActivationType::Tanh);
        s.training.optimizer = OptimizerKind::Sgd;
        s.training.momentum = 0.0;
        s.training.lr = 0.05;
        s.training.batch = 1000;   // >= the split: full batch, order irrelevant
        s.training.maxNorm = 10;   // no rescaling in this step
        const Dataset data = clusters(40, 3);
        std::string error;
        Trainer t(s, data, Dataset{}, &error);
        QVERIFY2(error.empty(), error.c_str());
        const NetworkWeights before = t.weights();
        // The gradient the step must use, computed independently on the same full batch.
        const Scene current = t.trainedScene();
        Eigen::MatrixXd X = data.X.transpose();
        const GradientResult g = computeGradient(current.model(), before, BatchView{X, &data.labels, nullptr}, LossKind::CrossEntropy,
                                                 s.solver, GradientKind::Implicit);
        QVERIFY(g.ok());
        const EpochLog log = t.runEpoch();
        QVERIFY2(t.problem().empty(), t.problem().c_str());
        QCOMPARE(log.epoch, 1);
        const NetworkWeights& after = t.weights();
        QCOMPARE(after.W, Eigen::MatrixXd(before.W - 0.05 * g.grad.W));
        QCOMPARE(after.U, Eigen::MatrixXd(before.U - 0.05 * g.grad.U));
        QCOMPARE(after.b, Eigen::VectorXd(before.b - 0.05 * g.grad.b));
        QCOMPARE(after.V, Eigen::MatrixXd(before.V - 0.05 * g.grad.V));
        QCOMPARE(after.c, Eigen::VectorXd(before.c - 0.05 * g.grad.c));
    }

    void cosineScheduleScalesEachStepsLearningRate()
    {
        // Full batch, 3 epochs: one step per epoch with factors ½(1 + cos(π·k/3)) = 1, 0.75, 0.25.
        // Each epoch's step must be exactly −lr·factor·∇L at the weights it starts from.
        Scene s = trainingScene(6, ActivationType::Tanh);
        s.training.optimizer = OptimizerKind::Sgd;
        s.training.momentum = 0.0;
        s.training.lr = 0.08;
        s.training.batch = 1000;
        s.training.epochs = 3;
        s.training.maxNorm = 10;
        s.training.lrSchedule = LrSchedule::Cosine;
        const Dataset data = clusters(40, 3);
        std::string error;
        Trainer t(s, data, Dataset{}, &error);
        QVERIFY2(error.empty(), error.c_str());
        Eigen::MatrixXd X = data.X.transpose();
        const double factors[] = {1.0, 0.75, 0.25};
        for (double f : factors) {
            const NetworkWeights before = t.weights();
            const GradientResult g = computeGradient(t.trainedScene().model(), before, BatchView{X, &data.labels, nullptr},
                                                     LossKind::CrossEntropy, s.solver, GradientKind::Implicit);
            QVERIFY(g.ok());
            t.runEpoch();
            QVERIFY2(t.problem().empty(), t.problem().c_str());
            const Eigen::MatrixXd expected = before.U - 0.08 * f * g.grad.U;
            QVERIFY2((t.weights().U - expected).norm() <= 1e-12 * (1 + expected.norm()),
                     qPrintable(QString("factor %1: off by %2").arg(f).arg((t.weights().U - expected).norm())));
        }
        QCOMPARE(s.training.lrFactor(0, 4), 1.0);
        QVERIFY(std::abs(s.training.lrFactor(2, 4) - 0.5) < 1e-15);
        QVERIFY(std::abs(s.training.lrFactor(4, 4)) < 1e-15);
        QCOMPARE(s.training.lrFactor(9, 4), s.training.lrFactor(4, 4));   // past the run: stays at the end
    }

    void seededAdamRunIsReproducibleAndKeepsTheNormBound()
    {
        Scene s = trainingScene(8, ActivationType::Relu);
        s.training.optimizer = OptimizerKind::Adam;
        s.training.lr = 0.05;
        s.training.batch = 16;
        s.training.maxNorm = 0.6;
        s.training.seed = 42;
        const Dataset data = clusters(96, 7);
        std::string e1, e2;
        Trainer a(s, data, clusters(20, 8), &e1), b(s, data, clusters(20, 8), &e2);
        double first = 0;
        for (int k = 0; k < 8; ++k) {
            const EpochLog la = a.runEpoch(), lb = b.runEpoch();
            if (k == 0) first = la.trainLoss;
            QCOMPARE(la.trainLoss, lb.trainLoss);
            QVERIFY2(la.spectralNorm <= 0.6 * (1 + 1e-12), qPrintable(QString::number(la.spectralNorm)));
            QVERIFY(la.forwardIterations > 0 && la.adjointIterations > 0);
        }
        QCOMPARE(a.weights().W, b.weights().W);   // bit for bit
        QVERIFY(a.evaluate(data).second > 0.9);   // it learned the two clusters
        QVERIFY(a.trainSet().size() == 96 && a.evaluate(data).first < first);
        // Another seed: another run.
        s.training.seed = 43;
        Trainer c(s, data, Dataset{}, &e1);
        c.runEpoch();
        QVERIFY(c.weights().W != a.weights().W);
    }

    void cosinesOfTheCheapEstimatorsAreMeasured()
    {
        Scene s = trainingScene(6, ActivationType::Tanh);
        std::string e;
        Trainer t(s, clusters(32, 1), Dataset{}, &e);
        const EpochLog log = t.runEpoch({}, true);
        QVERIFY(std::isfinite(log.cosineJacobianFree) && std::isfinite(log.cosineUnrolled));
        QVERIFY(log.cosineJacobianFree <= 1.0 && log.cosineUnrolled <= 1.0);
        QVERIFY(log.cosineUnrolled > log.cosineJacobianFree - 0.5);
    }

    void divergingRunStopsWithItsReasonAndLastGoodWeights()
    {
        // max_norm > 1 with an identity activation and a huge learning rate: the forward solve
        // blows up within a few steps; training stops, says why, and keeps finite weights.
        Scene s = trainingScene(4, ActivationType::Identity);
        s.training.maxNorm = 3.0;
        s.training.optimizer = OptimizerKind::Sgd;
        s.training.momentum = 0;
        s.training.lr = 50.0;
        s.training.batch = 1000;
        s.solver.method = Method::Picard;
        std::string e;
        Trainer t(s, clusters(40, 2), Dataset{}, &e);
        QVERIFY(e.empty());
        for (int k = 0; k < 20 && t.problem().empty(); ++k) t.runEpoch();
        QVERIFY2(!t.problem().empty(), "expected the run to diverge");
        QVERIFY2(QString::fromStdString(t.problem()).contains("diverged") || QString::fromStdString(t.problem()).contains("not finite")
                     || QString::fromStdString(t.problem()).contains("did not converge"),
                 t.problem().c_str());
        QVERIFY(t.weights().W.allFinite() && t.weights().V.allFinite());
        const int epochs = t.epoch();
        t.runEpoch();   // a stopped run does not move
        QCOMPARE(t.epoch(), epochs);
    }

    void learnsMoonsAndSpiralsToTheLessonsAccuracy_data()
    {
        QTest::addColumn<int>("generator");
        QTest::addColumn<int>("classes");
        QTest::addColumn<double>("noise");
        QTest::addColumn<int>("samples");
        QTest::addColumn<double>("accuracy");
        QTest::addRow("moons") << int(DataGenerator::Moons) << 2 << 0.1 << 400 << 0.97;
        QTest::addRow("3-arm spirals") << int(DataGenerator::Spirals) << 3 << 0.05 << 600 << 0.95;
    }
    void learnsMoonsAndSpiralsToTheLessonsAccuracy()
    {
        QFETCH(int, generator);
        QFETCH(int, classes);
        QFETCH(double, noise);
        QFETCH(int, samples);
        QFETCH(double, accuracy);
        // The defaults (Adam, lr 0.01, batch 64, 200 epochs, implicit gradient, max_norm 0.95)
        // with 32 tanh units.
        Scene s = trainingScene(32, ActivationType::Tanh);
        s.solver.tol = 1e-6;
        s.solver.maxIter = 500;
        s.training.data.generator = DataGenerator(generator);
        s.training.data.classes = classes;
        s.training.data.noise = noise;
        s.training.data.samples = samples;
        const auto [train, test] = splitTrainTest(generate(s.training.data), s.training.testFraction, s.training.seed);
        std::string e;
        Trainer t(s, train, test, &e);
        QVERIFY2(e.empty(), e.c_str());
        EpochLog last;
        for (int k = 0; k < s.training.epochs; ++k) {
            last = t.runEpoch();
            QVERIFY2(t.problem().empty(), t.problem().c_str());
            QVERIFY(last.spectralNorm <= s.training.maxNorm * (1 + 1e-12));
        }
        QVERIFY2(last.testAccuracy >= accuracy, qPrintable(QString("test accuracy %1").arg(last.testAccuracy)));
        // The trained scene reopens with the same weights and predicts the same.
        const Scene trained = t.trainedScene();
        QCOMPARE(trained.readout.V, t.weights().V);
        QVERIFY(trained.validate().empty());
    }

    void theNormBoundLessonKeepsItsPromise()
    {
        // Lesson 13: a bound of 0.99 costs many more forward and adjoint iterations than 0.5.
        const SceneResult r = loadScene(sourcePath("resources/lessons/13-what-the-norm-bound-buys.opteq.json"));
        QVERIFY2(r.ok(), r.error.c_str());
        QCOMPARE(r.scene->training.maxNorm, 0.99);
        auto iterations = [&](double bound) {
            Scene s = *r.scene;
            s.training.maxNorm = bound;
            const auto [train, test] = splitTrainTest(generate(s.training.data), s.training.testFraction, s.training.seed);
            std::string e;
            Trainer t(s, train, test, &e);
            EpochLog l;
            long long fw = 0, adj = 0;
            for (int k = 0; k < 40; ++k) {
                l = t.runEpoch();
                fw += l.forwardIterations;
                adj += l.adjointIterations;
            }
            return std::tuple{fw, adj, l.testAccuracy};
        };
        const auto [fwLoose, adjLoose, accLoose] = iterations(0.99);
        const auto [fwTight, adjTight, accTight] = iterations(0.5);
        QVERIFY2(fwLoose > 2 * fwTight && adjLoose > 2 * adjTight,
                 qPrintable(QString("forward %1 vs %2, adjoint %3 vs %4").arg(fwLoose).arg(fwTight).arg(adjLoose).arg(adjTight)));
        QVERIFY(accLoose > 0.8 && accTight > 0.8);
        // Lesson 12 is the moons network of the accuracy test above, as a scene file.
        const SceneResult moons = loadScene(sourcePath("resources/lessons/12-implicit-layer-learns-moons.opteq.json"));
        QVERIFY2(moons.ok(), moons.error.c_str());
        QCOMPARE(moons.scene->n(), 32);
        QCOMPARE(moons.scene->training.data.generator, DataGenerator::Moons);
    }

    void mseWithClassLabelsTrainsOnOneHotTargets()
    {
        // Was a null dereference (SIGSEGV in evaluateLoss): mse read targets the data lacks.
        Scene s = trainingScene(4, ActivationType::Tanh);
        s.training.loss = LossKind::MeanSquaredError;
        const Dataset data = clusters(40, 3);
        const DataFit fit = checkTrainingData(s, data);
        QVERIFY2(fit.error.empty(), fit.error.c_str());
        QVERIFY2(QString::fromStdString(fit.note).contains("one-hot"), fit.note.c_str());
        std::string e;
        Trainer t(s, data, Dataset{}, &e);
        QVERIFY2(e.empty(), e.c_str());
        QCOMPARE(t.note(), fit.note);
        // The loss is the mean of (y − e_label)² over the batch and the K outputs.
        const auto [loss, accuracy] = t.evaluate(data);
        const Scene ts = t.trainedScene();
        const Model m = ts.model();
        double sum = 0;
        int right = 0;
        for (int r = 0; r < data.size(); ++r) {
            const Eigen::VectorXd z = solve(SolverContext(m, data.X.row(r).transpose(), ts.solver), Eigen::VectorXd::Zero(4)).z;
            Eigen::VectorXd y = ts.readout.V * z + ts.readout.c;
            Eigen::Index arg;
            y.maxCoeff(&arg);
            right += int(arg) == data.labels[size_t(r)];
            y(data.labels[size_t(r)]) -= 1.0;
            sum += y.squaredNorm();
        }
        OPTEQ_COMPARE_NEAR(loss, sum / (2.0 * data.size()), 1e-8);
        OPTEQ_COMPARE_NEAR(accuracy, double(right) / data.size(), 1e-12);
        double first = loss;
        for (int k = 0; k < 20; ++k) t.runEpoch();
        QVERIFY2(t.problem().empty(), t.problem().c_str());
        OPTEQ_VERIFY_LE(t.evaluate(data).first, 0.8 * first);
    }

    void crossEntropyWithTargetsIsRefusedNamingTheFix()
    {
        // Was a null dereference too: cross-entropy read labels the data lacks.
        Scene s = trainingScene(4, ActivationType::Tanh);
        Dataset data = clusters(10, 1);
        data.targets = Eigen::MatrixXd::Ones(10, 2);
        data.labels.clear();
        data.classes = 0;
        std::string e;
        Trainer t(s, data, Dataset{}, &e);
        QVERIFY2(QString::fromStdString(e).contains("training.loss: cross_entropy needs class labels"), e.c_str());
        QVERIFY2(QString::fromStdString(e).contains("\"loss\": \"mse\""), e.c_str());
        QVERIFY(!t.problem().empty());
    }

    void aTrainedSceneIsNeverRebuiltForOtherData()
    {
        // A scene with trained weights (readout K = 2, U takes d = 2) and data of another width
        // or class count: refused, saying what to do; the weights are never silently redrawn.
        Scene s = trainingScene(4, ActivationType::Tanh);
        std::string e;
        Trainer first(s, clusters(20, 1), Dataset{}, &e);
        first.runEpoch();
        const Scene trained = first.trainedScene();
        Dataset oneD = clusters(20, 1);
        oneD.X = oneD.X.leftCols(1).eval();
        Trainer narrow(trained, oneD, Dataset{}, &e);
        QVERIFY2(QString::fromStdString(e).contains("the data has 1 input column (x1) but the trained network's U takes 2 (x1..x2)"), e.c_str());
        QVERIFY2(QString::fromStdString(e).contains("remove \"readout\""), e.c_str());
        Dataset three = clusters(21, 1);
        for (int r = 0; r < 21; r += 3) three.labels[size_t(r)] = 2;
        three.classes = 3;
        Trainer more(trained, three, Dataset{}, &e);
        QVERIFY2(QString::fromStdString(e).contains("the data has 3 classes but the trained readout has 2 outputs"), e.c_str());
        // Matching data continues from the trained weights.
        std::string none;
        Trainer same(trained, clusters(20, 1), Dataset{}, &none);
        QVERIFY2(none.empty(), none.c_str());
        QVERIFY(same.weights().W == trained.W && same.weights().V == trained.readout.V);
    }

    void theCosineOfTheEstimatorInUseIsMeasured_data()
    {
        QTest::addColumn<int>("kind");
        QTest::newRow("jacobian_free") << int(GradientKind::JacobianFree);
        QTest::newRow("unrolled") << int(GradientKind::Unrolled);
    }
    void theCosineOfTheEstimatorInUseIsMeasured()
    {
        // It was set to 1 without a measurement. On a model with W far from 0 neither cheap
        // estimator is the exact gradient: its cosine is below 1, and equal to the cosine of the
        // same estimator computed here against the exact gradient on the same (full) batch.
        QFETCH(int, kind);
        Scene s = trainingScene(6, ActivationType::Tanh);
        s.W = 0.6 * Eigen::MatrixXd::Ones(6, 6) / 6.0 + 0.3 * Eigen::MatrixXd::Identity(6, 6);   // ‖W‖₂ = 0.9
        s.U = Eigen::MatrixXd::Constant(6, 2, 0.5);
        s.readout.V = Eigen::MatrixXd::Constant(2, 6, 0.3);
        s.readout.V.row(1) *= -1;
        s.readout.c = Eigen::VectorXd::Zero(2);
        s.training.gradient = GradientKind(kind);
        s.training.unroll = 2;
        s.training.batch = 1000;
        const Dataset data = clusters(32, 1);
        std::string e;
        Trainer t(s, data, Dataset{}, &e);
        QVERIFY2(e.empty(), e.c_str());
        const Model m = t.trainedScene().model();
        const NetworkWeights w = t.weights();
        Eigen::MatrixXd X = data.X.transpose();
        const BatchView b{X, &data.labels, nullptr};
        const GradientResult exact = computeGradient(m, w, b, s.training.loss, s.solver, GradientKind::Implicit);
        const GradientResult used = computeGradient(m, w, b, s.training.loss, s.solver, GradientKind(kind), 2);
        const double expected = gradientCosine(used.grad, exact.grad);
        QVERIFY2(expected < 0.999, qPrintable(QString::number(expected, 'g', 17)));
        const EpochLog log = t.runEpoch({}, true);
        const double measured = GradientKind(kind) == GradientKind::JacobianFree ? log.cosineJacobianFree : log.cosineUnrolled;
        OPTEQ_COMPARE_NEAR(measured, expected, 1e-9);
    }

    void unconvergedColumnsAreCountedAndLogged()
    {
        // A forward solve capped at 2 iterations cannot reach tol 1e-12: every column of every
        // batch stops at max_iter, and the epoch says how many (they enter the gradient).
        Scene s = trainingScene(4, ActivationType::Tanh);
        s.W = 0.9 * Eigen::MatrixXd::Identity(4, 4);
        s.solver.method = Method::Picard;
        s.solver.maxIter = 2;
        s.solver.tol = 1e-12;
        s.training.batch = 10;
        std::string e;
        Trainer t(s, clusters(40, 1), Dataset{}, &e);
        const EpochLog log = t.runEpoch();
        QVERIFY2(t.problem().empty(), t.problem().c_str());
        QCOMPARE(log.unconverged, 40LL);
        QCOMPARE(log.adjointUnconverged, 40LL);
        const std::string csv = epochLogCsv({log});
        QVERIFY2(csv.rfind("epoch,train_loss,train_accuracy,test_loss,test_accuracy,forward_iterations,adjoint_iterations,"
                           "spectral_norm,seconds,unconverged,adjoint_unconverged,cos_jacobian_free,cos_unrolled\n", 0) == 0,
                 csv.c_str());
        s.solver.maxIter = 2000;
        Trainer fine(s, clusters(40, 1), Dataset{}, &e);
        const EpochLog good = fine.runEpoch();
        QCOMPARE(good.unconverged, 0LL);
        QCOMPARE(good.adjointUnconverged, 0LL);
    }

    void principalDirectionsMatchTheDenseEigenvectors()
    {
        // The per-frame projection of the equilibria used a full eigendecomposition of the n × n
        // covariance; subspace iteration must give the same top two directions (up to sign).
        std::mt19937_64 rng(5);
        std::normal_distribution<double> g;
        for (int n : {3, 40, 200}) {
            const int N = 600;
            Eigen::MatrixXd Z = Eigen::MatrixXd::NullaryExpr(n, N, [&] { return g(rng); });
            Z.row(0) *= 4.0;   // clear gaps between the top directions
            Z.row(1) *= 2.5;
            Z.row(n - 1) += 0.5 * Z.row(0);
            const Eigen::MatrixXd Zc = Z.colwise() - Z.rowwise().mean();
            Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(Zc * Zc.transpose());
            const Eigen::MatrixXd P = topPrincipalDirections(Zc, 2);
            for (int j = 0; j < 2; ++j) OPTEQ_COMPARE_NEAR(std::abs(P.col(j).dot(es.eigenvectors().col(n - 1 - j))), 1.0, 1e-9);
            OPTEQ_COMPARE_NEAR((P.transpose() * P - Eigen::Matrix2d::Identity()).norm(), 0.0, 1e-12);
        }
    }

    void normIsComputedOncePerStep()
    {
        // Each step built the next batch's model (WᵀW and ‖W‖₂) and computed ‖W‖₂ again for the
        // max_norm rescale, and once more at the epoch's end: now the rescale uses the model's.
        Scene s = trainingScene(8, ActivationType::Tanh);
        s.training.batch = 10;
        std::string e;
        Trainer t(s, clusters(40, 1), clusters(20, 2), &e);
        QVERIFY2(e.empty(), e.c_str());
        const long long before = normComputationsOnThisThread();
        const EpochLog log = t.runEpoch();
        QCOMPARE(log.stepsDone, 4);
        // One for the epoch's first model, one per step, one per evaluation (train and test).
        QCOMPARE(normComputationsOnThisThread() - before, 1LL + 4 + 2);
        OPTEQ_COMPARE_NEAR(log.spectralNorm, spectralNorm(t.weights().W), 1e-12);
        OPTEQ_VERIFY_LE(log.spectralNorm, s.training.maxNorm + 1e-12);
    }

    void progressIsReportedOncePerStepInOrder()
    {
        // The Train tab's progress (issue #20): one report per optimiser step with the steps done
        // and the epoch's total, in order, then the evaluations' chunks. The solver's own
        // progress (columns of a batch) reached the caller too: 200 calls for 10 steps.
        Scene s = trainingScene(8, ActivationType::Tanh);
        s.training.batch = 10;
        std::string e;
        Trainer t(s, clusters(95, 1), clusters(20, 2), &e);
        QVERIFY2(e.empty(), e.c_str());
        std::vector<EpochProgress> seen;
        int fractions = 0;
        JobControl job;
        job.progress = [&](double) { ++fractions; };
        const EpochLog log = t.runEpoch(job, false, [&](const EpochProgress& p) { seen.push_back(p); });
        QCOMPARE(log.steps, 10);
        QCOMPARE(log.stepsDone, 10);
        QCOMPARE(fractions, 10);   // the job's fraction: once per step too
        // 10 steps, then one chunk of the training split and one of the test split.
        QCOMPARE(int(seen.size()), 12);
        for (int i = 0; i < 10; ++i) {
            QVERIFY(seen[size_t(i)].stage == EpochProgress::Stage::Steps);
            QCOMPARE(seen[size_t(i)].done, i + 1);
            QCOMPARE(seen[size_t(i)].total, 10);
            QCOMPARE(seen[size_t(i)].epoch, 1);
            if (i > 0) QVERIFY(seen[size_t(i)].forwardIterations > seen[size_t(i) - 1].forwardIterations);
        }
        QCOMPARE(seen[9].forwardIterations, log.forwardIterations);
        QVERIFY(seen[10].stage == EpochProgress::Stage::EvaluateTrain && seen[10].done == 1 && seen[10].total == 1);
        QVERIFY(seen[11].stage == EpochProgress::Stage::EvaluateTest && seen[11].done == 1 && seen[11].total == 1);
    }

    void aCancelFromTheProgressCallbackStopsBeforeTheNextStep_data()
    {
        QTest::addColumn<int>("k");
        QTest::newRow("after step 1") << 1;
        QTest::newRow("after step 4") << 4;
        QTest::newRow("after the last step") << 10;
    }
    void aCancelFromTheProgressCallbackStopsBeforeTheNextStep()
    {
        // Pause within one batch: a cancel requested after step k stops before step k + 1 runs a
        // single forward iteration (the iterations counted equal an uncancelled run's after k
        // steps), and the next call resumes at step k + 1 in the same order, so the epoch ends
        // with exactly the weights of an uninterrupted one.
        QFETCH(int, k);
        Scene s = trainingScene(8, ActivationType::Tanh);
        s.training.batch = 10;
        s.training.seed = 7;
        std::string e;
        Trainer whole(s, clusters(95, 1), clusters(20, 2), &e);
        std::vector<long long> iterationsAfter;
        const EpochLog full = whole.runEpoch({}, false, [&](const EpochProgress& p) {
            if (p.stage == EpochProgress::Stage::Steps) iterationsAfter.push_back(p.forwardIterations);
        });
        QCOMPARE(int(iterationsAfter.size()), 10);

        Trainer t(s, clusters(95, 1), clusters(20, 2), &e);
        std::atomic<bool> cancel{false};
        JobControl job;
        job.cancel = &cancel;
        int steps = 0;
        const EpochLog paused = t.runEpoch(job, false, [&](const EpochProgress& p) {
            if (p.stage != EpochProgress::Stage::Steps) return;
            ++steps;
            if (p.done == k) cancel = true;
        });
        QVERIFY(paused.cancelled);
        QCOMPARE(steps, k);
        QCOMPARE(paused.stepsDone, k);
        QCOMPARE(paused.forwardIterations, iterationsAfter[size_t(k) - 1]);   // nothing of step k + 1 ran
        QCOMPARE(t.epoch(), 0);
        QVERIFY(t.midEpoch());
        QCOMPARE(t.stepsDone(), k);
        QVERIFY(!t.lastTestEvaluation());

        cancel = false;
        std::vector<int> resumedAt;
        const EpochLog rest = t.runEpoch(job, false, [&](const EpochProgress& p) {
            if (p.stage == EpochProgress::Stage::Steps) resumedAt.push_back(p.done);
        });
        QVERIFY(!rest.cancelled);
        QCOMPARE(t.epoch(), 1);
        QVERIFY(!t.midEpoch());
        QCOMPARE(int(resumedAt.size()), 10 - k);
        if (k < 10) QCOMPARE(resumedAt.front(), k + 1);
        QCOMPARE(rest.stepsDone, 10);
        QCOMPARE(rest.forwardIterations, full.forwardIterations);
        QVERIFY(t.weights().W == whole.weights().W);
        QVERIFY(t.weights().U == whole.weights().U);
        QVERIFY(t.weights().V == whole.weights().V);
        QCOMPARE(rest.trainLoss, full.trainLoss);
        QCOMPARE(rest.testAccuracy, full.testAccuracy);
        QVERIFY(t.lastTestEvaluation());
    }

    void aCancelDuringTheEvaluationKeepsTheStepsAndResumesWithIt()
    {
        // All of Fashion-MNIST's training split takes seconds to evaluate: Pause must not wait
        // for it. Cancelled after the training split's first chunk (of 2), the call returns
        // without the test split; the next call takes no step and evaluates both.
        Scene s = trainingScene(4, ActivationType::Tanh);
        s.training.batch = 5000;
        s.solver.tol = 1e-6;
        std::string e;
        Trainer t(s, clusters(kEvaluationChunk + 100, 1), clusters(20, 2), &e);
        QVERIFY2(e.empty(), e.c_str());
        std::atomic<bool> cancel{false};
        JobControl job;
        job.cancel = &cancel;
        std::vector<EpochProgress> seen;
        const EpochLog paused = t.runEpoch(job, false, [&](const EpochProgress& p) {
            seen.push_back(p);
            if (p.stage == EpochProgress::Stage::EvaluateTrain) cancel = true;
        });
        QVERIFY(paused.cancelled);
        QCOMPARE(paused.stepsDone, paused.steps);
        QCOMPARE(int(seen.size()), paused.steps + 1);   // the steps and one chunk, no test split
        QVERIFY(seen.back().stage == EpochProgress::Stage::EvaluateTrain && seen.back().done == 1 && seen.back().total == 2);
        QCOMPARE(t.epoch(), 0);
        QVERIFY(t.midEpoch());
        const NetworkWeights before = t.weights();
        cancel = false;
        seen.clear();
        const EpochLog rest = t.runEpoch(job, false, [&](const EpochProgress& p) { seen.push_back(p); });
        QVERIFY(!rest.cancelled);
        QCOMPARE(t.epoch(), 1);
        QVERIFY(t.weights().W == before.W);   // no step taken
        QCOMPARE(int(seen.size()), 3);        // two chunks of the training split, one of the test split
        QVERIFY(seen[0].stage == EpochProgress::Stage::EvaluateTrain);
        QVERIFY(seen[2].stage == EpochProgress::Stage::EvaluateTest);
        QCOMPARE(rest.trainLoss, t.evaluate(t.trainSet()).first);
        QVERIFY(std::isfinite(rest.testLoss));
    }

    void theTrainerSharesItsDataAndDoesNotCopyIt()
    {
        // The window's frames and the trainer hold one immutable data set (376 MB for all of
        // Fashion-MNIST's training split as float64).
        Scene s = trainingScene(4, ActivationType::Tanh);
        auto train = std::make_shared<const Dataset>(clusters(40, 1));
        auto test = std::make_shared<const Dataset>(clusters(20, 2));
        std::string e;
        Trainer t(s, train, test, &e);
        QVERIFY2(e.empty(), e.c_str());
        QCOMPARE(t.sharedTrainSet().get(), train.get());
        QCOMPARE(t.sharedTestSet().get(), test.get());
        QCOMPARE(&t.trainSet().X, &train->X);
    }

    void byteImagesAreKeptAsBytesAndTrainExactlyAsDoubles()
    {
        // Fashion-MNIST's pixels are byte / 255: the trainer's column copy of the training split
        // is kept as those bytes (47 MB instead of 376 MB) and gives the very same doubles back.
        Dataset d;
        d.imageRows = 3;
        d.imageCols = 3;
        d.classes = 2;
        const int N = 40;
        d.X.resize(N, 9);
        std::mt19937_64 rng(5);
        for (int i = 0; i < N; ++i) {
            d.labels.push_back(i % 2);
            for (int c = 0; c < 9; ++c) d.X(i, c) = double(int(rng() % 128) + (i % 2 && c < 4 ? 127 : 0)) / 255.0;
        }
        Scene s = trainingScene(6, ActivationType::Tanh);
        s.training.batch = 8;
        std::string e;
        Trainer bytes(s, d, d, &e), doubles(s, d, d, &e);
        QVERIFY2(e.empty(), e.c_str());
        doubles.setCompactInputs(false);
        const EpochLog a = bytes.runEpoch(), b = doubles.runEpoch();
        QCOMPARE(bytes.inputCopyBytes(), 9LL * N);
        QCOMPARE(doubles.inputCopyBytes(), 8LL * 9 * N);
        QVERIFY(bytes.weights().W == doubles.weights().W);
        QVERIFY(bytes.weights().U == doubles.weights().U);
        QCOMPARE(a.trainLoss, b.trainLoss);
        QCOMPARE(a.forwardIterations, b.forwardIterations);
        // One value that is no byte / 255: the doubles are kept.
        d.X(7, 3) = 0.3;
        Trainer other(s, d, d, &e);
        other.runEpoch();
        QCOMPARE(other.inputCopyBytes(), 8LL * 9 * N);
    }

    void badDataIsRefused()
    {
        Scene s = trainingScene(4, ActivationType::Tanh);
        Dataset bad = clusters(10, 1);
        bad.X(3, 1) = std::nan("");
        std::string e;
        Trainer t(s, bad, Dataset{}, &e);
        QVERIFY2(QString::fromStdString(e).contains("not finite"), e.c_str());
        Trainer empty(s, Dataset{}, Dataset{}, &e);
        QVERIFY2(QString::fromStdString(e).contains("empty"), e.c_str());
    }
};

QTEST_GUILESS_MAIN(TestTrain)
#include "tst_train.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// Issue #20's checks on real images (Debian's dataset-fashion-mnist; skipped with the command to
// install it when it is missing):
//  - one epoch on 2 000 training images lifts the test accuracy (first 1 000 test images) from
//    chance to above 0.6, with the reference settings at n = 64;
//  - the layer with max_norm 0 (W = 0) is an explicit one-hidden-layer MLP: its W stays exactly 0
//    under training (∂(WᵀW)/∂W vanishes at 0, and the projection keeps it there), and its outputs equal V tanh(U x + b) + c computed here
//    independently, so the OptEq-vs-MLP comparison of docs/experiments is exact.
#include "Dataset.h"
#include "Evaluation.h"
#include "TestHelpers.h"
#include "Trainer.h"

#include <QFile>

using namespace opteq;

namespace {
bool haveFashionMnist() { return QFile::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"); }

Scene imageScene(int units, int trainLimit, int testLimit)
{
    Activation tanh;
    tanh.type = ActivationType::Tanh;
    Scene s = defaultScene();
    s.hasTraining = true;
    TrainingSettings& t = s.training;
    t.data.generator = DataGenerator::None;
    t.data.dataset = "fashion-mnist";
    t.data.trainLimit = trainLimit;
    t.data.testLimit = testLimit;
    t.loss = LossKind::CrossEntropy;
    t.optimizer = OptimizerKind::Adam;
    t.lr = 1e-3;
    t.batch = 128;
    t.maxNorm = 0.95;
    s.solver.tol = 1e-6;
    s.solver.maxIter = 200;
    return withUntrainedNetwork(s, units, tanh);
}
}  // namespace

class TestImages : public QObject {
    Q_OBJECT
private slots:
    void init()
    {
        qunsetenv("OPTEQ_DATASETS");
        if (!haveFashionMnist()) QSKIP("dataset-fashion-mnist is not installed (apt install dataset-fashion-mnist)");
    }

    void oneEpochOnTwoThousandImagesLearns()
    {
        const Scene s = imageScene(64, 2000, 1000);
        const TrainTestData d = loadTrainTest(s.training, "");
        QVERIFY2(d.ok(), d.error.c_str());
        std::string error;
        Trainer t(s, d.train, d.test, &error);
        QVERIFY2(error.empty(), error.c_str());
        const double before = evaluateNetwork(t.trainedScene().model(), t.weights(), s.solver, s.training.loss, d.test).accuracy;
        const EpochLog log = t.runEpoch();
        QVERIFY2(t.problem().empty(), t.problem().c_str());
        qInfo("test accuracy %.3f before, %.3f after one epoch on 2000 images", before, log.testAccuracy);
        QVERIFY2(before < 0.3, "an untrained network is near chance (0.1)");
        QVERIFY(log.testAccuracy > 0.6);
    }

    void wZeroIsAnExplicitMlp()
    {
        Scene s = imageScene(32, 500, 200);
        s.training.maxNorm = 0;   // ‖W‖₂ ≤ 0: the explicit layer
        const TrainTestData d = loadTrainTest(s.training, "");
        QVERIFY2(d.ok(), d.error.c_str());
        std::string error;
        Trainer t(s, d.train, d.test, &error);
        QVERIFY2(error.empty(), error.c_str());
        t.runEpoch();
        const NetworkWeights& w = t.weights();
        QCOMPARE(w.W.cwiseAbs().maxCoeff(), 0.0);
        QVERIFY(w.U.cwiseAbs().maxCoeff() > 0);   // the rest did train
        // The explicit MLP, written out: logits = V tanh(U x + b) + c, the argmax a class.
        const Eigen::MatrixXd H = ((d.test.X * w.U.transpose()).rowwise() + w.b.transpose()).array().tanh().matrix();
        const Eigen::MatrixXd Y = (H * w.V.transpose()).rowwise() + w.c.transpose();
        int correct = 0;
        for (int r = 0; r < d.test.size(); ++r) {
            Eigen::Index k;
            Y.row(r).maxCoeff(&k);
            correct += int(k) == d.test.labels[size_t(r)];
        }
        const Evaluation e = evaluateNetwork(t.trainedScene().model(), w, s.solver, s.training.loss, d.test);
        QCOMPARE(e.accuracy, double(correct) / d.test.size());
        QVERIFY2(e.iterationsMean <= 2.0, "with W = 0 the equilibrium is reached in one step (and one to see it)");
    }
};

QTEST_MAIN(TestImages)
#include "tst_images.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// The scene file's "readout" and "training" objects (issue #12): parsed as specified, defaults for
// missing keys, exact round trips, v1 scenes unchanged, every validation message.
#include "SceneIO.h"
#include "TestHelpers.h"

#include <QDir>

using namespace opteq;

namespace {
// A two-unit scene (n = 2, d = 2) with the issue's readout and training objects.
const char* kTrained = R"({
  "format": "opteq-scene", "version": 1,
  "model": {
    "layers": [ { "size": 2, "activation": { "type": "tanh" } } ],
    "W": [[0.5, 0.1], [0.0, 0.4]], "U": [[1.0, 0.0], [0.0, 1.0]], "b": [0.0, 0.1]
  },
  "input": [0.0, 0.6],
  "readout": { "V": [[1.0, -2.0], [0.25, 3.0]], "c": [0.5, -0.5] },
  "training": {
    "data": { "generator": "moons", "samples": 400, "noise": 0.1, "classes": 2, "seed": 1 },
    "test_fraction": 0.25, "loss": "cross_entropy",
    "optimizer": "adam", "lr": 0.01, "momentum": 0.9, "batch": 64, "epochs": 200, "seed": 1,
    "gradient": "implicit", "unroll": 5, "max_norm": 0.95, "weight_decay": 0.0
  }
})";

QByteArray replaced(const char* from, const char* to)
{
    QByteArray s(kTrained);
    Q_ASSERT(s.contains(from));
    return s.replace(from, to);
}
}  // namespace

class TestSceneTraining : public QObject {
    Q_OBJECT
private slots:
    void parsesTheIssueExample()
    {
        const SceneResult r = parseScene(kTrained);
        QVERIFY2(r.ok(), r.error.c_str());
        const Scene& s = *r.scene;
        QCOMPARE(s.readout.outputs(), 2);
        QCOMPARE(s.readout.V(1, 0), 0.25);
        QCOMPARE(s.readout.c(1), -0.5);
        QVERIFY(s.hasTraining);
        // The example spells out the defaults: every field equals TrainingSettings{}.
        QVERIFY(s.training == TrainingSettings{});
        QCOMPARE(s.training.data.generator, DataGenerator::Moons);
    }

    void missingKeysTakeTheDefaults()
    {
        const QByteArray json = replaced(R"("lr": 0.01)", R"("lr": 0.5, "ignored": 1)");   // unknown keys are skipped
        QByteArray minimal = R"({"model": {"layers": [{"size": 1, "activation": {"type": "relu"}}], "W": [[0.5]], "U": [[1, 2]], "b": [0]},
                                 "input": [0, 0], "training": {"data": {"generator": "spirals", "classes": 3}, "optimizer": "sgd"}})";
        const SceneResult r = parseScene(minimal);
        QVERIFY2(r.ok(), r.error.c_str());
        TrainingSettings expected;
        expected.data.generator = DataGenerator::Spirals;
        expected.data.classes = 3;
        expected.optimizer = OptimizerKind::Sgd;
        QVERIFY(r.scene->training == expected);
        QVERIFY(r.scene->readout.empty());
        const SceneResult e = parseScene(R"({"model": {"layers": [{"size": 1, "activation": {"type": "relu"}}], "W": [[0.5]],
                                             "U": [[1, 2]], "b": [0]}, "input": [0, 0], "training": {}})");
        QVERIFY2(e.ok(), e.error.c_str());
        QVERIFY(e.scene->hasTraining && e.scene->training == TrainingSettings{});
        QVERIFY(parseScene(json).scene->training.lr == 0.5);
    }

    void roundTripIsExact()
    {
        Scene s = *parseScene(kTrained).scene;
        s.readout.V << 0.1 + 0.2, -1.0 / 3.0, 1e-300, 6.02214076e23;
        s.readout.c << std::nextafter(1.0, 2.0), -0.0;
        TrainingSettings& t = s.training;
        t.data = DataSpec{DataGenerator::Blobs, "", 1234, 0.3, 2, 9007199254740991ull};
        t.testFraction = 0.2;
        t.loss = LossKind::MeanSquaredError;
        t.optimizer = OptimizerKind::Sgd;
        t.lr = 0.123456789;
        t.momentum = 0;
        t.batch = 7;
        t.epochs = 3;
        t.seed = 123456789012ull;
        t.gradient = GradientKind::Unrolled;
        t.unroll = 17;
        t.maxNorm = 0.5;
        t.weightDecay = 1e-4;
        t.lrSchedule = LrSchedule::Cosine;
        QVERIFY2(s.validate().empty(), s.validate().c_str());
        const QByteArray json = sceneToJson(s);
        const SceneResult back = parseScene(json);
        QVERIFY2(back.ok(), back.error.c_str());
        QVERIFY(*back.scene == s);
        QCOMPARE(back.scene->readout.V(0, 0), 0.1 + 0.2);
        QCOMPARE(back.scene->training.data.seed, 9007199254740991ull);
        QCOMPARE(sceneToJson(*back.scene), json);
        QVERIFY(!(*back.scene == *parseScene(kTrained).scene));   // the comparison sees the changes
    }

    void fileDataRoundTrips()
    {
        Scene s = *parseScene(replaced(R"("generator": "moons", "samples": 400, "noise": 0.1, "classes": 2, "seed": 1)",
                                       R"("file": "data/points.csv")")).scene;
        QCOMPARE(s.training.data.generator, DataGenerator::None);
        QCOMPARE(s.training.data.file, std::string("data/points.csv"));   // stored as written
        const QByteArray json = sceneToJson(s);
        QVERIFY(json.contains(R"("file": "data/points.csv")"));
        QVERIFY(!json.contains("generator") && !json.contains("samples"));   // a file needs no generator keys
        QVERIFY(*parseScene(json).scene == s);
        s.training.data.samples = 99;   // a leftover generator value still survives the round trip
        QVERIFY(*parseScene(sceneToJson(s)).scene == s);
    }

    // Image sources (issue #20): the named data set, IDX and .npy files, and the limits survive
    // save → load exactly, and write only their own keys.
    void imageSourcesRoundTrip_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QStringList>("written");
        QTest::newRow("dataset") << QByteArray(R"("dataset": "fashion-mnist", "train_limit": 1000, "test_limit": 500)")
                                 << QStringList{R"("dataset": "fashion-mnist")", R"("train_limit": 1000)", R"("test_limit": 500)"};
        QTest::newRow("idx") << QByteArray(R"("idx": {"train_images": "a/ti.gz", "train_labels": "tl", "test_images": "/abs/xi", "test_labels": "xl"})")
                             << QStringList{R"("train_images": "a/ti.gz")", R"("test_labels": "xl")"};
        QTest::newRow("npy without test") << QByteArray(R"("npy": {"X": "X.npy", "y": "y.npy"}, "train_limit": 7)")
                                          << QStringList{R"("X": "X.npy")", R"("y": "y.npy")", R"("train_limit": 7)"};
    }
    void imageSourcesRoundTrip()
    {
        QFETCH(QByteArray, data);
        QFETCH(QStringList, written);
        const SceneResult r = parseScene(replaced(R"("generator": "moons", "samples": 400, "noise": 0.1, "classes": 2, "seed": 1)", data.constData()));
        QVERIFY2(r.ok(), r.error.c_str());
        QCOMPARE(r.scene->training.data.generator, DataGenerator::None);
        const QByteArray json = sceneToJson(*r.scene);
        for (const QString& w : written) QVERIFY2(json.contains(w.toUtf8()), qPrintable(w + " in " + json));
        QVERIFY(!json.contains("generator") && !json.contains("samples") && !json.contains("\"file\""));
        QVERIFY(!json.contains("test_X") && !json.contains("test_y"));   // an absent test pair stays absent
        const SceneResult back = parseScene(json);
        QVERIFY2(back.ok(), back.error.c_str());
        QVERIFY(*back.scene == *r.scene);
        QCOMPARE(sceneToJson(*back.scene), json);
    }

    void scenesWithoutThemSaveAsBefore()
    {
        const QStringList files = QDir(sourcePath("resources/lessons")).entryList({"*.opteq.json"});
        QVERIFY(files.size() >= 5);
        for (const QString& f : files) {
            const SceneResult r = loadScene(sourcePath("resources/lessons/" + f));
            QVERIFY2(r.ok(), qPrintable(f + ": " + QString::fromStdString(r.error)));
            if (r.scene->hasTraining || !r.scene->readout.empty()) continue;   // lessons of issue #12
            const QByteArray json = sceneToJson(*r.scene);
            QVERIFY2(!json.contains("\"readout\"") && !json.contains("\"training\""), qPrintable(f));
            QCOMPARE(sceneToJson(*parseScene(json).scene), json);
        }
    }

    void badReadoutOrTrainingNamesTheField_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error");
        auto row = [](const char* name, const char* from, const char* to, const char* error) {
            QTest::newRow(name) << replaced(from, to) << QString(error);
        };
        row("V columns", R"("V": [[1.0, -2.0], [0.25, 3.0]])", R"("V": [[1, 2, 3], [4, 5, 6], [7, 8, 9]])", "readout.V: 3 × 3, expected K × 2 (n = 2)");
        row("c entries", R"("c": [0.5, -0.5])", R"("c": [0.5])", "readout.c: has 1 entries, expected K = 2 (the rows of readout.V)");
        row("c missing", R"(, "c": [0.5, -0.5])", "", "readout.c: missing");
        row("V empty", R"("V": [[1.0, -2.0], [0.25, 3.0]])", R"("V": [])", "readout.V: expected a non-empty array of rows");
        row("V ragged", R"("V": [[1.0, -2.0], [0.25, 3.0]])", R"("V": [[1.0, -2.0], [0.25]])", "readout.V[1]: has 1 entries but row 0 has 2");
        row("readout type", R"("readout": {)", R"("readout": 3, "x": {)", "readout: expected an object, got a number");
        row("K vs classes", R"("V": [[1.0, -2.0], [0.25, 3.0]], "c": [0.5, -0.5])", R"("V": [[1.0, -2.0], [0.25, 3.0], [1, 1]], "c": [0.5, -0.5, 0])",
            "readout.V: has 3 rows, but training.data has 2 classes (cross_entropy needs one output per class)");
        row("lr", R"("lr": 0.01)", R"("lr": -1)", "training.lr: must be > 0, got -1");
        row("momentum", R"("momentum": 0.9)", R"("momentum": 1)", "training.momentum: must be in [0, 1), got 1");
        row("batch", R"("batch": 64)", R"("batch": 0)", "training.batch: must be >= 1, got 0");
        row("batch fraction", R"("batch": 64)", R"("batch": 2.5)", "training.batch: expected a whole number");
        row("epochs", R"("epochs": 200)", R"("epochs": 100001)", "training.epochs: must be between 1 and 100000, got 100001");
        row("test_fraction", R"("test_fraction": 0.25)", R"("test_fraction": -0.1)", "training.test_fraction: must be in [0, 1), got -0.1");
        row("unroll", R"("unroll": 5)", R"("unroll": 0)", "training.unroll: must be between 1 and 1000, got 0");
        row("max_norm", R"("max_norm": 0.95)", R"("max_norm": -0.5)", "training.max_norm: must be in [0, 10], got -0.5");
        row("weight_decay", R"("weight_decay": 0.0)", R"("weight_decay": -1)", "training.weight_decay: must be >= 0 and finite, got -1");
        row("seed", R"("epochs": 200, "seed": 1)", R"("epochs": 200, "seed": -1)", "training.seed: expected a whole number from 0 to 2^53 - 1");
        row("lr string", R"("lr": 0.01)", R"("lr": "fast")", "training.lr: expected a number, got a string");
        row("loss", R"("loss": "cross_entropy")", R"("loss": "hinge")", "training.loss: unknown value \"hinge\" (one of cross_entropy, mse)");
        row("optimizer", R"("optimizer": "adam")", R"("optimizer": "lbfgs")", "training.optimizer: unknown value \"lbfgs\" (one of sgd, adam)");
        row("gradient", R"("gradient": "implicit")", R"("gradient": "exact")", "training.gradient: unknown value \"exact\" (one of implicit, jacobian_free, unrolled)");
        row("lr_schedule", R"("weight_decay": 0.0)", R"("weight_decay": 0.0, "lr_schedule": "step")", "training.lr_schedule: unknown value \"step\" (one of constant, cosine)");
        row("generator", R"("generator": "moons")", R"("generator": "banana")", "training.data.generator: unknown value \"banana\" (one of moons, circles, spirals, xor, gaussians)");
        row("both data", R"("generator": "moons")", R"("generator": "moons", "file": "a.csv")", "training.data: give one of \"generator\", \"file\", \"dataset\", \"idx\" or \"npy\", not several");
        row("no data", R"("generator": "moons", )", "", "training.data: needs a \"generator\" (moons, circles, spirals, xor, gaussians), a \"file\", a \"dataset\", \"idx\" or \"npy\"");
        row("dataset and generator", R"("generator": "moons")", R"("generator": "moons", "dataset": "fashion-mnist")", "training.data: give one of \"generator\", \"file\", \"dataset\", \"idx\" or \"npy\", not several");
        row("unknown dataset", R"("generator": "moons", "samples": 400, "noise": 0.1, "classes": 2, "seed": 1)", R"("dataset": "cifar")", "training.data.dataset: unknown data set \"cifar\" (known: fashion-mnist)");
        row("idx key", R"("generator": "moons", "samples": 400, "noise": 0.1, "classes": 2, "seed": 1)", R"("idx": {"train_images": "a", "train_label": "b"})", "training.data.idx.train_label: unknown key (the keys are train_images, train_labels, test_images, test_labels)");
        row("idx labels missing", R"("generator": "moons", "samples": 400, "noise": 0.1, "classes": 2, "seed": 1)", R"("idx": {"train_images": "a"})", "training.data.idx.train_labels: missing (the training labels' file)");
        row("idx test half", R"("generator": "moons", "samples": 400, "noise": 0.1, "classes": 2, "seed": 1)", R"("idx": {"train_images": "a", "train_labels": "b", "test_images": "c"})", "training.data.idx.test_labels: missing: give both test_images and test_labels or neither (then test_fraction splits the training files)");
        row("npy not object", R"("generator": "moons", "samples": 400, "noise": 0.1, "classes": 2, "seed": 1)", R"("npy": "X.npy")", "training.data.npy: expected an object, got a string");
        row("npy empty path", R"("generator": "moons", "samples": 400, "noise": 0.1, "classes": 2, "seed": 1)", R"("npy": {"X": "", "y": "y.npy"})", "training.data.npy.X: empty (expected a path relative to the scene file)");
        row("train_limit", R"("generator": "moons")", R"("generator": "moons", "train_limit": -1)", "training.data.train_limit: must be between 0 (all) and 100000000, got -1");
        row("test_limit", R"("generator": "moons")", R"("generator": "moons", "test_limit": 2.5)", "training.data.test_limit: expected a whole number");
        row("empty file", R"("generator": "moons")", R"("file": "")", "training.data.file: empty (expected a CSV path relative to the scene file)");
        row("samples", R"("samples": 400)", R"("samples": 3)", "training.data.samples: must be between 4 and 1000000, got 3");
        row("noise", R"("noise": 0.1)", R"("noise": -0.1)", "training.data.noise: must be >= 0 and finite, got -0.1");
        row("classes", R"("classes": 2)", R"("classes": 3)", "training.data.classes: moons has 2 classes, got 3 (spirals and gaussians take 2..32)");
        row("data seed", R"("classes": 2, "seed": 1)", R"("classes": 2, "seed": 0.5)", "training.data.seed: expected a whole number from 0 to 2^53 - 1");
        row("training type", R"("training": {)", R"("training": [], "x": {)", "training: expected an object, got an array");
        row("d for generators", R"("U": [[1.0, 0.0], [0.0, 1.0]], "b": [0.0, 0.1]
  },
  "input": [0.0, 0.6])", R"("U": [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], "b": [0.0, 0.1]
  },
  "input": [0.0, 0.6, 0.0])", "input: has 3 entries, but training.data.moons makes 2-D points (d = 2)");
    }
    void badReadoutOrTrainingNamesTheField()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        const SceneResult r = parseScene(json);
        QVERIFY(!r.ok());
        QCOMPARE(QString::fromStdString(r.error), error);
    }

    void validateChecksWhatJsonCannotHold()
    {
        Scene s = *parseScene(kTrained).scene;
        QVERIFY(s.validate().empty());
        Scene nan = s;
        nan.readout.V(1, 1) = NAN;
        QCOMPARE(QString::fromStdString(nan.validate()), QString("readout.V: every entry must be a finite number"));
        Scene inf = s;
        inf.readout.c(0) = INFINITY;
        QCOMPARE(QString::fromStdString(inf.validate()), QString("readout.c: every entry must be a finite number"));
        Scene noRows = s;
        noRows.readout.V.resize(0, 2);
        QCOMPARE(QString::fromStdString(noRows.validate()), QString("readout.V: 0 × 2, expected K × 2 (n = 2)"));
        Scene one = s;
        one.hasTraining = true;
        one.training.data.generator = DataGenerator::None;
        one.training.data.file = "points.csv";
        one.readout.V = Eigen::MatrixXd::Ones(1, 2);
        one.readout.c = Eigen::VectorXd::Zero(1);
        QCOMPARE(QString::fromStdString(one.validate()), QString("readout.V: has 1 row, but cross_entropy needs K >= 2 outputs (one per class)"));
        one.training.loss = LossKind::MeanSquaredError;   // one regression output is fine
        QVERIFY2(one.validate().empty(), one.validate().c_str());
        Scene noTraining = s;
        noTraining.hasTraining = false;
        noTraining.training.lr = -1;   // not checked (and not saved) without a training object
        QVERIFY(noTraining.validate().empty());
        QVERIFY(!sceneToJson(noTraining).contains("\"training\""));
    }
};

QTEST_GUILESS_MAIN(TestSceneTraining)
#include "tst_scene_training.moc"

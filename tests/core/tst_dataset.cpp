// SPDX-License-Identifier: GPL-3.0-or-later
// Training data (issue #12): the toy generators (exact curves without noise, balanced, seeded),
// the train/test split, CSV data files with errors naming row and column, and the training
// settings' names and validation messages.
#include "Dataset.h"
#include "TestHelpers.h"

#include <QTemporaryDir>
#include <fstream>
#include <numbers>

using namespace opteq;

namespace {
constexpr double kPi = std::numbers::pi;
DataSpec spec(DataGenerator g, int samples, double noise, int classes = 2, std::uint64_t seed = 1)
{
    DataSpec s;
    s.generator = g;
    s.samples = samples;
    s.noise = noise;
    s.classes = classes;
    s.seed = seed;
    return s;
}
// The angle of (x, y) minus a, wrapped to (-π, π].
double angleOff(double x, double y, double a) { return std::remainder(std::atan2(y, x) - a, 2 * kPi); }
}  // namespace

class TestDataset : public QObject {
    Q_OBJECT
private slots:
    void generatorsAreSeededAndBalanced_data()
    {
        QTest::addColumn<int>("generator");
        QTest::addColumn<int>("classes");
        QTest::newRow("moons") << int(DataGenerator::Moons) << 2;
        QTest::newRow("circles") << int(DataGenerator::Circles) << 2;
        QTest::newRow("spirals") << int(DataGenerator::Spirals) << 3;
        QTest::newRow("xor") << int(DataGenerator::Xor) << 2;
        QTest::newRow("gaussians") << int(DataGenerator::Blobs) << 5;
    }
    void generatorsAreSeededAndBalanced()
    {
        QFETCH(int, generator);
        QFETCH(int, classes);
        const DataSpec s = spec(DataGenerator(generator), 401, 0.1, classes, 7);
        const Dataset a = generate(s), b = generate(s);
        QCOMPARE(a.X.rows(), 401);
        QCOMPARE(a.X.cols(), 2);
        QCOMPARE(a.classes, classes);
        QCOMPARE(a.labels.size(), size_t(401));
        QVERIFY(a.targets.size() == 0);
        QVERIFY(a.X == b.X);   // bit for bit
        QCOMPARE(a.labels, b.labels);
        QVERIFY(a.X.allFinite());
        std::vector<int> count(size_t(classes), 0);
        for (int l : a.labels) {
            QVERIFY(l >= 0 && l < classes);
            ++count[size_t(l)];
        }
        for (int c : count) QVERIFY2(c == 401 / classes || c == 401 / classes + 1, qPrintable(QString::number(c)));
        DataSpec other = s;
        other.seed = 8;
        QVERIFY(generate(other).X != a.X);
    }

    void moonsWithoutNoiseLieOnTheSemicircles()
    {
        const Dataset d = generate(spec(DataGenerator::Moons, 9, 0));
        QCOMPARE(d.labels, (std::vector<int>{0, 0, 0, 0, 1, 1, 1, 1, 1}));
        // sklearn's make_moons: evenly spaced along the upper unit semicircle, and along the
        // lower one centred at (1, 0.5), both ends included.
        for (int i = 0; i < 4; ++i) {
            OPTEQ_COMPARE_NEAR(d.X(i, 0), std::cos(kPi * i / 3), 1e-15);
            OPTEQ_COMPARE_NEAR(d.X(i, 1), std::sin(kPi * i / 3), 1e-15);
        }
        for (int i = 0; i < 5; ++i) {
            OPTEQ_COMPARE_NEAR(d.X(4 + i, 0), 1 - std::cos(kPi * i / 4), 1e-15);
            OPTEQ_COMPARE_NEAR(d.X(4 + i, 1), 0.5 - std::sin(kPi * i / 4), 1e-15);
        }
        const Dataset big = generate(spec(DataGenerator::Moons, 1000, 0));
        for (int r = 0; r < big.size(); ++r) {
            const double x = big.X(r, 0), y = big.X(r, 1);
            if (big.labels[size_t(r)] == 0) {
                OPTEQ_COMPARE_NEAR(x * x + y * y, 1.0, 1e-14);
                QVERIFY(y >= 0);
            } else {
                OPTEQ_COMPARE_NEAR((x - 1) * (x - 1) + (y - 0.5) * (y - 0.5), 1.0, 1e-14);
                QVERIFY(y <= 0.5);
            }
        }
    }

    void otherGeneratorsWithoutNoiseAreExact()
    {
        const Dataset c = generate(spec(DataGenerator::Circles, 200, 0));
        for (int r = 0; r < c.size(); ++r)
            OPTEQ_COMPARE_NEAR(c.X.row(r).norm(), c.labels[size_t(r)] == 0 ? 1.0 : 0.5, 1e-15);
        const int K = 3;
        const Dataset s = generate(spec(DataGenerator::Spirals, 300, 0, K));
        for (int r = 0; r < s.size(); ++r) {
            const double t = s.X.row(r).norm();
            QVERIFY(t >= 0.1 - 1e-15 && t <= 1 + 1e-15);
            OPTEQ_COMPARE_NEAR(angleOff(s.X(r, 0), s.X(r, 1), 1.5 * kPi * t + 2 * kPi * s.labels[size_t(r)] / K), 0.0, 1e-12);
        }
        OPTEQ_COMPARE_NEAR(s.X.row(0).norm(), 0.1, 1e-15);   // the first point of arm 0 at r = 0.1, the last at r = 1
        OPTEQ_COMPARE_NEAR(s.X.row(99).norm(), 1.0, 1e-15);
        const Dataset x = generate(spec(DataGenerator::Xor, 300, 0));
        for (int r = 0; r < x.size(); ++r) {
            QCOMPARE(x.labels[size_t(r)], x.X(r, 0) * x.X(r, 1) < 0 ? 1 : 0);
            QVERIFY(std::abs(x.X(r, 0)) >= 0.1 && std::abs(x.X(r, 1)) >= 0.1);
            QVERIFY(std::abs(x.X(r, 0)) <= 1 && std::abs(x.X(r, 1)) <= 1);
        }
        const Dataset g = generate(spec(DataGenerator::Blobs, 40, 0, 4));
        for (int r = 0; r < g.size(); ++r) {
            const int k = g.labels[size_t(r)];
            QCOMPARE(g.X(r, 0), std::cos(2 * kPi * k / 4));
            QCOMPARE(g.X(r, 1), std::sin(2 * kPi * k / 4));
        }
    }

    void noiseIsGaussianWithTheRequestedSpread()
    {
        // The clean moons do not depend on the seed, so the difference is the noise alone.
        const Dataset clean = generate(spec(DataGenerator::Moons, 20000, 0));
        const Dataset noisy = generate(spec(DataGenerator::Moons, 20000, 0.1));
        const Eigen::MatrixXd diff = noisy.X - clean.X;
        const Eigen::ArrayXd e = diff.reshaped().array();
        const double mean = e.mean(), sd = std::sqrt((e - mean).square().mean());
        OPTEQ_COMPARE_NEAR(mean, 0.0, 0.002);
        OPTEQ_COMPARE_NEAR(sd, 0.1, 0.002);
        OPTEQ_COMPARE_NEAR((e.abs() < 0.1).cast<double>().mean(), 0.6827, 0.01);   // one σ
    }

    void badSpecsGiveEmptyData()
    {
        QCOMPARE(generate(spec(DataGenerator::None, 100, 0.1)).size(), 0);
        QCOMPARE(generate(spec(DataGenerator::Moons, 0, 0.1)).size(), 0);
        QCOMPARE(generate(spec(DataGenerator::Spirals, 10, 0.1, -3)).classes, 2);   // clamped, no crash
    }

    void splitIsShuffledDisjointAndSeeded()
    {
        Dataset d;
        d.X.resize(400, 2);
        for (int i = 0; i < 400; ++i) { d.X(i, 0) = i; d.X(i, 1) = -i; d.labels.push_back(i % 3); }
        d.classes = 3;
        const auto [train, test] = splitTrainTest(d, 0.25, 5);
        QCOMPARE(test.size(), 100);
        QCOMPARE(train.size(), 300);
        QCOMPARE(train.classes, 3);
        std::vector<int> seen(400, 0);
        bool shuffled = false;
        for (const Dataset* s : {&train, &test})
            for (int r = 0; r < s->size(); ++r) {
                const int i = int(s->X(r, 0));
                QCOMPARE(s->X(r, 1), -double(i));
                QCOMPARE(s->labels[size_t(r)], i % 3);   // labels travel with their rows
                ++seen[size_t(i)];
                shuffled |= r > 0 && s->X(r, 0) < s->X(r - 1, 0);
            }
        for (int c : seen) QCOMPARE(c, 1);   // disjoint, and together everything
        QVERIFY(shuffled);
        QVERIFY(splitTrainTest(d, 0.25, 5).second.X == test.X);
        QVERIFY(splitTrainTest(d, 0.25, 6).second.X != test.X);
        QCOMPARE(splitTrainTest(d, 0.0, 5).second.size(), 0);
        QCOMPARE(splitTrainTest(d, 0.9999, 5).first.size(), 1);   // never an empty training split
        QCOMPARE(splitTrainTest(Dataset{}, 0.25, 5).first.size(), 0);
        Dataset reg;
        reg.X = Eigen::MatrixXd::Random(10, 3);
        reg.targets = reg.X.rowwise().sum();
        const auto [rtrain, rtest] = splitTrainTest(reg, 0.3, 1);
        QCOMPARE(rtest.size(), 3);
        QVERIFY(rtest.labels.empty());
        for (int r = 0; r < rtrain.size(); ++r) QCOMPARE(rtrain.targets(r, 0), rtrain.X.row(r).sum());
    }

    void csvWithLabelsOrTargets()
    {
        const DatasetResult c = loadDatasetCsv("label,x2,x1\n1,0.5,-2\n0,3,4e-3\n\n2,0,1\n");
        QVERIFY2(c.ok(), c.error.c_str());
        QCOMPARE(c.data.classes, 3);
        QCOMPARE(c.data.labels, (std::vector<int>{1, 0, 2}));
        QCOMPARE(c.data.X.rows(), 3);
        QCOMPARE(c.data.X(0, 0), -2.0);   // x1 first whatever the column order
        QCOMPARE(c.data.X(0, 1), 0.5);
        QCOMPARE(c.data.X(1, 0), 4e-3);
        const DatasetResult r = loadDatasetCsv("x1,y1,y2\r\n1,2,3\r\n4,5,6\r\n");
        QVERIFY2(r.ok(), r.error.c_str());
        QCOMPARE(r.data.classes, 0);
        QVERIFY(r.data.labels.empty());
        QCOMPARE(r.data.targets.rows(), 2);
        QCOMPARE(r.data.targets(1, 1), 6.0);
        QCOMPARE(r.data.X(1, 0), 4.0);
    }

    void csvErrorsNameRowAndColumn_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        QTest::newRow("fractional label") << "x1,x2,label\n0,0,0\n1,1,1\n2,2,1.5\n" << "row 3 (line 4), column \"label\": 1.5 is not a whole class number";
        QTest::newRow("blank lines count") << "x1,x2,label\n0,0,0\n\n1,1,1\n2,2,-1\n" << "row 3 (line 5), column \"label\": -1 is not a class number (classes are 0, 1, 2, ...)";
        QTest::newRow("short row") << "x1,x2,label\n0,0,0\n1,1\n" << "row 2 (line 3) has 2 values, the header names 3";
        QTest::newRow("nan input") << "x1,x2,label\n0,nan,0\n" << "row 1 (line 2), column \"x2\": nan is not a finite number";
        QTest::newRow("inf target") << "x1,y1\n0,1\n1,-inf\n" << "row 2 (line 3), column \"y1\": -inf is not a finite number";
        QTest::newRow("nan label") << "x1,label\n0,nan\n" << "row 1 (line 2), column \"label\": nan is not a whole class number";
        QTest::newRow("text") << "x1,label\n0,1\nabc,0\n" << "row 2 (line 3), column \"x1\": abc is not a number";
        QTest::newRow("class too big") << "x1,label\n0,0\n1,32\n" << "row 2 (line 3), column \"label\": 32 is above the largest class 31 (at most 32 classes)";
        QTest::newRow("one class") << "x1,label\n0,0\n1,0\n" << "column \"label\": every row is class 0; at least two classes (0 and 1) are needed";
        QTest::newRow("unknown column") << "x1,z,label\n0,0,0\n" << "header: column 2 \"z\" is not x<i>, y<i> or label (expected x1,...,xd,label or x1,...,xd,y1,...,yK)";
        QTest::newRow("gap in inputs") << "x1,x3,label\n0,0,0\n" << "header: has x3 but no x2";
        QTest::newRow("repeated input") << "x1,x1,label\n0,0,0\n" << "header: column \"x1\" appears twice";
        QTest::newRow("both outputs") << "x1,y1,label\n0,0,0\n" << "header: has both label and y1..: a file holds classes or regression targets, not both";
        QTest::newRow("no outputs") << "x1,x2\n0,0\n" << "header: needs a label column (classes 0..K-1) or y1,...,yK (regression targets)";
        QTest::newRow("no inputs") << "label\n0\n" << "header: no input columns (expected x1,...,xd then label or y1,...,yK)";
        QTest::newRow("no rows") << "x1,label\n" << "no data rows after the header";
        QTest::newRow("empty") << "" << "the file is empty (expected a header line such as x1,x2,label)";
    }
    void csvErrorsNameRowAndColumn()
    {
        QFETCH(QString, text);
        QFETCH(QString, error);
        const DatasetResult r = loadDatasetCsv(text.toStdString());
        QVERIFY(!r.ok());
        QCOMPARE(QString::fromStdString(r.error), error);
    }

    void filesAreRelativeToTheScene()
    {
        QTemporaryDir dir;
        std::ofstream(dir.filePath("points.csv").toStdString()) << "x1,x2,label\n0.25,1,0\n-1,2,1\n";
        DataSpec s;
        s.generator = DataGenerator::None;
        s.file = "points.csv";
        const DatasetResult r = loadDataset(s, dir.path().toStdString());
        QVERIFY2(r.ok(), r.error.c_str());
        QCOMPARE(r.data.X(0, 0), 0.25);
        QCOMPARE(r.data.labels, (std::vector<int>{0, 1}));
        s.file = "missing.csv";
        const DatasetResult m = loadDataset(s, dir.path().toStdString());
        QCOMPARE(QString::fromStdString(m.error), dir.filePath("missing.csv") + ": no such file");
        QCOMPARE(QString::fromStdString(loadDatasetFile(dir.path().toStdString()).error), dir.path() + ": is a directory, not a data file");
        std::ofstream(dir.filePath("bad.csv").toStdString()) << "x1,label\n1,0.5\n";
        s.file = "bad.csv";
        QCOMPARE(QString::fromStdString(loadDataset(s, dir.path().toStdString()).error),
                 dir.filePath("bad.csv") + ": row 1 (line 2), column \"label\": 0.5 is not a whole class number");
        const DatasetResult g = loadDataset(spec(DataGenerator::Moons, 50, 0.1), "");
        QVERIFY(g.ok() && g.data.X == generate(spec(DataGenerator::Moons, 50, 0.1)).X);
    }

    void settingsNamesRoundTrip()
    {
        for (DataGenerator g : {DataGenerator::Moons, DataGenerator::Circles, DataGenerator::Spirals, DataGenerator::Xor, DataGenerator::Blobs})
            QCOMPARE(TrainingSettings::parseGenerator(TrainingSettings::generatorName(g)), std::optional(g));
        QCOMPARE(QString(TrainingSettings::generatorName(DataGenerator::Blobs)), QString("gaussians"));
        QVERIFY(!TrainingSettings::parseGenerator("none"));
        for (LossKind l : {LossKind::CrossEntropy, LossKind::MeanSquaredError})
            QCOMPARE(TrainingSettings::parseLoss(TrainingSettings::lossName(l)), std::optional(l));
        for (OptimizerKind o : {OptimizerKind::Sgd, OptimizerKind::Adam})
            QCOMPARE(TrainingSettings::parseOptimizer(TrainingSettings::optimizerName(o)), std::optional(o));
        for (GradientKind g : {GradientKind::Implicit, GradientKind::JacobianFree, GradientKind::Unrolled})
            QCOMPARE(TrainingSettings::parseGradient(TrainingSettings::gradientName(g)), std::optional(g));
        QCOMPARE(QString(TrainingSettings::gradientName(GradientKind::JacobianFree)), QString("jacobian_free"));
        QCOMPARE(QString(TrainingSettings::lossName(LossKind::MeanSquaredError)), QString("mse"));
        QVERIFY(!TrainingSettings::parseLoss("Cross_Entropy"));
    }

    void settingsValidation_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("error");
        QTest::newRow("lr") << "lr" << -1.0 << "training.lr: must be > 0, got -1";
        QTest::newRow("lr 0") << "lr" << 0.0 << "training.lr: must be > 0, got 0";
        QTest::newRow("lr inf") << "lr" << HUGE_VAL << "training.lr: must be finite, got inf";
        QTest::newRow("momentum 1") << "momentum" << 1.0 << "training.momentum: must be in [0, 1), got 1";
        QTest::newRow("momentum <0") << "momentum" << -0.5 << "training.momentum: must be in [0, 1), got -0.5";
        QTest::newRow("batch") << "batch" << 0.0 << "training.batch: must be >= 1, got 0";
        QTest::newRow("epochs 0") << "epochs" << 0.0 << "training.epochs: must be between 1 and 100000, got 0";
        QTest::newRow("epochs big") << "epochs" << 100001.0 << "training.epochs: must be between 1 and 100000, got 100001";
        QTest::newRow("test_fraction") << "test_fraction" << 1.0 << "training.test_fraction: must be in [0, 1), got 1";
        QTest::newRow("unroll") << "unroll" << 1001.0 << "training.unroll: must be between 1 and 1000, got 1001";
        QTest::newRow("max_norm -1") << "max_norm" << -1.0 << "training.max_norm: must be in [0, 10], got -1";
        QTest::newRow("max_norm 11") << "max_norm" << 11.0 << "training.max_norm: must be in [0, 10], got 11";
        QTest::newRow("weight_decay") << "weight_decay" << -0.1 << "training.weight_decay: must be >= 0 and finite, got -0.1";
        QTest::newRow("samples") << "samples" << 3.0 << "training.data.samples: must be between 4 and 1000000, got 3";
        QTest::newRow("noise") << "noise" << -0.1 << "training.data.noise: must be >= 0 and finite, got -0.1";
        QTest::newRow("noise nan") << "noise" << double(NAN) << "training.data.noise: must be >= 0 and finite, got nan";
        QTest::newRow("moons classes") << "classes" << 3.0 << "training.data.classes: moons has 2 classes, got 3 (spirals and gaussians take 2..32)";
        QTest::newRow("spiral arms") << "arms" << 33.0 << "training.data.classes: must be between 2 and 32, got 33";
        QTest::newRow("no data") << "nodata" << 0.0 << "training.data: needs a \"generator\" (moons, circles, spirals, xor, gaussians), a \"file\", a \"dataset\", \"idx\" or \"npy\"";
        QTest::newRow("both data") << "both" << 0.0 << "training.data: give one of \"generator\", \"file\", \"dataset\", \"idx\" or \"npy\", not several";
    }
    void settingsValidation()
    {
        QFETCH(QString, field);
        QFETCH(double, value);
        QFETCH(QString, error);
        QVERIFY(TrainingSettings{}.validate().empty());
        TrainingSettings t;
        if (field == "lr") t.lr = value;
        else if (field == "momentum") t.momentum = value;
        else if (field == "batch") t.batch = int(value);
        else if (field == "epochs") t.epochs = int(value);
        else if (field == "test_fraction") t.testFraction = value;
        else if (field == "unroll") t.unroll = int(value);
        else if (field == "max_norm") t.maxNorm = value;
        else if (field == "weight_decay") t.weightDecay = value;
        else if (field == "samples") t.data.samples = int(value);
        else if (field == "noise") t.data.noise = value;
        else if (field == "classes") t.data.classes = int(value);
        else if (field == "arms") { t.data.generator = DataGenerator::Spirals; t.data.classes = int(value); }
        else if (field == "nodata") t.data.generator = DataGenerator::None;
        else if (field == "both") t.data.file = "points.csv";
        QCOMPARE(QString::fromStdString(t.validate()), error);
    }
};

QTEST_GUILESS_MAIN(TestDataset)
#include "tst_dataset.moc"

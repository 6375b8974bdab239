// SPDX-License-Identifier: GPL-3.0-or-later
// Data sources with their own test split (issue #20), through the one loader every caller uses
// (loadTrainTest): IDX files (pixels / 255 exactly, the image shape kept, the source's test split
// used and test_fraction ignored), train_limit / test_limit exact (the first rows, in order, for
// an own split and for a test_fraction split alike), images and labels that disagree, .npy
// inputs as N × h × w uint8 and N × d float, the fashion-mnist package when it is installed,
// and the message that says how to install it when it is not.
#include "Dataset.h"
#include "Npy.h"
#include "TestHelpers.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <array>
#include <cmath>
#include <cstdlib>
#include <fstream>

using namespace opteq;

namespace {

std::string be32(std::uint32_t v) { return {char(v >> 24), char((v >> 16) & 0xff), char((v >> 8) & 0xff), char(v & 0xff)}; }

// n images rows × cols, pixel (i, k) = (i·40 + k) mod 256; labels i mod classes.
std::string idxImages(int n, int rows, int cols, int first = 0)
{
    std::string s = std::string("\0\0\x08\x03", 4) + be32(std::uint32_t(n)) + be32(std::uint32_t(rows)) + be32(std::uint32_t(cols));
    for (int i = first; i < first + n; ++i)
        for (int k = 0; k < rows * cols; ++k) s.push_back(char((i * 40 + k) & 0xff));
    return s;
}
std::string idxLabels(int n, int classes, int first = 0)
{
    std::string s = std::string("\0\0\x08\x01", 4) + be32(std::uint32_t(n));
    for (int i = first; i < first + n; ++i) s.push_back(char(i % classes));
    return s;
}

// A C-order .npy of the given dtype ('|u1' bytes or '<f8' doubles) and shape.
std::string npy(const std::string& descr, const std::string& shape, const std::string& payload)
{
    std::string d = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    d.append((64 - (10 + d.size() + 1) % 64) % 64, ' ');
    d.push_back('\n');
    return std::string("\x93NUMPY\x01\x00", 8) + char(d.size() & 0xff) + char(d.size() >> 8) + d + payload;
}

}  // namespace

class TestDataSources : public QObject {
    Q_OBJECT
    QTemporaryDir dir;

    void write(const char* name, const std::string& bytes) { std::ofstream(dir.filePath(name).toStdString(), std::ios::binary) << bytes; }
    std::string sceneDir() const { return dir.path().toStdString(); }

    TrainingSettings idxSettings()
    {
        TrainingSettings t;
        t.data.generator = DataGenerator::None;
        t.data.idx = DataFiles{"train-img", "train-lab", "test-img", "test-lab"};   // relative to the scene
        t.testFraction = 0.5;   // ignored: the files have their own test split
        return t;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir.isValid());
        write("train-img", idxImages(7, 2, 3));
        write("train-lab", idxLabels(7, 3));
        write("test-img", idxImages(4, 2, 3, 100));
        write("test-lab", idxLabels(4, 3, 100));
        write("short-lab", idxLabels(6, 3));
    }

    void idxFilesKeepTheirOwnSplitAndShape()
    {
        const TrainTestData d = loadTrainTest(idxSettings(), sceneDir());
        QVERIFY2(d.ok(), d.error.c_str());
        QVERIFY(d.ownTestSplit);
        QCOMPARE(QString::fromStdString(d.note), QString("test split from the data set (test_fraction ignored)"));
        QCOMPARE(d.train.size(), 7);
        QCOMPARE(d.test.size(), 4);
        for (const Dataset* s : {&d.train, &d.test}) {
            QCOMPARE(s->X.cols(), Eigen::Index(6));
            QCOMPARE(s->imageRows, 2);
            QCOMPARE(s->imageCols, 3);
            QCOMPARE(s->classes, 3);
            QVERIFY(s->classNames.empty());
        }
        // Pixels are byte / 255 exactly, row-major within the image, items in file order.
        for (int i = 0; i < 7; ++i) {
            QCOMPARE(d.train.labels[size_t(i)], i % 3);
            for (int k = 0; k < 6; ++k) QCOMPARE(d.train.X(i, k), double((i * 40 + k) & 0xff) / 255.0);
        }
        QCOMPARE(d.test.X(3, 5), double((103 * 40 + 5) & 0xff) / 255.0);
        QCOMPARE(d.test.labels[3], 103 % 3);
    }

    void limitsKeepTheFirstRowsInOrder()
    {
        TrainingSettings t = idxSettings();
        const TrainTestData all = loadTrainTest(t, sceneDir());
        t.data.trainLimit = 5;
        t.data.testLimit = 2;
        const TrainTestData d = loadTrainTest(t, sceneDir());
        QVERIFY2(d.ok(), d.error.c_str());
        QCOMPARE(d.train.size(), 5);
        QCOMPARE(d.test.size(), 2);
        QVERIFY(d.train.X == all.train.X.topRows(5));
        QVERIFY(d.test.X == all.test.X.topRows(2));
        QCOMPARE(d.train.labels, std::vector<int>(all.train.labels.begin(), all.train.labels.begin() + 5));
        QCOMPARE(d.train.imageRows, 2);
        QCOMPARE(d.train.classes, 3);
        // A limit beyond the size keeps everything.
        t.data.trainLimit = 1000;
        QCOMPARE(loadTrainTest(t, sceneDir()).train.size(), 7);
        // A test_fraction split (generated data): the first rows of each split, in the split's order.
        TrainingSettings g;
        g.data.samples = 40;
        const TrainTestData whole = loadTrainTest(g, "");
        QVERIFY(!whole.ownTestSplit && whole.note.empty());
        QCOMPARE(whole.test.size(), 10);
        g.data.trainLimit = 9;
        g.data.testLimit = 3;
        const TrainTestData cut = loadTrainTest(g, "");
        QVERIFY(cut.train.X == whole.train.X.topRows(9));
        QVERIFY(cut.test.X == whole.test.X.topRows(3));
    }

    void imagesAndLabelsThatDisagreeAreRefused()
    {
        TrainingSettings t = idxSettings();
        t.data.idx.trainY = "short-lab";
        const QString e = QString::fromStdString(loadTrainTest(t, sceneDir()).error);
        QVERIFY2(e.contains("train-img holds 7 images but") && e.contains("short-lab holds 6 labels"), qPrintable(e));
        // Labels named as images: the file and the fix.
        t = idxSettings();
        t.data.idx.trainX = "train-lab";
        const QString f = QString::fromStdString(loadTrainTest(t, sceneDir()).error);
        QVERIFY2(f.contains("train-lab: holds labels") && f.contains("check which file is named here"), qPrintable(f));
        // A missing file names its path.
        t = idxSettings();
        t.data.idx.testY = "nope";
        QVERIFY(QString::fromStdString(loadTrainTest(t, sceneDir()).error).endsWith("nope: no such file"));
    }

    void evaluationReadsOnlyTheTestInputs()
    {
        // `opteq evaluate` needs the test split: the same test rows as a full load, the training
        // labels (for the class count) and no training inputs at all.
        const TrainTestData full = loadTrainTest(idxSettings(), sceneDir());
        const TrainTestData d = loadTrainTest(idxSettings(), sceneDir(), Splits::TestInputsOnly);
        QVERIFY2(d.ok(), d.error.c_str());
        QCOMPARE(d.test.X, full.test.X);
        QVERIFY(d.test.labels == full.test.labels);
        QCOMPARE(d.test.classes, full.test.classes);
        QCOMPARE(d.train.X.rows(), Eigen::Index(0));
        QCOMPARE(d.train.labels.size(), size_t(7));
        // A broken training images file is not even opened; a source without a test split of its
        // own still needs (and reads) the training inputs to cut its test split.
        write("broken-images", "not an IDX file");
        TrainingSettings t = idxSettings();
        t.data.idx.trainX = "broken-images";
        QVERIFY(loadTrainTest(t, sceneDir(), Splits::TestInputsOnly).ok());
        QVERIFY(!loadTrainTest(t, sceneDir()).ok());
        t = idxSettings();
        t.data.idx.testX.clear();
        t.data.idx.testY.clear();
        t.testFraction = 0.5;
        const TrainTestData cut = loadTrainTest(t, sceneDir(), Splits::TestInputsOnly);
        QVERIFY2(cut.ok(), cut.error.c_str());
        QCOMPARE(cut.test.X.cols(), Eigen::Index(6));
        QVERIFY(cut.test.size() > 0);
    }

    void npyImagesAreScaledAndShaped()
    {
        std::string pixels;
        for (int k = 0; k < 4 * 2 * 3; ++k) pixels.push_back(char(k * 10));
        write("X.npy", npy("|u1", "(4, 2, 3)", pixels));
        write("y.npy", npy("|u1", "(4,)", std::string("\x00\x01\x01\x00", 4)));
        std::string doubles;
        for (double v : {0.5, -2.0, 3.25, 1e-3}) doubles.append(reinterpret_cast<const char*>(&v), 8);
        write("Xf.npy", npy("<f8", "(2, 2)", doubles));
        write("yf.npy", npy("<f8", "(2,)", std::string(reinterpret_cast<const char*>(std::array<double, 2>{1.0, 0.0}.data()), 16)));
        TrainingSettings t;
        t.data.generator = DataGenerator::None;
        t.data.npy = DataFiles{"X.npy", "y.npy", "Xf.npy", "yf.npy"};
        // 2 × 2 floats against 2 × 3 images: the shapes must agree.
        QVERIFY(QString::fromStdString(loadTrainTest(t, sceneDir()).error).contains("both splits need the same shape"));
        t.data.npy = DataFiles{"X.npy", "y.npy", "", ""};
        t.testFraction = 0.25;
        TrainTestData d = loadTrainTest(t, sceneDir());
        QVERIFY2(d.ok(), d.error.c_str());
        QVERIFY(!d.ownTestSplit);   // no test pair: split by test_fraction
        QCOMPARE(d.train.size() + d.test.size(), 4);
        QCOMPARE(d.train.imageRows, 2);
        QCOMPARE(d.test.imageCols, 3);
        QCOMPARE(d.train.classes, 2);
        t.testFraction = 0;
        d = loadTrainTest(t, sceneDir());
        Eigen::MatrixXd sorted(4, 6);   // the split shuffles: compare rows by label-free content
        for (int i = 0; i < 4; ++i)
            for (int k = 0; k < 6; ++k) sorted(i, k) = double((i * 6 + k) * 10) / 255.0;
        for (int i = 0; i < 4; ++i) {
            bool found = false;
            for (int j = 0; j < 4; ++j) found = found || d.train.X.row(i) == sorted.row(j);
            QVERIFY(found);
        }
        // Floats are kept as they are, and carry no image shape.
        t.data.npy = DataFiles{"Xf.npy", "yf.npy", "Xf.npy", "yf.npy"};
        d = loadTrainTest(t, sceneDir());
        QVERIFY2(d.ok(), d.error.c_str());
        QCOMPARE(d.train.X(1, 1), 1e-3);
        QCOMPARE(d.train.X(0, 1), -2.0);
        QVERIFY(!d.train.isImage());
        // Rows and labels that disagree.
        t.data.npy = DataFiles{"X.npy", "yf.npy", "", ""};
        QVERIFY(QString::fromStdString(loadTrainTest(t, sceneDir()).error).contains("has 4 rows but"));
    }

    void fashionMnistWithALimit()
    {
        if (!QFile::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
            QSKIP("dataset-fashion-mnist is not installed (apt install dataset-fashion-mnist)");
        qunsetenv("OPTEQ_DATASETS");
        TrainingSettings t;
        t.data.generator = DataGenerator::None;
        t.data.dataset = "fashion-mnist";
        t.data.trainLimit = 100;
        t.data.testLimit = 50;
        const TrainTestData d = loadTrainTest(t, "");
        QVERIFY2(d.ok(), d.error.c_str());
        QVERIFY(d.ownTestSplit);
        QCOMPARE(d.train.size(), 100);
        QCOMPARE(d.test.size(), 50);
        QCOMPARE(d.train.X.cols(), Eigen::Index(784));
        QCOMPARE(d.train.imageRows, 28);
        QCOMPARE(d.train.imageCols, 28);
        QCOMPARE(d.train.classes, 10);
        QCOMPARE(d.test.classNames.size(), size_t(10));
        QCOMPARE(QString::fromStdString(d.train.classNames[9]), QString("Ankle boot"));
        QCOMPARE(QString::fromStdString(d.train.classNames[0]), QString("T-shirt/top"));
        // The first labels of each split as Python's gzip module reads them.
        QCOMPARE(std::vector<int>(d.train.labels.begin(), d.train.labels.begin() + 10), (std::vector<int>{9, 0, 0, 3, 0, 2, 7, 2, 5, 5}));
        QCOMPARE(std::vector<int>(d.test.labels.begin(), d.test.labels.begin() + 10), (std::vector<int>{9, 2, 1, 1, 6, 1, 4, 6, 5, 7}));
        QVERIFY(d.train.X.minCoeff() >= 0 && d.train.X.maxCoeff() == 1.0);
        QCOMPARE(std::round(d.train.X.row(0).sum() * 255.0), 76247.0);   // the first image's bytes summed
    }

    // The Train tab's generator choice on an image scene: the spec names one source again.
    void choosingAGeneratorDropsEveryFileSource()
    {
        for (int k = 0; k < 3; ++k) {
            TrainingSettings t = idxSettings();
            if (k == 1) t.data = DataSpec{DataGenerator::None, "", 400, 0.1, 2, 1, "fashion-mnist"};
            if (k == 2) t.data.npy = t.data.idx, t.data.idx = {};
            QVERIFY(t.validate().empty());
            t.data.useGenerator(DataGenerator::Spirals);
            t.data.classes = 3;
            QVERIFY2(t.validate().empty(), t.validate().c_str());
            QCOMPARE(t.data.kind(), DataKind::Generated);
            QVERIFY(t.data.idx.empty() && t.data.npy.empty() && t.data.dataset.empty() && t.data.file.empty());
        }
    }

    void aMissingPackageSaysHowToInstallIt()
    {
        QTemporaryDir empty;
        qputenv("OPTEQ_DATASETS", empty.path().toUtf8());
        TrainingSettings t;
        t.data.generator = DataGenerator::None;
        t.data.dataset = "fashion-mnist";
        const QString e = QString::fromStdString(loadTrainTest(t, "").error);
        qunsetenv("OPTEQ_DATASETS");
        QVERIFY2(e.startsWith("training.data.dataset: fashion-mnist: no train-images-idx3-ubyte.gz in " + empty.path()), qPrintable(e));
        QVERIFY2(e.endsWith("install Debian's dataset-fashion-mnist (apt install dataset-fashion-mnist) or set OPTEQ_DATASETS"), qPrintable(e));
        // OPTEQ_DATASETS may name the folder itself (files without .gz are read too).
        QDir(empty.path()).mkpath("fashion-mnist");
        for (const char* f : {"train-images-idx3-ubyte", "t10k-images-idx3-ubyte"})
            std::ofstream(empty.filePath(QString("fashion-mnist/") + f).toStdString(), std::ios::binary) << idxImages(3, 28, 28);
        for (const char* f : {"train-labels-idx1-ubyte", "t10k-labels-idx1-ubyte"})
            std::ofstream(empty.filePath(QString("fashion-mnist/") + f).toStdString(), std::ios::binary) << idxLabels(3, 10);
        for (const QString& env : {empty.path(), empty.filePath("fashion-mnist")}) {
            qputenv("OPTEQ_DATASETS", env.toUtf8());
            const TrainTestData d = loadTrainTest(t, "");
            qunsetenv("OPTEQ_DATASETS");
            QVERIFY2(d.ok(), d.error.c_str());
            QCOMPARE(d.train.size(), 3);
            QCOMPARE(d.train.classes, 10);   // the set's classes, whatever the labels present
        }
    }
};

QTEST_APPLESS_MAIN(TestDataSources)
#include "tst_data_sources.moc"

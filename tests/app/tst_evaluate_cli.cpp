// SPDX-License-Identifier: GPL-3.0-or-later
// `opteq evaluate` (issue #20) on a small image scene: IDX files of 4 × 4 images in 3 classes
// (class c lights row c, with a pattern of noise), trained two epochs by `opteq train`; evaluate's
// JSON is checked against itself recomputed independently (the confusion matrix sums to the test
// size, accuracy is its trace over the total, per-class accuracy its diagonal over its rows) and
// against train's own last test accuracy and loss (one evaluation path, the same numbers).
// An untrained scene and bad usage exit 2 with a message.
#include "CliTestHelpers.h"
#include "SceneIO.h"
#include "TestHelpers.h"
#include "Trainer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <fstream>

using namespace opteq;

namespace {

std::string be32(std::uint32_t v) { return {char(v >> 24), char((v >> 16) & 0xff), char((v >> 8) & 0xff), char(v & 0xff)}; }

// n images of 4 × 4 and their labels: image i of class i mod 3 has row (i mod 3) bright.
void writeSplit(const QString& images, const QString& labels, int n, int seed)
{
    std::string img = std::string("\0\0\x08\x03", 4) + be32(std::uint32_t(n)) + be32(4) + be32(4);
    std::string lab = std::string("\0\0\x08\x01", 4) + be32(std::uint32_t(n));
    for (int i = 0; i < n; ++i) {
        const int c = i % 3;
        lab.push_back(char(c));
        for (int k = 0; k < 16; ++k) img.push_back(char(k / 4 == c ? 200 + (i * 7 + k + seed) % 50 : (i * 13 + k * 5 + seed) % 90));
    }
    std::ofstream(images.toStdString(), std::ios::binary) << img;
    std::ofstream(labels.toStdString(), std::ios::binary) << lab;
}

}  // namespace

class TestEvaluateCli : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    QString untrained;

private slots:
    void initTestCase()
    {
        writeSplit(dir.filePath("train-img"), dir.filePath("train-lab"), 90, 0);
        writeSplit(dir.filePath("test-img"), dir.filePath("test-lab"), 31, 3);
        Activation tanh;
        tanh.type = ActivationType::Tanh;
        Scene s = withUntrainedNetwork(defaultScene(), 12, tanh);
        s.training.data = DataSpec{};
        s.training.data.generator = DataGenerator::None;
        s.training.data.idx = DataFiles{"train-img", "train-lab", "test-img", "test-lab"};
        s.training.batch = 16;
        s.training.lr = 0.05;
        s.solver.tol = 1e-8;
        QVERIFY2(s.validate().empty(), s.validate().c_str());
        untrained = dir.filePath("net.opteq.json");
        QVERIFY(saveScene(s, untrained).empty());
    }

    void evaluateReportsTheTrainedScenesTestNumbers()
    {
        const QString trained = dir.filePath("trained.opteq.json");
        Run r = opteqRun({"train", untrained, "--out", trained, "--epochs", "2", "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.err.contains("test split from the data set (test_fraction ignored)"), r.err.constData());
        const QJsonObject last = QJsonDocument::fromJson(r.out).object();

        r = opteqRun({"evaluate", trained, "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        QJsonParseError pe;
        const QJsonObject e = QJsonDocument::fromJson(r.out, &pe).object();
        QVERIFY2(pe.error == QJsonParseError::NoError, r.out.constData());
        for (const char* key : {"test_accuracy", "test_loss", "confusion", "per_class_accuracy", "iterations_mean", "unconverged"})
            QVERIFY2(e.contains(key), key);
        const QJsonArray confusion = e["confusion"].toArray();
        QCOMPARE(confusion.size(), 3);
        int total = 0, trace = 0;
        for (int t = 0; t < 3; ++t) {
            const QJsonArray row = confusion[t].toArray();
            QCOMPARE(row.size(), 3);
            int rowTotal = 0;
            for (int p = 0; p < 3; ++p) rowTotal += row[p].toInt();
            total += rowTotal;
            trace += row[t].toInt();
            QCOMPARE(rowTotal, t == 0 ? 11 : 10);   // 31 test images: classes 0, 1, 2, 0, …
            QCOMPARE(e["per_class_accuracy"].toArray()[t].toDouble(), double(row[t].toInt()) / rowTotal);
        }
        QCOMPARE(total, 31);
        QCOMPARE(e["test_size"].toInt(), 31);
        QCOMPARE(e["test_accuracy"].toDouble(), double(trace) / total);
        // The same forward pass as training's per-epoch test numbers, on the written weights.
        QCOMPARE(e["test_accuracy"].toDouble(), last["test_accuracy"].toDouble());
        QVERIFY(qAbs(e["test_loss"].toDouble() - last["test_loss"].toDouble()) <= 1e-12 * qAbs(last["test_loss"].toDouble()));
        QVERIFY(e["iterations_mean"].toDouble() >= 1);
        QCOMPARE(e["unconverged"].toInt(), 0);
        QCOMPARE(e["test_split"].toString(), QString("data set"));

        // Without --json: the same numbers as text, with the confusion matrix.
        r = opteqRun({"evaluate", trained});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.out.contains("test set: 31 rows (the data set's own test split)") && r.out.contains("confusion (rows: true class"),
                 r.out.constData());
    }

    void untrainedOrBadInputExitsTwo()
    {
        Run r = opteqRun({"evaluate", untrained, "--json"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("has no readout: train it first (opteq train"), r.err.constData());
        r = opteqRun({"evaluate", dir.filePath("missing.opteq.json")});
        QCOMPARE(r.code, 2);
        r = opteqRun({"evaluate", untrained, "--bogus"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("unknown option \"--bogus\""), r.err.constData());
        // A trained scene whose data files are gone.
        const SceneResult t = loadScene(dir.filePath("trained.opteq.json"));
        QVERIFY(t.ok());
        Scene moved = *t.scene;
        moved.training.data.idx.testX = "gone";
        const QString path = dir.filePath("moved.opteq.json");
        QVERIFY(saveScene(moved, path).empty());
        r = opteqRun({"evaluate", path});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("gone: no such file"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestEvaluateCli)
#include "tst_evaluate_cli.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// The collection of bad files in tests/data/bad (cases.tsv, written by make_bad.py): every one
// is refused by `opteq` with exit 2, a message naming the file and the row/column or field, in
// under 2 s and 200 MB — the readers and the data checks as a user meets them (CSV, .npy, IDX). Plus the devices
// and pipes a bounded reader must survive: /dev/zero as training data, inputs and weights, a .npy
// symlink to it, and a FIFO nobody writes to.
#include "CliTestHelpers.h"
#include "TestHelpers.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <sys/resource.h>
#include <sys/stat.h>

class TestBadInputs : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    QString bad = sourcePath("tests/data/bad");
    QString lesson1 = sourcePath("resources/lessons/01-contraction.opteq.json");
    QString trained;   // a 2-input, 2-class scene with trained weights (made in initTestCase)

    // Lesson 12 (cross-entropy, 2-D moons) reading `data` instead of its generator.
    QString trainingScene(const QString& data, const QString& base) { return trainingScene(QJsonObject{{"file", data}}, data, base); }
    QString trainingScene(const QJsonObject& source, const QString& data, const QString& base)
    {
        QFile in(base);
        if (!in.open(QIODevice::ReadOnly)) return {};
        QJsonObject root = QJsonDocument::fromJson(in.readAll()).object();
        QJsonObject t = root["training"].toObject();
        t["data"] = source;
        root["training"] = t;
        const QString path = dir.filePath(QFileInfo(data).fileName() + "." + QFileInfo(base).completeBaseName() + ".json");
        QFile out(path);
        if (!out.open(QIODevice::WriteOnly)) return {};
        out.write(QJsonDocument(root).toJson());
        return path;
    }

    // How `opteq` is called for a case of this use.
    QStringList command(const QString& file, const QString& use)
    {
        const QString lesson12 = sourcePath("resources/lessons/12-implicit-layer-learns-moons.opteq.json");
        if (use == "train") return {"train", trainingScene(file, lesson12), "--out", dir.filePath("t.opteq.json"), "--epochs", "1"};
        if (use == "train-trained") return {"train", trainingScene(file, trained), "--out", dir.filePath("t.opteq.json"), "--epochs", "1"};
        // IDX files (issue #20): the bad file as the training images beside good labels, or as
        // the labels beside good images.
        if (use == "idx-images" || use == "idx-labels") {
            const bool images = use == "idx-images";
            const QJsonObject idx{{"train_images", images ? file : bad + "/idx-good-images"},
                                  {"train_labels", images ? bad + "/idx-good-labels" : file}};
            return {"train", trainingScene(QJsonObject{{"idx", idx}}, file, lesson12), "--out", dir.filePath("t.opteq.json"), "--epochs", "1"};
        }
        if (use == "predict") return {"predict", lesson1, "--inputs", file, "--out", dir.filePath("p.csv")};
        if (use == "import") return {"import", lesson1, "--W", file, "--out", dir.filePath("i.opteq.json")};
        if (use == "import-U") return {"import", lesson1, "--U", file, "--out", dir.filePath("i.opteq.json")};
        if (use == "solve") return {"solve", file};
        return {};
    }

    // Exit 2 with the file's name and `words` on stderr, quickly and within 200 MB.
    void refused(const QStringList& args, const QString& name, const QString& words)
    {
        QElapsedTimer clock;
        clock.start();
        const Run r = opteqRun(args);
        const qint64 ms = clock.elapsed();
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(r.code == 2, qPrintable(QString("exit %1 (expected 2): %2").arg(r.code).arg(err)));
        QVERIFY2(err.contains(name), qPrintable("the message does not name " + name + ": " + err));
        QVERIFY2(err.contains(words), qPrintable("expected \"" + words + "\" in: " + err));
        QVERIFY2(ms < 2000 * timeScale(), qPrintable(QString("took %1 ms").arg(ms)));
#ifndef OPTEQ_TEST_SANITIZED   // ASan's shadow memory alone is larger
        // ru_maxrss of the children so far, in KiB: the largest of them stayed below 200 MB.
        rusage u{};
        getrusage(RUSAGE_CHILDREN, &u);
        QVERIFY2(u.ru_maxrss < 200 * 1024, qPrintable(QString("a run used %1 MB").arg(u.ru_maxrss / 1024)));
#endif
    }

private slots:
    void initTestCase()
    {
        // One epoch on the generated moons is enough to carry a readout (K = 2, d = 2).
        const QString base = dir.filePath("base.opteq.json");
        QFile::copy(sourcePath("resources/lessons/12-implicit-layer-learns-moons.opteq.json"), base);
        trained = dir.filePath("trained.opteq.json");
        const Run r = opteqRun({"train", base, "--out", trained, "--epochs", "1"});
        QVERIFY2(r.code == 0, r.err.constData());
    }

    void everyBadFileIsRefusedByName_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("use");
        QTest::addColumn<QString>("words");
        QFile f(bad + "/cases.tsv");
        QVERIFY(f.open(QIODevice::ReadOnly));
        int count = 0;
        for (const QByteArray& line : f.readAll().split('\n')) {
            if (line.isEmpty() || line.startsWith('#')) continue;
            const QList<QByteArray> cells = line.split('\t');
            QVERIFY2(cells.size() == 3, line.constData());
            QTest::newRow(cells[0].constData()) << QString::fromUtf8(cells[0]) << QString::fromUtf8(cells[1]) << QString::fromUtf8(cells[2]);
            ++count;
        }
        QVERIFY2(count >= 40, "the collection holds fewer than 40 bad files");
    }
    void everyBadFileIsRefusedByName()
    {
        QFETCH(QString, file);
        QFETCH(QString, use);
        QFETCH(QString, words);
        const QStringList args = command(bad + "/" + file, use);
        QVERIFY2(!args.isEmpty() && !args.contains(QString()), qPrintable("unknown use " + use));
        refused(args, file, words);
    }

    void devicesAndPipesAreReadWithABound()
    {
        // /dev/zero never ends: as text it is refused at its first byte, as .npy at its magic.
        refused(command("/dev/zero", "train"), "/dev/zero", "NUL byte at offset 0");
        refused(command("/dev/zero", "idx-images"), "/dev/zero", "IDX type 0x00 is not unsigned bytes");
        const QString link = dir.filePath("zero.npy");
        QVERIFY(QFile::link("/dev/zero", link));
        refused(command(link, "predict"), "zero.npy", "not a .npy file");
        refused(command(link, "import"), "zero.npy", "not a .npy file");
        const QString csvLink = dir.filePath("zero.csv");
        QVERIFY(QFile::link("/dev/zero", csvLink));
        refused(command(csvLink, "predict"), "zero.csv", "NUL byte");
        refused(command(csvLink, "train"), "zero.csv", "NUL byte");
        // A FIFO with no writer: read as an empty file, never a hang.
        const QString fifo = dir.filePath("pipe.csv");
        QCOMPARE(mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        refused(command(fifo, "train"), "pipe.csv", "the file is empty");
        refused(command(fifo, "predict"), "pipe.csv", "the file is empty");
        // A directory, as every kind of file.
        const QString folder = dir.filePath("folder.npy");
        QVERIFY(QDir().mkdir(folder));
        refused(command(folder, "predict"), "folder.npy", "is a directory, not an input file");
        refused({"solve", dir.path()}, dir.path(), "is a directory, not a scene file");
    }
};

QTEST_GUILESS_MAIN(TestBadInputs)
#include "tst_bad_inputs.moc"

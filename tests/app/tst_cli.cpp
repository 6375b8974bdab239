// SPDX-License-Identifier: GPL-3.0-or-later
// The opteq command line: output matches the library, bad input exits 2.
#include "SceneIO.h"
#include "Solve.h"
#include "TestHelpers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

using namespace opteq;

namespace {
struct Run { int code; QByteArray out, err; };
Run opteqRun(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral(OPTEQ_CLI_PATH), args);
    if (!p.waitForFinished(300000)) return {-1, {}, "timeout"};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2, p.readAllStandardOutput(), p.readAllStandardError()};
}
QString lesson(const char* name) { return sourcePath(QString("resources/lessons/") + name); }
}  // namespace

class TestCli : public QObject {
    Q_OBJECT
private slots:
    void solveJsonMatchesTheLibrary_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("contraction") << lesson("01-contraction.opteq.json");
        QTest::newRow("ray") << lesson("04-ray-of-equilibria.opteq.json");
        QTest::newRow("deep") << lesson("09-deep-two-layer.opteq.json");
    }
    void solveJsonMatchesTheLibrary()
    {
        QFETCH(QString, file);
        const Run r = opteqRun({"solve", file, "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject root = QJsonDocument::fromJson(r.out).object();
        const Scene s = *loadScene(file).scene;
        const Model m = s.model();
        OPTEQ_COMPARE_NEAR(root["spectral_norm"].toDouble(), m.spectralNorm(), 1e-12);
        QCOMPARE(root["unique"].toBool(), m.spectralNorm() < 1);
        const std::vector<Trace> traces = solveBatch(SolverContext(m, s.input, s.solver, s.prior), s.effectiveStarts());
        const QJsonArray results = root["results"].toArray();
        QCOMPARE(results.size(), qsizetype(traces.size()));
        for (int i = 0; i < results.size(); ++i) {
            const QJsonObject o = results[i].toObject();
            QCOMPARE(o["status"].toString(), QString(statusName(traces[i].status)));
            QCOMPARE(o["iterations"].toInt(), traces[i].iterations);
            const QJsonArray z = o["z"].toArray();
            for (int k = 0; k < z.size(); ++k) QCOMPARE(z[k].toDouble(), traces[i].z(k));
            OPTEQ_COMPARE_NEAR(o["objective"].toDouble(), traces[i].finalObjective, 1e-14);
        }
    }

    void badInputExitsTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no args") << QStringList{} << "usage";
        QTest::newRow("unknown command") << QStringList{"frobnicate", "x"} << "unknown command";
        QTest::newRow("missing file") << QStringList{"solve", "/nonexistent.opteq.json"} << "cannot open";
        QTest::newRow("bad grid") << QStringList{"basins", lesson("01-contraction.opteq.json"), "--grid", "zero", "--out", "x.csv"} << "--grid";
        QTest::newRow("no out") << QStringList{"trace", lesson("01-contraction.opteq.json")} << "--out";
        QTest::newRow("bad suffix") << QStringList{"trace", lesson("01-contraction.opteq.json"), "--out", "x.txt"} << ".csv or .json";
    }
    void badInputExitsTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = opteqRun(args);
        QCOMPARE(r.code, 2);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    }

    void badSceneExitsTwoNamingTheField()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("bad.opteq.json");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QByteArray json = sceneToJson(defaultScene());
        json.replace("\"relu\"", "\"swish\"");
        f.write(json);
        f.close();
        const Run r = opteqRun({"solve", path});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("model.layers[0].activation.type"), r.err.constData());
    }

    void traceLandscapeAndBasinsWriteTheirRows()
    {
        QTemporaryDir dir;
        const QString file = lesson("01-contraction.opteq.json");
        const Scene s = *loadScene(file).scene;
        const Model model = s.model();
        const std::vector<Trace> traces = solveBatch(SolverContext(model, s.input, s.solver), s.effectiveStarts());
        int rows = 0;
        for (const Trace& t : traces) rows += t.iterations + 1;

        Run r = opteqRun({"trace", file, "--out", dir.filePath("t.csv")});
        QVERIFY2(r.code == 0, r.err.constData());
        QFile csv(dir.filePath("t.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
        QCOMPARE(lines[0], QByteArray("start,iteration,z0,z1,abs_residual,rel_residual,objective"));
        QCOMPARE(lines.size(), rows + 1);
        const QList<QByteArray> last = lines.back().split(',');
        QCOMPARE(last[2].toDouble(), traces.back().z(0));
        QCOMPARE(last[4].toDouble(), traces.back().residual);

        r = opteqRun({"trace", file, "--out", dir.filePath("t.json")});
        QVERIFY2(r.code == 0, r.err.constData());
        QFile js(dir.filePath("t.json"));
        QVERIFY(js.open(QIODevice::ReadOnly));
        const QJsonObject root = QJsonDocument::fromJson(js.readAll()).object();
        QCOMPARE(root["traces"].toArray().size(), qsizetype(traces.size()));

        r = opteqRun({"landscape", file, "--grid", "12", "--out", dir.filePath("l.csv")});
        QVERIFY2(r.code == 0, r.err.constData());
        QFile l(dir.filePath("l.csv"));
        QVERIFY(l.open(QIODevice::ReadOnly));
        QCOMPARE(l.readAll().trimmed().split('\n').size(), 12 * 12 + 1);

        r = opteqRun({"basins", file, "--grid", "10", "--out", dir.filePath("b.csv")});
        QVERIFY2(r.code == 0, r.err.constData());
        QFile b(dir.filePath("b.csv"));
        QVERIFY(b.open(QIODevice::ReadOnly));
        const QList<QByteArray> bl = b.readAll().trimmed().split('\n');
        QCOMPARE(bl.size(), 10 * 10 + 1);
        QVERIFY(bl[1].endsWith(",converged"));
    }

    void unwritableOutputExitsOne()
    {
        const Run r = opteqRun({"trace", lesson("01-contraction.opteq.json"), "--out", "/nonexistent/dir/t.csv"});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains("cannot write"));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"

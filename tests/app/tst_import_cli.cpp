// SPDX-License-Identifier: GPL-3.0-or-later
// `opteq import`: weights from files into a new scene file; bad shapes and usage exit 2.
#include "Npy.h"
#include "SceneIO.h"
#include "CliTestHelpers.h"
#include "TestHelpers.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

using namespace opteq;

namespace {
void writeNpy(const QString& path, const Eigen::MatrixXd& m)
{
    const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> r = m;
    const std::string bytes = npyBytes(r.data(), size_t(m.rows()), size_t(m.cols()));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes.data(), qint64(bytes.size()));
}
}  // namespace

class TestImportCli : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    QString lesson = sourcePath("resources/lessons/01-contraction.opteq.json");

private slots:
    void importWritesTheWeightsIntoANewScene()
    {
        const Eigen::MatrixXd W = Eigen::MatrixXd::Random(5, 3) / 7, U = Eigen::MatrixXd::Random(3, 2), b = Eigen::MatrixXd::Random(3, 1);
        const Eigen::MatrixXd V = Eigen::MatrixXd::Random(2, 3), c = Eigen::MatrixXd::Random(2, 1);
        writeNpy(dir.filePath("W.npy"), W);
        writeNpy(dir.filePath("U.npy"), U);
        writeNpy(dir.filePath("b.npy"), b);
        writeNpy(dir.filePath("V.npy"), V);
        writeNpy(dir.filePath("c.npy"), c);
        const QString out = dir.filePath("new.opteq.json");
        const Run r = opteqRun({"import", lesson, "--W", dir.filePath("W.npy"), "--U", dir.filePath("U.npy"), "--b", dir.filePath("b.npy"),
                                "--V", dir.filePath("V.npy"), "--c", dir.filePath("c.npy"), "--out", out});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.out.contains("n = 3, d = 2, K = 2"), r.out.constData());
        const SceneResult s = loadScene(out);
        QVERIFY2(s.ok(), s.error.c_str());
        QVERIFY(s.scene->W == W);
        QVERIFY(s.scene->U == U);
        QVERIFY(s.scene->b == Eigen::VectorXd(b));
        QVERIFY(s.scene->readout.V == V);
        QVERIFY(s.scene->readout.c == Eigen::VectorXd(c));
        QCOMPARE(s.scene->title, loadScene(lesson).scene->title);
        // The new scene is an ordinary one: the other commands read it.
        QCOMPARE(opteqRun({"solve", out, "--json"}).code, 0);
    }

    void badImportsExitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no weights") << QStringList{"import", lesson, "--out", dir.filePath("x.opteq.json")} << "import needs at least one of --W";
        QTest::newRow("bad out") << QStringList{"import", lesson, "--W", dir.filePath("W.npy"), "--out", dir.filePath("x.csv")} << "--out must be a scene file ending in .json";
        QTest::newRow("no out") << QStringList{"import", lesson, "--W", dir.filePath("W.npy")} << "import needs --out FILE";
        QTest::newRow("shape") << QStringList{"import", lesson, "--W", dir.filePath("W.npy"), "--out", dir.filePath("x.opteq.json")}
                               << "the scene's U: U is 2 × 2, expected n × d = 3 × 2 (n = 3 from W.npy); import U too";
        QTest::newRow("missing value") << QStringList{"import", lesson, "--W"} << "--W needs a value";
    }
    void badImportsExitTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = opteqRun(args);
        QCOMPARE(r.code, 2);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
        QVERIFY(!QFile::exists(dir.filePath("x.opteq.json")));
    }
};

QTEST_GUILESS_MAIN(TestImportCli)
#include "tst_import_cli.moc"

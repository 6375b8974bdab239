// SPDX-License-Identifier: GPL-3.0-or-later
// Bring your own model (issue #12): W, U, b, V, c from .npy and header-less CSV files, bit for bit,
// with shapes checked against each other and the failing file named.
#include "Csv.h"
#include "ModelImport.h"
#include "Npy.h"
#include "SceneIO.h"
#include "TestHelpers.h"

#include <QFile>
#include <QTemporaryDir>

using namespace opteq;

namespace {
// Awkward doubles (no short decimal form, subnormal, huge) so that only an exact copy passes.
Eigen::MatrixXd awkward(int rows, int cols, double salt)
{
    Eigen::MatrixXd m(rows, cols);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) m(r, c) = std::sin(salt + 1.7 * r + 0.3 * c) / 3.0;
    m(0, 0) = 4.9e-324;
    return m;
}
void writeBytes(const QString& path, const std::string& bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes.data(), qint64(bytes.size()));
}
// numpy's layout: row-major; a vector is written as one row per entry (shape (N,) reads as N × 1).
std::string npy(const Eigen::MatrixXd& m)
{
    const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> r = m;
    return npyBytes(r.data(), size_t(m.rows()), size_t(m.cols()));
}
std::string csv(const Eigen::MatrixXd& m)
{
    std::string s;
    for (Eigen::Index r = 0; r < m.rows(); ++r) {
        for (Eigen::Index c = 0; c < m.cols(); ++c) {
            if (c) s += ',';
            appendNumber(s, m(r, c));
        }
        s += '\n';
    }
    return s;
}
}  // namespace

class TestImport : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    QString path(const char* name) { return dir.filePath(name); }
    std::map<std::string, std::string> files(std::initializer_list<std::pair<const char*, const char*>> l)
    {
        std::map<std::string, std::string> m;
        for (auto [k, f] : l) m[k] = path(f).toStdString();
        return m;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir.isValid());
        writeBytes(path("W.npy"), npy(awkward(3, 4, 0)));
        writeBytes(path("U.npy"), npy(awkward(4, 2, 1)));
        writeBytes(path("b.npy"), npy(awkward(4, 1, 2)));
        writeBytes(path("V.npy"), npy(awkward(2, 4, 3)));
        writeBytes(path("c.npy"), npy(awkward(1, 2, 4)));   // a (1, K) row works as well as a column
        writeBytes(path("W.csv"), csv(awkward(3, 4, 0)));
        writeBytes(path("U32.npy"), npy(awkward(3, 2, 5)));
        writeBytes(path("b3.npy"), npy(awkward(3, 1, 6)));
        writeBytes(path("b43.npy"), npy(awkward(4, 3, 6)));
        writeBytes(path("V5.npy"), npy(awkward(2, 5, 7)));
        writeBytes(path("c3.npy"), npy(awkward(3, 1, 8)));
        Eigen::MatrixXd bad = awkward(3, 4, 0);
        bad(1, 2) = std::nan("");
        writeBytes(path("Wnan.npy"), npy(bad));
        writeBytes(path("header.csv"), "w1,w2\n1,2\n");
        writeBytes(path("short.csv"), "1,2,3\n4,5\n");
        writeBytes(path("junk.npy"), "not an npy file");
        writeBytes(path("W.txt"), "1");
    }

    void importsNpyBitForBit()
    {
        Scene s = defaultScene();   // n = 2, ReLU
        const std::string e = importWeights(s, files({{"W", "W.npy"}, {"U", "U.npy"}, {"b", "b.npy"}, {"V", "V.npy"}, {"c", "c.npy"}}));
        QVERIFY2(e.empty(), e.c_str());
        QVERIFY(s.W == awkward(3, 4, 0));
        QVERIFY(s.U == awkward(4, 2, 1));
        QVERIFY(s.b == Eigen::VectorXd(awkward(4, 1, 2)));
        QVERIFY(s.readout.V == awkward(2, 4, 3));
        QVERIFY(s.readout.c == Eigen::VectorXd(awkward(1, 2, 4).transpose()));
        QCOMPARE(s.W(0, 0), 4.9e-324);
        // n changed from 2 to 4: one layer with the scene's activation, starts back to one at 0.
        QCOMPARE(s.layers.size(), size_t(1));
        QCOMPARE(s.layers[0].size, 4);
        QCOMPARE(s.layers[0].activation.type, ActivationType::Relu);
        QVERIFY(s.starts.empty());
        QCOMPARE(s.input.size(), 2);
        QCOMPARE(s.solver.maxIter, defaultScene().solver.maxIter);   // the rest of the scene stays
        // …and it saves and reopens exactly.
        QVERIFY(saveScene(s, path("imported.opteq.json")).empty());
        QVERIFY(*loadScene(path("imported.opteq.json")).scene == s);
    }

    void importsCsvExactlyAndKeepsTheRest()
    {
        Scene s = defaultScene();
        QVERIFY(importWeights(s, files({{"W", "W.csv"}, {"U", "U.npy"}, {"b", "b.npy"}})).empty());
        QVERIFY(s.W == awkward(3, 4, 0));   // shortest round-trip digits read back exactly
        QVERIFY(s.readout.empty());
        // Only b, with the same n: everything else, layers and starts included, is untouched.
        Scene t = defaultScene();
        writeBytes(path("b2.npy"), npy(Eigen::MatrixXd::Constant(1, 2, 0.25)));
        QVERIFY(importWeights(t, files({{"b", "b2.npy"}})).empty());
        Scene expected = defaultScene();
        expected.b = Eigen::Vector2d(0.25, 0.25);
        QVERIFY(t == expected);
    }

    void shapeErrorsNameTheFile_data()
    {
        QTest::addColumn<QStringList>("spec");   // key=file pairs
        QTest::addColumn<QString>("error");
        QTest::newRow("U rows") << QStringList{"W=W.npy", "U=U32.npy", "b=b.npy"} << "U32.npy: U is 3 × 2, expected n × d = 4 × 2 (n = 4 from W.npy)";
        QTest::newRow("U from scene") << QStringList{"W=W.npy"} << "the scene's U: U is 2 × 2, expected n × d = 4 × 2 (n = 4 from W.npy); import U too";
        QTest::newRow("b size") << QStringList{"W=W.npy", "U=U.npy", "b=b3.npy"} << "b3.npy: b has 3 entries, expected n = 4 entries (n = 4 from W.npy)";
        QTest::newRow("b matrix") << QStringList{"W=W.npy", "U=U.npy", "b=b43.npy"} << "b43.npy: b is 4 × 3, expected a vector of n = 4 entries (n = 4 from W.npy)";
        QTest::newRow("V cols") << QStringList{"W=W.npy", "U=U.npy", "b=b.npy", "V=V5.npy", "c=c.npy"} << "V5.npy: V is 2 × 5, expected K × n = 2 × 4 (n = 4 from W.npy)";
        QTest::newRow("c size") << QStringList{"W=W.npy", "U=U.npy", "b=b.npy", "V=V.npy", "c=c3.npy"} << "c3.npy: c has 3 entries, expected K = 2 entries (the rows of V in V.npy)";
        QTest::newRow("c alone") << QStringList{"c=c.npy"} << "c.npy: c needs a readout V (K × n) to go with it: import V too";
        QTest::newRow("V alone") << QStringList{"W=W.npy", "U=U.npy", "b=b.npy", "V=V.npy"} << "V.npy: V needs the readout bias c (K = 2 entries): import c too";
        QTest::newRow("nan") << QStringList{"W=Wnan.npy"} << "Wnan.npy: W[2, 3] is nan; every weight must be a finite number";
        QTest::newRow("csv header") << QStringList{"W=header.csv"} << "header.csv: row 1 (line 1), column 1: w1 is not a number (weight CSVs are bare numbers, without a header line)";
        QTest::newRow("csv short") << QStringList{"W=short.csv"} << "short.csv: row 2 (line 2) has 2 values, row 1 has 3 (weight CSVs are bare numbers, without a header line)";
        QTest::newRow("suffix") << QStringList{"W=W.txt"} << "W: %1/W.txt must end in .npy or .csv";
        QTest::newRow("missing") << QStringList{"U=none.npy"} << "U: %1/none.npy: no such file";
        QTest::newRow("unknown key") << QStringList{"Z=W.npy"} << "unknown weight \"Z\" (one of W, U, b, V, c)";
        QTest::newRow("nothing") << QStringList{} << "nothing to import: name at least one of W, U, b, V, c";
    }
    void shapeErrorsNameTheFile()
    {
        QFETCH(QStringList, spec);
        QFETCH(QString, error);
        std::map<std::string, std::string> m;
        for (const QString& kv : spec) m[kv.section('=', 0, 0).toStdString()] = path(qPrintable(kv.section('=', 1))).toStdString();
        Scene s = defaultScene();
        QCOMPARE(QString::fromStdString(importWeights(s, m)), error.contains("%1") ? error.arg(dir.path()) : error);
        QVERIFY(s == defaultScene());   // nothing half-imported
    }

    void badNpySaysWhy()
    {
        Scene s = defaultScene();
        const std::string e = importWeights(s, files({{"W", "junk.npy"}}));
        QVERIFY2(QString::fromStdString(e).startsWith("W: " + path("junk.npy") + ": not a .npy file"), e.c_str());
        QVERIFY(s == defaultScene());
    }
};

QTEST_GUILESS_MAIN(TestImport)
#include "tst_import.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// `opteq export` renders every figure without a display, for every bundled lesson.
#include "TestHelpers.h"

#include <QDir>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>

class TestExportCli : public QObject {
    Q_OBJECT
private slots:
    void exportsEveryPlot_data()
    {
        QTest::addColumn<QString>("plot");
        QTest::addColumn<QString>("suffix");
        for (const char* p : {"landscape", "residual", "basins", "activation", "phase", "spectrum", "unit-layer"})
            for (const char* s : {"png", "pdf", "svg"}) QTest::addRow("%s.%s", p, s) << p << s;
    }
    void exportsEveryPlot()
    {
        QFETCH(QString, plot);
        QFETCH(QString, suffix);
        QTemporaryDir dir;
        const QString out = dir.filePath("fig." + suffix);
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove("DISPLAY");
        env.remove("QT_QPA_PLATFORM");   // the tool must pick offscreen by itself
        p.setProcessEnvironment(env);
        p.start(OPTEQ_CLI_PATH, {"export", sourcePath("resources/lessons/04-ray-of-equilibria.opteq.json"), "--plot", plot, "--out", out});
        QVERIFY(p.waitForFinished(120000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        if (suffix == "png") QVERIFY(!QImage::fromData(bytes, "PNG").isNull());
        if (suffix == "pdf") QVERIFY(bytes.startsWith("%PDF-"));
        if (suffix == "svg") QVERIFY(bytes.contains("<svg") && bytes.contains("</svg>"));
    }

    void badPlotNameExitsTwo()
    {
        QProcess p;
        p.start(OPTEQ_CLI_PATH, {"export", sourcePath("resources/lessons/01-contraction.opteq.json"), "--plot", "pie", "--out", "x.png"});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 2);
    }
};

QTEST_GUILESS_MAIN(TestExportCli)
#include "tst_export_cli.moc"

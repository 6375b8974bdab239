// SPDX-License-Identifier: GPL-3.0-or-later
// File › Export figure from the window (issue #19, exports ready for a paper), under the
// offscreen platform: titles where the window shows none, theory figures computed when their tab
// was never opened, equal aspect at the export's size, decision regions at its resolution.
#include "BasinView.h"
#include "LandscapeView.h"
#include "MainWindow.h"
#include "PlotStyle.h"
#include "ResidualPlot.h"
#include "SceneIO.h"
#include "TestHelpers.h"
#include "TheoryPlots.h"
#include "TrainPanel.h"
#include "TrainPlots.h"
#include "TrainingController.h"
#include "WindowTestHelpers.h"

#include <QCheckBox>
#include <QImage>
#include <QHash>
#include <QSet>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QXmlStreamReader>

using namespace opteq;

namespace {
// Every <text> of an SVG, joined.
QString svgText(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    QXmlStreamReader xml(&f);
    QStringList all;
    while (!xml.atEnd())
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("text"))
            all << xml.readElementText(QXmlStreamReader::IncludeChildElements);
    return all.join(' ');
}
}  // namespace

class TestWindowExport : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("OPTEQ_NO_DIALOGS", "1");
    }

    void landscapeAndPhasePlaneExportsHaveTitlesAndKeys()
    {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        w.openLesson(":/lessons/01-contraction.opteq.json");
        QVERIFY(settle(w));
        const QString scene = QString::fromStdString(w.controller()->scene().title);
        QTemporaryDir dir;
        const QString svg = dir.filePath("l.svg");
        QCOMPARE(w.exportFigure(w.landscape(), svg, 900, 700), QString());
        QString text = svgText(svg);
        qInfo("landscape export: %s", qPrintable(text.left(120)));
        QVERIFY2(text.contains(scene + " — E over"), qPrintable(text.left(400)));
        QVERIFY2(text.contains("start 1"), qPrintable(text.left(400)));   // the legend
        QVERIFY(plotTitle(w.landscape()).isEmpty());                        // the window shows none
        w.phaseToggle()->setChecked(true);
        QTRY_VERIFY_WITH_TIMEOUT(w.landscape()->phaseFieldShown(), 10000);
        QCOMPARE(w.exportFigure(w.landscape(), svg, 900, 700), QString());
        text = svgText(svg);
        QVERIFY2(text.contains(scene + " — phase plane"), qPrintable(text.left(400)));
        QVERIFY2(text.contains("nullcline"), qPrintable(text.left(400)));
        // A basin map not computed yet is not exported as an empty "press Compute" figure.
        const QString basins = dir.filePath("b.svg");
        QVERIFY(w.exportFigure(w.basinPlain(), basins, 900, 700).contains("press Compute"));
        QVERIFY(!QFile::exists(basins));
        QCOMPARE(w.exportFigure(w.residualPlot(), svg, 900, 700), QString());
        QVERIFY2(svgText(svg).contains(scene + " — residuals"), qPrintable(svgText(svg).left(400)));
    }

    void theoryFiguresAreComputedWhenTheirTabWasNeverOpened()
    {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        // Lesson 15 opens on its Unit layer tab (issue #19): its scene here without that "window",
        // on the Landscape tab, so the export has to compute the figure itself.
        Scene lesson = *loadScene(sourcePath("resources/lessons/15-the-unit-layer.opteq.json")).scene;
        lesson.window = {};
        w.tabs()->setCurrentIndex(0);
        w.controller()->resetScene(lesson, {});
        QVERIFY(settle(w));
        QVERIFY(w.tabs()->currentWidget() != w.unitLayerView()->parentWidget()->parentWidget());
        QTemporaryDir dir;
        const QString unit = dir.filePath("u.svg");
        QCOMPARE(w.exportFigure(w.unitLayerView(), unit, 900, 700), QString());
        const QString text = svgText(unit);
        qInfo("unit layer exported before its tab was opened: %s", qPrintable(text.left(120)));
        QVERIFY2(!text.contains("waiting"), qPrintable(text.left(400)));
        QVERIFY2(text.contains("Unit layer: G(p)"), qPrintable(text.left(400)));
        QVERIFY2(text.contains("p* = W z*"), qPrintable(text.left(400)));   // its legend
        const QString spectrum = dir.filePath("s.svg");
        QCOMPARE(w.exportFigure(w.spectrumView(), spectrum, 900, 700), QString());
        QVERIFY2(svgText(spectrum).contains("Eigenvalues of J at"), qPrintable(svgText(spectrum).left(400)));
        QVERIFY2(svgText(spectrum).contains("unit circle"), qPrintable(svgText(spectrum).left(400)));
    }

    void spectrumStaysRoundInAWideWindowExport()
    {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        w.openLesson(":/lessons/01-contraction.opteq.json");
        QVERIFY(settle(w));
        SpectrumView* v = w.spectrumView();
        QTemporaryDir dir;
        std::vector<double> ratios;
        QObject::connect(v, &QCustomPlot::afterLayout, v, [&] {
            if (v->viewport().size() != QSize(1600, 1000)) return;
            const QRect r = v->axisRect()->rect();
            ratios.push_back((v->xAxis->range().size() / r.width()) / (v->yAxis->range().size() / r.height()));
        });
        QCOMPARE(w.exportFigure(v, dir.filePath("s.png"), 1600, 1000), QString());
        QVERIFY(!ratios.empty());
        qInfo("spectrum at 1600 × 1000: x/y units per pixel %g", ratios.back());
        if (qEnvironmentVariableIsSet("OPTEQ_KEEP_EXPORTS")) QFile::copy(dir.filePath("s.png"), qEnvironmentVariable("OPTEQ_KEEP_EXPORTS") + "/window-spectrum.png");
        for (double r : ratios) QVERIFY2(std::abs(r - 1) < 0.01, qPrintable(QString("x/y units per pixel: %1").arg(r)));
    }

    void decisionRegionsAreSolvedAtTheExportsResolution()
    {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        w.openLesson(":/lessons/12-implicit-layer-learns-moons.opteq.json");
        QVERIFY(settle(w));
        QVERIFY(w.training()->waitForIdle(60000));
        w.training()->play(3);
        QVERIFY(w.training()->waitForIdle(120000));
        QTRY_VERIFY_WITH_TIMEOUT(w.training()->frame() && !w.training()->frame()->map.label.empty(), 20000);
        QTemporaryDir dir;
        const QString png = dir.filePath("d.png");
        QCOMPARE(w.exportFigure(w.trainPanel()->decisionView(), png, 3200, 2000), QString());
        const QImage img(png);
        QCOMPARE(img.size(), QSize(3200, 2000));
        // The two region colours are the image's two commonest; where one touches the other
        // directly (no point drawn between) is the boundary. A 72 × 72 map puts it only on its
        // cell edges: at most 73 distinct x and 73 distinct y.
        QHash<QRgb, int> count;
        for (int y = 0; y < img.height(); y += 7)
            for (int x = 0; x < img.width(); x += 7) ++count[img.pixel(x, y)];
        QList<QPair<int, QRgb>> byCount;
        for (auto it = count.cbegin(); it != count.cend(); ++it) byCount.append({it.value(), it.key()});
        std::sort(byCount.begin(), byCount.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        QVERIFY(byCount.size() >= 2);
        const QRgb regionA = byCount[0].second, regionB = byCount[1].second;
        auto boundary = [&](QRgb a, QRgb b) { return (a == regionA && b == regionB) || (a == regionB && b == regionA); };
        QSet<int> xs, ys;
        for (int y = 0; y + 1 < img.height(); ++y)
            for (int x = 0; x + 1 < img.width(); ++x) {
                const QRgb c = img.pixel(x, y);
                if (boundary(c, img.pixel(x + 1, y))) xs.insert(x);
                if (boundary(c, img.pixel(x, y + 1))) ys.insert(y);
            }
        const int edges = int(xs.size() + ys.size());
        qInfo("decision regions at 3200 × 2000: the boundary at %d distinct x and %d distinct y", int(xs.size()), int(ys.size()));
        if (qEnvironmentVariableIsSet("OPTEQ_KEEP_EXPORTS")) img.save(qEnvironmentVariable("OPTEQ_KEEP_EXPORTS") + "/window-decision.png");
        QVERIFY2(edges > 2 * 73, qPrintable(QString("the boundary at %1 distinct x and %2 distinct y").arg(xs.size()).arg(ys.size())));
    }
};

QTEST_MAIN(TestWindowExport)
#include "tst_window_export.moc"

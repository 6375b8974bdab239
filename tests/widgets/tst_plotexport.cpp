// SPDX-License-Identifier: GPL-3.0-or-later
// Figure export: PNG, PDF and SVG files that parse and contain the plot.
#include "BasinView.h"
#include "LandscapeView.h"
#include "Palette.h"
#include "PlotExport.h"
#include "PlotStyle.h"
#include "ResidualPlot.h"
#include "SceneIO.h"
#include "TestHelpers.h"

#include <QDir>
#include <QImage>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QXmlStreamReader>

using namespace opteq;

class TestPlotExport : public QObject {
    Q_OBJECT
private slots:
    void uniqueEquilibriumIsOneColour()
    {
        // Ends that differ by round-off (1e-7 apart, as lesson 7 at ‖W‖₂ = 0.99) must not be
        // stretched over the whole hue range: one equilibrium, one colour.
        BasinMap m;
        m.spec.nx = 8;
        m.spec.ny = 1;
        for (int i = 0; i < 8; ++i) {
            m.endS.push_back(2.513 + 1e-7 * i);
            m.endT.push_back(0.5);
            m.endFirst.push_back(2.513 + 1e-7 * i);
            m.iterations.push_back(10);
            m.status.push_back(std::uint8_t(SolveStatus::Converged));
        }
        const BasinColouring one = basinColouring({&m}, 1e-6);
        QVERIFY(one.single);
        const QImage img = basinImage(m, one, 100);
        for (int i = 1; i < 8; ++i) QCOMPARE(img.pixel(i, 0), img.pixel(0, 0));
        // Ends 1 apart (a segment of equilibria): a real scale, first and last cells differ.
        for (int i = 0; i < 8; ++i) m.endS[size_t(i)] = i / 7.0;
        const BasinColouring seg = basinColouring({&m}, 1e-6);
        QVERIFY(!seg.single);
        const QImage img2 = basinImage(m, seg, 100);
        QVERIFY(img2.pixel(0, 0) != img2.pixel(7, 0));
        QVERIFY(basinSummaryText(summarizeBasins(m, 1e-6), 1e-6, 100).contains("8 distinct ends"));
    }
    void legendsSitOutsideTheDataAndMatchTheirCurves()
    {
        // One solver, three starts: colour = start, and each legend entry has its curve's colour.
        Scene scene = defaultScene();
        scene.starts = {Eigen::Vector2d(1, 1), Eigen::Vector2d(-1, 1), Eigen::Vector2d(0.5, -1)};
        scene.compare.clear();
        auto sol = std::make_shared<const SceneSolution>(solveScene(scene));
        LandscapeView view;
        view.resize(700, 520);
        view.setSolution(sol);
        view.replot();
        QCOMPARE(view.axisRect()->insetLayout()->elementCount(), 0);   // nothing inside the axes
        QVERIFY(!view.legend->outerRect().intersects(view.axisRect()->rect()));
        int starts = 0;
        for (int i = 0; i < view.legend->itemCount(); ++i) {
            auto* item = qobject_cast<QCPPlottableLegendItem*>(view.legend->item(i));
            if (!item || !item->plottable()->name().startsWith("start ")) continue;
            const int k = item->plottable()->name().mid(6).toInt() - 1;
            QCOMPARE(item->plottable()->pen().color(), seriesColor(k));
            ++starts;
        }
        QCOMPARE(starts, 3);
        // Two solvers: colour = solver, one entry each, none per start.
        scene.compare = {Method::Anderson};
        view.setSolution(std::make_shared<const SceneSolution>(solveScene(scene)));
        QStringList names;
        for (int i = 0; i < view.legend->itemCount(); ++i)
            if (auto* item = qobject_cast<QCPPlottableLegendItem*>(view.legend->item(i))) names << item->plottable()->name();
        QVERIFY2(names.contains("anderson") && !names.join(',').contains("start 1"), qPrintable(names.join(',')));

        ResidualPlot plot;
        plot.resize(600, 400);
        plot.setSolution(std::make_shared<const SceneSolution>(solveScene(scene)), scene.solver.tol);
        plot.replot();
        QCOMPARE(plot.axisRect()->insetLayout()->elementCount(), 0);
        QVERIFY(!plot.legend->outerRect().intersects(plot.axisRect()->rect()));
    }

    void relativeResidualSpikeDoesNotStretchTheAxis()
    {
        // ReLU with T(z₀) = 0: the relative residual ‖Tz−z‖/‖Tz‖ is ~1e12 at k = 0. The axis
        // follows the curves' bulk, not that one value.
        Scene scene = defaultScene();
        scene.layers[0].activation = Activation{};   // relu
        scene.W = Eigen::Matrix2d{{0.3, 0.1}, {0.0, 0.4}};
        scene.b = Eigen::Vector2d(0.2, 0.2);
        scene.input.setZero();
        scene.starts = {Eigen::Vector2d(-3, -3)};   // WᵀW z₀ + b < 0: T(z₀) = 0
        scene.compare.clear();
        auto sol = std::make_shared<const SceneSolution>(solveScene(scene));
        QVERIFY(sol->runs[0].traces[0].relResidual[0] > 1e10);
        ResidualPlot plot;
        plot.resize(600, 400);
        plot.setSolution(sol, scene.solver.tol);
        double absMax = 0;
        for (double r : sol->runs[0].traces[0].absResidual) absMax = std::max(absMax, r);
        QVERIFY2(plot.yAxis->range().upper < 100 * absMax, qPrintable(QString::number(plot.yAxis->range().upper)));
        // Log iterations: k + 1 on a log axis, the data shifted with it.
        plot.setLogIterations(true);
        QCOMPARE(plot.xAxis->scaleType(), QCPAxis::stLogarithmic);
        QVERIFY(plot.xAxis->range().lower >= 1.0);
    }

    void figureScaleScalesFontsLinesAndMarkers()
    {
        auto sol = std::make_shared<const SceneSolution>(solveScene(defaultScene()));
        LandscapeView view;
        view.resize(640, 480);
        view.setSolution(sol);
        const double tick = view.xAxis->tickLabelFont().pointSizeF(), legend = view.legend->font().pointSizeF();
        QCPGraph* starts = view.graph(0);
        const double marker = starts->scatterStyle().size(), pen = starts->pen().widthF();
        setFigureScale(&view, 2.0);
        QCOMPARE(view.xAxis->tickLabelFont().pointSizeF(), 2 * tick);
        QCOMPARE(view.legend->font().pointSizeF(), 2 * legend);
        QCOMPARE(starts->scatterStyle().size(), 2 * marker);
        QCOMPARE(starts->pen().widthF(), 2 * pen);
        // A rebuilt solution keeps the scale; going back restores the designed sizes exactly.
        view.setSolution(sol);
        QCOMPARE(view.xAxis->tickLabelFont().pointSizeF(), 2 * tick);
        setFigureScale(&view, 1.0);
        QCOMPARE(view.xAxis->tickLabelFont().pointSizeF(), tick);
        QCOMPARE(starts->scatterStyle().size(), marker);
        // An export with a font scale leaves the window's plot as it was.
        QTemporaryDir dir;
        QCOMPARE(exportPlot(&view, dir.filePath("f.png"), 400, 300, 1.0, 1.5), QString());
        QCOMPARE(view.xAxis->tickLabelFont().pointSizeF(), tick);
    }

    void zoomSurvivesAResolveButNotANewBox()
    {
        Scene scene = defaultScene();
        LandscapeView view;
        view.resize(640, 480);
        view.setSolution(std::make_shared<const SceneSolution>(solveScene(scene)));
        view.xAxis->setRange(-0.5, 0.5);   // the user zoomed in
        scene.input(0) += 0.01;            // a slider moved: same box
        view.setSolution(std::make_shared<const SceneSolution>(solveScene(scene)));
        QCOMPARE(view.xAxis->range().lower, -0.5);
        view.fitToLandscape();
        QCOMPARE(view.xAxis->range().lower, -2.0);
        view.xAxis->setRange(-0.5, 0.5);
        scene.view.hasBox = true;           // another box: the axes follow it
        scene.view.x0 = -3; scene.view.x1 = 3; scene.view.y0 = -3; scene.view.y1 = 3;
        view.setSolution(std::make_shared<const SceneSolution>(solveScene(scene)));
        QCOMPARE(view.xAxis->range().lower, -3.0);
    }

    void exportsParse()
    {
        const Scene scene = defaultScene();
        auto sol = std::make_shared<const SceneSolution>(solveScene(scene));
        LandscapeView view;
        view.resize(640, 480);
        view.setSolution(sol);
        QTemporaryDir dir;

        const QString png = dir.filePath("l.png");
        QCOMPARE(exportPlot(&view, png, 800, 600, 2.0), QString());
        const QImage img(png);
        QCOMPARE(img.size(), QSize(1600, 1200));   // size × scale
        // Not blank: the colour map and the masked region give many distinct colours.
        QSet<QRgb> colors;
        for (int y = 0; y < img.height(); y += 17)
            for (int x = 0; x < img.width(); x += 17) colors.insert(img.pixel(x, y));
        QVERIFY(colors.size() > 50);

        const QString pdf = dir.filePath("l.pdf");
        QCOMPARE(exportPlot(&view, pdf, 800, 600), QString());
        QFile p(pdf);
        QVERIFY(p.open(QIODevice::ReadOnly));
        const QByteArray pdfBytes = p.readAll();
        QVERIFY(pdfBytes.startsWith("%PDF-"));
        QVERIFY(pdfBytes.trimmed().endsWith("%%EOF"));

        const QString svg = dir.filePath("l.svg");
        QCOMPARE(exportPlot(&view, svg, 800, 600), QString());
        QFile s(svg);
        QVERIFY(s.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&s);
        int paths = 0, images = 0, texts = 0;
        bool root = false;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement) continue;
            if (xml.name() == QLatin1String("svg")) root = true;
            if (xml.name() == QLatin1String("path") || xml.name() == QLatin1String("polyline")) ++paths;
            if (xml.name() == QLatin1String("image")) ++images;
            if (xml.name() == QLatin1String("text")) ++texts;
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY(root);
        QVERIFY2(paths > 20, qPrintable(QString::number(paths)));   // axes, contours, trajectories
        QVERIFY(images >= 1);                                        // the colour map
        QVERIFY(texts > 5);                                          // tick labels
    }

    void failedExportLeavesTheOldFile()
    {
        ResidualPlot plot;
        plot.resize(400, 300);
        QTemporaryDir dir;
        QCOMPARE(exportPlot(&plot, dir.filePath("r.png")), QString());
        QVERIFY(!exportPlot(&plot, dir.filePath("r.bmp")).isEmpty());
        QVERIFY(!exportPlot(&plot, "/nonexistent/dir/r.png").isEmpty());
        QVERIFY(!QImage(dir.filePath("r.png")).isNull());

        // Onto existing files, failing mid-write (the disk fills up: no file may grow past 128
        // bytes, which also holds for root): an error naming the file, the old bytes intact.
        auto bytesOf = [](const QString& path) {
            QFile f(path);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        };
        const QString svg = dir.filePath("r.svg");
        const QByteArray oldSvg = "<svg>an earlier figure</svg>\n";
        {
            QFile f(svg);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QCOMPARE(f.write(oldSvg), oldSvg.size());
        }
        const QString png = dir.filePath("r.png");
        const QByteArray oldPng = bytesOf(png);
        QVERIFY(oldPng.size() > 128);
        QString svgError, pngError;
        {
            const FileSizeLimit full(128);
            QVERIFY(full.active());
            svgError = exportPlot(&plot, svg);
            pngError = exportPlot(&plot, png, 500, 400);   // another size: different bytes if it were written
        }
        QVERIFY2(svgError.contains(svg), qPrintable(svgError));
        QCOMPARE(bytesOf(svg), oldSvg);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), (QStringList{"r.png", "r.svg"}));
        // PNG (and PDF) were rendered by QCustomPlot into a temporary file whose truncation went
        // unnoticed; they are encoded in memory now and written like SVG.
        QVERIFY2(pngError.contains(png), qPrintable(pngError));
        QVERIFY(bytesOf(png) == oldPng);
    }

    void residualHoverNamesTheCurve()
    {
        const Scene scene = defaultScene();
        auto sol = std::make_shared<const SceneSolution>(solveScene(scene));
        ResidualPlot plot;
        plot.resize(600, 400);
        plot.setSolution(sol, scene.solver.tol);
        plot.replot();
        const Trace& t = sol->runs[0].traces[0];
        const QPointF px(plot.xAxis->coordToPixel(5), plot.yAxis->coordToPixel(t.absResidual[5]));
        const QString text = plot.hoverTextAt(px);
        QVERIFY2(text.contains("k = 5"), qPrintable(text));
        // The curve named is the one under the pointer (several starts may pass within the 8 px
        // it catches), and every number in the text is that start's own.
        const QRegularExpressionMatch start = QRegularExpression("start (\\d+): residual").match(text);
        QVERIFY2(start.hasMatch(), qPrintable(text));
        const int hit = start.captured(1).toInt() - 1;
        QVERIFY(hit >= 0 && hit < int(sol->runs[0].traces.size()));
        const Trace& h = sol->runs[0].traces[size_t(hit)];
        OPTEQ_VERIFY_LE(std::abs(plot.yAxis->coordToPixel(h.absResidual[5]) - px.y()), 8.0);
        QVERIFY2(text.contains(QString("k = 5: %1").arg(h.absResidual[5], 0, 'e', 3)), qPrintable(text));
        QVERIFY2(text.contains(QString("%1 after %2 iterations").arg(statusName(h.status)).arg(h.iterations)), qPrintable(text));
    }
};

QTEST_MAIN(TestPlotExport)
#include "tst_plotexport.moc"

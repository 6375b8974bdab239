// SPDX-License-Identifier: GPL-3.0-or-later
// Figure export: PNG, PDF and SVG files that parse and contain the plot.
#include "BasinView.h"
#include "FigureExport.h"
#include "LandscapeView.h"
#include "Palette.h"
#include "PlotExport.h"
#include "PlotStyle.h"
#include "ResidualPlot.h"
#include "ActivationPlot.h"
#include "JacobianSpectrum.h"
#include "SceneIO.h"
#include "TestHelpers.h"
#include "TheoryPlots.h"

#include <QDir>
#include <QImage>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtEndian>

using namespace opteq;

namespace {
// The texts of an SVG with the font-size in effect for each (QSvgGenerator puts it on the
// enclosing <g>), and its viewBox width.
struct SvgText {
    QString text;
    double fontSize = 0;
};
std::vector<SvgText> svgTexts(const QString& path, double* viewBoxWidth = nullptr)
{
    std::vector<SvgText> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return out;
    QXmlStreamReader xml(&f);
    std::vector<double> sizes{0};
    while (!xml.atEnd()) {
        const auto token = xml.readNext();
        if (token == QXmlStreamReader::StartElement) {
            const auto a = xml.attributes();
            if (xml.name() == QLatin1String("svg") && viewBoxWidth)
                *viewBoxWidth = a.value("viewBox").toString().split(' ').value(2).toDouble();
            sizes.push_back(a.hasAttribute("font-size") ? a.value("font-size").toDouble() : sizes.back());
            if (xml.name() == QLatin1String("text")) {
                const double size = sizes.back();
                out.push_back({xml.readElementText(QXmlStreamReader::IncludeChildElements), size});
                sizes.pop_back();
            }
        } else if (token == QXmlStreamReader::EndElement) {
            sizes.pop_back();
        }
    }
    return out;
}
QString svgAllText(const QString& path)
{
    QStringList all;
    for (const SvgText& t : svgTexts(path)) all << t.text;
    return all.join(' ');
}

// The largest font size a PDF draws text with, in figure units (the page spans figureWidth):
// Qt writes each page's content as a deflated stream that maps its device units to points with
// one "a 0 0 -a 0 h cm" and selects fonts with "/F<n> <size> Tf" in device units.
double pdfLargestFontInFigureUnits(const QString& path, double figureWidth)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return -1;
    const QByteArray pdf = f.readAll();
    const QRegularExpressionMatch box = QRegularExpression("/MediaBox \\[\\s*([-\\d.]+) ([-\\d.]+) ([-\\d.]+) ([-\\d.]+)\\s*\\]").match(QString::fromLatin1(pdf));
    if (!box.hasMatch()) return -2;
    const double pageWidth = box.captured(3).toDouble() - box.captured(1).toDouble();
    double devicePerPoint = 0, largest = 0;
    for (qsizetype at = pdf.indexOf("stream"); at >= 0; at = pdf.indexOf("stream", at + 6)) {
        if (at >= 3 && pdf.mid(at - 3, 3) == "end") continue;
        qsizetype begin = at + 6;
        if (pdf[begin] == '\r') ++begin;
        if (pdf[begin] == '\n') ++begin;
        const qsizetype end = pdf.indexOf("endstream", begin);
        if (end < 0) break;
        const QByteArray packed = pdf.mid(begin, end - begin);
        if (packed.isEmpty() || quint8(packed[0]) != 0x78) continue;   // not a zlib stream (images, fonts)
        QByteArray hint(4, 0);
        qToBigEndian<quint32>(quint32(64) << 20, hint.data());
        const QString content = QString::fromLatin1(qUncompress(hint + packed));
        const QRegularExpressionMatch cm = QRegularExpression("([-\\d.]+) 0 0 ([-\\d.]+) [-\\d.]+ [-\\d.]+ cm").match(content);
        if (cm.hasMatch() && devicePerPoint == 0) devicePerPoint = 1.0 / cm.captured(1).toDouble();
        for (auto m = QRegularExpression("/F\\w+ ([\\d.]+) Tf").globalMatch(content); m.hasNext();)
            largest = std::max(largest, m.next().captured(1).toDouble());
    }
    if (devicePerPoint == 0) return -3;
    return largest * figureWidth / (pageWidth * devicePerPoint);
}
}  // namespace

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
        QVERIFY2(names.contains("Anderson acceleration") && !names.join(',').contains("start 1"), qPrintable(names.join(',')));

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

    // Issue #19 (exports ready for a paper): a figure the window shows untitled gets a title in
    // the file; the window's plot is left as it was.
    void exportGivesAnUntitledPlotItsTitle()
    {
        LandscapeView view;
        view.resize(640, 480);
        view.setSolution(std::make_shared<const SceneSolution>(solveScene(defaultScene())));
        view.replot();
        QVERIFY(plotTitle(&view).isEmpty());
        const int rows = view.plotLayout()->rowCount();
        const QRect axes = view.axisRect()->rect();
        QTemporaryDir dir;
        const QString svg = dir.filePath("l.svg");
        QCOMPARE(exportPlot(&view, svg, 800, 600, 1.0, 1.0, "Lesson one — E over the plane"), QString());
        const QString text = svgAllText(svg);
        QVERIFY2(text.contains("Lesson one — E over the plane"), qPrintable(text.left(300)));
        QVERIFY(plotTitle(&view).isEmpty());
        QCOMPARE(view.plotLayout()->rowCount(), rows);
        view.replot();
        QCOMPARE(view.axisRect()->rect(), axes);
        // A plot's own title is kept (the argument names only an untitled plot's).
        setPlotTitle(&view, "its own title");
        QCOMPARE(exportPlot(&view, svg, 800, 600, 1.0, 1.0, "another"), QString());
        QVERIFY(svgAllText(svg).contains("its own title"));
        QVERIFY(!svgAllText(svg).contains("another"));
    }

    // The spectrum's unit circle stays a circle at any export size: the ranges the figure is
    // drawn with (as laid out for the export) give one unit the same length on both axes.
    void equalAspectSurvivesAnyExportSize()
    {
        SpectrumView view;
        view.resize(500, 500);   // the window's size: square
        JacobianSpectrum s;
        s.eigenvalues = {0.81, 0.25};
        s.spectralRadius = 0.81;
        s.bound = 0.9;
        view.setSpectrum(s, "z*", 0, 2);
        view.replot();
        std::vector<double> ratios;
        QObject::connect(&view, &QCustomPlot::afterLayout, &view, [&] {
            const QRect r = view.axisRect()->rect();
            if (view.viewport().width() != 500)   // the export's layout, not the window's
                ratios.push_back((view.xAxis->range().size() / r.width()) / (view.yAxis->range().size() / r.height()));
        });
        QTemporaryDir dir;
        for (const auto& [w, h, suffix] : {std::tuple{1600, 1000, "png"}, std::tuple{700, 1200, "pdf"}, std::tuple{1600, 1000, "svg"}}) {
            ratios.clear();
            QCOMPARE(exportPlot(&view, dir.filePath(QString("s.") + suffix), w, h), QString());
            QVERIFY(!ratios.empty());
            qInfo("%d × %d %s: x/y units per pixel %g", w, h, suffix, ratios.back());
            for (double r : ratios) QVERIFY2(std::abs(r - 1) < 0.01, qPrintable(QString("%1×%2 %3: x/y units per pixel %4").arg(w).arg(h).arg(suffix).arg(r)));
        }
        // The window's view is as it was: still square at its own size.
        view.replot();
        const QRect r = view.axisRect()->rect();
        const double ratio = (view.xAxis->range().size() / r.width()) / (view.yAxis->range().size() / r.height());
        QVERIFY2(std::abs(ratio - 1) < 0.01, qPrintable(QString::number(ratio)));
        QCOMPARE(view.viewport().size(), QSize(500, 500));
    }

    // No GUI instructions in an exported figure; the window keeps them.
    void exportsLeaveOutGuiInstructions()
    {
        QCOMPARE(exportedText("Decision regions, epoch 200 (click a point)"), QString("Decision regions, epoch 200"));
        QCOMPARE(exportedText("start s (the Landscape tab's slice)"), QString("start s (the landscape's slice)"));
        QCOMPARE(exportedText("Basins without prior: press Compute"), QString("Basins without prior"));
        QCOMPARE(exportedText("No rate map yet: choose two parameters and press Compute"), QString("No rate map yet"));
        QCOMPARE(exportedText("Decision regions (press Play)"), QString("Decision regions"));
        QCOMPARE(exportedText("Iterations of picard to tolerance 1e-09 from start 1 (grey: did not converge)"),
                 QString("Iterations of picard to tolerance 1e-09 from start 1 (grey: did not converge)"));
        QCOMPARE(exportedText("Eigenvalues of J at z* (start 1)"), QString("Eigenvalues of J at z* (start 1)"));
        QCOMPARE(exportedText("tanh saturation: equilibria pressed against the walls — layer 1: tanh"),
                 QString("tanh saturation: equilibria pressed against the walls — layer 1: tanh"));   // a lesson's words stay

        BasinView view;
        view.resize(600, 500);
        view.clearMap("Basins: press Compute");
        setPlotTitle(&view, "Basins of picard (click a cell to add a start)");
        QTemporaryDir dir;
        const QString svg = dir.filePath("b.svg");
        QCOMPARE(exportPlot(&view, svg, 800, 600), QString());
        const QString text = svgAllText(svg);
        qInfo("basin export says: %s", qPrintable(text.left(160)));
        for (const char* gui : {"click", "Click", "press", "tab's"}) QVERIFY2(!text.contains(gui), qPrintable(gui + (": " + text)));
        QVERIFY2(text.contains("the landscape's slice"), qPrintable(text));
        QVERIFY2(text.contains("Basins of picard"), qPrintable(text));
        // The window's words are back.
        QCOMPARE(view.xAxis->label(), QString("start s (the Landscape tab's slice)"));
        QVERIFY(plotTitle(&view).contains("(click a cell"));
    }

    // The same font size relative to the figure in PNG, SVG and PDF: the title's ink height in
    // the PNG matches the SVG's font-size (and the PDF's, pdfFontSizes) as QFontMetrics predict.
    void textIsTheSameShareOfTheFigureInEveryFormat()
    {
        ResidualPlot plot;
        plot.resize(600, 400);
        const Scene scene = defaultScene();
        plot.setSolution(std::make_shared<const SceneSolution>(solveScene(scene)), scene.solver.tol);
        const QString title = "HEIGHT";   // capitals, no descenders: ink height = cap height
        setPlotTitle(&plot, title);
        QTemporaryDir dir;
        for (const double fontScale : {1.0, 2.0}) {
            QCOMPARE(exportPlot(&plot, dir.filePath("r.png"), 800, 600, 1.0, fontScale), QString());
            QCOMPARE(exportPlot(&plot, dir.filePath("r.svg"), 800, 600, 1.0, fontScale), QString());
            QCOMPARE(exportPlot(&plot, dir.filePath("r.pdf"), 800, 600, 1.0, fontScale), QString());
            // PNG: the title's ink rows (the first dark rows from the top).
            const QImage png(dir.filePath("r.png"));
            int top = -1, bottom = -1;
            for (int y = 0; y < png.height() / 4; ++y) {
                bool ink = false;
                for (int x = 0; x < png.width() && !ink; ++x) ink = qGray(png.pixel(x, y)) < 128;
                if (ink && top < 0) top = y;
                if (ink) bottom = y;
                if (!ink && top >= 0) break;
            }
            QVERIFY(top >= 0);
            const int pngInk = bottom - top + 1;
            // SVG: the title's font-size in figure units.
            double viewBox = 0, svgSize = 0;
            for (const SvgText& t : svgTexts(dir.filePath("r.svg"), &viewBox))
                if (t.text == title) svgSize = t.fontSize;
            QCOMPARE(viewBox, 800.0);
            QVERIFY(svgSize > 0);
            // PDF: the largest font size (the title's), in figure units (page width = 800 units).
            const double pdfSize = pdfLargestFontInFigureUnits(dir.filePath("r.pdf"), 800);
            // The ink height a font of that size draws the title with.
            auto ink = [&](double size) {
                QFont f = plot.findChild<QCPTextElement*>("opteqTitle")->font();
                f.setPixelSize(int(std::lround(size)));
                return QFontMetrics(f).tightBoundingRect(title).height();
            };
            qInfo("font scale %g: PNG title ink %d px; SVG font-size %g (ink %d px); PDF font %g figure units (ink %d px)", fontScale, pngInk,
                  svgSize, ink(svgSize), pdfSize, ink(pdfSize));
            QVERIFY2(std::abs(ink(svgSize) - pngInk) <= 1,
                     qPrintable(QString("font scale %1: PNG title %2 px high, SVG font-size %3 gives %4 px").arg(fontScale).arg(pngInk).arg(svgSize).arg(ink(svgSize))));
            QVERIFY2(std::abs(ink(pdfSize) - pngInk) <= 1,
                     qPrintable(QString("font scale %1: PNG title %2 px high, PDF font %3 units gives %4 px").arg(fontScale).arg(pngInk).arg(pdfSize).arg(ink(pdfSize))));
        }
    }

    // A basin map's black cells (diverged) and grey stripes (max_iter) are named in its key, in
    // the window and in `opteq export --plot basins` (lesson 8: almost every start diverges); a
    // map without such cells has no such entries.
    void basinKeyNamesDivergedAndUnfinishedCells()
    {
        auto legendNames = [](const BasinView& v) {
            QStringList names;
            if (!v.legend->visible()) return names;
            for (int i = 0; i < v.legend->itemCount(); ++i)
                if (auto* item = qobject_cast<QCPPlottableLegendItem*>(v.legend->item(i))) names << item->plottable()->name();
            return names;
        };
        BasinMap m;
        m.spec.nx = 8;
        m.spec.ny = 1;
        for (int i = 0; i < 8; ++i) {
            m.endS.push_back(i / 7.0);
            m.endT.push_back(0.5);
            m.endFirst.push_back(i / 7.0);
            m.iterations.push_back(10);
            m.status.push_back(std::uint8_t(SolveStatus::Converged));
        }
        BasinView view;
        view.resize(500, 400);
        view.setMap(std::make_shared<const BasinMap>(m), basinColouring({&m}, 1e-6), 100, "all converged", "");
        QVERIFY2(legendNames(view).isEmpty(), qPrintable(legendNames(view).join(", ")));
        m.status[0] = std::uint8_t(SolveStatus::Diverged);
        view.setMap(std::make_shared<const BasinMap>(m), basinColouring({&m}, 1e-6), 100, "one diverged", "");
        QCOMPARE(legendNames(view), QStringList{"diverged"});
        m.status[1] = std::uint8_t(SolveStatus::MaxIter);
        view.setMap(std::make_shared<const BasinMap>(m), basinColouring({&m}, 1e-6), 100, "and one unfinished", "");
        QCOMPARE(legendNames(view), (QStringList{"diverged", "not converged in 100 iterations"}));
        // The export of lesson 8 carries the key.
        const SceneResult r = loadScene(sourcePath("resources/lessons/08-divergence.opteq.json"));
        QVERIFY(r.ok());
        QTemporaryDir dir;
        QString errors;
        QTextStream err(&errors);
        FigureOptions options;
        options.width = 600;
        options.height = 500;
        QCOMPARE(exportFigure(*r.scene, "08-divergence.opteq.json", "basins", dir.filePath("b.svg"), options, err), 0);
        QStringList texts;
        for (const SvgText& t : svgTexts(dir.filePath("b.svg"))) texts << t.text;
        QVERIFY2(texts.contains("diverged"), qPrintable(texts.join(" | ")));
    }

    // --font-scale reaches the activation plot's legend (its designed 7 pt), in every format.
    void activationLegendFollowsTheFontScale()
    {
        ActivationPlot plot;
        plot.resize(600, 400);
        plot.setOperator(ProxOperator(Activation{}, {}), "relu");
        QTemporaryDir dir;
        double sizes[2] = {0, 0};
        for (int i = 0; i < 2; ++i) {
            const QString svg = dir.filePath("a.svg");
            QCOMPARE(exportPlot(&plot, svg, 800, 600, 1.0, i == 0 ? 1.0 : 2.5), QString());
            for (const SvgText& t : svgTexts(svg))
                if (t.text == "f(t)") sizes[i] = t.fontSize;   // a legend entry ("σ(v)" is written in two runs)
        }
        QVERIFY(sizes[0] > 0);
        qInfo("activation legend font-size %g at font scale 1, %g at 2.5", sizes[0], sizes[1]);
        QVERIFY2(std::abs(sizes[1] / sizes[0] - 2.5) < 0.05, qPrintable(QString("legend font %1 → %2").arg(sizes[0]).arg(sizes[1])));
        QCOMPARE(plot.legend->font().pointSizeF(), 7.0);   // the window's plot as it was
        // The same through `opteq export --plot activation --font-scale` (exportFigure), with a
        // prior's third entry: every legend entry scales with the ticks.
        const SceneResult r = loadScene(sourcePath("resources/lessons/06-sparsity-prior.opteq.json"));
        QVERIFY(r.ok());
        QString errors;
        QTextStream err(&errors);
        double legend[2] = {0, 0}, tick[2] = {0, 0};
        for (int i = 0; i < 2; ++i) {
            FigureOptions options;
            options.fontScale = i == 0 ? 1.0 : 2.0;
            QCOMPARE(exportFigure(*r.scene, "06-sparsity-prior.opteq.json", "activation", dir.filePath("c.svg"), options, err), 0);
            for (const SvgText& t : svgTexts(dir.filePath("c.svg"))) {
                if (t.text == "prox_{f+R}(v)") legend[i] = t.fontSize;
                if (t.text == "-3") tick[i] = t.fontSize;
            }
        }
        qInfo("opteq export --plot activation: legend font-size %g → %g, ticks %g → %g at font scale 1 → 2", legend[0], legend[1], tick[0], tick[1]);
        QVERIFY(legend[0] > 0 && tick[0] > 0);
        QVERIFY2(std::abs(legend[1] / legend[0] - 2.0) < 0.05, qPrintable(QString("legend %1 → %2").arg(legend[0]).arg(legend[1])));
        QVERIFY2(std::abs(tick[1] / tick[0] - 2.0) < 0.05, qPrintable(QString("ticks %1 → %2").arg(tick[0]).arg(tick[1])));
    }
};

QTEST_MAIN(TestPlotExport)
#include "tst_plotexport.moc"

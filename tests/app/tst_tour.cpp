// SPDX-License-Identifier: GPL-3.0-or-later
// The screenshot tour's checks on a screen of the size ctest gives it (the offscreen plugin's
// configfile, tests/data/screens/): every lesson × every tab, each figure computed, and nothing
// that LayoutCheck finds (window beyond the available area, a dock's horizontal scroll bar, tabs
// behind scroll arrows, a title wider than its plot, an axis rect below the minimum, tick labels
// that overlap). In presentation mode as well, at both screen sizes (1366×768 since #19).
#include "LayoutCheck.h"
#include "MainWindow.h"
#include "PlotStyle.h"
#include "Tour.h"
#include "LandscapeView.h"
#include "ResidualPlot.h"

#include <QScreen>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>
#include <qcustomplot.h>

using namespace opteq;

class TestTour : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_settings;

    QStringList tour(bool presentation)
    {
        MainWindow w;
        w.show();
        TourOptions o;
        o.basinGrid = 64;   // the maps' layout, not their resolution, is under test
        o.train = false;    // the Train tab's layout is the same untrained (training 10 000 images
                            // under ASan's -O1 took the function past its time limit)
        o.presentation = presentation;
        QStringList problems;
        int shots = 0;
        runTour(w, o, [&](const TourShot& s) {
            ++shots;
            for (const QString& p : s.problems) problems << QString("%1 / %2: %3").arg(s.lesson, s.tab, p);
        });
        if (shots != tourLessons().size() * w.tabs()->count()) problems << QString("%1 shots").arg(shots);
        return problems;
    }

private slots:
    void initTestCase()
    {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
        qInfo("screen %dx%d", QGuiApplication::primaryScreen()->availableGeometry().width(),
              QGuiApplication::primaryScreen()->availableGeometry().height());
    }

    // The checks themselves catch what they name (on a plot built to fail them).
    void checksCatchClippedTitlesAndCrowdedTicks()
    {
        QCustomPlot p;
        p.resize(200, 140);
        p.show();
        setPlotTitle(&p, "x");
        p.xAxis->setRange(0, 1e6);
        p.xAxis->ticker()->setTickCount(12);
        p.replot(QCustomPlot::rpImmediateRefresh);
        QVERIFY(tickLabelsOverlap(p.xAxis));
        const QStringList found = plotLayoutProblems(&p, "probe");
        QVERIFY2(found.join("\n").contains("tick labels of the x axis overlap"), qPrintable(found.join("\n")));
        p.resize(120, 60);
        QVERIFY2(plotLayoutProblems(&p, "probe").join("\n").contains("axis rect"), "a 120 × 60 plot has no room for its axes");
        // keepTickLabelsApart thins them out; a long title wraps inside the plot's width.
        keepTickLabelsApart(&p);
        p.resize(420, 300);
        setPlotTitle(&p, "A title far too long to fit the width of this small plot in one line of bold text");
        QStringList after;
        for (int i = 0; i < 6 && !(after = plotLayoutProblems(&p, "probe")).isEmpty(); ++i) {}
        QVERIFY2(after.isEmpty(), qPrintable(after.join("\n")));
        QCOMPARE(plotTitle(&p), QString("A title far too long to fit the width of this small plot in one line of bold text"));
    }

    // Lesson 5 with twelve starts: one ramp entry in each legend, not twelve that shrink the plots.
    void manyStartsShareOneLegendEntry()
    {
        MainWindow w;
        w.show();
        w.openLesson(":/lessons/05-halpern-anchor.opteq.json");
        Scene s = w.controller()->scene();
        while (s.starts.size() < 12) s.starts.push_back(Eigen::VectorXd::Constant(s.n(), -1.0 + 0.15 * double(s.starts.size())));
        w.controller()->editScene(s, "twelve starts");
        QVERIFY(w.controller()->waitForIdle(60000));
        QTRY_VERIFY(w.controller()->solution() && w.controller()->solution()->runs.at(0).traces.size() == 12);
        QCoreApplication::processEvents();
        const int starts = 12;
        for (QCustomPlot* p : {static_cast<QCustomPlot*>(w.landscape()), static_cast<QCustomPlot*>(w.residualPlot())}) {
            QStringList names;
            for (int i = 0; i < p->legend->itemCount(); ++i)
                if (auto* item = qobject_cast<QCPPlottableLegendItem*>(p->legend->item(i))) names << item->plottable()->name();
            QVERIFY2(names.contains(QString("starts 1–%1 (colour = start)").arg(starts)), qPrintable(names.join(", ")));
            QVERIFY2(!names.contains("start 1"), qPrintable(names.join(", ")));
            QVERIFY2(names.size() <= 7, qPrintable(names.join(", ")));
        }
    }

    void everyLessonAndTabFits()
    {
        const QStringList problems = tour(false);
        QVERIFY2(problems.isEmpty(), qPrintable(QString("%1 problems:\n").arg(problems.size()) + problems.join("\n")));
    }

    void presentationModeFits()
    {
        const QStringList problems = tour(true);
        QVERIFY2(problems.isEmpty(), qPrintable(QString("%1 problems:\n").arg(problems.size()) + problems.join("\n")));
    }
};

QTEST_MAIN(TestTour)
#include "tst_tour.moc"

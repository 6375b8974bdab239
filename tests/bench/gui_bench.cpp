// SPDX-License-Identifier: GPL-3.0-or-later
// GUI timing (run by hand, offscreen):  build/tests/bench/opteq_gui_bench
//  - slider change → finished replot of the landscape on the default scene (the whole path:
//    edit, undo command, job on the pool, solve, hand-over, replot);
//  - replot of a 256×256 landscape with 16 trajectories alone, and compute + replot together.
#include "DeepGenerator.h"
#include "SceneIO.h"
#include <QDir>
#include "LandscapeView.h"
#include "MainWindow.h"
#include "TrainingController.h"
#include "OpenMpPolicy.h"
#include "MatrixEditor.h"
#include "ModelPanel.h"
#include "ResidualPlot.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QSlider>
#include <QStandardPaths>
#include <QtTest>
#include <algorithm>
#include <cstdio>

using namespace opteq;

namespace {
double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}
}  // namespace

int main(int argc, char** argv)
{
    ensurePassiveOpenMP(argv);   // as the explorer does
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    MainWindow w;
    w.resize(1500, 950);
    w.show();
    if (!QTest::qWaitForWindowExposed(&w)) qWarning("window not exposed: timings include the first paint");
    Controller* c = w.controller();
    auto idle = [&] {
        QElapsedTimer t;
        t.start();
        while ((c->solveRunning() || !c->solution()) && t.elapsed() < 10000) QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        QCoreApplication::processEvents();
    };
    idle();
    // The same measurement at n = 2 (the default scene), 200 and 1000 (random tanh models,
    // ‖W‖₂ = 0.9, opened from a scene file as a user would).
    for (int n : {2, 200, 1000}) {
        if (n > 2) {
            Activation act;
            act.type = ActivationType::Tanh;
            const Model m = makeRandomModel(n, act, 0.9, 17);
            Scene big = defaultScene();
            big.title = "random n = " + std::to_string(n);
            big.layers = m.layers();
            big.W = m.W();
            big.U = m.U();
            big.b = m.b();
            big.input = Eigen::VectorXd::Constant(m.d(), 0.3);
            big.starts.clear();
            big.view = SceneView{};
            const QString path = QDir::temp().filePath(QString("opteq_gui_bench_%1.opteq.json").arg(n));
            if (!saveScene(big, path).empty() || !w.openScene(path)) { std::printf("could not open the n = %d scene\n", n); continue; }
            idle();
        }
        QSlider* slider = w.modelPanel()->entrySlider();
        w.modelPanel()->weightEditor()->setCurrentCell(0, 1);
        std::vector<double> latency, sync, delivery, refined;
        for (int k = 0; k < (n > 200 ? 10 : 40); ++k) {
            bool replotted = false, solved = false;
            double solvedAt = 0;
            QElapsedTimer t;
            auto a = QObject::connect(c, &Controller::solutionReady, [&] { solved = true; solvedAt = t.nsecsElapsed() / 1e6; });
            auto b = QObject::connect(w.landscape(), &QCustomPlot::afterReplot, [&] { if (solved) replotted = true; });
            t.start();
            slider->setValue((k % 2 ? 40 : 80) + k);
            sync.push_back(t.nsecsElapsed() / 1e6);
            while (!replotted && t.elapsed() < 20000) QCoreApplication::processEvents(QEventLoop::AllEvents, 1);
            latency.push_back(t.nsecsElapsed() / 1e6);
            delivery.push_back(solvedAt);
            // Large n: the first replot shows a quick coarse landscape; the full grid follows.
            while (c->solveRunning() && t.elapsed() < 20000) QCoreApplication::processEvents(QEventLoop::AllEvents, 1);
            QCoreApplication::processEvents();
            refined.push_back(t.nsecsElapsed() / 1e6);
            QObject::disconnect(a);
            QObject::disconnect(b);
        }
        std::printf("n = %4d: slider change → finished landscape replot: median %.1f ms, max %.1f ms over %zu changes "
                    "(goal: %s)\n", n, median(latency), *std::max_element(latency.begin(), latency.end()), latency.size(),
                    n == 2 ? "16 ms" : n == 1000 ? "100 ms" : "-");
        std::printf("          of which the edit on the GUI thread (panels, undo, request) %.1f ms; solution delivered at %.1f ms; "
                    "full-resolution landscape drawn at %.1f ms\n", median(sync), median(delivery), median(refined));
    }

    // A 16-start 2-D scene on a 256×256 grid: compute, then replot, then both.
    Scene s = defaultScene();
    s.starts.clear();
    for (int k = 0; k < 16; ++k) s.starts.push_back(Eigen::Vector2d(1.8 * std::cos(0.39 * k), 1.8 * std::sin(0.39 * k)));
    SolutionOptions o;
    o.grid = 256;
    LandscapeView view;
    view.resize(800, 650);
    view.show();
    ResidualPlot residual;
    residual.resize(600, 400);
    residual.show();
    std::vector<double> compute, replot, both, landscapeOnly, residualOnly;
    for (int k = 0; k < 31; ++k) {
        QElapsedTimer t;
        t.start();
        auto sol = std::make_shared<const SceneSolution>(solveScene(s, o));
        const double tc = t.nsecsElapsed() / 1e6;
        QElapsedTimer r;
        r.start();
        view.setSolution(sol);
        view.replot(QCustomPlot::rpImmediateRefresh);
        const double tl = r.nsecsElapsed() / 1e6;
        residual.setSolution(sol, s.solver.tol);
        residual.replot(QCustomPlot::rpImmediateRefresh);
        const double tr = r.nsecsElapsed() / 1e6;
        landscapeOnly.push_back(tl);
        residualOnly.push_back(tr - tl);
        compute.push_back(tc);
        replot.push_back(tr);
        both.push_back(tc + tr);
    }
    std::printf("256×256 landscape + 14 contours + 16 trajectories: compute %.1f ms, landscape+residual replot %.1f ms, "
                "whole update %.1f ms (medians of 31; goals 8 ms and 16 ms)\n", median(compute), median(replot), median(both));
    std::printf("  of which landscape %.1f ms, residual plot %.1f ms\n", median(landscapeOnly), median(residualOnly));

    // Training moons in the window (lesson 12: 32 tanh units): frames drawn per second while it runs.
    {
        MainWindow w;
        w.resize(1500, 950);
        w.show();
        w.openLesson(":/lessons/12-implicit-layer-learns-moons.opteq.json");
        int frames = 0;
        QObject::connect(w.training(), &TrainingController::frameReady, [&] { ++frames; });
        QElapsedTimer t;
        t.start();
        w.training()->play();
        while (w.training()->running() && t.elapsed() < 60000) QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        const double secs = t.nsecsElapsed() / 1e9;
        const auto f = w.training()->frame();
        std::printf("Train tab, moons, 32 tanh units: %d epochs in %.2f s with %d frames drawn: %.1f frames a second (goal >= 10), "
                    "test accuracy %.3f\n", f ? f->history.back().epoch : 0, secs, frames, frames / secs,
                    f ? f->history.back().testAccuracy : 0.0);
    }
    return 0;
}

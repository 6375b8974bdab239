// SPDX-License-Identifier: GPL-3.0-or-later
// The window training a scene (run by hand, offscreen; issue #20):
//   build/tests/bench/opteq_train_window_bench SCENE [PAUSE_AFTER_MS]
// opens SCENE in the MainWindow, lets the Train tab's preview read the data, presses Play for one
// epoch and either waits for it (no PAUSE_AFTER_MS) or pauses PAUSE_AFTER_MS after Play and
// prints how long the job took to stop (pause() → the job returned, waitForIdle). Last it prints
// the process's peak resident set (VmHWM), the data, trainer, frames and views included.
// Uses only MainWindow and TrainingController::play/pause/waitForIdle, so it also builds against
// older trees (the README's before/after numbers).
#include "MainWindow.h"
#include "OpenMpPolicy.h"
#include "TrainingController.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QStandardPaths>
#include <QThread>
#include <cstdio>

using namespace opteq;

namespace {
QString status(const char* key)
{
    QFile f("/proc/self/status");
    if (!f.open(QIODevice::ReadOnly)) return "?";
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith(key)) return QString::fromLatin1(line.mid(int(qstrlen(key)))).simplified();
    return "?";
}
}  // namespace

int main(int argc, char** argv)
{
    ensurePassiveOpenMP(argv);   // as the explorer does
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    qputenv("OPTEQ_NO_DIALOGS", "1");
    if (argc < 2) {
        std::fprintf(stderr, "usage: opteq_train_window_bench SCENE [PAUSE_AFTER_MS]\n");
        return 2;
    }
    const int pauseAfter = argc > 2 ? QString(argv[2]).toInt() : -1;
    MainWindow w;
    w.show();
    QElapsedTimer clock;
    clock.start();
    if (!w.openScene(QString::fromLocal8Bit(argv[1]))) return 1;
    if (!w.training()->waitForIdle(600000)) return 1;   // the preview: data read, trainer made
    std::printf("preview (data read) %.2f s, VmRSS %s\n", clock.elapsed() / 1e3, qPrintable(status("VmRSS:")));
    clock.restart();
    w.training()->play(1);
    if (pauseAfter >= 0) {
        while (clock.elapsed() < pauseAfter) {
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
            QThread::msleep(2);
        }
        QElapsedTimer stop;
        double stoppedMs = -1;
        // `stopped` comes when the training job has returned (finish(), GUI thread); a preview
        // job that redraws the paused weights' views may follow (waitForIdle waits for it too).
        QObject::connect(w.training(), &TrainingController::stopped, [&] {
            if (stoppedMs < 0) stoppedMs = stop.nsecsElapsed() / 1e6;
        });
        stop.start();
        w.training()->pause();
        if (!w.training()->waitForIdle(600000)) return 1;
        const double idleMs = stop.nsecsElapsed() / 1e6;
        const bool finished = w.training()->frame() && !w.training()->frame()->history.empty();
        std::printf("pause after %d ms%s: the training job stopped %.1f ms after pause(), idle (redrawn) after %.1f ms\n", pauseAfter,
                    finished ? " (too late: the epoch had ended)" : "", stoppedMs, idleMs);
    } else {
        if (!w.training()->waitForIdle(3600000)) return 1;
        std::printf("one epoch (steps, evaluation, frame) %.2f s\n", clock.elapsed() / 1e3);
    }
    std::printf("VmHWM %s\n", qPrintable(status("VmHWM:")));
    return 0;
}

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Shared by the window tests: waiting for the window's solve to land.
#include "MainWindow.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QtTest>

// Wait until the controller is idle and has a solution (of the current scene: a newer request
// keeps solveRunning() true until its result is delivered).
inline bool settle(opteq::MainWindow& w, int timeoutMs = 20000)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        if (!w.controller()->solveRunning() && w.controller()->solution()) return true;
        QTest::qWait(10);
    }
    return false;
}

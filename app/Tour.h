// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The screenshot tour: every lesson × every tab of the window, each tab's figure computed
// (basins, rate map, the training run to its end, the theory views), one PNG per shot and a
// contact sheet, and the layout problems LayoutCheck finds in each shot. Behind
// `opteq-explorer --screenshots DIR [--screen WxH] [--presentation]` and the tour's Qt test.
// GUI thread; it waits for the window's jobs with their own waitForIdle.
#include <QImage>
#include <QString>
#include <QStringList>

#include <functional>
#include <vector>

namespace opteq {

class MainWindow;

struct TourOptions {
    QString dir;                 // where the PNGs go; empty: none written (the checks still run)
    bool presentation = false;   // F11 mode for every shot
    int basinGrid = 128;         // the basin maps' grid (the window's default is 256)
    int waitMs = 180000;         // per job, then the shot is taken as it is and says so
    bool train = true;           // run each training lesson to its end (false: its untrained preview,
                                 // the same layout; for the sanitizer builds of the tour's test)
    QStringList lessons;         // resource paths; empty: every lesson
    QStringList tabs;            // tab titles; empty: every tab
};

struct TourShot {
    QString lesson;       // file name of the lesson
    QString tab;          // the tab's title
    QString file;         // the PNG written (empty when none)
    QStringList problems; // LayoutCheck's findings, and a job that did not finish
};

// Every lesson under :/lessons, sorted (their numbers are their order).
QStringList tourLessons();

// Runs the tour on a shown window; `each` sees every shot as soon as it is taken.
std::vector<TourShot> runTour(MainWindow& window, const TourOptions& options,
                              const std::function<void(const TourShot&)>& each = {});

// A grid of the shots' images (rows: lessons, columns: tabs) with their names, each scaled to
// `thumbWidth` pixels wide.
QImage contactSheet(const std::vector<TourShot>& shots, int thumbWidth = 260);

}  // namespace opteq

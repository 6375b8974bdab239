// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What a lecturer would see as broken in a window, measured on its widgets rather than judged
// from a picture: a window larger than the screen's available area, a dock that needs a
// horizontal scroll bar, tabs hidden behind scroll arrows, a plot title wider than its plot, an
// axis rect below a readable size, tick labels of one axis that overlap. Used by the screenshot
// tour (`opteq-explorer --screenshots`) and by the tour's Qt test. GUI thread.
#include <QSize>
#include <QString>
#include <QStringList>

class QWidget;
class QCustomPlot;

namespace opteq {

// The smallest axis rect a plot may be given: room for three tick labels with space between
// them on each axis at the 9 pt tick font (72 px: 3 × 14 px labels and two 15 px gaps plus the
// end margins); below it the curves cannot be read from the back of a room.
inline constexpr QSize kMinAxisRect{150, 72};

// Problems of one plot (visible or not), each a sentence naming the plot by `name`.
QStringList plotLayoutProblems(QCustomPlot* plot, const QString& name);

// Problems of a top-level window and everything visible in it (docks, tabs, visible plots).
QStringList windowLayoutProblems(QWidget* window);

}  // namespace opteq

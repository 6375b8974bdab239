// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What every plot of the explorer shares, in one place (GUI thread only):
//  - a title row above the axes;
//  - the legend in a row under the axes, never over the data;
//  - navigation: wheel zooms, right- or middle-drag pans, double-click (or the context menu's
//    "Fit") fits; a right click without a drag opens the context menu with Fit and the plot's
//    own actions (the left button stays the plot's own: adding and dragging starts);
//  - a figure scale for fonts, lines and markers (presentation mode, exports with --font-scale).
#include <QString>
#include <functional>

class QCustomPlot;
class QFont;
class QMenu;
class QCPRange;
class QCPAxis;
class QCPTextElement;
class QCPGraph;

namespace opteq {

// The title row (created on first use, then only its text changes). A title wider than the plot
// wraps at spaces (at most two lines, the rest elided with "…"), never clips; plotTitle() is the
// whole text as set.
void setPlotTitle(QCustomPlot* plot, const QString& title);
QString plotTitle(const QCustomPlot* plot);
// The same wrapping for any text element of a plot (a map's summary line, a second title).
void setWrappedText(QCustomPlot* plot, QCPTextElement* element, const QString& text);
// `text` in at most two lines of at most `room` pixels, broken at spaces; what does not fit ends
// in "…" (titles, legend entries beside the axes).
QString wrapToTwoLines(const QString& text, const QFont& font, int room);

// One legend entry for many starts: "starts 1–N (colour = start)" with an icon that shows the
// colours in order (a ramp), instead of N entries that take the plot's height. The entry is a
// graph without data, owned by the plot (removePlottable deletes it with the others).
inline constexpr int kListedStarts = 4;   // up to this many starts are listed one by one
QCPGraph* addStartRampKey(QCustomPlot* plot, int count);

// Tick labels that never overlap: at each replot an axis whose labels touch gets fewer ticks
// (down to two), and an axis whose length changed starts again from a count for its length.
void keepTickLabelsApart(QCustomPlot* plot);
// Whether two adjacent tick labels of `axis` (as last laid out) overlap or touch.
bool tickLabelsOverlap(const QCPAxis* axis);

// Moves the legend out of the axis rect into a row under the plot, filled left to right.
void placeLegendBelow(QCustomPlot* plot, int columns = 4);
// The legend in one column to the right of the axes, top-aligned: for a wide, short plot.
void placeLegendRight(QCustomPlot* plot);
// Below as placeLegendBelow while its rows leave the axes their height, else in one column to
// the right (after a colour scale; long entries in two lines) when the axes keep their width
// there: for a plot whose legend can grow long (the landscape's starts, Fix T, the prior's
// marks) in a short pane.
void placeLegendBelowOrRight(QCustomPlot* plot, int columns = 4);

// Wheel zoom, right/middle-drag pan, double-click fit (unless doubleClickFits is false: a plot
// whose left click adds things), and a context menu with "Fit" plus what `extend` adds.
void enableNavigation(QCustomPlot* plot, std::function<void()> fit, bool doubleClickFits = true,
                      std::function<void(QMenu*)> extend = {});

// Fonts, pen widths and marker sizes times `scale` (1 = as designed). Remembers each element's
// designed size, so it can be applied again after a view rebuilt its plottables.
void setFigureScale(QCustomPlot* plot, double scale);
double figureScale(const QCustomPlot* plot);
// Re-applies the plot's figure scale (views call it after rebuilding their plottables).
void applyFigureScale(QCustomPlot* plot);
// Shows the box x × y with one unit the same length on both axes: the direction with room to
// spare gets a wider range (lays the plot out first, so it holds for an offscreen export too).
void fitEqualAspect(QCustomPlot* plot, const QCPRange& x, const QCPRange& y);
// For an export at another size: a plot fitted by fitEqualAspect is fitted again for its current
// viewport (the box last fitted, or what the user zoomed to), laid out but not replotted. False
// (nothing done) for a plot without equal aspect.
bool refitEqualAspect(QCustomPlot* plot);
// Lays the plot out for its current viewport as a replot would (titles re-wrap, legends re-flow,
// tick labels take their room), without drawing anything.
void layOutPlot(QCustomPlot* plot);

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
// Legends (PlotStyle.h): the start ramp's entry and where a legend goes (below the axes, beside
// them, or whichever leaves the axes their height). GUI thread.
#include "PlotStyle.h"

#include "Palette.h"

#include <algorithm>
#include <vector>
#include <qcustomplot.h>

namespace opteq {

namespace {
// The ramp's icon: one slice per start in its series colour (at most 24 slices: past that the
// colours repeat and the slices would be thinner than a pixel).
class StartRampKey : public QCPGraph {
public:
    StartRampKey(QCPAxis* x, QCPAxis* y, int count) : QCPGraph(x, y), m_count(count) {}

protected:
    void drawLegendIcon(QCPPainter* painter, const QRectF& rect) const override
    {
        const int slices = std::clamp(m_count, 1, 24);
        const QRectF bar(rect.left(), rect.center().y() - rect.height() * 0.2, rect.width(), rect.height() * 0.4);
        for (int i = 0; i < slices; ++i) {
            const QRectF slice(bar.left() + bar.width() * i / slices, bar.top(), bar.width() / slices + 0.5, bar.height());
            painter->fillRect(slice, seriesColor(i));
        }
    }

private:
    int m_count;
};
}  // namespace

QCPGraph* addStartRampKey(QCustomPlot* plot, int count)
{
    auto* g = new StartRampKey(plot->xAxis, plot->yAxis, count);
    g->setName(QObject::tr("starts 1–%1 (colour = start)").arg(count));
    g->setPen(Qt::NoPen);
    return g;
}

namespace {
// The legend taken out of wherever it is (the axis rect's inset, or the sub-grid of an earlier
// placement, which goes with its spacer) into a new sub-grid's first cell, unframed.
QCPLayoutGrid* legendCell(QCustomPlot* plot)
{
    QCPLegend* legend = plot->legend;
    if (plot->axisRect()->insetLayout()->take(legend)) plot->axisRect()->insetLayout()->simplify();
    if (auto* old = qobject_cast<QCPLayoutGrid*>(legend->layout()); old && old != plot->plotLayout()) {
        old->take(legend);
        plot->plotLayout()->remove(old);   // deletes it and its spacer
        plot->plotLayout()->simplify();    // its row or column goes too
    }
    auto* sub = new QCPLayoutGrid;
    sub->setMargins(QMargins(0, 0, 0, 0));
    sub->addElement(0, 0, legend);
    legend->setBorderPen(Qt::NoPen);
    legend->setBrush(Qt::NoBrush);
    return sub;
}

// Each visible legend entry's width: icon, padding, text.
std::vector<int> legendCellWidths(const QCPLegend* l)
{
    const QFontMetrics fm(l->font());
    std::vector<int> cells;
    for (int i = 0; i < l->itemCount(); ++i)
        if (auto* item = qobject_cast<QCPPlottableLegendItem*>(l->item(i)))
            cells.push_back(fm.horizontalAdvance(item->plottable()->name()) + l->iconSize().width() + l->iconTextPadding() + 10);
    return cells;
}

// The width the legend's row shares with the axes: the plot's, less a colour scale beside them.
int legendRoom(const QCustomPlot* plot)
{
    int room = plot->viewport().width();   // an export's width while it lays out
    for (QCPColorScale* scale : plot->findChildren<QCPColorScale*>())
        if (scale->visible() && scale->outerRect().width() > 0) room -= scale->outerRect().width();
    return room;
}

// The most columns (at most `columns`) whose widths, each its widest entry filled row by row, fit
// `room`: one long entry makes its own column wide, not every column.
int columnsThatFit(const std::vector<int>& cells, int columns, int room)
{
    for (int c = std::min<int>(columns, int(cells.size())); c > 1; --c) {
        std::vector<int> width(size_t(c), 0);
        for (size_t i = 0; i < cells.size(); ++i) width[i % size_t(c)] = std::max(width[i % size_t(c)], cells[i]);
        int total = 0;
        for (int w : width) total += w;
        if (total <= room) return c;
    }
    return 1;
}

void setLegendWrap(QCPLegend* l, QCPLegend::FillOrder order, int wrap)
{
    if (l->wrap() != wrap || l->fillOrder() != order) {
        l->setWrap(wrap);
        l->setFillOrder(order, true);   // re-flows the existing items
    }
}

void attachBelow(QCustomPlot* plot, QCPLayoutGrid* sub)
{
    // In a sub-grid beside a stretching spacer: the legend's own maximum size (its items' width,
    // 8 px when it is empty) would otherwise cap the whole column, axes included.
    const int row = plot->plotLayout()->rowCount();
    plot->plotLayout()->addElement(row, 0, sub);
    plot->plotLayout()->setRowStretchFactor(row, 0.001);
    sub->addElement(0, 1, new QCPLayoutElement(plot));
    sub->setColumnStretchFactor(0, 0.001);
    sub->setColumnStretchFactor(1, 1);
    plot->legend->setMargins(QMargins(4, 0, 4, 2));
}

void attachRight(QCustomPlot* plot, QCPLayoutGrid* sub)
{
    // In a column beside the axis rect (after a colour scale there), at its top, over a stretching
    // spacer (the legend's own maximum height would otherwise cap the row, axes included).
    QCPLayoutGrid* grid = plot->plotLayout();
    int row = 0, col = 0;
    for (int r = 0; r < grid->rowCount(); ++r)
        for (int c = 0; c < grid->columnCount(); ++c)
            if (grid->element(r, c) == plot->axisRect()) row = r, col = c;
    while (col + 1 < grid->columnCount() && grid->hasElement(row, col + 1)) ++col;
    grid->addElement(row, col + 1, sub);
    grid->setColumnStretchFactor(col + 1, 0.001);
    sub->addElement(1, 0, new QCPLayoutElement(plot));
    sub->setRowStretchFactor(0, 0.001);
    sub->setRowStretchFactor(1, 1);
    plot->legend->setMargins(QMargins(2, 4, 4, 0));
}

constexpr const char* kBeside = "opteqLegendBeside";
}  // namespace

void placeLegendBelow(QCustomPlot* plot, int columns)
{
    // Before each replot: as many columns as fit the plot's width (at most `columns`), so no
    // entry is cut off in a narrow dock and a wide figure does not waste rows.
    QObject::connect(plot, &QCustomPlot::beforeReplot, plot, [plot, columns] {
        if (plot->property(kBeside).toBool()) return;   // placeLegendBelowOrRight put it beside
        setLegendWrap(plot->legend, QCPLegend::foColumnsFirst, columnsThatFit(legendCellWidths(plot->legend), columns, legendRoom(plot)));
    });
    attachBelow(plot, legendCell(plot));
    setLegendWrap(plot->legend, QCPLegend::foColumnsFirst, columns);
}

void placeLegendRight(QCustomPlot* plot)
{
    attachRight(plot, legendCell(plot));
    setLegendWrap(plot->legend, QCPLegend::foRowsFirst, 0);
}

void placeLegendBelowOrRight(QCustomPlot* plot, int columns)
{
    placeLegendBelow(plot, columns);
    // After placeLegendBelow's re-flow (connected first): the rows that flow takes, against the
    // plot's height. Issue #19: the Unit layer tab's z-view at 1366×768 in presentation mode got
    // an axis rect 46 px high under eight entries, one of them so long ("halpern anchor … selects
    // … solver 0.000…") that they stood in one column. Beside the axes the column is at most
    // 55 % of the width, and an entry wider than that wraps to two lines there (its full name is
    // kept and comes back below). The choice depends on the viewport and the entries only, never
    // on the layout it makes, so it cannot flip back and forth.
    QObject::connect(plot, &QCustomPlot::beforeReplot, plot, [plot, columns] {
        QCPLegend* l = plot->legend;
        std::vector<QCPAbstractPlottable*> entries;
        for (int i = 0; i < l->itemCount(); ++i)
            if (auto* item = qobject_cast<QCPPlottableLegendItem*>(l->item(i))) entries.push_back(item->plottable());
        auto fullName = [](QCPAbstractPlottable* p) {
            // A plottable renamed since it was wrapped (views rename their fits) keeps the new name.
            const QString wrapped = p->property("opteqWrappedName").toString();
            if (wrapped.isEmpty() || wrapped != p->name()) p->setProperty("opteqFullName", p->name());
            return p->property("opteqFullName").toString();
        };
        const QFontMetrics fm(l->font());
        const int extra = l->iconSize().width() + l->iconTextPadding() + 10;
        std::vector<int> cells;
        for (QCPAbstractPlottable* p : entries) cells.push_back(fm.horizontalAdvance(fullName(p)) + extra);
        const int room = legendRoom(plot), height = plot->viewport().height();
        const int fit = columnsThatFit(cells, columns, room);
        const int rowHeight = std::max(fm.height(), l->iconSize().height()) + l->rowSpacing();
        const int belowHeight = (int(cells.size()) + fit - 1) / fit * rowHeight;
        // Beside: one column of at most 55 % of the width, long names in two lines.
        const int column = room * 55 / 100;
        std::vector<QString> besideNames;
        int besideHeight = 0, besideWidth = 0;
        for (QCPAbstractPlottable* p : entries) {
            besideNames.push_back(wrapToTwoLines(fullName(p), l->font(), column - extra));
            for (const QString& line : besideNames.back().split('\n')) besideWidth = std::max(besideWidth, fm.horizontalAdvance(line) + extra);
            besideHeight += std::max(fm.height() * int(besideNames.back().count('\n') + 1), l->iconSize().height()) + l->rowSpacing();
        }
        // Only when the rows below would leave the axes short (title, tick labels and axis label
        // take about 90 px at scale 1) and beside they keep the width for 150 px of axis rect
        // and their tick labels: a tall narrow plot (Before / after R) keeps its legend below.
        const double scale = figureScale(plot);
        const bool beside = height - belowHeight - 90 * scale < 160 && room - besideWidth >= 150 + 60 * scale
                            && besideHeight < height * 3 / 4;
        if (beside != plot->property(kBeside).toBool()) {
            plot->setProperty(kBeside, beside);
            QCPLayoutGrid* sub = legendCell(plot);
            if (beside) attachRight(plot, sub);
            else attachBelow(plot, sub);
        }
        for (size_t i = 0; i < entries.size(); ++i) {
            const QString name = beside ? besideNames[i] : entries[i]->property("opteqFullName").toString();
            if (entries[i]->name() != name) entries[i]->setName(name);
            entries[i]->setProperty("opteqWrappedName", name);
        }
        if (beside) setLegendWrap(l, QCPLegend::foRowsFirst, 0);
        else setLegendWrap(l, QCPLegend::foColumnsFirst, fit);   // just back from beside
    });
}

}  // namespace opteq

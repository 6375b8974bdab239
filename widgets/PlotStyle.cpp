// SPDX-License-Identifier: GPL-3.0-or-later
#include "PlotStyle.h"

#include "Palette.h"

#include <QMenu>

#include <algorithm>
#include <utility>
#include <vector>
#include <qcustomplot.h>

namespace opteq {
namespace {
constexpr const char* kScale = "opteqFigureScale";
constexpr const char* kBaseFont = "opteqBaseFontPt";
constexpr const char* kBasePen = "opteqBasePen";
constexpr const char* kBaseSize = "opteqBaseScatter";

QCPTextElement* titleElement(const QCustomPlot* plot)
{
    return plot->findChild<QCPTextElement*>("opteqTitle");
}

// The designed point size of a font, remembered on `owner` under `key`.
QFont scaledFont(QObject* owner, const char* key, const QFont& current, double scale)
{
    if (!owner->property(key).isValid()) owner->setProperty(key, current.pointSizeF() > 0 ? current.pointSizeF() : 9.0);
    QFont f = current;
    f.setPointSizeF(owner->property(key).toDouble() * scale);
    return f;
}

class Navigation : public QObject {
public:
    Navigation(QCustomPlot* plot, std::function<void()> fit, bool doubleClickFits, std::function<void(QMenu*)> extend)
        : QObject(plot), m_plot(plot), m_fit(std::move(fit)), m_doubleClickFits(doubleClickFits), m_extend(std::move(extend))
    {
        plot->setInteraction(QCP::iRangeZoom, true);
        plot->axisRect()->setRangeZoom(Qt::Horizontal | Qt::Vertical);
        plot->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject*, QEvent* event) override
    {
        switch (event->type()) {
        case QEvent::MouseButtonPress: {
            auto* e = static_cast<QMouseEvent*>(event);
            if (e->button() != Qt::RightButton && e->button() != Qt::MiddleButton) return false;
            m_panning = true;
            m_moved = false;
            m_last = e->position();
            return true;
        }
        case QEvent::MouseMove: {
            auto* e = static_cast<QMouseEvent*>(event);
            if (!m_panning) return false;
            const QPointF d = e->position() - m_last;
            if (!m_moved && d.manhattanLength() < 3) return true;
            m_moved = true;
            m_last = e->position();
            for (QCPAxis* a : {m_plot->xAxis, m_plot->yAxis}) {
                const bool horizontal = a->orientation() == Qt::Horizontal;
                const double p = horizontal ? d.x() : d.y();
                if (a->scaleType() == QCPAxis::stLogarithmic) {
                    // A log axis pans by a factor: the same pixel shift is the same ratio everywhere.
                    const double f = a->pixelToCoord(a->coordToPixel(a->range().lower) - p) / a->range().lower;
                    a->setRange(a->range().lower * f, a->range().upper * f);
                } else {
                    a->moveRange(a->pixelToCoord(a->coordToPixel(a->range().lower) - p) - a->range().lower);
                }
            }
            m_plot->replot(QCustomPlot::rpQueuedReplot);
            return true;
        }
        case QEvent::MouseButtonRelease: {
            auto* e = static_cast<QMouseEvent*>(event);
            if (!m_panning || (e->button() != Qt::RightButton && e->button() != Qt::MiddleButton)) return false;
            m_panning = false;
            if (!m_moved && e->button() == Qt::RightButton) showMenu(e->globalPosition().toPoint());
            return true;
        }
        case QEvent::MouseButtonDblClick: {
            auto* e = static_cast<QMouseEvent*>(event);
            if (!m_doubleClickFits || e->button() != Qt::LeftButton) return false;
            m_fit();
            return true;
        }
        default:
            return false;
        }
    }

private:
    void showMenu(const QPoint& at)
    {
        QMenu menu(m_plot);
        menu.addAction(QObject::tr("Fit"), m_fit)->setToolTip(QObject::tr("Show everything this plot holds"));
        if (m_extend) m_extend(&menu);
        menu.exec(at);
    }

    QCustomPlot* m_plot;
    std::function<void()> m_fit;
    bool m_doubleClickFits;
    std::function<void(QMenu*)> m_extend;
    bool m_panning = false, m_moved = false;
    QPointF m_last;
};
}  // namespace

namespace {
constexpr const char* kFullTitle = "opteqFullTitle";

// `text` in at most two lines of at most `room` pixels, broken at spaces; what does not fit ends
// in "…".
QString wrapped(const QString& text, const QFont& font, int room)
{
    const QFontMetrics fm(font);
    if (room <= 0 || fm.horizontalAdvance(text) <= room) return text;
    QStringList lines;
    QString line;
    const QStringList words = text.split(' ');
    int i = 0;
    for (; i < words.size() && lines.size() < 2; ++i) {
        const QString next = line.isEmpty() ? words[i] : line + ' ' + words[i];
        if (fm.horizontalAdvance(next) <= room || line.isEmpty()) line = next;
        else {
            lines << line;
            line = words[i];
        }
    }
    if (lines.size() < 2 && !line.isEmpty()) {
        lines << line;
        line.clear();
    } else if (lines.size() == 2 && !line.isEmpty()) --i;   // the word that opened a third line
    if (i < words.size() || !line.isEmpty()) lines.back() += ' ' + QStringList(words.mid(i)).join(' ');
    for (QString& l : lines) l = fm.elidedText(l, Qt::ElideRight, room);
    return lines.join('\n');
}

void rewrapTitle(QCustomPlot* plot, QCPTextElement* t)
{
    // The width its column had at the last layout (a colour scale beside the axes takes part of
    // the plot's width), else the plot's.
    const int room = (t->outerRect().width() > 20 ? t->outerRect().width() : plot->viewport().width()) - 10;
    const QString text = wrapped(t->property(kFullTitle).toString(), t->font(), room);
    if (text != t->text()) t->setText(text);
}
}  // namespace

void setWrappedText(QCustomPlot* plot, QCPTextElement* t, const QString& text)
{
    if (!t->property(kFullTitle).isValid())   // before the layout of each replot
        QObject::connect(plot, &QCustomPlot::beforeReplot, t, [plot, t] { rewrapTitle(plot, t); });
    t->setProperty(kFullTitle, text);
    t->setText(text);
    rewrapTitle(plot, t);
}

void setPlotTitle(QCustomPlot* plot, const QString& title)
{
    QCPTextElement* t = titleElement(plot);
    if (!t) {
        plot->plotLayout()->insertRow(0);
        t = new QCPTextElement(plot, title, QFont(plot->font().family(), 9, QFont::Bold));
        t->setObjectName("opteqTitle");
        // A long title wraps (setWrappedText) rather than squeezing the axes to nothing (its width
        // hint would otherwise set the column's minimum width).
        t->setMinimumSize(10, 0);
        plot->plotLayout()->addElement(0, 0, t);
        plot->plotLayout()->setRowStretchFactor(0, 0.001);
        applyFigureScale(plot);
    }
    setWrappedText(plot, t, title);
}

QString plotTitle(const QCustomPlot* plot)
{
    const QCPTextElement* t = titleElement(plot);
    return t ? t->property(kFullTitle).toString() : QString();
}

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

bool tickLabelsOverlap(const QCPAxis* axis)
{
    // A label's extent along its axis: width for a horizontal axis, height for a vertical one,
    // measured with the tick label font (log axes' "10³" are no wider than their plain text).
    std::vector<std::pair<double, double>> ext;
    const QFontMetricsF fm(axis->tickLabelFont());
    const QVector<double> ticks = axis->tickVector();
    const QVector<QString> labels = axis->tickVectorLabels();
    const bool horizontal = axis->orientation() == Qt::Horizontal;
    for (int i = 0; i < ticks.size() && i < labels.size(); ++i) {
        if (!axis->range().contains(ticks[i]) || labels[i].isEmpty()) continue;
        const double at = axis->coordToPixel(ticks[i]);
        double extent = 0;
        if (horizontal) {
            for (const QString& line : labels[i].split('\n')) extent = std::max(extent, fm.horizontalAdvance(line));
        } else extent = fm.height() * (labels[i].count('\n') + 1);
        ext.push_back({at - extent / 2, at + extent / 2});
    }
    std::sort(ext.begin(), ext.end());
    for (size_t i = 1; i < ext.size(); ++i)
        if (ext[i].first < ext[i - 1].second + 2.0) return true;
    return false;
}

void keepTickLabelsApart(QCustomPlot* plot)
{
    if (plot->property("opteqTicksApart").toBool()) return;
    plot->setProperty("opteqTicksApart", true);
    // After each replot (the labels are laid out then): too crowded → one tick fewer and a queued
    // replot; a new axis length → a count for that length (≤ the designed 5).
    QObject::connect(plot, &QCustomPlot::afterReplot, plot, [plot] {
        bool again = false;
        for (QCPAxisRect* r : plot->axisRects())
            for (QCPAxis* a : r->axes()) {
                if (!a->visible() || !a->tickLabels() || !a->ticker()) continue;
                QCPAxisTicker* t = a->ticker().data();
                const bool horizontal = a->orientation() == Qt::Horizontal;
                const int length = horizontal ? r->width() : r->height();
                if (a->property("opteqTickLength").toInt() != length) {
                    a->setProperty("opteqTickLength", length);
                    const double per = (horizontal ? 70.0 : 34.0) * figureScale(plot);
                    const int count = std::clamp(int(length / per), 2, 5);
                    if (t->tickCount() != count) {
                        t->setTickCount(count);
                        again = true;
                    }
                } else if (tickLabelsOverlap(a) && t->tickCount() > 2) {
                    t->setTickCount(t->tickCount() - 1);
                    again = true;
                }
            }
        if (again) plot->replot(QCustomPlot::rpQueuedReplot);
    });
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
            besideNames.push_back(wrapped(fullName(p), l->font(), column - extra));
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

void enableNavigation(QCustomPlot* plot, std::function<void()> fit, bool doubleClickFits, std::function<void(QMenu*)> extend)
{
    new Navigation(plot, std::move(fit), doubleClickFits, std::move(extend));
}

void setFigureScale(QCustomPlot* plot, double scale)
{
    plot->setProperty(kScale, scale);
    applyFigureScale(plot);
    plot->replot(QCustomPlot::rpQueuedReplot);
}

double figureScale(const QCustomPlot* plot)
{
    const QVariant v = plot->property(kScale);
    return v.isValid() ? v.toDouble() : 1.0;
}

void applyFigureScale(QCustomPlot* plot)
{
    const double s = figureScale(plot);
    if (s == 1.0 && !plot->property(kScale).isValid()) return;   // never scaled: nothing to restore
    for (QCPAxisRect* r : plot->axisRects())
        for (QCPAxis* a : r->axes()) {
            a->setTickLabelFont(scaledFont(a, "opteqTickFont", a->tickLabelFont(), s));
            a->setLabelFont(scaledFont(a, "opteqLabelFont", a->labelFont(), s));
            QPen p = a->basePen();
            if (!a->property(kBasePen).isValid()) a->setProperty(kBasePen, p.widthF());
            p.setWidthF(std::max(1.0, a->property(kBasePen).toDouble()) * s);
            a->setBasePen(p);
        }
    plot->legend->setFont(scaledFont(plot->legend, kBaseFont, plot->legend->font(), s));
    const int size = int(std::lround(plot->legend->font().pointSizeF() * 2.0));
    plot->legend->setIconSize(QSize(size * 2, size));
    for (int i = 0; i < plot->legend->itemCount(); ++i)
        if (QCPAbstractLegendItem* item = plot->legend->item(i)) item->setFont(plot->legend->font());
    for (QCPTextElement* t : plot->findChildren<QCPTextElement*>())
        t->setFont(scaledFont(t, kBaseFont, t->font(), s));
    for (QCPColorScale* c : plot->findChildren<QCPColorScale*>()) {
        c->axis()->setTickLabelFont(scaledFont(c->axis(), "opteqTickFont", c->axis()->tickLabelFont(), s));
        c->axis()->setLabelFont(scaledFont(c->axis(), "opteqLabelFont", c->axis()->labelFont(), s));
        if (!c->property("opteqBarWidth").isValid()) c->setProperty("opteqBarWidth", c->barWidth());
        c->setBarWidth(int(std::lround(c->property("opteqBarWidth").toInt() * s)));
    }
    for (int i = 0; i < plot->plottableCount(); ++i) {
        QCPAbstractPlottable* p = plot->plottable(i);
        QPen pen = p->pen();
        if (!p->property(kBasePen).isValid()) p->setProperty(kBasePen, pen.widthF());
        pen.setWidthF(p->property(kBasePen).toDouble() * s);
        p->setPen(pen);
        auto scatter = [&](QCPScatterStyle st) {
            if (!p->property(kBaseSize).isValid()) p->setProperty(kBaseSize, st.size());
            st.setSize(p->property(kBaseSize).toDouble() * s);
            return st;
        };
        if (p->property("opteqOwnScale").toBool()) continue;   // the view sizes these markers itself
        if (auto* g = qobject_cast<QCPGraph*>(p)) g->setScatterStyle(scatter(g->scatterStyle()));
        if (auto* c = qobject_cast<QCPCurve*>(p)) c->setScatterStyle(scatter(c->scatterStyle()));
    }
}

namespace {
constexpr const char* kAspectBox = "opteqEqualAspectBox";   // the box asked for: x0, x1, y0, y1
constexpr const char* kAspectFit = "opteqEqualAspectFit";   // the ranges it was fitted to

QVariantList rangesOf(const QCPRange& x, const QCPRange& y) { return {x.lower, x.upper, y.lower, y.upper}; }

// One unit the same length on both axes for the axis rect as laid out now, showing x × y.
void fitToAxisRect(QCustomPlot* plot, const QCPRange& x, const QCPRange& y)
{
    const QRect r = plot->axisRect()->rect();
    const double w = std::max(1, r.width()), h = std::max(1, r.height());
    const double perPixel = std::max(x.size() / w, y.size() / h);
    plot->xAxis->setRange(x.center() - 0.5 * perPixel * w, x.center() + 0.5 * perPixel * w);
    plot->yAxis->setRange(y.center() - 0.5 * perPixel * h, y.center() + 0.5 * perPixel * h);
}
}  // namespace

void fitEqualAspect(QCustomPlot* plot, const QCPRange& x, const QCPRange& y)
{
    // The axis rect's size for the current widget size; a hidden widget (an offscreen export)
    // gets no resize event, so its viewport is set here.
    plot->setViewport(plot->rect());
    // Twice: new ranges change the tick labels' width, and with it the axis rect.
    for (int pass = 0; pass < 2; ++pass) {
        plot->replot(QCustomPlot::rpImmediateRefresh);
        fitToAxisRect(plot, x, y);
    }
    plot->setProperty(kAspectBox, rangesOf(x, y));
    plot->setProperty(kAspectFit, rangesOf(plot->xAxis->range(), plot->yAxis->range()));
    plot->replot(QCustomPlot::rpQueuedReplot);
}

void layOutPlot(QCustomPlot* plot)
{
    // What replot() does before it draws (QCustomPlot::updateLayout is protected); twice, as a
    // title that re-wraps for the new width changes the axes' room.
    for (int pass = 0; pass < 2; ++pass) {
        emit plot->beforeReplot();
        plot->plotLayout()->update(QCPLayoutElement::upPreparation);
        plot->plotLayout()->update(QCPLayoutElement::upMargins);
        plot->plotLayout()->update(QCPLayoutElement::upLayout);
    }
}

bool refitEqualAspect(QCustomPlot* plot)
{
    const QVariantList box = plot->property(kAspectBox).toList();
    if (box.size() != 4) return false;
    // Unzoomed since the last fit: that box; zoomed or panned: what is shown now.
    const QVariantList now = rangesOf(plot->xAxis->range(), plot->yAxis->range());
    QVariantList want = box;
    if (now != plot->property(kAspectFit).toList()) want = now;
    const QCPRange x(want[0].toDouble(), want[1].toDouble()), y(want[2].toDouble(), want[3].toDouble());
    for (int pass = 0; pass < 2; ++pass) {
        layOutPlot(plot);
        fitToAxisRect(plot, x, y);
    }
    layOutPlot(plot);
    return true;
}

}  // namespace opteq

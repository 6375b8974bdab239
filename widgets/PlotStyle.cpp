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

}  // namespace

QString wrapToTwoLines(const QString& text, const QFont& font, int room)
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

namespace {
void rewrapTitle(QCustomPlot* plot, QCPTextElement* t)
{
    // The width its column had at the last layout (a colour scale beside the axes takes part of
    // the plot's width), else the plot's.
    const int room = (t->outerRect().width() > 20 ? t->outerRect().width() : plot->viewport().width()) - 10;
    const QString text = wrapToTwoLines(t->property(kFullTitle).toString(), t->font(), room);
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

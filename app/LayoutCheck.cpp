// SPDX-License-Identifier: GPL-3.0-or-later
#include "LayoutCheck.h"

#include "PlotStyle.h"

#include <QDockWidget>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QTabBar>
#include <QTabWidget>
#include <qcustomplot.h>

#include <algorithm>
#include <vector>

namespace opteq {
namespace {

QString rectText(const QRect& r) { return QString("%1×%2").arg(r.width()).arg(r.height()); }

// A label's extent along its axis: width for a horizontal axis, height for a vertical one.
// QCustomPlot draws "1.5e+03" style labels as plain text with the tick label font; the powers of
// a logarithmic axis ("10³") are no wider than their plain text, so this is an upper bound.
std::vector<std::pair<double, double>> tickExtents(QCPAxis* axis)
{
    std::vector<std::pair<double, double>> out;
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
        out.push_back({at - extent / 2, at + extent / 2});
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

QStringList plotLayoutProblems(QCustomPlot* plot, const QString& name)
{
    QStringList problems;
    if (!plot->isVisible() || plot->width() < 2) return problems;
    plot->replot(QCustomPlot::rpImmediateRefresh);   // the layout for the current size
    for (QCPAxisRect* r : plot->axisRects()) {
        if (!r->visible()) continue;
        const QRect a = r->rect();
        if (a.width() < kMinAxisRect.width() || a.height() < kMinAxisRect.height())
            problems << QString("%1: axis rect %2, below the %3×%4 minimum").arg(name, rectText(a)).arg(kMinAxisRect.width()).arg(kMinAxisRect.height());
        for (QCPAxis* axis : r->axes()) {
            if (!axis->visible() || !axis->tickLabels()) continue;
            const auto ext = tickExtents(axis);
            for (size_t i = 1; i < ext.size(); ++i)
                if (ext[i].first < ext[i - 1].second + 1.0) {
                    problems << QString("%1: tick labels of the %2 axis overlap (\"%3\")")
                                    .arg(name, axis->orientation() == Qt::Horizontal ? "x" : "y",
                                         QStringList(axis->tickVectorLabels().toList()).join(" "));
                    break;
                }
        }
    }
    // Titles: every line of the text drawn must fit the element's width.
    for (QCPTextElement* t : plot->findChildren<QCPTextElement*>()) {
        if (!t->visible() || !t->layout() || t->text().isEmpty()) continue;
        const QFontMetricsF fm(t->font());
        double widest = 0;
        for (const QString& line : t->text().split('\n')) widest = std::max(widest, fm.horizontalAdvance(line));
        const int room = t->outerRect().width();
        if (widest > room + 1)
            problems << QString("%1: title \"%2\" is %3 px wide in %4 px").arg(name, t->text()).arg(int(widest)).arg(room);
    }
    return problems;
}

QStringList windowLayoutProblems(QWidget* window)
{
    QStringList problems;
    if (QScreen* screen = window->screen()) {
        const QRect avail = screen->availableGeometry();
        const QRect frame = window->frameGeometry();
        if (!avail.contains(frame))
            problems << QString("window %1 at (%2, %3) exceeds the screen's available %4")
                            .arg(rectText(frame)).arg(frame.x()).arg(frame.y()).arg(rectText(avail));
    }
    for (QDockWidget* d : window->findChildren<QDockWidget*>()) {
        if (!d->isVisible()) continue;
        for (QScrollArea* s : d->findChildren<QScrollArea*>())
            if (s->isVisible() && s->horizontalScrollBar()->isVisible())
                problems << QString("the %1 dock shows a horizontal scroll bar (content %2 px in %3 px)")
                                .arg(d->windowTitle()).arg(s->widget() ? s->widget()->minimumSizeHint().width() : 0).arg(s->viewport()->width());
    }
    for (QTabWidget* tabs : window->findChildren<QTabWidget*>()) {
        if (!tabs->isVisible()) continue;
        QTabBar* bar = tabs->tabBar();
        const QRect last = bar->tabRect(bar->count() - 1);
        if (bar->count() > 0 && (bar->tabRect(0).left() < 0 || last.right() > bar->width()))
            problems << QString("tabs hidden behind scroll arrows (%1 px of tabs in %2 px)").arg(last.right() - bar->tabRect(0).left()).arg(bar->width());
    }
    for (QCustomPlot* p : window->findChildren<QCustomPlot*>()) {
        if (!p->isVisible()) continue;
        QString name = plotTitle(p);
        if (name.isEmpty()) name = p->toolTip().isEmpty() ? p->metaObject()->className() : p->toolTip().left(40);
        problems << plotLayoutProblems(p, QString("plot \"%1\"").arg(name.left(60)));
    }
    return problems;
}

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#include "LayoutCheck.h"

#include "PlotStyle.h"

#include <QCoreApplication>
#include <QDockWidget>
#include <QMainWindow>
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

}  // namespace

QStringList plotLayoutProblems(QCustomPlot* plot, const QString& name)
{
    QStringList problems;
    if (!plot->isVisible() || plot->width() < 2) return problems;
    // The layout for the current size, after the queued adjustments (title wrap, tick counts).
    for (int i = 0; i < 4; ++i) {
        QCoreApplication::sendPostedEvents(plot);
        plot->replot(QCustomPlot::rpImmediateRefresh);
    }
    for (QCPAxisRect* r : plot->axisRects()) {
        if (!r->visible()) continue;
        const QRect a = r->rect();
        if (a.width() < kMinAxisRect.width() || a.height() < kMinAxisRect.height())
            problems << QString("%1: axis rect %2, below the %3×%4 minimum").arg(name, rectText(a)).arg(kMinAxisRect.width()).arg(kMinAxisRect.height());
        for (QCPAxis* axis : r->axes()) {
            if (!axis->visible() || !axis->tickLabels()) continue;
            if (tickLabelsOverlap(axis))
                problems << QString("%1: tick labels of the %2 axis overlap (\"%3\")")
                                .arg(name, axis->orientation() == Qt::Horizontal ? "x" : "y",
                                     QStringList(axis->tickVectorLabels().toList()).join(" "));
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
        if (!avail.contains(frame)) {
            // What asks for the room: the minimum widths of the central area and the docks.
            QStringList parts;
            if (auto* mw = qobject_cast<QMainWindow*>(window); mw && mw->centralWidget())
                parts << QString("central %1").arg(mw->centralWidget()->minimumSizeHint().width());
            for (QDockWidget* d : window->findChildren<QDockWidget*>())
                if (d->isVisible()) parts << QString("%1 %2").arg(d->windowTitle()).arg(d->minimumSizeHint().width());
            problems << QString("window %1 at (%2, %3) exceeds the screen's available %4 (minimum widths: %5)")
                            .arg(rectText(frame)).arg(frame.x()).arg(frame.y()).arg(rectText(avail), parts.join(", "));
        }
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

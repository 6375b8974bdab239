// SPDX-License-Identifier: GPL-3.0-or-later
#include "ActivationPlot.h"

#include "Palette.h"
#include "PlotStyle.h"

#include <cmath>

namespace opteq {

ActivationPlot::ActivationPlot(QWidget* parent) : QCustomPlot(parent)
{
    setMinimumSize(220, 240);   // the title, a readable axis rect and the legend row
    setToolTip(tr("σ = prox_f (solid) and its convex potential f (dashed; +∞ outside its domain).\n"
                  "With a prior R, the changed activation prox_{f+R} is drawn too."));
    legend->setVisible(true);
    legend->setFont(QFont(font().family(), 7));
    xAxis->setLabel("v, t");
    plotLayout()->insertRow(0);
    auto* title = new QCPTextElement(this, "", QFont(font().family(), 8, QFont::Bold));
    title->setObjectName("opteqTitle");   // PlotStyle's title: plotTitle() reads it, exports keep it
    plotLayout()->addElement(0, 0, title);
    placeLegendBelow(this, 3);
    enableNavigation(this, [this] {
        xAxis->setRange(-3, 3);
        yAxis->setRange(-2.5, 3.0);
        replot(rpQueuedReplot);
    });
}

void ActivationPlot::setOperator(const ProxOperator& op, const QString& title)
{
    std::vector<double> key;
    for (double v : {-2.0, -0.5, 0.0, 0.3, 1.0, 2.5}) key.push_back(op.sigma(v));
    for (double v : {-0.9, 0.2, 0.7}) key.push_back(op.potential(v));
    key.push_back(double(op.base().type));
    if (key == m_key && title == m_title) return;
    m_key = key;
    m_title = title;
    clearGraphs();
    if (auto* t = qobject_cast<QCPTextElement*>(plotLayout()->element(0, 0))) setWrappedText(this, t, title);
    const int N = 400;
    const double lo = -3, hi = 3;
    QVector<double> v(N), s(N), f, ft, r(N);
    for (int i = 0; i < N; ++i) {
        v[i] = lo + (hi - lo) * i / (N - 1);
        s[i] = op.base().sigma(v[i]);
        r[i] = op.sigma(v[i]);
        const double p = op.base().potential(v[i]);
        if (std::isfinite(p) && std::abs(p) < 10) { ft << v[i]; f << p; }
    }
    auto add = [&](const QVector<double>& x, const QVector<double>& y, const QColor& c, Qt::PenStyle st, const QString& name) {
        QCPGraph* g = addGraph();
        g->setData(x, y, true);
        g->setPen(QPen(c, 1.8, st));
        g->setName(name);
    };
    add(v, s, seriesColor(1), Qt::SolidLine, "σ(v)");
    add(ft, f, seriesColor(0), Qt::DashLine, "f(t)");
    if (op.hasRegularizers()) add(v, r, seriesColor(2), Qt::SolidLine, "prox_{f+R}(v)");
    xAxis->setRange(lo, hi);
    yAxis->setRange(-2.5, 3.0);
    applyFigureScale(this);
    replot(rpQueuedReplot);
}

}  // namespace opteq

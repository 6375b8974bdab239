// SPDX-License-Identifier: GPL-3.0-or-later
#include "TrainPlots.h"
#include "Names.h"

#include "Palette.h"
#include "PlotStyle.h"

#include <QPointer>

#include <algorithm>
#include <cmath>
#include <limits>

namespace opteq {

QColor classColor(int k, bool light)
{
    QColor c = seriesColor(k);
    return light ? QColor::fromHsvF(c.hsvHueF(), 0.25f, 1.0f) : c;
}

namespace {
QVector<double> column(const std::vector<EpochLog>& h, double EpochLog::*member)
{
    QVector<double> v;
    for (const EpochLog& l : h) v << l.*member;
    return v;
}
// One per-epoch curve of the curve plots: a line, and a dot per epoch (a single epoch is still a
// visible point); epoch labels kept few enough never to run together in a narrow plot.
void addEpochCurve(QCustomPlot* plot, QCPAxis* y, const QColor& c, Qt::PenStyle style, const QString& name,
                   QCPScatterStyle::ScatterShape shape = QCPScatterStyle::ssDisc)
{
    QCPGraph* g = plot->addGraph(plot->xAxis, y);
    g->setPen(QPen(c, 1.6, style));
    g->setScatterStyle(shape == QCPScatterStyle::ssDisc ? QCPScatterStyle(shape, c, 3) : QCPScatterStyle(shape, QPen(c, 1.4), Qt::white, 7));
    g->setName(name);
    // Whole epochs only (three epochs were ticked 0.5, 1.5, 2.5, 3.5).
    if (!plot->xAxis->ticker().dynamicCast<QCPAxisTickerFixed>()) {
        auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
        ticker->setTickStep(1);
        ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
        plot->xAxis->setTicker(ticker);
    }
    plot->xAxis->ticker()->setTickCount(4);
}

// A log axis whose range spans less than a decade got one tick, or none, from QCPAxisTickerLog
// (in a short plot keepTickLabelsApart lowers the count to 2, and its linear fallback left a
// loss from 0.2 to 0.9 with "0.5" and "1" only, a first epoch of ten classes with "2" and "4").
// This one takes the sparsest of the mantissa sets 1 · 1,3 · 1,2,5 · … that, thinned to labels
// far enough apart for the axis length, keeps at least three ticks in the range.
class ReadableLogTicker : public QCPAxisTickerLog {
public:
    explicit ReadableLogTicker(QCPAxis* axis) : m_axis(axis) {}

protected:
    int getSubTickCount(double) override { return 0; }
    QVector<double> createTickVector(double, const QCPRange& range) override
    {
        static const std::vector<std::vector<double>> sets{
            {1}, {1, 3}, {1, 2, 5}, {1, 2, 3, 5, 7}, {1, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9}};
        QVector<double> best;
        if (!(range.lower > 0) || !(range.upper > range.lower)) return best;
        const double span = std::log10(range.upper / range.lower);
        // Labels a line and 4 px apart on this axis as it is laid out now (presentation mode's
        // larger labels included); before the first layout, one tick per 34 px as
        // keepTickLabelsApart counts them.
        const double length = m_axis && m_axis->axisRect() ? m_axis->axisRect()->height() : 0;
        const double label = m_axis ? QFontMetricsF(m_axis->tickLabelFont()).height() + 4 : 18;
        const double minGap = length > 0 ? span * label / length : span * 18.0 / (34.0 * std::max(2, tickCount()));
        const int k0 = int(std::floor(std::log10(range.lower))), k1 = int(std::ceil(std::log10(range.upper)));
        for (const auto& set : sets) {
            QVector<double> all;
            for (int k = k0; k <= k1; ++k)
                for (double m : set) {
                    const double t = m * std::pow(10.0, k);
                    if (t >= range.lower && t <= range.upper) all << t;
                }
            std::sort(all.begin(), all.end());
            // From the top down, a tick only as far from the last kept as the labels need.
            QVector<double> kept;
            for (qsizetype i = all.size() - 1; i >= 0; --i)
                if (kept.isEmpty() || std::log10(kept.back() / all[i]) >= minGap) kept << all[i];
            std::reverse(kept.begin(), kept.end());
            if (kept.size() > best.size()) best = kept;
            if (best.size() >= 3) break;
        }
        return best;
    }

private:
    QPointer<QCPAxis> m_axis;
};

QVector<double> epochs(const std::vector<EpochLog>& h)
{
    QVector<double> v;
    for (const EpochLog& l : h) v << l.epoch;
    return v;
}
}  // namespace

DecisionView::DecisionView(QWidget* parent) : QCustomPlot(parent)
{
    setMinimumSize(240, 220);
    setToolTip(tr("Decision regions of the trained network over the input plane (shade: its confidence), the training points "
                  "(circles) and test points (triangles) by class; a black cross marks a point it gets wrong.\n"
                  "Click a point to open its equilibrium problem on the Landscape tab."));
    m_map = new QCPColorMap(xAxis, yAxis);
    m_map->setInterpolate(false);
    m_map->removeFromLegend();
    m_map->setVisible(false);   // nothing until a network is trained
    addLayer("marks", layer("main"), QCustomPlot::limAbove);   // crosses over the points
    m_wrongMarks = addGraph();
    m_wrongMarks->setLayer("marks");
    m_wrongMarks->setLineStyle(QCPGraph::lsNone);
    m_wrongMarks->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCross, QPen(Qt::black, 2), Qt::NoBrush, 11));
    m_wrongMarks->setName(tr("misclassified"));
    m_wrongMarks->removeFromLegend();
    xAxis->setLabel("x₁");
    yAxis->setLabel("x₂");
    legend->setVisible(true);
    legend->setFont(QFont(font().family(), 8));
    placeLegendBelow(this, 4);
    setPlotTitle(this, tr("Decision regions (press Play)"));
    enableNavigation(this, [this] { rescaleAxes(); replot(rpQueuedReplot); }, false);
    connect(this, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
        if (e->button() != Qt::LeftButton || m_points.rows() == 0) return;
        int best = -1;
        double bestD = 9;   // pixels
        for (Eigen::Index i = 0; i < m_points.rows(); ++i) {
            const double d = std::hypot(xAxis->coordToPixel(m_points(i, 0)) - e->position().x(),
                                        yAxis->coordToPixel(m_points(i, 1)) - e->position().y());
            if (d < bestD) { bestD = d; best = int(i); }
        }
        if (best >= 0)
            emit pointClicked(m_inputs.row(best).transpose(), m_labels[size_t(best)],
                              size_t(best) < m_predicted.size() ? m_predicted[size_t(best)] : -1);
    });
}

void DecisionView::setData(const DecisionMap* map, const Dataset& train, const Dataset& test, const std::vector<int>& predicted)
{
    int K = std::max(train.classes, 2);
    const bool regression = train.labels.empty();
    if (regression) {
        map = nullptr;   // argmax regions mean nothing for targets
        K = 1;
    }
    // The view's two inputs: the map's slice, or (data only) the data's default one. A 1-D data
    // set is drawn along x₁ with its points on the line y = 0 (there is no x₂ to read).
    m_slice = map ? map->slice : defaultSlice(train);
    // Before the data is read (no columns) its dimension is unknown: the axes name nothing rather
    // than guess (a 2-D set must not be called 1-D).
    const bool unread = m_unread = !map && train.X.cols() == 0;
    const bool oneD = m_slice.iy < 0 && !unread;
    auto sub = [](int i) { return QString::fromStdString(inputName(i)); };
    // What the view holds fixed goes under the axis (full width), not into the title.
    const QString held = QString::fromStdString(m_slice.heldText());
    xAxis->setLabel(unread ? QString()
                    : oneD ? sub(m_slice.ix) + tr(" (1-D data: the regions are bands)")
                           : held.isEmpty() ? sub(m_slice.ix) : sub(m_slice.ix) + "   ·   " + tr("slice: %1").arg(held));
    yAxis->setLabel(oneD || unread ? QString() : sub(m_slice.iy));
    yAxis->setTicks(!oneD);
    yAxis->setTickLabels(!oneD);
    if (map) {
        const GridSpec& g = map->spec;
        m_map->data()->setSize(g.nx, g.ny);
        m_map->data()->setRange(QCPRange(g.x0, g.x1), QCPRange(g.y0, g.y1));
        // Region colour: the class's light colour, paler where the network is less sure.
        QCPColorGradient grad;
        grad.clearColorStops();
        for (int k = 0; k < K; ++k) grad.setColorStopAt(K > 1 ? double(k) / (K - 1) : 0, classColor(k, true));
        grad.setLevelCount(std::max(2, K));
        m_map->setGradient(grad);
        for (int j = 0; j < g.ny; ++j)
            for (int i = 0; i < g.nx; ++i) m_map->data()->setCell(i, j, map->label[size_t(j) * g.nx + i]);
        m_map->setDataRange(QCPRange(0, std::max(1, K - 1)));
        m_map->setVisible(true);
        xAxis->setRange(g.x0, g.x1);
        yAxis->setRange(g.y0, g.y1);
    } else {
        m_map->setVisible(false);
        // No regions yet (a fresh open): the axes fit this data, not the previous scene's box.
        if (train.size() > 0) {
            const GridSpec g = inputBox(train, m_slice, 2, 2);
            xAxis->setRange(g.x0, g.x1);
            yAxis->setRange(g.y0, g.y1);
        }
    }
    for (QCPGraph* gph : m_classes) removeGraph(gph);
    m_classes.clear();
    m_points.resize(train.size() + test.size(), 2);
    m_inputs.resize(train.size() + test.size(), train.X.cols());
    m_labels.clear();
    m_predicted = predicted;
    QVector<double> wx, wy;
    m_wrong = 0;
    for (int k = 0; k < K; ++k)
        for (bool isTest : {false, true}) {
            const Dataset& d = isTest ? test : train;
            QVector<double> x, y;
            for (int i = 0; i < d.size(); ++i)
                if (regression || (d.labels.size() > size_t(i) && d.labels[size_t(i)] == k)) { x << m_slice.x(d.X.row(i)); y << m_slice.y(d.X.row(i)); }
            QCPGraph* gph = addGraph();
            gph->setData(x, y);
            gph->setLineStyle(QCPGraph::lsNone);
            gph->setScatterStyle(QCPScatterStyle(isTest ? QCPScatterStyle::ssTriangle : QCPScatterStyle::ssCircle, QPen(Qt::black, 0.6),
                                                 classColor(k), isTest ? 7 : 6));
            gph->setName(regression ? (isTest ? tr("data point (test)") : tr("data point")) : isTest ? tr("class %1 (test)").arg(k) : tr("class %1").arg(k));
            if (isTest) gph->removeFromLegend();   // one grey key says what a triangle is
            m_classes.push_back(gph);
        }
    int row = 0;
    for (const Dataset* d : {&train, &test})
        for (int i = 0; i < d->size(); ++i, ++row) {
            m_points(row, 0) = m_slice.x(d->X.row(i));
            m_points(row, 1) = m_slice.y(d->X.row(i));
            if (d->X.cols() == m_inputs.cols()) m_inputs.row(row) = d->X.row(i);
            const int label = d->labels.size() > size_t(i) ? d->labels[size_t(i)] : 0;
            m_labels.push_back(label);
            if (!d->labels.empty() && size_t(row) < predicted.size() && predicted[size_t(row)] != label) {
                wx << m_points(row, 0);
                wy << m_points(row, 1);
                ++m_wrong;
            }
        }
    if (test.size() > 0) {
        QCPGraph* key = addGraph();
        key->setLineStyle(QCPGraph::lsNone);
        key->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssTriangle, QPen(Qt::black, 0.6), QColor(170, 170, 170), 7));
        key->setName(tr("test point (triangle)"));
        m_classes.push_back(key);
    }
    m_wrongMarks->setData(wx, wy);
    m_wrongMarks->setVisible(m_wrong > 0);
    if (m_wrong > 0) m_wrongMarks->addToLegend();
    else m_wrongMarks->removeFromLegend();
    applyFigureScale(this);
    replot(rpQueuedReplot);
}

CurvesView::CurvesView(QWidget* parent) : QCustomPlot(parent)
{
    setMinimumSize(200, 160);
    setToolTip(tr("Loss (left axis, log) and accuracy (right axis) on the training and test splits, per epoch"));
    yAxis->setScaleType(QCPAxis::stLogarithmic);
    yAxis->setTicker(QSharedPointer<ReadableLogTicker>::create(yAxis));
    yAxis->setNumberFormat("g");
    yAxis->setLabel(tr("loss"));
    yAxis2->setVisible(true);
    yAxis2->setLabel(tr("accuracy"));
    yAxis2->setRange(0, 1.02);
    xAxis->setLabel(tr("epoch"));
    legend->setVisible(true);
    legend->setFont(QFont(font().family(), 8));
    placeLegendBelow(this, 4);
    setPlotTitle(this, tr("Loss and accuracy"));
    // Not the class colours (orange, blue, magenta…): black is train, grey is test.
    const QColor train(20, 20, 20), test(150, 150, 150);
    auto add = [this](QCPAxis* y, const QColor& c, Qt::PenStyle st, const QString& name) { addEpochCurve(this, y, c, st, name); };
    add(yAxis, train, Qt::SolidLine, tr("train loss"));
    add(yAxis, test, Qt::SolidLine, tr("test loss"));
    add(yAxis2, train, Qt::DashLine, tr("train acc."));
    add(yAxis2, test, Qt::DashLine, tr("test acc."));
    enableNavigation(this, [this] { rescaleAxes(); yAxis2->setRange(0, 1.02); replot(rpQueuedReplot); });
}

void CurvesView::setHistory(const std::vector<EpochLog>& h)
{
    const QVector<double> e = epochs(h);
    graph(0)->setData(e, column(h, &EpochLog::trainLoss), true);
    graph(1)->setData(e, column(h, &EpochLog::testLoss), true);
    graph(2)->setData(e, column(h, &EpochLog::trainAccuracy), true);
    graph(3)->setData(e, column(h, &EpochLog::testAccuracy), true);
    // Epochs count from 1: half an epoch either side keeps the first and last markers whole.
    xAxis->setRange(0.5, std::max(1.5, e.isEmpty() ? 1.5 : e.back() + 0.5));
    bool found = false;
    QCPRange r = graph(0)->getValueRange(found);
    if (found) {
        bool f2 = false;
        const QCPRange r2 = graph(1)->getValueRange(f2);
        if (f2) r.expand(r2);
        yAxis->setRange(std::max(r.lower / 2, 1e-6), r.upper * 2);
    }
    applyFigureScale(this);
    replot(rpQueuedReplot);
}

DiagnosticsView::DiagnosticsView(QWidget* parent) : QCustomPlot(parent)
{
    setMinimumSize(200, 160);
    setToolTip(tr("Per epoch: forward and adjoint iterations per training point (left axis); ‖W‖₂ and the cosine of the cheap "
                  "gradient estimators to the exact one (right axis)"));
    xAxis->setLabel(tr("epoch"));
    yAxis->setLabel(tr("iterations"));
    yAxis2->setVisible(true);
    yAxis2->setLabel(tr("‖W‖₂, cosine"));
    yAxis2->setRange(0, 1.05);
    legend->setVisible(true);
    legend->setFont(QFont(font().family(), 8));
    placeLegendRight(this);   // a wide, short plot: the legend beside it keeps the axes' height
    setPlotTitle(this, tr("Iterations, ‖W‖₂, cosines to the exact gradient"));
    auto add = [this](QCPAxis* y, const QColor& c, Qt::PenStyle st, const QString& name) { addEpochCurve(this, y, c, st, name); };
    // Neutral colours, none of them a class colour.
    add(yAxis, QColor(20, 20, 20), Qt::SolidLine, tr("forward"));
    add(yAxis, QColor(150, 150, 150), Qt::SolidLine, tr("adjoint"));
    // ‖W‖₂ and the cosines often all sit near 1: each its own marker, so coinciding curves
    // are still told apart.
    addEpochCurve(this, yAxis2, QColor(20, 20, 20), Qt::DashLine, tr("‖W‖₂"), QCPScatterStyle::ssSquare);
    addEpochCurve(this, yAxis2, QColor(140, 60, 40), Qt::DotLine, tr("cos∠(Jacobian-free, exact)"), QCPScatterStyle::ssTriangle);
    addEpochCurve(this, yAxis2, QColor(40, 110, 110), Qt::DotLine, tr("cos∠(unrolled, exact)"), QCPScatterStyle::ssDiamond);
    enableNavigation(this, [this] { rescaleAxes(); replot(rpQueuedReplot); });
}

void DiagnosticsView::setHistory(const std::vector<EpochLog>& h, int trainSize)
{
    const QVector<double> e = epochs(h);
    QVector<double> fw, adj;
    for (const EpochLog& l : h) {
        fw << double(l.forwardIterations) / std::max(1, trainSize);
        adj << double(l.adjointIterations) / std::max(1, trainSize);
    }
    graph(0)->setData(e, fw, true);
    graph(1)->setData(e, adj, true);
    graph(2)->setData(e, column(h, &EpochLog::spectralNorm), true);
    graph(3)->setData(e, column(h, &EpochLog::cosineJacobianFree), true);
    graph(4)->setData(e, column(h, &EpochLog::cosineUnrolled), true);
    // Epochs count from 1: half an epoch either side keeps the first and last markers whole.
    xAxis->setRange(0.5, std::max(1.5, e.isEmpty() ? 1.5 : e.back() + 0.5));
    // The right axis holds the cosines and ‖W‖₂ (which may exceed 1: max_norm > 1). On [0, 1.05]
    // a ‖W‖₂ of 0.95 and cosines of 0.99 lay a few pixels apart: the axis spans their values
    // (at least 0.2 of it, 10% margins), from 0 only when they come near it.
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (int g = 2; g <= 4; ++g) {
        bool found = false;
        const QCPRange r = graph(g)->getValueRange(found);   // NaN cosines (not measured) are skipped
        if (found) {
            lo = std::min(lo, r.lower);
            hi = std::max(hi, r.upper);
        }
    }
    if (!std::isfinite(lo)) yAxis2->setRange(0, 1.05);
    else {
        const double span = std::max(hi - lo, 0.2), mid = (hi + lo) / 2;
        double a = mid - 0.6 * span, b = mid + 0.6 * span;
        if (a < 0.15 * span) {
            b -= a;
            a = 0;
        }
        yAxis2->setRange(a, b);
    }
    double top = 1;
    for (double v : fw + adj) top = std::max(top, v);
    yAxis->setRange(0, top * 1.1);
    applyFigureScale(this);
    replot(rpQueuedReplot);
}

EmbeddingView::EmbeddingView(QWidget* parent) : QCustomPlot(parent)
{
    setMinimumSize(200, 160);
    setToolTip(tr("The equilibrium z*(x) of every data point, projected on the two principal directions of all of them, "
                  "coloured by class: how the implicit layer separates the classes"));
    xAxis->setLabel(tr("first principal direction of z*"));
    yAxis->setLabel(tr("2nd principal direction"));   // "… of z*" would not fit the plot's height at 1366 × 768
    setPlotTitle(this, tr("Equilibria z* of all points (2-D)"));
    enableNavigation(this, [this] { rescaleAxes(); replot(rpQueuedReplot); });
}

void EmbeddingView::setEmbedding(const Eigen::MatrixXd& P, const std::vector<int>& labels)
{
    clearGraphs();
    int K = 0;
    for (int l : labels) K = std::max(K, l + 1);
    // Equilibria of points whose solve did not converge (a diverging model) are not equilibria.
    int dropped = 0;
    for (Eigen::Index i = 0; i < P.rows(); ++i) dropped += !(P.row(i).allFinite() && P.row(i).cwiseAbs().maxCoeff() < 1e6);
    setPlotTitle(this, dropped ? tr("Equilibria z* (2-D), %1 points not converged").arg(dropped) : tr("Equilibria z* of all points (2-D)"));
    for (int k = 0; k < K; ++k) {
        QVector<double> x, y;
        for (Eigen::Index i = 0; i < P.rows() && size_t(i) < labels.size(); ++i)
            if (labels[size_t(i)] == k && P.row(i).allFinite() && P.row(i).cwiseAbs().maxCoeff() < 1e6) { x << P(i, 0); y << P(i, 1); }
        QCPGraph* g = addGraph();
        g->setData(x, y);
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, classColor(k), 5));
    }
    rescaleAxes();
    // A margin of 8% so the outermost markers are whole.
    for (QCPAxis* a : {xAxis, yAxis}) {
        const QCPRange r = a->range();
        const double m = 0.08 * std::max(r.size(), 1e-9);
        a->setRange(r.lower - m, r.upper + m);
    }
    applyFigureScale(this);
    replot(rpQueuedReplot);
}

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#include "ImageViews.h"

#include "PlotStyle.h"

#include <QFileInfo>
#include <QMouseEvent>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <QToolTip>

#include <algorithm>
#include <numeric>

namespace opteq {

QString className(const Dataset& data, int k)
{
    if (k >= 0 && size_t(k) < data.classNames.size()) return QString::fromStdString(data.classNames[size_t(k)]);
    return QObject::tr("class %1").arg(k);
}

namespace {
// Diverging blue – white – red, symmetric about 0: v in [−1, 1].
QRgb diverging(double v)
{
    v = std::clamp(v, -1.0, 1.0);
    const double a = std::abs(v);
    const QColor far = v < 0 ? QColor(33, 102, 172) : QColor(178, 24, 43);
    return qRgb(int(255 + (far.red() - 255) * a), int(255 + (far.green() - 255) * a), int(255 + (far.blue() - 255) * a));
}
}  // namespace

QFont pixelFont(double px, bool bold)
{
    QFont f;
    f.setPixelSize(std::max(7, int(px)));
    f.setBold(bold);
    return f;
}

void PaintedFigure::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), Qt::white);
    draw(p, QRectF(rect()));
}

void PaintedFigure::drawTitle(QPainter& p, QRectF& area, const QString& text, bool paint) const
{
    if (text.isEmpty()) return;
    p.save();
    const QFont f = pixelFont(std::clamp(area.height() / 26, 10.0, 14.0), true);
    p.setFont(f);
    p.setPen(Qt::black);
    const QRectF box = p.boundingRect(area.adjusted(4, 2, -4, 0), Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, text);
    if (paint) p.drawText(box, Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, text);
    area.setTop(box.bottom() + 4);
    p.restore();
}

QString PaintedFigure::saveFigure(const QString& path, int width, int height, double scale) const
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    const QRectF area(0, 0, width, height);
    if (suffix == "png") {
        QImage img(QSize(int(width * scale), int(height * scale)), QImage::Format_ARGB32);
        img.fill(Qt::white);
        QPainter p(&img);
        p.setRenderHint(QPainter::Antialiasing);
        p.scale(scale, scale);
        draw(p, area);
        p.end();
        return img.save(path) ? QString() : QObject::tr("cannot write %1").arg(path);
    }
    if (suffix == "pdf") {
        QPdfWriter pdf(path);
        pdf.setPageSize(QPageSize(QSizeF(width, height), QPageSize::Point));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setResolution(72);
        QPainter p;
        if (!p.begin(&pdf)) return QObject::tr("cannot write %1").arg(path);
        draw(p, area);
        return {};
    }
    if (suffix == "svg") {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(QSize(width, height));
        svg.setViewBox(area);
        svg.setTitle(m_title);
        QPainter p;
        if (!p.begin(&svg)) return QObject::tr("cannot write %1").arg(path);
        draw(p, area);
        return {};
    }
    return QObject::tr("%1: the figure must be .png, .pdf or .svg").arg(path);
}

// ---------------------------------------------------------------- the confusion matrix

ConfusionView::ConfusionView(QWidget* parent) : PaintedFigure(parent)
{
    setMinimumSize(240, 200);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setToolTip(tr("Counts of test images: rows are the true class, columns the predicted one; the diagonal is right. "
                  "The last column is each class's accuracy (its diagonal count over its row)"));
}

void ConfusionView::setData(std::shared_ptr<const Dataset> test, std::shared_ptr<const ImageReport> report)
{
    m_test = std::move(test);
    m_report = std::move(report);
    const Evaluation* e = m_report && m_report->test ? m_report->test.get() : nullptr;
    m_title = e && e->confusion.size() ? tr("Confusion on %1 test images: accuracy %2 (rows true, columns predicted)")
                                             .arg(e->size).arg(e->accuracy, 0, 'f', 3)
                                       : tr("Confusion matrix (press Play)");
    update();
}

Eigen::MatrixXi ConfusionView::counts() const
{
    return m_report && m_report->test ? m_report->test->confusion : Eigen::MatrixXi();
}

void ConfusionView::draw(QPainter& p, const QRectF& whole) const
{
    QRectF area = whole;
    drawTitle(p, area);
    const Eigen::MatrixXi c = counts();
    const int K = int(c.rows());
    if (K == 0 || !m_test) return;
    const Evaluation& e = *m_report->test;
    const double px = std::clamp(std::min(area.width(), area.height()) / (K + 6) * 0.42, 7.0, 12.0);
    const QFont f = pixelFont(px), bold = pixelFont(px, true);
    const QFontMetricsF fm(f);
    double names = 0;
    for (int k = 0; k < K; ++k) names = std::max(names, fm.horizontalAdvance(className(*m_test, k)));
    const QString accHead = tr("accuracy");
    const double left = names + fm.height() + 6, top = names + 4, accW = std::max(fm.horizontalAdvance(accHead), fm.horizontalAdvance("0.000")) + 6;
    const double cell = std::max(4.0, std::min((area.width() - left - accW - 4) / K, (area.height() - top - fm.height() - 4) / K));
    const QPointF o(area.left() + left, area.top() + top);
    p.setFont(f);
    for (int t = 0; t < K; ++t) {
        const int rowTotal = c.row(t).sum();
        for (int q = 0; q < K; ++q) {
            const QRectF box(o.x() + q * cell, o.y() + t * cell, cell, cell);
            const double share = rowTotal ? double(c(t, q)) / rowTotal : 0.0;   // of the true class's images
            const QColor fill = t == q ? QColor::fromRgbF(1 - 0.8 * share, 1 - 0.45 * share, 1 - 0.8 * share)
                                       : QColor::fromRgbF(1 - 0.2 * std::sqrt(share), 1 - 0.85 * std::sqrt(share), 1 - 0.85 * std::sqrt(share));
            p.fillRect(box, fill);
            p.setPen(QColor(200, 200, 200));
            p.drawRect(box);
            if (c(t, q) == 0 && t != q) continue;
            p.setPen(share > 0.55 ? Qt::white : Qt::black);
            p.drawText(box, Qt::AlignCenter, QString::number(c(t, q)));
        }
        p.setPen(Qt::black);
        p.drawText(QRectF(area.left(), o.y() + t * cell, left - 4, cell), Qt::AlignRight | Qt::AlignVCenter, className(*m_test, t));
        const double acc = size_t(t) < e.perClassAccuracy.size() ? e.perClassAccuracy[size_t(t)] : std::nan("");
        p.drawText(QRectF(o.x() + K * cell + 4, o.y() + t * cell, accW, cell), Qt::AlignLeft | Qt::AlignVCenter,
                   std::isnan(acc) ? QString("—") : QString::number(acc, 'f', 3));
    }
    // Column names (predicted) upright along the top; the axis names beside them.
    for (int q = 0; q < K; ++q) {
        p.save();
        p.translate(o.x() + (q + 0.5) * cell, o.y() - 3);
        p.rotate(-90);
        p.drawText(QRectF(0, -fm.height() / 2, names, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, className(*m_test, q));
        p.restore();
    }
    p.setFont(bold);
    p.drawText(QRectF(o.x() + K * cell + 4, o.y() - fm.height() - 2, accW + 40, fm.height()), Qt::AlignLeft, accHead);
    p.drawText(QRectF(o.x(), o.y() + K * cell + 2, K * cell, fm.height() + 2), Qt::AlignHCenter | Qt::AlignTop, tr("predicted class →"));
    p.save();
    p.translate(area.left() + fm.height() / 2 + 1, o.y() + K * cell / 2);
    p.rotate(-90);
    p.drawText(QRectF(-K * cell / 2, -fm.height() / 2, K * cell, fm.height()), Qt::AlignCenter, tr("true class →"));
    p.restore();
}

// ---------------------------------------------------------------- the units' input filters

FilterView::FilterView(QWidget* parent) : PaintedFigure(parent)
{
    setMinimumSize(240, 160);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setToolTip(tr("Each unit's input filter: its row of U drawn as an image (red positive, blue negative, white 0; one scale for all "
                  "shown). Under it: the unit, ‖U row‖ and the share of test images on which it is active (|zᵢ*| > 10⁻³)"));
}

void FilterView::setData(const Eigen::MatrixXd& U, int rows, int cols, std::shared_ptr<const ImageReport> report)
{
    m_U = U;
    m_rows = rows;
    m_cols = cols;
    m_report = std::move(report);
    rebuild();
}

void FilterView::setOrder(Order order)
{
    m_order = order;
    rebuild();
}

void FilterView::rebuild()
{
    m_units.clear();
    m_images.clear();
    const int n = int(m_U.rows());
    const bool shaped = m_rows * m_cols == m_U.cols() && n > 0 && m_report;
    if (shaped) {
        std::vector<int> order(static_cast<size_t>(n), 0);
        std::iota(order.begin(), order.end(), 0);
        const Evaluation* e = m_report->test.get();
        if (m_order == Order::Norm && m_report->filterNorm.size() == n)
            std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return m_report->filterNorm(a) > m_report->filterNorm(b); });
        else if (m_order == Order::Activity && e && e->activeCount.size() == size_t(n))
            std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return e->activeCount[size_t(a)] > e->activeCount[size_t(b)]; });
        order.resize(size_t(std::min(n, kShown)));
        m_units = order;
        m_scale = 0;
        for (int u : m_units) m_scale = std::max(m_scale, m_U.row(u).cwiseAbs().maxCoeff());
        for (int u : m_units) {
            QImage img(m_cols, m_rows, QImage::Format_RGB32);
            for (int r = 0; r < m_rows; ++r)
                for (int c = 0; c < m_cols; ++c) img.setPixel(c, r, diverging(m_scale > 0 ? m_U(u, r * m_cols + c) / m_scale : 0.0));
            m_images.push_back(img);
        }
    }
    const char* by = m_order == Order::Norm ? "largest ‖U row‖" : m_order == Order::Activity ? "most often active" : "unit number";
    m_title = shaped ? tr("Input filters (rows of U) of %1 of %2 units, %3 first · colour ±%4").arg(m_units.size()).arg(n).arg(tr(by)).arg(m_scale, 0, 'g', 2)
                     : tr("Input filters (press Play)");
    update();
}

void FilterView::draw(QPainter& p, const QRectF& whole) const
{
    QRectF area = whole;
    drawTitle(p, area);
    if (m_units.empty()) return;
    const int cols = std::min<int>(8, int(m_units.size())), rows = (int(m_units.size()) + cols - 1) / cols;
    const double cw = area.width() / cols, ch = area.height() / rows;
    const double px = std::clamp(ch / 6.5, 7.0, 11.0);
    const QFont f = pixelFont(px);
    const double line = QFontMetricsF(f).height();
    const Evaluation* e = m_report ? m_report->test.get() : nullptr;
    p.setFont(f);
    p.setPen(Qt::black);
    for (size_t i = 0; i < m_units.size(); ++i) {
        const QRectF cell(area.left() + (i % cols) * cw + 2, area.top() + (i / cols) * ch + 2, cw - 4, ch - 4);
        const double side = std::max(4.0, std::min(cell.width(), cell.height() - line - 1));
        const QRectF img(cell.center().x() - side / 2, cell.top(), side, side);
        p.drawImage(img, m_images[i]);
        const int u = m_units[i];
        QString text = QString("#%1 ‖%2‖").arg(u + 1).arg(m_report->filterNorm.size() > u ? m_report->filterNorm(u) : 0.0, 0, 'f', 1);
        if (e && size_t(u) < e->activeCount.size() && e->size > 0) text += QString(" %1%").arg(100.0 * e->activeCount[size_t(u)] / e->size, 0, 'f', 0);
        p.drawText(QRectF(cell.left() - 2, img.bottom() + 1, cell.width() + 4, line), Qt::AlignHCenter | Qt::AlignTop,
                   QFontMetricsF(f).elidedText(text, Qt::ElideRight, cw));
    }
}

// ---------------------------------------------------------------- z* of one image

EquilibriumStripView::EquilibriumStripView(QWidget* parent) : QCustomPlot(parent)
{
    // The default axis rect stays the first (xAxis, yAxis: the shared styling and figure scale
    // read them); the residual curve gets a second one beside it.
    // Both sit in one cell of the main layout, so the title above spans them.
    m_zRect = axisRect(0);
    m_resRect = new QCPAxisRect(this);
    plotLayout()->take(m_zRect);
    plotLayout()->simplify();
    auto* pair = new QCPLayoutGrid;
    plotLayout()->addElement(0, 0, pair);
    pair->addElement(0, 0, m_zRect);
    pair->addElement(0, 1, m_resRect);
    pair->setColumnStretchFactors({1, 1});
    m_bars = new QCPBars(m_zRect->axis(QCPAxis::atBottom), m_zRect->axis(QCPAxis::atLeft));
    m_bars->setPen(Qt::NoPen);
    m_bars->setBrush(QColor(60, 90, 160));
    m_bars->setWidthType(QCPBars::wtPlotCoords);
    m_bars->setWidth(0.9);
    m_zRect->axis(QCPAxis::atBottom)->setLabel(tr("unit i"));
    m_zRect->axis(QCPAxis::atLeft)->setLabel(tr("zᵢ*"));
    m_res = new QCPGraph(m_resRect->axis(QCPAxis::atBottom), m_resRect->axis(QCPAxis::atLeft));
    m_res->setPen(QPen(QColor(200, 80, 20), 1.5));
    m_resRect->axis(QCPAxis::atLeft)->setScaleType(QCPAxis::stLogarithmic);
    m_resRect->axis(QCPAxis::atLeft)->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    m_resRect->axis(QCPAxis::atLeft)->setNumberFormat("eb");
    m_resRect->axis(QCPAxis::atLeft)->setNumberPrecision(0);
    m_resRect->axis(QCPAxis::atLeft)->setLabel(tr("‖T z − z‖"));
    m_resRect->axis(QCPAxis::atBottom)->setLabel(tr("iteration k"));
    m_tol = new QCPItemStraightLine(this);
    m_tol->setClipAxisRect(m_resRect);
    for (auto* pos : {m_tol->point1, m_tol->point2}) pos->setAxes(m_resRect->axis(QCPAxis::atBottom), m_resRect->axis(QCPAxis::atLeft));
    m_tol->setPen(QPen(Qt::gray, 1, Qt::DashLine));
    keepTickLabelsApart(this);
    setPlotTitle(this, tr("z* of the chosen image (click one)"));
    setToolTip(tr("The equilibrium z* of the chosen test image from z₀ = 0: one bar per unit, and the residual of each iteration"));
    setMinimumHeight(150);
}

void EquilibriumStripView::setEquilibrium(const ImageEquilibrium& e, const QString& what, double tol)
{
    QVector<double> keys, values;
    for (Eigen::Index i = 0; i < e.z.size(); ++i) {
        keys << double(i + 1);
        values << e.z(i);
    }
    m_bars->setData(keys, values, true);
    keys.clear();
    values.clear();
    for (size_t k = 0; k < e.residuals.size(); ++k)
        if (e.residuals[k] > 0) {
            keys << double(k);
            values << e.residuals[k];
        }
    m_res->setData(keys, values, true);
    m_tol->point1->setCoords(0, tol);
    m_tol->point2->setCoords(1, tol);
    m_tol->setVisible(e.row >= 0);
    if (e.z.size()) {
        const double top = std::max(1e-9, e.z.cwiseAbs().maxCoeff());
        m_zRect->axis(QCPAxis::atBottom)->setRange(0.5, e.z.size() + 0.5);
        m_zRect->axis(QCPAxis::atLeft)->setRange(e.z.minCoeff() < 0 ? -1.05 * top : 0, 1.05 * top);
        m_resRect->axis(QCPAxis::atBottom)->setRange(0, std::max(1, e.iterations));
        bool found = false;
        const QCPRange r = m_res->getValueRange(found);
        m_resRect->axis(QCPAxis::atLeft)->setRange(found ? QCPRange(std::min(r.lower, tol) / 2, r.upper * 2) : QCPRange(tol / 10, 1));
    }
    if (e.row < 0) setPlotTitle(this, tr("z* of the chosen image (click one)"));
    else
        setPlotTitle(this, tr("z* of %1: %2, %3 iterations, residual %4")
                               .arg(what, QString(statusName(e.status)))
                               .arg(e.iterations)
                               .arg(e.residuals.empty() ? 0.0 : e.residuals.back(), 0, 'g', 2));
    replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace opteq

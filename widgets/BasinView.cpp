// SPDX-License-Identifier: GPL-3.0-or-later
#include "BasinView.h"

#include "PlotStyle.h"

#include <cmath>

namespace opteq {

namespace {
// Hue along the set of equilibria (0 … 0.8: red, yellow, green, cyan, blue, violet); one
// equilibrium gets a single hue.
constexpr double kHueSpan = 0.8, kSingleHue = 0.58;
}  // namespace

QString basinSummaryText(const BasinSummary& s, double tol, int maxIter)
{
    // Short lines: two maps share the tab's width.
    const QString counts = QObject::tr("%1 diverged · %2 stopped at the iteration limit (%3)").arg(s.diverged).arg(s.maxIter).arg(maxIter);
    if (s.converged == 0) return QObject::tr("No start converged\n%1").arg(counts);
    if (s.distinctEnds == 1)
        return QObject::tr("Unique equilibrium (s, t) = (%1, %2),\nreached by all %3 converged starts\n%4\nends agree to %5 (≤ %6, from the tolerance)")
            .arg(s.meanS, 0, 'g', 5).arg(s.meanT, 0, 'g', 5).arg(s.converged).arg(counts).arg(s.endSpread, 0, 'g', 2).arg(tol, 0, 'g', 2);
    const QString ends = s.distinctEnds < 0 ? QObject::tr("Ends spread %1 apart").arg(s.endSpread, 0, 'g', 3)
                                            : QObject::tr("%1 distinct ends, spread %2").arg(s.distinctEnds).arg(s.endSpread, 0, 'g', 3);
    return QObject::tr("%1: a set of equilibria\n%2 converged · %3").arg(ends).arg(s.converged).arg(counts);
}

QImage basinImage(const BasinMap& map, const BasinColouring& colouring, int maxIter)
{
    const GridSpec& g = map.spec;
    QImage img(g.nx, g.ny, QImage::Format_RGB32);
    const double logMax = std::log1p(std::max(1, maxIter));
    for (int j = 0; j < g.ny; ++j) {
        QRgb* row = reinterpret_cast<QRgb*>(img.scanLine(g.ny - 1 - j));   // image rows go down, t goes up
        for (int i = 0; i < g.nx; ++i) {
            const size_t k = map.index(i, j);
            const SolveStatus st = SolveStatus(map.status[k]);
            if (st == SolveStatus::Diverged) { row[i] = qRgb(0, 0, 0); continue; }
            if (st == SolveStatus::Cancelled) { row[i] = qRgb(255, 255, 255); continue; }
            if (st == SolveStatus::MaxIter) { row[i] = ((i + j) % 4 < 2) ? qRgb(150, 150, 150) : qRgb(205, 205, 205); continue; }
            const double hue = colouring.single ? kSingleHue : kHueSpan * colouring.fraction(map.endS[k], map.endT[k]);
            const double value = 1.0 - 0.55 * std::log1p(map.iterations[k]) / logMax;
            row[i] = QColor::fromHsvF(float(hue), 0.75f, float(std::clamp(value, 0.2, 1.0))).rgb();
        }
    }
    return img;
}

BasinView::BasinView(QWidget* parent) : QCustomPlot(parent)
{
    setMinimumSize(280, 260);
    setToolTip(tr("Basin map: colour = where a start ends along the set of equilibria (one colour when the equilibrium\n"
                  "is unique), darker = more iterations, black = diverged, grey stripes = stopped at the iteration limit.\n"
                  "Click a cell to add that start and see its trajectory."));
    plotLayout()->insertRow(0);
    m_title = new QCPTextElement(this, "", QFont(font().family(), 9, QFont::Bold));
    m_title->setObjectName("opteqTitle");   // PlotStyle's title: plotTitle() reads it, an export keeps it
    plotLayout()->addElement(0, 0, m_title);
    plotLayout()->insertRow(1);
    m_summary = new QCPTextElement(this, "", QFont(font().family(), 7));
    m_title->setMinimumSize(10, 0);     // clipped, never squeezing the map
    m_summary->setMinimumSize(10, 0);
    plotLayout()->addElement(1, 0, m_summary);
    // The colour key: hue = position of the end along the set of equilibria.
    m_key = new QCPColorScale(this);
    m_key->setType(QCPAxis::atRight);
    m_key->setBarWidth(10);
    QCPColorGradient hues;
    hues.clearColorStops();
    for (int k = 0; k <= 8; ++k) hues.setColorStopAt(k / 8.0, QColor::fromHsvF(float(kHueSpan * k / 8.0), 0.75f, 1.0f));
    m_key->setGradient(hues);
    m_key->axis()->setLabel(tr("end along the equilibria"));
    m_key->setVisible(false);
    plotLayout()->addElement(2, 1, m_key);
    // The cells that are not an end get their own key entries (shown only when the map has such
    // cells): black = diverged, grey stripes = stopped at max_iter.
    legend->setFont(QFont(font().family(), 8));
    auto keyEntry = [this](const QBrush& brush) {
        QCPGraph* g = addGraph();
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, QPen(QColor(90, 90, 90), 1), brush, 11));
        g->setSelectable(QCP::stNone);
        g->removeFromLegend();
        return g;
    };
    m_divergedKey = keyEntry(Qt::black);
    QImage stripes(4, 4, QImage::Format_RGB32);   // the map's max_iter hatching
    for (int j = 0; j < 4; ++j)
        for (int i = 0; i < 4; ++i) stripes.setPixel(i, j, ((i + j) % 4 < 2) ? qRgb(150, 150, 150) : qRgb(205, 205, 205));
    m_maxIterKey = keyEntry(QBrush(stripes));
    placeLegendBelow(this, 2);
    legend->setVisible(false);
    xAxis->setLabel(tr("start s (the Landscape tab's slice)"));
    yAxis->setLabel(tr("start t"));
    m_pixmap = new QCPItemPixmap(this);
    m_pixmap->setScaled(true, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    m_pixmap->topLeft->setType(QCPItemPosition::ptPlotCoords);
    m_pixmap->bottomRight->setType(QCPItemPosition::ptPlotCoords);
    m_pixmap->setLayer("background");
    m_pixmap->setVisible(false);
    enableNavigation(this, [this] { fit(); }, /*doubleClickFits=*/false);   // a left click adds a start
    connect(this, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
        if (!m_map || e->button() != Qt::LeftButton || !axisRect()->rect().contains(e->position().toPoint())) return;
        emit cellClicked(xAxis->pixelToCoord(e->position().x()), yAxis->pixelToCoord(e->position().y()));
    });
    connect(this, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
        if (!m_map) return;
        const GridSpec& g = m_map->spec;
        const double s = xAxis->pixelToCoord(e->position().x()), t = yAxis->pixelToCoord(e->position().y());
        const int i = int(std::lround((s - g.x0) / (g.x1 - g.x0) * (g.nx - 1)));
        const int j = int(std::lround((t - g.y0) / (g.y1 - g.y0) * (g.ny - 1)));
        if (i < 0 || j < 0 || i >= g.nx || j >= g.ny) return;
        const size_t k = m_map->index(i, j);
        emit hoverText(QString("start (%1, %2) → end (%3, %4), %5 after %6 iterations")
                           .arg(g.x(i), 0, 'g', 4).arg(g.y(j), 0, 'g', 4)
                           .arg(m_map->endS[k], 0, 'g', 5).arg(m_map->endT[k], 0, 'g', 5)
                           .arg(statusName(SolveStatus(m_map->status[k]))).arg(m_map->iterations[k]));
    });
}

QString BasinView::title() const { return m_title->property("opteqFullTitle").toString(); }   // as set, not as wrapped

void BasinView::setTitle(const QString& title)
{
    setWrappedText(this, m_title, title);
    replot(rpQueuedReplot);
}

void BasinView::setMap(std::shared_ptr<const BasinMap> map, const BasinColouring& colouring, int maxIter, const QString& title,
                       const QString& summary)
{
    m_map = std::move(map);
    setWrappedText(this, m_title, title);
    setWrappedText(this, m_summary, summary);
    // The key only where there is a scale to read; a unique equilibrium is said in the summary.
    const bool scale = m_map && !colouring.single && colouring.hi > colouring.lo;
    m_key->setVisible(scale);
    if (scale) {
        m_key->setDataRange(QCPRange(colouring.lo, colouring.hi));
        const QString axis = colouring.axisName();
        m_key->axis()->setLabel(axis.isEmpty() ? tr("end: position along the equilibria (darker: more iterations)")
                                               : tr("end point: %1 (darker: more iterations)").arg(axis));
    }
    showStatusKey(maxIter);
    if (!m_map) { replot(rpQueuedReplot); return; }
    const GridSpec& g = m_map->spec;
    // Cells are centred on grid points: extend the image half a cell beyond the first/last point.
    const double hx = g.nx > 1 ? 0.5 * (g.x1 - g.x0) / (g.nx - 1) : 0.5, hy = g.ny > 1 ? 0.5 * (g.y1 - g.y0) / (g.ny - 1) : 0.5;
    m_pixmap->setVisible(true);
    m_pixmap->setPixmap(QPixmap::fromImage(basinImage(*m_map, colouring, maxIter)));
    m_pixmap->topLeft->setCoords(g.x0 - hx, g.y1 + hy);
    m_pixmap->bottomRight->setCoords(g.x1 + hx, g.y0 - hy);
    applyFigureScale(this);
    fit();
}

void BasinView::showStatusKey(int maxIter)
{
    bool diverged = false, unfinished = false;
    if (m_map)
        for (std::uint8_t st : m_map->status) {
            diverged = diverged || SolveStatus(st) == SolveStatus::Diverged;
            unfinished = unfinished || SolveStatus(st) == SolveStatus::MaxIter;
        }
    m_divergedKey->setName(tr("diverged"));
    m_maxIterKey->setName(tr("not converged in %1 iterations").arg(maxIter));
    legend->clearItems();
    if (diverged) m_divergedKey->addToLegend();
    if (unfinished) m_maxIterKey->addToLegend();
    legend->setVisible(diverged || unfinished);
    applyFigureScale(this);   // the new legend items take the figure's font
}

void BasinView::fit()
{
    if (!m_map) return;
    const GridSpec& g = m_map->spec;
    const double hx = g.nx > 1 ? 0.5 * (g.x1 - g.x0) / (g.nx - 1) : 0.5, hy = g.ny > 1 ? 0.5 * (g.y1 - g.y0) / (g.ny - 1) : 0.5;
    xAxis->setRange(g.x0 - hx, g.x1 + hx);
    yAxis->setRange(g.y0 - hy, g.y1 + hy);
    replot(rpQueuedReplot);
}

void BasinView::clearMap(const QString& message)
{
    if (!m_map && m_title->property("opteqFullTitle").toString() == message) return;   // nothing to redraw
    m_map.reset();
    m_pixmap->setVisible(false);
    m_key->setVisible(false);
    showStatusKey(0);
    setWrappedText(this, m_summary, {});
    setWrappedText(this, m_title, message);
    replot(rpQueuedReplot);
}

}  // namespace opteq

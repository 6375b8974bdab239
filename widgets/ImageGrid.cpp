// SPDX-License-Identifier: GPL-3.0-or-later
// The grid of test images (ImageViews.h): predicted and true class under each, misclassified ones
// marked, filterable by class, a click chooses an image. GUI thread; reads an ImageReport.
#include "ImageViews.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <numeric>

namespace opteq {

namespace {
// One image row of X as an 8-bit grey picture (pixels in [0, 1]).
QImage greyImage(const Eigen::RowVectorXd& row, int rows, int cols)
{
    QImage img(cols, rows, QImage::Format_Grayscale8);
    for (int r = 0; r < rows; ++r) {
        uchar* line = img.scanLine(r);
        for (int c = 0; c < cols; ++c) line[c] = uchar(std::clamp(row(r * cols + c), 0.0, 1.0) * 255.0 + 0.5);
    }
    return img;
}
}  // namespace


ImageGrid::ImageGrid(QWidget* parent) : PaintedFigure(parent)
{
    setMinimumSize(240, 200);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setToolTip(tr("Test images: the predicted class under each (green right, red wrong), and under a wrong one, framed red, the true class; "
                  "hover an image for both names in full. Click one: the Landscape opens on "
                  "its own equilibrium problem and the strip shows its z*; Ctrl+click shows its z* only"));
}

void ImageGrid::setData(std::shared_ptr<const Dataset> test, std::shared_ptr<const ImageReport> report)
{
    m_test = std::move(test);
    m_report = std::move(report);
    rebuild();
}

void ImageGrid::setFilter(int classFilter, bool wrongOnly)
{
    m_class = classFilter;
    m_wrongOnly = wrongOnly;
    rebuild();
}

void ImageGrid::setChosen(int row)
{
    m_chosen = row;
    update();
}

void ImageGrid::rebuild()
{
    // Only the shown images become QImages (kColumns × kRows of them), whatever the split's size.
    m_rows.clear();
    m_images.clear();
    m_matching = 0;
    const Dataset* t = m_test.get();
    const Evaluation* e = m_report && m_report->test ? m_report->test.get() : nullptr;
    if (t && t->isImage()) {
        const bool known = e && e->predicted.size() == size_t(t->size());
        for (int r = 0; r < t->size(); ++r) {
            const int truth = r < int(t->labels.size()) ? t->labels[size_t(r)] : -1;
            if (m_class >= 0 && truth != m_class) continue;
            if (m_wrongOnly && (!known || e->predicted[size_t(r)] == truth)) continue;
            ++m_matching;
            if (int(m_rows.size()) < kColumns * kRows) {
                m_rows.push_back(r);
                m_images.push_back(greyImage(t->X.row(r), t->imageRows, t->imageCols));
            }
        }
    }
    m_what = tr("test images");
    if (m_class >= 0 && m_test) m_what += tr(" of class %1").arg(className(*m_test, m_class));
    if (m_wrongOnly) m_what += tr(", misclassified only");
    m_title = titleFor(int(m_rows.size()));   // what an export of no fixed size says; draw() counts
    update();
}

QString ImageGrid::titleFor(int shown) const
{
    if (!m_test) return tr("Test images (press Play)");
    const QString count = shown <= 0 ? tr("No %1").arg(m_what)
                          : shown == m_matching ? tr("All %1 %2").arg(shown).arg(m_what)
                                                : tr("The first %1 of %2 %3").arg(shown).arg(m_matching).arg(m_what);
    const bool predicted = m_report && m_report->test;
    return predicted ? tr("%1 · predicted class; wrong ones framed red, the true class under them").arg(count)
                     : tr("%1 · true class (not trained yet: no predictions)").arg(count);
}

QRectF ImageGrid::titledGrid(QPainter& p, QRectF area, bool paint, QString* title) const
{
    const int all = int(m_rows.size());
    int shown = std::min(all, kColumns * kRows);
    for (int pass = 0; pass < 3; ++pass) {   // settles at once unless the count's digits rewrap the title
        QRectF a = area;
        drawTitle(p, a, titleFor(shown), false);
        const auto [cols, rows] = fit(gridArea(a));
        const int n = std::min(all, cols * rows);
        if (n == shown) break;
        shown = n;
    }
    const QString text = titleFor(shown);
    drawTitle(p, area, text, paint);
    if (title) *title = text;
    return gridArea(area);
}

QString ImageGrid::title() const
{
    QImage scratch(1, 1, QImage::Format_ARGB32);
    QPainter p(&scratch);
    QString text;
    titledGrid(p, QRectF(rect()), false, &text);
    return text;
}

QRectF ImageGrid::gridArea(const QRectF& area) const
{
    return area.adjusted(2, 0, -2, -2);
}

std::pair<int, int> ImageGrid::fit(const QRectF& grid) const
{
    return {std::clamp(int(grid.width() / 72), 3, kColumns), std::clamp(int(grid.height() / 78), 2, kRows)};
}

QRectF ImageGrid::cellIn(const QRectF& grid, int i) const
{
    const auto [cols, rows] = fit(grid);
    const double w = grid.width() / cols, h = grid.height() / rows;
    return QRectF(grid.left() + (i % cols) * w, grid.top() + (i / cols) * h, w, h);
}

std::vector<int> ImageGrid::shownRows() const
{
    QImage scratch(1, 1, QImage::Format_ARGB32);
    QPainter p(&scratch);
    const auto [cols, rows] = fit(titledGrid(p, QRectF(rect()), false));
    return std::vector<int>(m_rows.begin(), m_rows.begin() + std::min<int>(int(m_rows.size()), cols * rows));
}

QRect ImageGrid::cellRect(int i) const
{
    // The title's height as draw() lays it out on this widget.
    QImage scratch(1, 1, QImage::Format_ARGB32);
    QPainter p(&scratch);
    return cellIn(titledGrid(p, QRectF(rect()), false), i).toRect();
}

std::vector<ImageGrid::Caption> ImageGrid::captionsIn(const QRectF& grid) const
{
    // Predicted class (bold: green right, red wrong) under each image, and for a wrong one the
    // true class under that. One font for all cells, shrunk until the longest class name fits a
    // cell with a gap to its neighbours ("Ankle bo…" at 1366×768, and "Sneakertrue: Ankle…" run
    // together in presentation mode, when names could take the whole cell and 4 px more).
    std::vector<Caption> out;
    if (!m_test) return out;
    const Evaluation* e = m_report && m_report->test ? m_report->test.get() : nullptr;
    const auto [cols, rows] = fit(grid);
    const double cellH = grid.height() / rows, cellW = grid.width() / cols;
    const double room = std::max(8.0, cellW - 8);   // text width a cell may take: 6 px between neighbours at least
    double px = std::clamp(cellH / 7.5, 7.0, 12.0);
    double widest = 0;
    for (int k = 0; k < std::max(m_test->classes, int(m_test->classNames.size())); ++k)
        widest = std::max(widest, QFontMetricsF(pixelFont(px, true)).horizontalAdvance(className(*m_test, k)));
    if (widest > room) px = std::max(7.0, std::floor(px * room / widest));
    const QFont f = pixelFont(px), bold = pixelFont(px, true);
    const double line = QFontMetricsF(f).height();
    // "true: " before every true class, or (narrow cells) before none: the same for the whole grid.
    double widestTruth = 0;
    for (int k = 0; k < std::max(m_test->classes, int(m_test->classNames.size())); ++k)
        widestTruth = std::max(widestTruth, QFontMetricsF(f).horizontalAdvance(tr("true: %1").arg(className(*m_test, k))));
    const bool sayTrue = widestTruth <= room;
    for (size_t i = 0; i < m_rows.size() && int(i) < cols * rows; ++i) {
        const QRectF cell = cellIn(grid, int(i)).adjusted(2, 2, -2, -2);
        const int r = m_rows[i];
        const int truth = r < int(m_test->labels.size()) ? m_test->labels[size_t(r)] : -1;
        const int predicted = e && size_t(r) < e->predicted.size() ? e->predicted[size_t(r)] : -1;
        const bool wrong = predicted >= 0 && predicted != truth;
        const double side = std::max(4.0, std::min(cell.width(), cell.height() - 2 * line - 2));
        Caption c;
        c.image = QRectF(cell.center().x() - side / 2, cell.top(), side, side);
        c.wrong = wrong;
        const QString truthName = className(*m_test, truth);
        c.tip = predicted < 0 ? tr("Test image %1: %2 (not trained yet: no prediction)").arg(r + 1).arg(truthName)
                : wrong       ? tr("Test image %1: predicted %2, true class %3 (wrong)").arg(r + 1).arg(className(*m_test, predicted), truthName)
                              : tr("Test image %1: %2, predicted right").arg(r + 1).arg(truthName);
        auto add = [&](const QString& text, const QFont& font, const QColor& colour, int lineNo) {
            Caption::Line l;
            l.font = font;
            l.colour = colour;
            l.text = QFontMetricsF(font).horizontalAdvance(text) <= room ? text : QFontMetricsF(font).elidedText(text, Qt::ElideRight, room);
            const double w = QFontMetricsF(font).horizontalAdvance(l.text);
            l.rect = QRectF(cell.center().x() - w / 2, c.image.bottom() + 1 + lineNo * line, w, line);
            c.lines.push_back(l);
        };
        if (predicted < 0) add(truthName, f, Qt::black, 0);
        else {
            add(className(*m_test, predicted), bold, wrong ? QColor(200, 20, 20) : QColor(0, 100, 0), 0);
            if (wrong) add(sayTrue ? tr("true: %1").arg(truthName) : truthName, f, Qt::black, 1);
        }
        c.row = r;
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<ImageGrid::Caption> ImageGrid::captions() const
{
    QImage scratch(1, 1, QImage::Format_ARGB32);
    QPainter p(&scratch);
    return captionsIn(titledGrid(p, QRectF(rect()), false));
}

void ImageGrid::draw(QPainter& p, const QRectF& whole) const
{
    const QRectF grid = titledGrid(p, whole, true);
    const std::vector<Caption> cells = captionsIn(grid);
    for (size_t i = 0; i < cells.size(); ++i) {
        const Caption& c = cells[i];
        p.drawImage(c.image, m_images[i]);
        if (c.wrong || c.row == m_chosen) {
            p.save();
            p.setPen(QPen(c.row == m_chosen ? QColor(255, 170, 0) : QColor(215, 25, 28), c.row == m_chosen ? 3 : 2));
            p.setBrush(Qt::NoBrush);
            p.drawRect(c.image.adjusted(-1, -1, 1, 1));
            p.restore();
        }
        for (const Caption::Line& l : c.lines) {
            p.setFont(l.font);
            p.setPen(l.colour);
            p.drawText(l.rect.adjusted(-1, 0, 1, 0), Qt::AlignHCenter | Qt::AlignTop, l.text);
        }
    }
}

bool ImageGrid::event(QEvent* e)
{
    // Each image's tooltip names its classes in full (a caption may be cut in a narrow cell).
    if (e->type() == QEvent::ToolTip) {
        const QPoint pos = static_cast<QHelpEvent*>(e)->pos();
        const std::vector<int> shown = shownRows();
        for (size_t i = 0; i < shown.size(); ++i)
            if (cellRect(int(i)).contains(pos)) {
                const std::vector<Caption> c = captions();
                QToolTip::showText(static_cast<QHelpEvent*>(e)->globalPos(), i < c.size() ? c[i].tip : toolTip(), this);
                return true;
            }
    }
    return PaintedFigure::event(e);
}

void ImageGrid::mousePressEvent(QMouseEvent* e)
{
    const std::vector<int> shown = shownRows();
    for (size_t i = 0; i < shown.size(); ++i)
        if (cellRect(int(i)).contains(e->position().toPoint())) {
            emit imageClicked(shown[i], e->modifiers());
            return;
        }
    PaintedFigure::mousePressEvent(e);
}

}  // namespace opteq

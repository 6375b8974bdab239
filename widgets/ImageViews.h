// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The Train tab's views of image data (chosen when the data has an image shape): a grid of test
// images with predicted and true class, the confusion matrix, the units' input filters and the
// equilibrium z* of one chosen image. GUI thread only: they draw an ImageReport the training job
// computed (nothing here grows with n beyond copying the shown pixels into QImages). The three
// painted views draw through draw(QPainter&, rect), so the window and `opteq export --plot
// samples|confusion|filters` share one drawing (PNG, PDF or SVG: saveFigure).
#include "Dataset.h"
#include "ImageReport.h"

#include <QWidget>
#include <qcustomplot.h>

#include <memory>

namespace opteq {

// "T-shirt/top", or "class 3" when the data names no classes.
QString className(const Dataset& data, int k);

// A view drawn by one painting routine (window and export).
// The views' font: px pixels (at least 7), bold or not.
QFont pixelFont(double px, bool bold = false);

class PaintedFigure : public QWidget {
    Q_OBJECT
public:
    using QWidget::QWidget;
    virtual void draw(QPainter& p, const QRectF& area) const = 0;
    // PNG (scale: pixel density), PDF or SVG by the file's suffix; the error or empty.
    QString saveFigure(const QString& path, int width, int height, double scale = 1.0) const;
    virtual QString title() const { return m_title; }

protected:
    void paintEvent(QPaintEvent*) override;
    void drawTitle(QPainter& p, QRectF& area) const { drawTitle(p, area, m_title); }   // takes its lines off area
    void drawTitle(QPainter& p, QRectF& area, const QString& text, bool paint = true) const;
    QString m_title;
};

class ImageGrid : public PaintedFigure {
    Q_OBJECT
public:
    // Up to 8 × 6 images: as many columns and rows as leave each cell ≥ 72 × 78 px (class names legible at 8 px or more).
    static constexpr int kColumns = 8, kRows = 6;
    explicit ImageGrid(QWidget* parent = nullptr);
    void setData(std::shared_ptr<const Dataset> test, std::shared_ptr<const ImageReport> report);
    // classFilter: −1 all classes, else the true class shown; wrongOnly: misclassified only.
    void setFilter(int classFilter, bool wrongOnly);
    void setChosen(int row);
    int chosen() const { return m_chosen; }   // the framed row, −1: none
    std::vector<int> shownRows() const;                            // test rows drawn now, in grid order
    int matching() const { return m_matching; }                     // rows the filter lets through
    QRect cellRect(int i) const;                                    // of shown image i (widget coordinates)
    void draw(QPainter& p, const QRectF& area) const override;
    QString title() const override;   // as drawn on the widget now: it counts the images shown
    // What each shown cell draws, as laid out on the widget now (draw() paints exactly these).
    struct Caption {
        struct Line {
            QString text;
            QRectF rect;   // the text's own extent
            QFont font;
            QColor colour;
        };
        int row = -1;
        QRectF image;
        std::vector<Line> lines;   // predicted class; the true one under it when wrong
        QString tip;               // both names in full
        bool wrong = false;
    };
    std::vector<Caption> captions() const;

signals:
    void imageClicked(int row, Qt::KeyboardModifiers modifiers);

protected:
    void mousePressEvent(QMouseEvent* e) override;
    bool event(QEvent* e) override;

private:
    void rebuild();
    std::vector<Caption> captionsIn(const QRectF& grid) const;
    QRectF cellIn(const QRectF& grid, int i) const;
    std::pair<int, int> fit(const QRectF& grid) const;   // columns, rows
    QRectF gridArea(const QRectF& area) const;
    // The title for `shown` images drawn, and the grid left under it (the count decides the
    // title's lines, which decide how many fit); paint: draw the title too.
    QString titleFor(int shown) const;
    QRectF titledGrid(QPainter& p, QRectF area, bool paint, QString* title = nullptr) const;
    QString m_what;   // "test images of class Bag, misclassified only" (rebuild)
    std::shared_ptr<const Dataset> m_test;
    std::shared_ptr<const ImageReport> m_report;
    std::vector<int> m_rows;
    std::vector<QImage> m_images;
    int m_class = -1, m_matching = 0, m_chosen = -1;
    bool m_wrongOnly = false;
};

class ConfusionView : public PaintedFigure {
    Q_OBJECT
public:
    explicit ConfusionView(QWidget* parent = nullptr);
    void setData(std::shared_ptr<const Dataset> test, std::shared_ptr<const ImageReport> report);
    Eigen::MatrixXi counts() const;   // the drawn matrix (0×0: none)
    void draw(QPainter& p, const QRectF& area) const override;

private:
    std::shared_ptr<const Dataset> m_test;
    std::shared_ptr<const ImageReport> m_report;
};

class FilterView : public PaintedFigure {
    Q_OBJECT
public:
    enum class Order { Norm, Activity, Index };
    static constexpr int kShown = 32;
    explicit FilterView(QWidget* parent = nullptr);
    // U: n × d of the scene the report is of; rows × cols: the image shape.
    void setData(const Eigen::MatrixXd& U, int rows, int cols, std::shared_ptr<const ImageReport> report);
    void setOrder(Order order);
    const std::vector<int>& shownUnits() const { return m_units; }
    void draw(QPainter& p, const QRectF& area) const override;

private:
    void rebuild();
    Eigen::MatrixXd m_U;
    int m_rows = 0, m_cols = 0;
    std::shared_ptr<const ImageReport> m_report;
    Order m_order = Order::Norm;
    std::vector<int> m_units;
    std::vector<QImage> m_images;
    double m_scale = 0;
};

// z* of the chosen image as bars over the units, and its residual curve (log scale), side by side.
class EquilibriumStripView : public QCustomPlot {
    Q_OBJECT
public:
    explicit EquilibriumStripView(QWidget* parent = nullptr);
    void setEquilibrium(const ImageEquilibrium& e, const QString& what, double tol);

private:
    QCPAxisRect *m_zRect, *m_resRect;
    QCPBars* m_bars;
    QCPGraph* m_res;
    QCPItemStraightLine* m_tol;
};

}  // namespace opteq

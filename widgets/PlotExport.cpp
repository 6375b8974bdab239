// SPDX-License-Identifier: GPL-3.0-or-later
#include "PlotExport.h"

#include "LandscapeView.h"
#include "PlotStyle.h"
#include "SceneIO.h"

#include <QApplication>
#include <QBuffer>
#include <QClipboard>
#include <QDir>
#include <QFileInfo>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <qcustomplot.h>

namespace opteq {
namespace {
QString render(QCustomPlot* plot, const QString& path, const QString& suffix, int width, int height, double scale);

// Applies a figure scale for the export and restores the plot's own afterwards.
class ScopedFigureScale {
public:
    ScopedFigureScale(QCustomPlot* plot, double factor) : m_plot(plot), m_old(figureScale(plot))
    {
        if (factor != 1.0) set(m_old * factor);
        else m_plot = nullptr;
    }
    ~ScopedFigureScale()
    {
        if (m_plot) set(m_old);
    }

private:
    void set(double s)
    {
        setFigureScale(m_plot, s);
        if (auto* v = qobject_cast<LandscapeView*>(m_plot)) v->setPlayhead(v->playhead());   // its own markers
    }
    QCustomPlot* m_plot;
    double m_old;
};
}  // namespace

QString exportPlot(QCustomPlot* plot, const QString& path, int width, int height, double scale, double fontScale)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != "png" && suffix != "pdf" && suffix != "svg") return "choose a file name ending in .png, .pdf or .svg";
    if (width <= 0) width = plot->width();
    if (height <= 0) height = plot->height();
    if (width < 50 || height < 50 || width > 20000 || height > 20000) return "figure size must be between 50 and 20000 px on each side";
    if (!(scale > 0) || scale > 10) return "the PNG scale must be in (0, 10]";
    if (!(fontScale >= 0.25) || fontScale > 8) return "the font scale must be in [0.25, 8]";
    const ScopedFigureScale scoped(plot, fontScale);
    return render(plot, path, suffix, width, height, scale);
}

namespace {
QString render(QCustomPlot* plot, const QString& path, const QString& suffix, int width, int height, double scale)
{
    if (suffix == "svg") {
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        QSvgGenerator gen;
        gen.setOutputDevice(&buffer);
        gen.setSize(QSize(width, height));
        gen.setViewBox(QRect(0, 0, width, height));
        gen.setTitle(QFileInfo(path).completeBaseName());
        gen.setDescription("OptEq Explorer figure");
        QCPPainter painter;
        if (!painter.begin(&gen)) return "cannot start the SVG painter";
        plot->toPainter(&painter, width, height);
        painter.end();
        return QString::fromStdString(writeFileAtomically(path, buffer.data()));
    }
    // PNG and PDF are encoded in memory too and written by writeFileAtomically, which checks
    // every byte: a file QCustomPlot wrote itself could be truncated by a full disk unnoticed.
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    if (suffix == "png") {
        const QPixmap pixmap = plot->toPixmap(width, height, scale);
        if (pixmap.isNull() || !pixmap.save(&buffer, "PNG")) return "rendering the figure failed";
    } else {
        QPdfWriter pdf(&buffer);
        pdf.setTitle(QFileInfo(path).completeBaseName());
        pdf.setCreator("OptEq Explorer");
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setResolution(72);   // one point per figure unit, as QCustomPlot's savePdf
        pdf.setPageSize(QPageSize(QSizeF(width, height), QPageSize::Point, QString(), QPageSize::ExactMatch));
        QCPPainter painter;
        if (!painter.begin(&pdf)) return "cannot start the PDF painter";
        plot->toPainter(&painter, width, height);
        painter.end();
    }
    return QString::fromStdString(writeFileAtomically(path, buffer.data()));
}
}  // namespace

QString exportWidgetPng(QWidget* widget, const QString& path)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!widget->grab().save(&buffer, "PNG")) return "rendering the window failed";
    return QString::fromStdString(writeFileAtomically(path, bytes));
}

void copyPlotToClipboard(QCustomPlot* plot)
{
    QApplication::clipboard()->setPixmap(plot->toPixmap(plot->width(), plot->height(), 2.0));
}

}  // namespace opteq

#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QSpinBox>

namespace opteq {

std::optional<FigureSize> askFigureSize(QWidget* parent, QSize current)
{
    QDialog d(parent);
    d.setWindowTitle(QObject::tr("Export figure"));
    auto* f = new QFormLayout(&d);
    auto* w = new QSpinBox;
    w->setRange(100, 20000);
    w->setValue(std::max(600, current.width()));
    w->setToolTip(QObject::tr("Width in pixels (PDF and SVG: in points)"));
    auto* h = new QSpinBox;
    h->setRange(100, 20000);
    h->setValue(std::max(450, current.height()));
    h->setToolTip(QObject::tr("Height in pixels (PDF and SVG: in points)"));
    auto* scale = new QDoubleSpinBox;
    scale->setRange(0.5, 8);
    scale->setValue(2);
    scale->setToolTip(QObject::tr("PNG pixel density: 2 gives a sharp figure for print"));
    f->addRow(QObject::tr("Width"), w);
    f->addRow(QObject::tr("Height"), h);
    f->addRow(QObject::tr("PNG scale"), scale);
    auto* fonts = new QDoubleSpinBox;
    fonts->setRange(0.25, 8);
    fonts->setSingleStep(0.25);
    fonts->setValue(1);
    fonts->setToolTip(QObject::tr("Fonts, lines and markers: 1.5 for a slide, 0.8 for a small figure in a paper"));
    f->addRow(QObject::tr("Font scale"), fonts);
    auto* bb = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    f->addRow(bb);
    QObject::connect(bb, &QDialogButtonBox::accepted, &d, &QDialog::accept);
    QObject::connect(bb, &QDialogButtonBox::rejected, &d, &QDialog::reject);
    if (d.exec() != QDialog::Accepted) return std::nullopt;
    return FigureSize{w->value(), h->value(), scale->value(), fonts->value()};
}

}  // namespace opteq

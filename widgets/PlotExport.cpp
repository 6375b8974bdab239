// SPDX-License-Identifier: GPL-3.0-or-later
#include "PlotExport.h"

#include "SceneIO.h"

#include <QApplication>
#include <QBuffer>
#include <QClipboard>
#include <QDir>
#include <QFileInfo>
#include <QSvgGenerator>
#include <QTemporaryFile>
#include <qcustomplot.h>

namespace opteq {
namespace {
QString readAndCommit(const QString& tmpPath, const QString& path)
{
    QFile f(tmpPath);
    if (!f.open(QIODevice::ReadOnly)) return "cannot read the rendered figure back";
    const std::string e = writeFileAtomically(path, f.readAll());
    return QString::fromStdString(e);
}
}  // namespace

QString exportPlot(QCustomPlot* plot, const QString& path, int width, int height, double scale)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != "png" && suffix != "pdf" && suffix != "svg") return "choose a file name ending in .png, .pdf or .svg";
    if (width <= 0) width = plot->width();
    if (height <= 0) height = plot->height();
    if (width > 20000 || height > 20000 || scale <= 0 || scale > 10) return "figure size must be at most 20000 px and scale in (0, 10]";
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
    // PNG/PDF: QCustomPlot writes to a path itself; render beside the target, then commit atomically.
    QTemporaryFile tmp(QDir::tempPath() + "/opteq-export-XXXXXX." + suffix);
    if (!tmp.open()) return "cannot create a temporary file";
    tmp.close();
    bool ok = suffix == "png" ? plot->savePng(tmp.fileName(), width, height, scale)
                              : plot->savePdf(tmp.fileName(), width, height);
    if (!ok) return "rendering the figure failed";
    return readAndCommit(tmp.fileName(), path);
}

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

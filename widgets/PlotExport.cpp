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
#include <QPointer>
#include <QRegularExpression>
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

constexpr const char* kFullText = "opteqFullTitle";   // PlotStyle's: the whole text of a wrapped element

// The figure's words for the file: a title where the plot has none, every text without GUI
// instructions. Restores the window's words afterwards.
class ScopedExportText {
public:
    ScopedExportText(QCustomPlot* plot, const QString& title) : m_plot(plot)
    {
        if (!title.isEmpty() && plotTitle(plot).isEmpty()) {
            m_hadTitle = plot->findChild<QCPTextElement*>("opteqTitle") != nullptr;
            m_oldTitle = plotTitle(plot);
            setPlotTitle(plot, title);
            m_setTitle = true;
        }
        for (QCPTextElement* t : plot->findChildren<QCPTextElement*>()) {
            const bool wrapped = t->property(kFullText).isValid();
            const QString text = wrapped ? t->property(kFullText).toString() : t->text();
            const QString clean = exportedText(text);
            if (clean == text) continue;
            m_elements.push_back({t, text, wrapped});
            if (wrapped) setWrappedText(plot, t, clean);
            else t->setText(clean);
        }
        QList<QCPAxis*> axes;
        for (QCPAxisRect* r : plot->axisRects()) axes += r->axes();
        for (QCPColorScale* c : plot->findChildren<QCPColorScale*>()) axes << c->axis();
        for (QCPAxis* a : axes) {
            const QString clean = exportedText(a->label());
            if (clean == a->label()) continue;
            m_labels.push_back({a, a->label()});
            a->setLabel(clean);
        }
        for (int i = 0; i < plot->itemCount(); ++i)
            if (auto* t = qobject_cast<QCPItemText*>(plot->item(i))) {
                const QString clean = exportedText(t->text());
                if (clean == t->text()) continue;
                m_items.push_back({t, t->text()});
                t->setText(clean);
            }
    }
    ~ScopedExportText()
    {
        for (const auto& [t, text, wrapped] : m_elements) {
            if (!t) continue;
            if (wrapped) setWrappedText(m_plot, t, text);
            else t->setText(text);
        }
        for (const auto& [a, text] : m_labels) a->setLabel(text);
        for (const auto& [t, text] : m_items)
            if (t) t->setText(text);
        if (m_setTitle) {
            if (m_hadTitle) setPlotTitle(m_plot, m_oldTitle);
            else if (auto* t = m_plot->findChild<QCPTextElement*>("opteqTitle")) {
                m_plot->plotLayout()->remove(t);   // the row it was given goes with it
                m_plot->plotLayout()->simplify();
            }
        }
    }

private:
    struct Element {
        QPointer<QCPTextElement> element;
        QString text;
        bool wrapped;
    };
    QCustomPlot* m_plot;
    bool m_setTitle = false, m_hadTitle = false;
    QString m_oldTitle;
    std::vector<Element> m_elements;
    std::vector<std::pair<QCPAxis*, QString>> m_labels;
    std::vector<std::pair<QPointer<QCPItemText>, QString>> m_items;
};

// The plot laid out at the export's size (titles wrap for its width, legends re-flow, equal
// aspect is fitted again); the window's viewport and ranges come back afterwards.
class ScopedExportLayout {
public:
    ScopedExportLayout(QCustomPlot* plot, int width, int height)
        : m_plot(plot), m_viewport(plot->viewport()), m_x(plot->xAxis->range()), m_y(plot->yAxis->range())
    {
        plot->setViewport(QRect(0, 0, width, height));
        if (!refitEqualAspect(plot)) layOutPlot(plot);
    }
    ~ScopedExportLayout()
    {
        m_plot->setViewport(m_viewport);
        m_plot->xAxis->setRange(m_x);
        m_plot->yAxis->setRange(m_y);
        layOutPlot(m_plot);
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    }

private:
    QCustomPlot* m_plot;
    QRect m_viewport;
    QCPRange m_x, m_y;
};
}  // namespace

QString exportedText(const QString& text)
{
    static const QString verbs = "(?:click|double-click|press|drag|hover|scroll|choose)";
    // "(click a point)", "(press Play)", "(… scroll to zoom, drag to pan)"
    static const QRegularExpression paren("\\s*\\([^()]*\\b" + verbs + "\\b[^()]*\\)", QRegularExpression::CaseInsensitiveOption);
    // "… : press Compute", " · choose two parameters and press Compute"
    static const QRegularExpression clause("\\s*[:;·]\\s*" + verbs + "\\b[^:;·()]*", QRegularExpression::CaseInsensitiveOption);
    // "Click a cell to add that start." as a sentence of its own
    static const QRegularExpression sentence("(?:^|(?<=[.!?])\\s+)" + verbs + "\\b[^.!?]*[.!?]?", QRegularExpression::CaseInsensitiveOption);
    // "the Landscape tab's slice" → "the landscape's slice"; "on the Train tab" → ""
    static const QRegularExpression tabs("\\bthe (\\w+(?: \\w+)?) tab's\\b");
    static const QRegularExpression onTab("\\s*\\b(?:on|in) the \\w+(?: \\w+)? tab\\b");
    QString s = text;
    s.replace(paren, QString());
    s.replace(clause, QString());
    s.replace(sentence, QString());
    for (QRegularExpressionMatch m = tabs.match(s); m.hasMatch(); m = tabs.match(s))
        s.replace(m.capturedStart(), m.capturedLength(), "the " + m.captured(1).toLower() + "'s");
    s.replace(onTab, QString());
    s.replace(QRegularExpression("[ \\t]{2,}"), " ");
    return s.trimmed();
}

int exportFontDpi()
{
    // What QCustomPlot::toPixmap paints on: a PNG's fonts are point sizes at this resolution.
    static const int dpi = [] {
        const QPixmap p(1, 1);
        return p.logicalDpiY() > 0 ? p.logicalDpiY() : 96;
    }();
    return dpi;
}

QString exportPlot(QCustomPlot* plot, const QString& path, int width, int height, double scale, double fontScale, const QString& title)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != "png" && suffix != "pdf" && suffix != "svg") return "choose a file name ending in .png, .pdf or .svg";
    if (width <= 0) width = plot->width();
    if (height <= 0) height = plot->height();
    if (width < 50 || height < 50 || width > 20000 || height > 20000) return "figure size must be between 50 and 20000 px on each side";
    if (!(scale > 0) || scale > 10) return "the PNG scale must be in (0, 10]";
    if (!(fontScale >= 0.25) || fontScale > 8) return "the font scale must be in [0.25, 8]";
    const ScopedFigureScale scoped(plot, fontScale);
    const ScopedExportText words(plot, title);
    const ScopedExportLayout layout(plot, width, height);
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
        gen.setResolution(exportFontDpi());   // font-size in figure units as the PNG's pixels (the default, 72, made text 25% smaller)
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
        // One figure unit per PNG pixel: fonts (in points) take the same share of the figure as in
        // the PNG. At 72 dpi (as QCustomPlot's savePdf) a 9 pt font was 9 units where the PNG
        // draws it 12 px high: text ~25% smaller relative to the figure.
        const double dpi = exportFontDpi();
        pdf.setResolution(int(dpi));
        pdf.setPageSize(QPageSize(QSizeF(width * 72.0 / dpi, height * 72.0 / dpi), QPageSize::Point, QString(), QPageSize::ExactMatch));
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
    w->setToolTip(QObject::tr("Width in pixels (PDF and SVG: the same units, so text keeps its share of the figure)"));
    auto* h = new QSpinBox;
    h->setRange(100, 20000);
    h->setValue(std::max(450, current.height()));
    h->setToolTip(QObject::tr("Height in pixels (PDF and SVG: the same units, so text keeps its share of the figure)"));
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

// SPDX-License-Identifier: GPL-3.0-or-later
#include "Tour.h"

#include "LayoutCheck.h"
#include "MainWindow.h"
#include "TheoryController.h"
#include "TrainingController.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QPainter>
#include <QComboBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QTabWidget>
#include <qcustomplot.h>

#include <map>

namespace opteq {
namespace {

void settle(int ms = 50)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms) QApplication::processEvents(QEventLoop::AllEvents, 10);
}

QString slug(const QString& text)
{
    QString s;
    for (const QChar c : text.toLower()) s += c.isLetterOrNumber() ? c : QChar('-');
    while (s.contains("--")) s.replace("--", "-");
    return s.remove(QRegularExpression("^-|-$"));
}

// Clicks the enabled button of `tab` whose text starts with `text`; false when there is none.
bool clickButton(QWidget* tab, const QString& text)
{
    for (QPushButton* b : tab->findChildren<QPushButton*>())
        if (b->text().startsWith(text) && b->isEnabled() && b->isVisible()) {
            b->click();
            return true;
        }
    return false;
}

// Computes the figure of the current tab and waits for it; a problem when a job did not end.
QStringList computeTab(MainWindow& w, const QString& tab, const TourOptions& o)
{
    QStringList problems;
    Controller* c = w.controller();
    auto waitController = [&](const char* what) {
        if (!c->waitForIdle(o.waitMs)) problems << QString("%1 did not finish within %2 s").arg(what).arg(o.waitMs / 1000);
    };
    waitController("the solve");
    QWidget* page = w.tabs()->currentWidget();
    if (tab == QLatin1String("Basins")) {
        for (QComboBox* g : page->findChildren<QComboBox*>())
            if (g->findData(o.basinGrid) >= 0) g->setCurrentIndex(g->findData(o.basinGrid));
        if (clickButton(page, "Compute")) waitController("the basin maps");
    } else if (tab == QLatin1String("Rate map")) {
        if (clickButton(page, "Compute")) waitController("the rate map");
    } else if (tab == QLatin1String("Train")) {
        if (c->scene().hasTraining && o.train) {
            w.training()->waitForIdle(o.waitMs);
            w.training()->play(0);   // to the scene's epochs
            if (!w.training()->waitForIdle(o.waitMs)) problems << "the training run did not finish";
        }
    } else if (tab == QLatin1String("Theory") || tab == QLatin1String("Unit layer")) {
        if (!w.theoryJobs()->waitForIdle(o.waitMs)) problems << "the theory views did not finish";
    }
    settle(120);   // queued frames and replots
    waitController("the solve");
    settle(60);
    return problems;
}

}  // namespace

QStringList tourLessons()
{
    QStringList out;
    for (const QString& f : QDir(":/lessons").entryList({"*.opteq.json"}, QDir::Files, QDir::Name)) out << ":/lessons/" + f;
    return out;
}

std::vector<TourShot> runTour(MainWindow& w, const TourOptions& o, const std::function<void(const TourShot&)>& each)
{
    std::vector<TourShot> shots;
    if (!o.dir.isEmpty()) QDir().mkpath(o.dir);
    if (o.presentation) w.setPresentationMode(true);
    settle(200);
    const QStringList lessons = o.lessons.isEmpty() ? tourLessons() : o.lessons;
    for (const QString& lesson : lessons) {
        w.openLesson(lesson);
        settle(100);
        for (int i = 0; i < w.tabs()->count(); ++i) {
            const QString tab = w.tabs()->tabText(i).remove('&');
            if (!o.tabs.isEmpty() && !o.tabs.contains(tab)) continue;
            w.tabs()->setCurrentIndex(i);
            TourShot shot;
            shot.lesson = QFileInfo(lesson).fileName();
            shot.tab = tab;
            shot.problems = computeTab(w, tab, o);
            for (QCustomPlot* p : w.findChildren<QCustomPlot*>())
                if (p->isVisible()) p->replot(QCustomPlot::rpImmediateRefresh);
            shot.problems << windowLayoutProblems(&w);
            if (!o.dir.isEmpty()) {
                const QString stem = shot.lesson.section('.', 0, 0);
                shot.file = QDir(o.dir).filePath(QString("%1--%2.png").arg(stem, slug(tab)));
                if (!w.grab().save(shot.file)) shot.problems << "could not write " + shot.file;
            }
            if (each) each(shot);
            shots.push_back(shot);
        }
    }
    if (o.presentation) w.setPresentationMode(false);
    return shots;
}

QImage contactSheet(const std::vector<TourShot>& shots, int thumbWidth)
{
    QStringList lessons, tabs;
    for (const TourShot& s : shots) {
        if (!lessons.contains(s.lesson)) lessons << s.lesson;
        if (!tabs.contains(s.tab)) tabs << s.tab;
    }
    if (shots.empty()) return {};
    const QImage first(shots.front().file);
    const int thumbHeight = first.isNull() ? thumbWidth * 9 / 16 : thumbWidth * first.height() / std::max(1, first.width());
    const int label = 18, head = 22, gap = 6;
    QImage sheet(tabs.size() * (thumbWidth + gap) + gap, head + lessons.size() * (thumbHeight + label + gap) + gap, QImage::Format_RGB32);
    sheet.fill(Qt::white);
    QPainter p(&sheet);
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    QFont f = p.font();
    f.setPixelSize(13);
    p.setFont(f);
    for (int c = 0; c < tabs.size(); ++c)
        p.drawText(QRect(gap + c * (thumbWidth + gap), 2, thumbWidth, head - 4), Qt::AlignCenter, tabs[c]);
    for (const TourShot& s : shots) {
        const int r = int(lessons.indexOf(s.lesson)), c = int(tabs.indexOf(s.tab));
        const QRect cell(gap + c * (thumbWidth + gap), head + r * (thumbHeight + label + gap), thumbWidth, thumbHeight);
        p.drawText(QRect(cell.left(), cell.top(), thumbWidth, label), Qt::AlignLeft | Qt::AlignVCenter,
                   QFontMetrics(f).elidedText(s.lesson.section('.', 0, 0), Qt::ElideRight, thumbWidth));
        const QImage img(s.file);
        if (!img.isNull()) p.drawImage(cell.translated(0, label), img.scaled(cell.size(), Qt::KeepAspectRatio, Qt::SmoothTransformation));
        if (!s.problems.isEmpty()) {
            p.setPen(QPen(Qt::red, 2));
            p.drawRect(cell.translated(0, label));
            p.setPen(Qt::black);
        }
    }
    return sheet;
}

}  // namespace opteq

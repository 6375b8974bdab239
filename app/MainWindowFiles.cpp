// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: opening, saving, recent files, lessons, drag and drop, and file exports. GUI thread.
#include "MainWindow.h"

#include "BasinView.h"
#include "Controller.h"
#include "RateMapView.h"
#include "FigureExport.h"
#include "LandscapeView.h"
#include "PlotStyle.h"
#include "ResidualPlot.h"
#include "TheoryController.h"
#include "TheoryPlots.h"
#include "TrainPlots.h"
#include "TrainingController.h"
#include "LessonFiles.h"
#include "PlotExport.h"
#include "SceneIO.h"
#include "TrainPanel.h"

#include <algorithm>

#include <QCloseEvent>
#include <QComboBox>
#include <QEventLoop>
#include <QProgressDialog>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>
#include <QMenu>
#include <qcustomplot.h>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QMimeData>
#include <QRegularExpression>
#include <QSettings>
#include <QStatusBar>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <QDockWidget>

namespace opteq {

QString MainWindow::lastDir() const
{
    // Where file dialogs open: the last folder used, else the home folder (never "/").
    // A shipped lessons folder never (an older version left it there after opening a lesson).
    const QString d = QSettings().value("lastDir").toString();
    return d.isEmpty() || !QFileInfo(d).isDir() || isLessonsFolder(d) ? QDir::homePath() : d;
}

void MainWindow::updateTitle()
{
    // An unsaved scene (a lesson opens as an unsaved copy) is named by its title.
    const std::string& title = m_controller->scene().title;
    const QString t = QString::fromStdString(title);
    const int lesson = m_controller->lessonCopyOf();
    const QString name = !m_controller->filePath().isEmpty() ? QFileInfo(m_controller->filePath()).fileName()
                         : lesson > 0                        ? tr("%1 — copy of lesson %2 (unsaved)").arg(t).arg(lesson)
                         : title.empty()                     ? tr("untitled")
                                                             : tr("%1 (unsaved)").arg(t);
    setWindowTitle(QString("%1[*] — OptEq Explorer").arg(name));
    setWindowModified(m_controller->isModified());
}

bool MainWindow::openScene(const QString& path)
{
    QString error;
    if (!m_controller->openFile(path, &error)) {
        showError(tr("Cannot open scene"), tr("%1\n\n%2\n\nThe current scene was kept.").arg(path, error));
        return false;
    }
    // A shipped lesson (from the lessons folder, the command line or Open) is an unsaved copy:
    // Save asks where, and the lessons folder never becomes the folder dialogs start in.
    if (const int lesson = shippedLessonNumber(path)) m_controller->markLessonCopy(lesson);
    else QSettings().setValue("lastDir", QFileInfo(path).absolutePath());
    QSettings().setValue("lastScene", path);
    addRecent(path);
    updateTitle();
    setPlayhead(-1);   // also clears the playback status line of the previous scene
    showSceneWindow(m_controller->scene());
    return true;
}

QWidget* MainWindow::tabNamed(const std::string& name) const
{
    // sceneWindowTabs() lists the tabs in the window's order (the constructor checks the count).
    const auto& names = sceneWindowTabs();
    const auto it = std::find(names.begin(), names.end(), name);
    return it == names.end() ? nullptr : m_tabs->widget(int(it - names.begin()));
}

void MainWindow::showSceneWindow(const Scene& scene)
{
    if (scene.window.tab.empty() && !scene.window.phasePlane) {
        if (scene.hasTraining) m_tabs->setCurrentWidget(m_trainPanel);   // a network opens where it trains
        return;
    }
    // A scene that says where it is about sets the switches it names (the phase plane off when it
    // does not ask for it: the previous lesson's overlay is not this one's subject).
    m_phaseBox->setChecked(scene.window.phasePlane);
    if (QWidget* tab = tabNamed(scene.window.tab)) m_tabs->setCurrentWidget(tab);
    else if (scene.hasTraining) m_tabs->setCurrentWidget(m_trainPanel);
}

SceneWindow MainWindow::sceneWindow() const
{
    SceneWindow w;
    const int i = m_tabs->currentIndex();
    if (i >= 0 && i < int(sceneWindowTabs().size())) w.tab = sceneWindowTabs()[size_t(i)];
    w.phasePlane = m_phaseBox->isChecked();
    return w;
}

void MainWindow::openLesson(const QString& resourcePath)
{
    QFile f(resourcePath);
    if (!f.open(QIODevice::ReadOnly)) { showError(tr("Lesson"), tr("Cannot read %1").arg(resourcePath)); return; }
    const SceneResult r = parseScene(f.readAll());
    if (!r.ok()) { showError(tr("Lesson"), QString::fromStdString(r.error)); return; }
    m_controller->resetScene(*r.scene, {});   // lessons open as untitled copies: saving never touches the bundle
    m_controller->markLessonCopy(shippedLessonNumber(resourcePath));
    updateTitle();
    setPlayhead(-1);   // also clears the playback status line of the previous scene
    showSceneWindow(*r.scene);   // the tab the lesson's text is about (a network lesson: Train)
}

void MainWindow::showLessonGallery()
{
    if (!maybeSave()) return;
    auto* d = new QDialog(this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    d->setWindowTitle(tr("Lessons"));
    auto* l = new QVBoxLayout(d);
    l->addWidget(new QLabel(tr("Pick a lesson: each is a plain scene file you can save, edit and share.")));
    auto* list = new QListWidget;
    const QStringList files = QDir(":/lessons").entryList({"*.opteq.json"}, QDir::Files, QDir::Name);
    for (const QString& f : files) {
        QFile file(":/lessons/" + f);
        file.open(QIODevice::ReadOnly);
        const SceneResult r = parseScene(file.readAll());
        // Numbered as the files are (lessons refer to each other by number: "open lesson 14").
        const QString number = f.section('-', 0, 0);
        auto* item = new QListWidgetItem(number.toInt() > 0 ? QString("%1 · %2").arg(number.toInt()).arg(r.ok() ? QString::fromStdString(r.scene->title) : f)
                                                            : (r.ok() ? QString::fromStdString(r.scene->title) : f));
        item->setData(Qt::UserRole, ":/lessons/" + f);
        if (r.ok()) item->setToolTip(QString::fromStdString(r.scene->notes).left(400));
        list->addItem(item);
    }
    list->setCurrentRow(0);
    l->addWidget(list);
    auto* bb = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Close);
    l->addWidget(bb);
    auto open = [this, list, d] {
        if (QListWidgetItem* it = list->currentItem()) openLesson(it->data(Qt::UserRole).toString());
        d->accept();
    };
    connect(bb, &QDialogButtonBox::accepted, d, open);
    connect(bb, &QDialogButtonBox::rejected, d, &QDialog::reject);
    connect(list, &QListWidget::itemDoubleClicked, d, open);
    d->resize(520, 420);
    d->show();
}

bool MainWindow::save()
{
    if (m_controller->filePath().isEmpty()) return saveAs();
    QString error;
    if (!m_controller->saveFile(m_controller->filePath(), &error, sceneWindow())) {
        showError(tr("Save failed"), tr("%1\n\nThe file on disk was left as it was.").arg(error));
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(m_controller->filePath()), 4000);
    return true;
}

QString MainWindow::dialogStart(const QString& name) const { return lastDir() + "/" + name; }

bool MainWindow::saveAs()
{
    // Suggested name: the file's own, "my-<lesson file>" for a lesson copy, else from the title.
    QString name = QFileInfo(m_controller->filePath()).fileName();
    if (name.isEmpty() && m_controller->lessonCopyOf() > 0) name = "my-" + QFileInfo(m_controller->sourcePath()).fileName();
    if (name == "my-") name.clear();   // a lesson from the bundle: named by its title below
    if (name.isEmpty()) {
        QString slug = QString::fromStdString(m_controller->scene().title).toLower();
        slug.replace(QRegularExpression("[^a-z0-9]+"), "-");
        slug = slug.section('-', 0, 5, QString::SectionSkipEmpty);
        name = (slug.isEmpty() ? QString("scene") : slug) + ".opteq.json";
    }
    QString path = QFileDialog::getSaveFileName(this, tr("Save scene"), dialogStart(name), tr("OptEq scenes (*.opteq.json)"));
    if (path.isEmpty()) return false;
    if (!path.endsWith(".json")) path += ".opteq.json";
    return saveSceneTo(path);
}

bool MainWindow::saveSceneTo(const QString& path)
{
    if (const int lesson = shippedLessonNumber(path); lesson > 0 && QFileInfo::exists(path)) {
        showError(tr("Not saved"), tr("%1 is shipped lesson %2; it is not overwritten. Save your copy under another name or "
                                      "in another folder.").arg(path).arg(lesson));
        return false;
    }
    QString error;
    if (!m_controller->saveFile(path, &error, sceneWindow())) {
        showError(tr("Save failed"), tr("%1\n\nThe file on disk was left as it was.").arg(error));
        return false;
    }
    addRecent(path);
    QSettings().setValue("lastScene", path);
    QSettings().setValue("lastDir", QFileInfo(path).absolutePath());
    updateTitle();
    return true;
}

bool MainWindow::maybeSave()
{
    if (!m_controller->isModified()) return true;
    // No destructive default: Return and Escape both mean Cancel (Return used to save over the file).
    QMessageBox box(QMessageBox::Question, tr("Unsaved changes"), tr("The scene has unsaved changes. Save them?"),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setDefaultButton(QMessageBox::Cancel);
    box.setEscapeButton(QMessageBox::Cancel);
    const auto answer = QMessageBox::StandardButton(box.exec());
    if (answer == QMessageBox::Save) return save();
    return answer == QMessageBox::Discard;
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!maybeSave()) { event->ignore(); return; }
    m_playTimer.stop();
    m_controller->cancelBasins();
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    if (!m_presentation) settings.setValue("window/state", saveState());
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls[0].isLocalFile()) return;
    if (maybeSave()) openScene(urls[0].toLocalFile());
}

void MainWindow::exportPlot(QWidget* widget, const QString& name)
{
    auto* plot = qobject_cast<QCustomPlot*>(widget);
    if (!plot) return;
    const std::optional<FigureSize> size = askFigureSize(this, plot->size());
    if (!size) return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export figure"), lastDir() + "/" + name + ".pdf",
                                                      tr("PDF (*.pdf);;SVG (*.svg);;PNG (*.png)"));
    if (path.isEmpty()) return;
    const QString e = exportFigure(plot, path, size->width, size->height, size->scale, size->fontScale);
    if (!e.isEmpty()) showError(tr("Export failed"), e);
    else statusBar()->showMessage(tr("Exported %1").arg(path), 4000);
}

bool MainWindow::waitForFigure(const std::function<bool()>& ready, const std::function<bool()>& failed, const QString& what)
{
    if (ready()) return true;
    QProgressDialog progress(tr("Computing %1 for the export…").arg(what), tr("Cancel"), 0, 0, this);
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(400);
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(15);
    connect(&poll, &QTimer::timeout, &loop, [&] {
        if (ready() || failed() || progress.wasCanceled()) loop.quit();
    });
    poll.start();
    loop.exec();
    return ready();
}

QString MainWindow::exportFigure(QWidget* widget, const QString& path, int width, int height, double scale, double fontScale)
{
    auto* plot = qobject_cast<QCustomPlot*>(widget);
    if (!plot) return tr("not a plot");
    const auto sol = m_controller->solution();
    const QString sceneName = m_controller->scene().title.empty() ? tr("untitled scene") : QString::fromStdString(m_controller->scene().title);
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != "png" && suffix != "pdf" && suffix != "svg") return tr("choose a file name ending in .png, .pdf or .svg");
    // A theory figure is computed by a job its tab starts when it is shown: exported before the
    // tab was opened it would be "waiting for a solution". The same job is started here and
    // waited for (the scene changing meanwhile ends the wait).
    if (sol && (plot == m_unitG || plot == m_spectrum || plot == m_rateCut)) {
        auto gone = [this, sol] { return m_controller->solution() != sol; };
        if (plot == m_unitG && m_unitFor != sol) {
            m_theoryJobs->requestUnitLayer(sol);
            if (!waitForFigure([this, sol] { return m_unitFor == sol; }, gone, tr("the unit layer"))) return tr("the unit layer was not computed");
        }
        if (plot == m_spectrum && m_spectrumFor != sol) {
            m_theoryJobs->requestSpectrum(sol, std::max(0, m_spectrumStart->currentIndex()), m_playhead);
            if (!waitForFigure([this, sol] { return m_spectrumFor == sol; }, gone, tr("the spectrum of J"))) return tr("the spectrum was not computed");
        }
        if (plot == m_rateCut && m_cutFor != sol && m_cutParam->count() > 0) {
            m_theoryJobs->requestRateCut(sol, RateParam(m_cutParam->currentData().toInt()), std::max(0, m_spectrumStart->currentIndex()));
            if (!waitForFigure([this, sol] { return m_cutFor == sol; }, gone, tr("the rate sweep"))) return tr("the rate sweep was not computed");
        }
    }
    if (sol && plot == m_unitZ) m_unitZ->setSolution(sol);
    // The maps a button computes (a long job the user starts) are not started by an export: no
    // empty "press Compute" figure either.
    if (auto* b = qobject_cast<BasinView*>(plot); b && !b->map())
        return tr("No basin map to export yet: press Compute on the Basins tab first.");
    if (auto* r = qobject_cast<RateMapView*>(plot); r && !r->map())
        return tr("No rate map to export yet: choose two parameters and press Compute on the Rate map tab first.");
    if (plot == m_trainPanel->decisionView()) return exportDecisionRegions(path, width, height, scale, fontScale);
    // Titles for the figures the window shows without one (its tab names them).
    QString title;
    if (plot == m_landscape && sol) title = m_landscape->phaseMode() ? phaseFigureTitle(sceneName) : landscapeFigureTitle(sceneName, *sol);
    else if (plot == m_residual) title = residualFigureTitle(sceneName, m_controller->scene().solver.tol);
    else title = sceneName;
    return opteq::exportPlot(plot, path, width, height, scale, fontScale, title);
}

QString MainWindow::exportDecisionRegions(const QString& path, int width, int height, double scale, double fontScale)
{
    // The tab's regions are a 72 × 72 grid (blocky in a large figure): solved again, off this
    // thread, at the export's resolution over the box the view shows, with the trained weights
    // the tab shows.
    DecisionView* shown = m_trainPanel->decisionView();
    const auto frame = m_training->frame();
    if (!frame || !frame->scene || !frame->train || !frame->test || frame->map.label.empty() || frame->scene->readout.empty())
        return opteq::exportPlot(shown, path, width, height, scale, fontScale, QString::fromStdString(m_controller->scene().title));
    GridSpec box = frame->map.spec;
    box.x0 = shown->xAxis->range().lower;
    box.x1 = shown->xAxis->range().upper;
    if (frame->map.slice.iy >= 0) {
        box.y0 = shown->yAxis->range().lower;
        box.y1 = shown->yAxis->range().upper;
    }
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    QFuture<DecisionMap> job = QtConcurrent::run([frame, box, width, height, scale, cancel] {
        JobControl control;
        control.cancel = cancel.get();
        return decisionMapForExport(*frame->scene, frame->map.slice, box, width, height, scale, control);
    });
    const bool done = waitForFigure([&job] { return job.isFinished(); }, [] { return false; }, tr("the decision regions"));
    if (!done) {
        cancel->store(true);
        job.waitForFinished();
        return tr("the decision regions were not computed");
    }
    const DecisionMap map = job.result();
    DecisionView v;
    v.resize(width, height);
    v.setData(&map, *frame->train, *frame->test, frame->predicted);
    setPlotTitle(&v, plotTitle(shown));
    return opteq::exportPlot(&v, path, width, height, scale, fontScale);
}

void MainWindow::exportText(const QString& filter, const QString& name, const std::function<QByteArray()>& make)
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export"), lastDir() + "/" + name, filter);
    if (path.isEmpty()) return;
    const QByteArray bytes = make();
    if (bytes.isEmpty()) { showError(tr("Export"), tr("Nothing to export yet: compute it first.")); return; }
    const std::string e = writeFileAtomically(path, bytes);
    if (!e.empty()) showError(tr("Export failed"), QString::fromStdString(e));
    else statusBar()->showMessage(tr("Exported %1").arg(path), 4000);
}

void MainWindow::addRecent(const QString& path)
{
    QSettings settings;
    QStringList recent = settings.value("recentFiles").toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > 8) recent.removeLast();
    settings.setValue("recentFiles", recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    if (!m_recentMenu) return;
    m_recentMenu->clear();
    const QStringList recent = QSettings().value("recentFiles").toStringList();
    for (const QString& p : recent)
        m_recentMenu->addAction(QFileInfo(p).fileName(), this, [this, p] { if (maybeSave()) openScene(p); })->setToolTip(p);
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::showError(const QString& title, const QString& text)
{
    statusBar()->showMessage(text.section('\n', 0, 0), 10000);
    if (qEnvironmentVariableIsSet("OPTEQ_NO_DIALOGS")) return;   // tests: the status bar carries it
    QMessageBox::warning(this, title, text);
}

}  // namespace opteq

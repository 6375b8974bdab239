// SPDX-License-Identifier: GPL-3.0-or-later
// Saving protects the shipped lessons (issue 19): a lesson opened from the lessons folder, from
// the command line (MainWindow::openScene, what main() calls) or the menu, is an unsaved copy:
// Save asks where, the title says "copy of lesson N", the lesson file is never written; file
// dialogs start in the last-used folder or home, never in the lessons folder as
// "scene.opteq.json"; the unsaved-changes prompt's default (Return) is Cancel.
#include "Controller.h"
#include "MainWindow.h"
#include "TestHelpers.h"
#include "WindowTestHelpers.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QUndoStack>

using namespace opteq;

namespace {
// A copy of the shipped lessons folder (".../lessons/NN-….opteq.json"), as the app finds it.
QString copyLessons(const QTemporaryDir& tmp)
{
    const QString dir = tmp.filePath("resources/lessons");
    QDir().mkpath(dir);
    const QDir src(sourcePath("resources/lessons"));
    for (const QString& f : src.entryList({"*.opteq.json"})) QFile::copy(src.filePath(f), dir + "/" + f);
    return dir;
}
QByteArray bytesOf(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
// Runs `inspect` on the first modal dialog that opens (then the dialog is closed by it).
void onNextModal(std::function<void(QWidget*)> inspect)
{
    auto* timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, inspect] {
        if (QWidget* m = QApplication::activeModalWidget()) {
            timer->stop();
            timer->deleteLater();
            inspect(m);
        }
    });
    timer->start();
}
void editSomething(MainWindow& w)
{
    Scene s = w.controller()->scene();
    s.W(0, 0) *= 0.5;
    w.controller()->editScene(s, "test edit");
}
}  // namespace

class TestSaving : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("OPTEQ_NO_DIALOGS", "1");
        QSettings().clear();
    }

    void lessonFromTheCommandLineIsAnUnsavedCopy()
    {
        QTemporaryDir tmp;
        const QString lessons = copyLessons(tmp);
        const QString path = lessons + "/10-tanh-saturation.opteq.json";
        const QByteArray before = bytesOf(path);
        QVERIFY(!before.isEmpty());
        MainWindow w;
        w.show();
        QVERIFY(w.openScene(path));   // what `opteq-explorer resources/lessons/10-….json` does
        QVERIFY(settle(w));
        QVERIFY2(w.controller()->filePath().isEmpty(), qPrintable("Save would write " + w.controller()->filePath()));
        QVERIFY2(w.windowTitle().contains("copy of lesson 10"), qPrintable(w.windowTitle()));
        editSomething(w);
        // Save asks where: a dialog opens, not in the lessons folder, not named scene.opteq.json.
        QString shownDir, shownName;
        bool asked = false;
        onNextModal([&](QWidget* m) {
            asked = true;
            if (auto* d = qobject_cast<QFileDialog*>(m)) {
                shownDir = d->directory().absolutePath();
                shownName = d->selectedFiles().value(0);
            }
            m->close();
        });
        QVERIFY(!w.save());   // the dialog was closed: nothing saved
        QVERIFY2(asked, "Save wrote without asking where");
        QVERIFY2(QFileInfo(shownDir).canonicalFilePath() != QFileInfo(lessons).canonicalFilePath(), qPrintable(shownDir));
        QVERIFY2(!shownName.endsWith("/scene.opteq.json"), qPrintable(shownName));
        QCOMPARE(bytesOf(path), before);
        // The last-used folder is not the lessons folder either.
        QVERIFY2(QFileInfo(QSettings().value("lastDir").toString()).canonicalFilePath() != QFileInfo(lessons).canonicalFilePath(),
                 qPrintable(QSettings().value("lastDir").toString()));
        w.controller()->undoStack()->setClean();   // no prompt on close
    }

    void savingACopyOverTheLessonIsRefused()
    {
        QTemporaryDir tmp;
        const QString lessons = copyLessons(tmp);
        const QString path = lessons + "/04-ray-of-equilibria.opteq.json";
        const QByteArray before = bytesOf(path);
        MainWindow w;
        QVERIFY(w.openScene(path));
        editSomething(w);
        QString error;
        QVERIFY(!w.saveSceneTo(path));   // what Save As does with the path the dialog returns
        QCOMPARE(bytesOf(path), before);
        // Elsewhere it saves, and from then on Save writes there.
        const QString mine = tmp.filePath("mine.opteq.json");
        QVERIFY(w.saveSceneTo(mine));
        QCOMPARE(w.controller()->filePath(), mine);
        QVERIFY(!w.windowTitle().contains("copy of lesson"));
    }

    void lessonFromTheMenuIsACopyToo()
    {
        MainWindow w;
        w.openLesson(":/lessons/14-phase-plane-contraction-to-segment.opteq.json");
        QVERIFY(w.controller()->filePath().isEmpty());
        QVERIFY2(w.windowTitle().contains("copy of lesson 14"), qPrintable(w.windowTitle()));
    }

    void dialogsStartInTheLastFolderOrHome()
    {
        QSettings().remove("lastDir");
        MainWindow w;
        QCOMPARE(w.dialogStart("x.pdf"), QDir::homePath() + "/x.pdf");
        QTemporaryDir tmp;
        const QString lessons = copyLessons(tmp);
        QSettings().setValue("lastDir", lessons);   // left there by an older version
        QCOMPARE(w.dialogStart("x.pdf"), QDir::homePath() + "/x.pdf");
        QSettings().setValue("lastDir", tmp.path());
        QCOMPARE(w.dialogStart("x.pdf"), tmp.path() + "/x.pdf");
    }

    void unsavedChangesPromptDefaultsToCancel()
    {
        QTemporaryDir tmp;
        const QString path = tmp.filePath("mine.opteq.json");
        QVERIFY(QFile::copy(sourcePath("resources/lessons/01-contraction.opteq.json"), path));
        QFile(path).setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        const QByteArray before = bytesOf(path);
        MainWindow w;
        w.show();
        QVERIFY(w.openScene(path));
        QCOMPARE(w.controller()->filePath(), path);   // not a lessons folder: an ordinary file
        editSomething(w);
        QString defaultText;
        onNextModal([&](QWidget* m) {
            if (auto* box = qobject_cast<QMessageBox*>(m))
                if (QPushButton* b = box->defaultButton()) defaultText = box->buttonRole(b) == QMessageBox::RejectRole ? "cancel" : b->text();
            QTest::keyClick(m, Qt::Key_Return);
        });
        QVERIFY2(!w.maybeSave(), "Return saved or discarded");
        QCOMPARE(defaultText, QString("cancel"));
        QCOMPARE(bytesOf(path), before);
        QVERIFY(w.controller()->isModified());
        w.controller()->undoStack()->setClean();
    }
};

QTEST_MAIN(TestSaving)
#include "tst_saving.moc"

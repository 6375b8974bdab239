// SPDX-License-Identifier: GPL-3.0-or-later
// A scene's "window" (issue #19): a lesson opens on the tab its text is about, with the switches it
// names; saving writes the tab the window shows; a scene without one opens where it always did.
#include "MainWindow.h"
#include "SceneIO.h"
#include "TestHelpers.h"
#include "WindowTestHelpers.h"

#include <QCheckBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>

using namespace opteq;

namespace {
QString currentTab(const MainWindow& w) { return w.tabs()->tabText(w.tabs()->currentIndex()).remove('&'); }
}  // namespace

class TestSceneWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("OPTEQ_NO_DIALOGS", "1");
    }

    // The names a file may give are the window's tabs, in its order.
    void tabNamesAreTheWindowsTabs()
    {
        MainWindow w;
        const QStringList texts{"Landscape", "Basins", "Rate map", "Before / after R", "Train", "Theory", "Unit layer"};
        QCOMPARE(int(sceneWindowTabs().size()), w.tabs()->count());
        for (int i = 0; i < w.tabs()->count(); ++i) {
            QCOMPARE(w.tabs()->tabText(i).remove('&'), texts[i]);
            QCOMPARE(w.tabNamed(sceneWindowTabs()[size_t(i)]), w.tabs()->widget(i));
        }
        QCOMPARE(w.tabNamed("phase"), nullptr);
    }

    void lessonsOpenOnTheirTab()
    {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        w.openLesson(":/lessons/15-the-unit-layer.opteq.json");
        QCOMPARE(currentTab(w), QString("Unit layer"));
        QVERIFY(settle(w));
        QCOMPARE(currentTab(w), QString("Unit layer"));   // the solve does not move it
        w.openLesson(":/lessons/14-phase-plane-contraction-to-segment.opteq.json");
        QCOMPARE(currentTab(w), QString("Landscape"));
        QVERIFY(w.phaseToggle()->isChecked());
        w.openLesson(":/lessons/12-implicit-layer-learns-moons.opteq.json");
        QCOMPARE(currentTab(w), QString("Train"));
        // The next lesson's subject is not the phase plane: its overlay goes off.
        QVERIFY(!w.phaseToggle()->isChecked());
        w.openLesson(":/lessons/17-equilibrium-of-an-image.opteq.json");
        QCOMPARE(currentTab(w), QString("Landscape"));   // a trained network, about its one equilibrium
        w.openLesson(":/lessons/06-sparsity-prior.opteq.json");
        QCOMPARE(currentTab(w), QString("Before / after R"));
        // Opening the file (Open, recent files, drag and drop) does the same.
        QVERIFY(w.openScene(sourcePath("resources/lessons/15-the-unit-layer.opteq.json")));
        QCOMPARE(currentTab(w), QString("Unit layer"));
    }

    void savingWritesTheCurrentTab()
    {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        w.openLesson(":/lessons/15-the-unit-layer.opteq.json");
        QVERIFY(settle(w));
        w.tabs()->setCurrentWidget(w.tabNamed("theory"));
        QTemporaryDir dir;
        const QString path = dir.filePath("mine.opteq.json");
        QVERIFY(w.saveSceneTo(path));
        const SceneResult r = loadScene(path);
        QVERIFY2(r.ok(), r.error.c_str());
        QCOMPARE(r.scene->window, (SceneWindow{"theory", false}));
        QVERIFY(!w.controller()->isModified());   // where it is shown is not an edit
        // Landscape with the phase plane, saved and opened in another window: shown the same.
        w.tabs()->setCurrentWidget(w.tabNamed("landscape"));
        w.phaseToggle()->setChecked(true);
        QVERIFY(w.save());
        QCOMPARE(loadScene(path).scene->window, (SceneWindow{"landscape", true}));
        MainWindow other;
        other.tabs()->setCurrentWidget(other.tabNamed("rate-map"));
        QVERIFY(other.openScene(path));
        QCOMPARE(currentTab(other), QString("Landscape"));
        QVERIFY(other.phaseToggle()->isChecked());
    }

    // A scene without "window" opens where the window is (a network on Train), as before.
    void aSceneWithoutAWindowKeepsTheTab()
    {
        QTemporaryDir dir;
        const QString plain = dir.filePath("plain.opteq.json");
        QCOMPARE(saveScene(defaultScene(), plain), std::string());
        QVERIFY(!QString::fromUtf8(sceneToJson(defaultScene())).contains("\"window\""));
        MainWindow w;
        w.tabs()->setCurrentWidget(w.tabNamed("theory"));
        QVERIFY(w.openScene(plain));
        QCOMPARE(currentTab(w), QString("Theory"));
        Scene net = *loadScene(sourcePath("resources/lessons/12-implicit-layer-learns-moons.opteq.json")).scene;
        net.window = {};
        const QString trains = dir.filePath("net.opteq.json");
        QCOMPARE(saveScene(net, trains), std::string());
        QVERIFY(w.openScene(trains));
        QCOMPARE(currentTab(w), QString("Train"));
    }
};

QTEST_MAIN(TestSceneWindow)
#include "tst_scene_window.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// OptEq Explorer: `opteq-explorer [SCENE]`. Opens SCENE, else the last scene, else the first
// lesson (and the lesson gallery on first start).
#include "MainWindow.h"
#include "OpenMpPolicy.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QSettings>
#include <QTimer>

int main(int argc, char** argv)
{
    opteq::ensurePassiveOpenMP(argv);
    QApplication app(argc, argv);
    QApplication::setOrganizationName("OptEqExplorer");
    QApplication::setApplicationName("OptEq Explorer");
    QApplication::setApplicationVersion("0.1.0");
    QCommandLineParser parser;
    parser.setApplicationDescription("Explore Optimization Induced Equilibrium Networks");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("scene", "A scene file (*.opteq.json) to open");
    parser.process(app);

    opteq::MainWindow window;
    QSettings settings;
    const QStringList args = parser.positionalArguments();
    const QString last = settings.value("lastScene").toString();
    if (!args.isEmpty()) {
        window.openScene(args[0]);
    } else if (!last.isEmpty() && QFileInfo::exists(last)) {
        window.openScene(last);
    } else {
        window.openLesson(":/lessons/01-contraction.opteq.json");
        if (!settings.value("firstStartDone").toBool()) {
            settings.setValue("firstStartDone", true);
            QTimer::singleShot(300, &window, &opteq::MainWindow::showLessonGallery);
        }
    }
    window.show();
    return app.exec();
}

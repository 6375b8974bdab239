// SPDX-License-Identifier: GPL-3.0-or-later
// OptEq Explorer: `opteq-explorer [SCENE]`. Opens SCENE, else the last scene, else the first
// lesson (and the lesson gallery on first start).
// `opteq-explorer --screenshots DIR [--screen WxH] [--presentation]`: the screenshot tour (Tour.h),
// rendered offscreen on a screen of that size with throw-away settings, then exits.
#include "MainWindow.h"
#include "OpenMpPolicy.h"
#include "Tour.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>
#include <cstring>
#include <memory>

namespace {

// The tour's screen, before QApplication exists (the platform plugin reads it at start): the
// offscreen plugin with one screen of the asked size. Returns the temporary folder that holds the
// plugin's configuration and the tour's settings, or null when this is not a tour.
std::unique_ptr<QTemporaryDir> prepareTour(int argc, char** argv)
{
    bool tour = false;
    int width = 1366, height = 768;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--screenshots")) tour = true;
        if (!std::strcmp(argv[i], "--screen") && i + 1 < argc &&
            (std::sscanf(argv[i + 1], "%dx%d", &width, &height) != 2 || width < 320 || height < 240 || width > 16384 || height > 16384)) {
            std::fprintf(stderr, "opteq-explorer: --screen %s: expected WIDTHxHEIGHT, e.g. 1366x768 (320x240 to 16384x16384)\n", argv[i + 1]);
            std::exit(2);
        }
    }
    if (!tour) return nullptr;
    auto dir = std::make_unique<QTemporaryDir>();
    const QString config = dir->filePath("screen.json");
    QFile f(config);
    if (!dir->isValid() || !f.open(QIODevice::WriteOnly)) {
        std::fprintf(stderr, "opteq-explorer: cannot write a temporary file for the offscreen screen\n");
        std::exit(1);
    }
    f.write(QString(R"({"windowFrameMargins": false, "screens": [{"name": "tour", "x": 0, "y": 0, "width": %1, "height": %2, "logicalDpi": 96, "dpr": 1}]})")
                .arg(width).arg(height).toUtf8());
    f.close();
    qputenv("QT_QPA_PLATFORM", ("offscreen:configfile=" + config).toUtf8());
    return dir;
}

}  // namespace

int main(int argc, char** argv)
{
    opteq::ensurePassiveOpenMP(argv);
    const std::unique_ptr<QTemporaryDir> tourDir = prepareTour(argc, argv);
    QApplication app(argc, argv);
    QApplication::setOrganizationName("OptEqExplorer");
    QApplication::setApplicationName("OptEq Explorer");
    QApplication::setApplicationVersion("0.1.0");
    QCommandLineParser parser;
    parser.setApplicationDescription("Explore Optimization Induced Equilibrium Networks");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("scene", "A scene file (*.opteq.json) to open");
    const QCommandLineOption shots("screenshots", "Open every lesson, visit every tab with its figure computed, write one PNG each and contact-sheet.png to DIR, then exit.", "DIR");
    const QCommandLineOption screen("screen", "The screen the tour renders on (default 1366x768).", "WxH");
    const QCommandLineOption presentation("presentation", "Take the tour in presentation mode (F11).");
    const QCommandLineOption only("lesson", "With --screenshots: only the lessons whose file name contains TEXT (e.g. 12).", "TEXT");
    parser.addOptions({shots, screen, presentation, only});
    parser.process(app);

    if (tourDir) {
        // Throw-away settings: the tour neither reads the user's window layout nor writes it.
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, tourDir->path());
        QSettings().setValue("firstStartDone", true);
        opteq::MainWindow window;
        window.show();
        opteq::TourOptions options;
        options.dir = parser.value(shots);
        options.presentation = parser.isSet(presentation);
        for (const QString& l : opteq::tourLessons())
            if (!parser.isSet(only) || l.section('/', -1).contains(parser.value(only))) options.lessons << l;
        if (options.lessons.isEmpty()) {
            std::fprintf(stderr, "opteq-explorer: --lesson %s: no lesson's file name contains it\n", qPrintable(parser.value(only)));
            return 2;
        }
        int problems = 0;
        const auto all = opteq::runTour(window, options, [&](const opteq::TourShot& s) {
            std::printf("%s\n", qPrintable(s.file));
            for (const QString& p : s.problems) std::printf("  problem: %s\n", qPrintable(p));
            problems += int(s.problems.size());
            std::fflush(stdout);
        });
        const QString sheet = QDir(options.dir).filePath("contact-sheet.png");
        if (!opteq::contactSheet(all).save(sheet)) {
            std::fprintf(stderr, "opteq-explorer: cannot write %s\n", qPrintable(sheet));
            return 1;
        }
        std::printf("%s\n%zu shots, %d layout problems\n", qPrintable(sheet), all.size(), problems);
        return 0;
    }

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

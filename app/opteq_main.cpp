// SPDX-License-Identifier: GPL-3.0-or-later
// `opteq`: the explorer's engine from the command line. Needs no display: figure export renders
// offscreen (QT_QPA_PLATFORM defaults to offscreen here).
#include "CliCommands.h"

#include <QCoreApplication>
#ifdef OPTEQ_WITH_FIGURES
#include <QApplication>
#endif

int main(int argc, char** argv)
{
    QStringList args;
    for (int i = 1; i < argc; ++i) args << QString::fromLocal8Bit(argv[i]);
    QTextStream out(stdout), err(stderr);
#ifdef OPTEQ_WITH_FIGURES
    if (!args.isEmpty() && args[0] == "export") {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
        QApplication app(argc, argv);
        return opteq::runCli(args, out, err);
    }
#endif
    QCoreApplication app(argc, argv);
    return opteq::runCli(args, out, err);
}

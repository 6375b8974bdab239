// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Shared by the command-line tests: run the built `opteq` (OPTEQ_CLI_PATH) and collect its exit
// code and output.
#include <QByteArray>
#include <QProcess>
#include <QStringList>

struct Run { int code; QByteArray out, err; };

// code -1: timed out (5 min); -2: crashed.
inline Run opteqRun(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral(OPTEQ_CLI_PATH), args);
    if (!p.waitForFinished(300000)) return {-1, {}, "timeout"};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2, p.readAllStandardOutput(), p.readAllStandardError()};
}

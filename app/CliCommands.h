// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The `opteq` command line (SCENES.md), callable in-process so tests can drive it.
// Exit status: 0 success, 2 bad input or usage, 1 anything else.
#include <QStringList>
#include <QTextStream>

namespace opteq {

int runCli(const QStringList& args, QTextStream& out, QTextStream& err);

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// `opteq export`: the GUI's figures rendered without a display (offscreen platform), from a scene.
#include "Scene.h"

#include <QString>
#include <QTextStream>

namespace opteq {

// plot: landscape | residual | basins | activation; out: .png, .pdf or .svg.
// Returns the opteq exit status (0, 1 or 2).
int exportFigure(const Scene& scene, const QString& scenePath, const QString& plot, const QString& out, QTextStream& err);

}  // namespace opteq

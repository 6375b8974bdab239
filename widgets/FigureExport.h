// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// `opteq export`: the GUI's figures rendered without a display (offscreen platform), from a scene.
#include "Scene.h"

#include <QString>
#include <QTextStream>

namespace opteq {

struct FigureOptions {
    int width = 900, height = 700;   // pixels (PDF/SVG: points)
    double scale = 1.0;              // PNG pixel density
    double fontScale = 1.0;          // fonts, lines and markers
    bool prior = true;               // basins: with the scene's prior (as in the scene) or without
    QString log;                     // curves: the CSV of `opteq train --log`
};

// plot: landscape | residual | basins | activation | phase | spectrum | unit-layer, or for a trained
// scene decision | curves (needs options.log) | equilibria; out: .png, .pdf or .svg. Every figure has a
// title naming the scene and what is shown, and its colour key or legend.
// Returns the opteq exit status (0, 1 or 2).
int exportFigure(const Scene& scene, const QString& scenePath, const QString& plot, const QString& out, const FigureOptions& options,
                 QTextStream& err);
// The Train tab's figures (TrainFigureExport.cpp); exportFigure dispatches to it.
int exportTrainingFigure(const Scene& scene, const QString& scenePath, const QString& plot, const QString& out,
                         const FigureOptions& options, QTextStream& err);

}  // namespace opteq

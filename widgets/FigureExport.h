// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// `opteq export`: the GUI's figures rendered without a display (offscreen platform), from a scene.
#include "DecisionMap.h"
#include "Scene.h"
#include "SceneSolution.h"

#include <QString>
#include <QTextStream>

namespace opteq {

struct FigureOptions {
    int width = 900, height = 700;   // pixels (PDF/SVG: the same figure units, exportFontDpi() per inch)
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

// The titles of figures the window shows untitled, for `opteq export` and File › Export alike.
QString landscapeFigureTitle(const QString& sceneName, const SceneSolution& solution);
QString phaseFigureTitle(const QString& sceneName);
QString residualFigureTitle(const QString& sceneName, double tol);

// The decision regions of a trained scene over `box` (slice's two inputs) at an export's
// resolution: one cell per ~3 output pixels (scale: PNG density), 72 to 400 a side; a 1-D slice
// gets 2 rows. Any thread; what `opteq export --plot decision` and the window's export draw.
DecisionMap decisionMapForExport(const Scene& trained, const InputSlice& slice, GridSpec box, int width, int height, double scale,
                                 const JobControl& job = {});

}  // namespace opteq

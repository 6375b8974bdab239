// SPDX-License-Identifier: GPL-3.0-or-later
#include "FigureExport.h"

#include "ActivationPlot.h"
#include "BasinView.h"
#include "LandscapeView.h"
#include "PlotExport.h"
#include "ResidualPlot.h"

#include <QFileInfo>

namespace opteq {

int exportFigure(const Scene& scene, const QString& scenePath, const QString& plot, const QString& out, QTextStream& err)
{
    static const QStringList plots{"landscape", "residual", "basins", "activation"};
    if (!plots.contains(plot)) {
        err << "opteq: --plot must be one of landscape, residual, basins, activation\n";
        return 2;
    }
    const QString suffix = QFileInfo(out).suffix().toLower();
    if (suffix != "png" && suffix != "pdf" && suffix != "svg") {
        err << "opteq: --out must end in .png, .pdf or .svg\n";
        return 2;
    }
    const int w = 900, h = 700;
    QString error;
    auto solution = std::make_shared<const SceneSolution>(solveScene(scene));
    if (plot == "landscape") {
        LandscapeView v;
        v.resize(w, h);
        v.setSolution(solution);
        v.plotLayout()->insertRow(0);
        v.plotLayout()->addElement(0, 0, new QCPTextElement(&v, QString::fromStdString(scene.title)));
        error = exportPlot(&v, out, w, h);
    } else if (plot == "residual") {
        ResidualPlot v;
        v.resize(w, h);
        v.setSolution(solution, scene.solver.tol);
        error = exportPlot(&v, out, w, h);
    } else if (plot == "basins") {
        const Model model = scene.model();
        const SolverContext ctx(model, scene.input, scene.solver, scene.prior);
        GridSpec g = solution->view.grid;
        g.nx = g.ny = 256;
        auto map = std::make_shared<const BasinMap>(computeBasins(ctx, solution->view.plane, g));
        const double tol = endTolerance(ctx);
        BasinView v;
        v.resize(w, h);
        const BasinColouring colouring = basinColouring({map.get()}, tol);
        v.setMap(map, colouring, scene.solver.maxIter, QString::fromStdString(scene.title) + " — basins",
                 basinSummaryText(summarizeBasins(*map, tol), tol, scene.solver.maxIter));
        error = exportPlot(&v, out, w, h);
    } else {
        ActivationPlot v;
        v.resize(w, h);
        const LayerSpec& l = scene.layers.front();
        std::vector<Regularizer> regs = scene.regularizers;
        regs.insert(regs.end(), l.regularizers.begin(), l.regularizers.end());
        v.setOperator(ProxOperator(l.activation, regs), QString("layer 1: %1").arg(Activation::typeName(l.activation.type)));
        error = exportPlot(&v, out, w, h);
    }
    if (!error.isEmpty()) {
        err << "opteq: " << QFileInfo(scenePath).fileName() << ": " << error << "\n";
        return 1;
    }
    return 0;
}

}  // namespace opteq

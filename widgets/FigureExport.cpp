// SPDX-License-Identifier: GPL-3.0-or-later
#include "FigureExport.h"

#include "ActivationPlot.h"
#include "BasinView.h"
#include "LandscapeView.h"
#include "PlotExport.h"
#include "PlotStyle.h"
#include "ResidualPlot.h"

#include <QFileInfo>

namespace opteq {

int exportFigure(const Scene& scene, const QString& scenePath, const QString& plot, const QString& out, const FigureOptions& options,
                 QTextStream& err)
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
    const int w = options.width, h = options.height;
    const QString name = scene.title.empty() ? QFileInfo(scenePath).completeBaseName() : QString::fromStdString(scene.title);
    auto save = [&](QCustomPlot* p) { return exportPlot(p, out, w, h, options.scale, options.fontScale); };
    QString error;
    auto solution = std::make_shared<const SceneSolution>(solveScene(scene));
    if (plot == "landscape") {
        LandscapeView v;
        v.resize(w, h);
        v.setSolution(solution);
        setPlotTitle(&v, QString("%1 — E over %2").arg(name, QString::fromStdString(solution->view.description)));
        error = save(&v);
    } else if (plot == "residual") {
        ResidualPlot v;
        v.resize(w, h);
        v.setSolution(solution, scene.solver.tol);
        setPlotTitle(&v, QString("%1 — residuals (tolerance %2)").arg(name).arg(scene.solver.tol));
        error = save(&v);
    } else if (plot == "basins") {
        const Model model = scene.model();
        const bool prior = options.prior && scene.prior.type != PriorType::None;
        const Model plain = prior ? Model() : model.withoutRegularizers();   // the context keeps a reference: no temporary
        const SolverContext ctx(prior ? model : plain, scene.input, scene.solver, prior ? scene.prior : PriorSettings{});
        GridSpec g = solution->view.grid;
        g.nx = g.ny = 256;
        auto map = std::make_shared<const BasinMap>(computeBasins(ctx, solution->view.plane, g));
        const double tol = endTolerance(ctx);
        BasinView v;
        v.resize(w, h);
        const BasinColouring colouring = basinColouring({map.get()}, tol);
        const QString what = prior
                                 ? QString("%1 on %2").arg(PriorSettings::typeName(scene.prior.type), SolverSettings::methodName(scene.solver.method))
                                 : QString(SolverSettings::methodName(scene.solver.method));
        v.setMap(map, colouring, scene.solver.maxIter, QString("%1 — basins of %2 (256 × 256)").arg(name, what),
                 basinSummaryText(summarizeBasins(*map, tol), tol, scene.solver.maxIter));
        error = save(&v);
    } else {
        ActivationPlot v;
        v.resize(w, h);
        const LayerSpec& l = scene.layers.front();
        std::vector<Regularizer> regs = scene.regularizers;
        regs.insert(regs.end(), l.regularizers.begin(), l.regularizers.end());
        v.setOperator(ProxOperator(l.activation, regs), QString("%1 — layer 1: %2").arg(name, Activation::typeName(l.activation.type)));
        error = save(&v);
    }
    if (!error.isEmpty()) {
        err << "opteq: " << QFileInfo(scenePath).fileName() << ": " << error << "\n";
        return 1;
    }
    return 0;
}

}  // namespace opteq

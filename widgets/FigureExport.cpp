// SPDX-License-Identifier: GPL-3.0-or-later
#include "FigureExport.h"
#include "Names.h"

#include "ActivationPlot.h"
#include "BasinView.h"
#include "LandscapeView.h"
#include "PlotExport.h"
#include "PlotStyle.h"
#include "ResidualPlot.h"
#include "Solve.h"
#include "TheoryPlots.h"

#include <QFileInfo>

namespace opteq {

QString landscapeFigureTitle(const QString& sceneName, const SceneSolution& solution)
{
    return QString("%1 — E over %2").arg(sceneName, QString::fromStdString(solution.view.description));
}

QString phaseFigureTitle(const QString& sceneName) { return QString("%1 — phase plane: T(z) − z, nullclines").arg(sceneName); }

QString residualFigureTitle(const QString& sceneName, double tol) { return QString("%1 — residuals (tolerance %2)").arg(sceneName).arg(tol); }

int exportFigure(const Scene& scene, const QString& scenePath, const QString& plot, const QString& out, const FigureOptions& options,
                 QTextStream& err)
{
    static const QStringList plots{"landscape", "residual", "basins",   "activation", "phase",
                                   "spectrum",  "unit-layer", "decision", "curves",   "equilibria",
                                   "samples",   "confusion",  "filters"};
    if (!plots.contains(plot)) {
        err << "opteq: --plot must be one of " << plots.join(", ") << "\n";
        return 2;
    }
    const QString suffix = QFileInfo(out).suffix().toLower();
    if (suffix != "png" && suffix != "pdf" && suffix != "svg") {
        err << "opteq: --out must end in .png, .pdf or .svg\n";
        return 2;
    }
    if (!options.log.isEmpty() && plot != "curves") err << "opteq: note: --log is read by --plot curves only; it is ignored here\n";
    if (plot == "decision" || plot == "curves" || plot == "equilibria" || plot == "samples" || plot == "confusion" || plot == "filters") return exportTrainingFigure(scene, scenePath, plot, out, options, err);
    const int w = options.width, h = options.height;
    const QString name = scene.title.empty() ? QFileInfo(scenePath).completeBaseName() : QString::fromStdString(scene.title);
    auto save = [&](QCustomPlot* p) { return exportPlot(p, out, w, h, options.scale, options.fontScale); };
    QString error;
    auto solution = std::make_shared<const SceneSolution>(solveScene(scene));
    if (plot == "landscape") {
        LandscapeView v;
        v.resize(w, h);
        v.setSolution(solution);
        setPlotTitle(&v, landscapeFigureTitle(name, *solution));
        error = save(&v);
    } else if (plot == "phase") {
        // The landscape with the phase plane over its own box (21 × 21 arrows, as in the window).
        LandscapeView v;
        v.resize(w, h);
        v.setSolution(solution);
        v.setPhaseMode(true);
        const Eigen::VectorXd c = solution->model->bias(scene.input);
        GridSpec box = solution->view.grid;
        v.setPhaseField(std::make_shared<const PhaseField>(computePhaseField(*solution->model, c, solution->view.plane, box, 21)),
                        solution);
        setPlotTitle(&v, phaseFigureTitle(name));
        error = save(&v);
    } else if (plot == "spectrum") {
        if (solution->runs.empty() || solution->runs[0].traces.empty()) {
            err << "opteq: " << QFileInfo(scenePath).fileName() << ": the scene has no start to take J at\n";
            return 2;
        }
        const Trace& t = solution->runs[0].traces[0];
        const JacobianSpectrum spec = jacobianSpectrum(*solution->model, t.z, solution->model->bias(scene.input));
        SpectrumView v;
        v.resize(w, h);
        const QString where = t.status == SolveStatus::Converged ? QString("z* (start 1)") : QString("the last iterate of start 1");
        v.setSpectrum(spec, where, solution->runs[0].withPrior ? 0.0 : observedRate(t.absResidual), scene.n());
        setPlotTitle(&v, QString("%1 — eigenvalues of J = diag(σ'(v))WᵀW at %2").arg(name, where));
        error = save(&v);
    } else if (plot == "unit-layer") {
        const UnitLayerPicture pic = computeUnitLayerPicture(*solution);
        if (!pic.valid) {
            err << "opteq: " << QFileInfo(scenePath).fileName() << ": no unit-layer picture: " << QString::fromStdString(pic.problem) << "\n";
            return 1;
        }
        UnitLayerView v;
        v.resize(w, h);
        v.setPicture(pic);
        setPlotTitle(&v, QString("%1 — unit layer G(p), p* = W z*: G(p*) = %2 = E(z*)").arg(name).arg(pic.Gvalue, 0, 'g', 8));
        error = save(&v);
    } else if (plot == "residual") {
        ResidualPlot v;
        v.resize(w, h);
        v.setSolution(solution, scene.solver.tol);
        setPlotTitle(&v, residualFigureTitle(name, scene.solver.tol));
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
                                 ? QString("%1 on %2").arg(priorDisplayName(scene.prior.type), methodDisplayName(scene.solver.method))
                                 : methodDisplayName(scene.solver.method);
        v.setMap(map, colouring, scene.solver.maxIter, QString("%1 — basins of %2 (256 × 256)").arg(name, what),
                 basinSummaryText(summarizeBasins(*map, tol), tol, scene.solver.maxIter));
        error = save(&v);
    } else {
        ActivationPlot v;
        v.resize(w, h);
        const LayerSpec& l = scene.layers.front();
        std::vector<Regularizer> regs = scene.regularizers;
        regs.insert(regs.end(), l.regularizers.begin(), l.regularizers.end());
        v.setOperator(ProxOperator(l.activation, regs), QString("%1 — layer 1: %2").arg(name, activationDisplayName(l.activation.type)));
        error = save(&v);
    }
    if (!error.isEmpty()) {
        err << "opteq: " << QFileInfo(scenePath).fileName() << ": " << error << "\n";
        return 1;
    }
    return 0;
}

}  // namespace opteq

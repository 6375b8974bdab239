// SPDX-License-Identifier: GPL-3.0-or-later
#include "ImageReport.h"

#include "Solve.h"
#include "Trainer.h"

namespace opteq {

ImageEquilibrium imageEquilibrium(const Scene& scene, const Eigen::VectorXd& x)
{
    ImageEquilibrium e;
    const Model model = scene.model();
    if (x.size() != model.d()) return e;
    const SolverContext ctx(model, x, scene.solver);
    TraceOptions opts;
    opts.storeIterates = false;      // the strip needs z* and the residual curve only
    opts.computeObjective = false;
    const Trace t = solve(ctx, Eigen::VectorXd::Zero(model.n()), opts);
    e.z = t.z;
    e.residuals = t.absResidual;
    e.iterations = t.iterations;
    e.status = t.status;
    if (!scene.readout.empty() && scene.readout.V.cols() == e.z.size()) {
        Eigen::Index k = 0;
        (scene.readout.V * e.z + scene.readout.c).maxCoeff(&k);
        e.predicted = int(k);
    }
    return e;
}

ImageReport imageReport(const Scene& scene, const Dataset& test, std::shared_ptr<const Evaluation> evaluation, int chosenRow,
                        const JobControl& job)
{
    ImageReport r;
    r.filterNorm = scene.U.rowwise().norm();
    if (scene.readout.empty()) return r;   // random weights' predictions would mislead
    if (!evaluation && test.size() > 0) {
        const NetworkWeights w = weightsOf(scene);
        evaluation = std::make_shared<const Evaluation>(evaluateNetwork(scene.model(), w, scene.solver, scene.training.loss, test, job));
        if (job.cancelled()) {
            r.cancelled = true;
            return r;
        }
    }
    r.test = std::move(evaluation);
    if (chosenRow >= 0 && chosenRow < test.size()) {
        r.chosen = imageEquilibrium(scene, test.X.row(chosenRow).transpose());
        r.chosen.row = chosenRow;
    }
    return r;
}

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#include "TheoryController.h"

#include "JobHandOver.h"
#include "Solve.h"

#include <QFutureWatcher>

namespace opteq {

double currentRateParam(const Scene& scene, double norm, RateParam p)
{
    switch (p) {
    case RateParam::Theta: return scene.solver.theta;
    case RateParam::NormScale: return norm;
    case RateParam::Memory: return scene.solver.memory;
    case RateParam::Beta: return scene.solver.beta;
    case RateParam::Step: return scene.solver.step;
    case RateParam::Lambda: return scene.solver.lambda;
    }
    return 0;
}

TheoryController::TheoryController(QObject* parent) : QObject(parent)
{
    m_pool.setMaxThreadCount(1);
}

TheoryController::~TheoryController()
{
    for (Slot* s : {&m_phase, &m_spectrum, &m_unit, &m_cut})
        if (s->cancel) s->cancel->store(true);
    m_pool.waitForDone();
}

bool TheoryController::waitForIdle(int ms) { return m_pool.waitForDone(ms); }

// Runs work(JobControl) → Result on the pool; on the GUI thread, delivers it as a
// shared_ptr<const Result> unless a newer request of the same kind came in meanwhile.
template <typename Result>
void TheoryController::launch(Slot& slot, std::function<std::shared_ptr<const Result>(const JobControl&)> work,
                              std::function<void(std::shared_ptr<const Result>)> deliver)
{
    if (slot.cancel) slot.cancel->store(true);
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    slot.cancel = cancel;
    const quint64 generation = ++slot.generation;
    auto* watcher = new QFutureWatcher<std::shared_ptr<const Result>>(this);
    connect(watcher, &QFutureWatcher<std::shared_ptr<const Result>>::finished, this, [this, watcher, generation, &slot, deliver = std::move(deliver)] {
        watcher->deleteLater();
        if (generation != slot.generation || watcher->future().resultCount() == 0) return;
        deliver(watcher->future().result());
    });
    watcher->setFuture(runJob(&m_pool, [pool = &m_pool, cancel = cancel, work = std::move(work)](QPromise<std::shared_ptr<const Result>>& promise) {
        const JobStart began(pool);   // TSan hand-over and this job's share of the cores
        if (cancel->load()) return;   // superseded while queued
        JobControl job;
        job.cancel = cancel.get();
        std::shared_ptr<const Result> r = work(job);
        if (r && !cancel->load()) promise.addResult(std::move(r));
    }));
}

void TheoryController::requestPhase(std::shared_ptr<const SceneSolution> sol, const GridSpec& box, int arrowsPerSide)
{
    if (!sol || !sol->model || !sol->request) return;
    launch<PhaseResult>(m_phase, [sol, box, arrowsPerSide](const JobControl& job) -> std::shared_ptr<const PhaseResult> {
        const Eigen::VectorXd c = sol->model->bias(sol->request->input);
        auto field = std::make_shared<const PhaseField>(computePhaseField(*sol->model, c, sol->view.plane, box, arrowsPerSide, 161, job));
        if (!field->complete) return nullptr;
        return std::make_shared<const PhaseResult>(PhaseResult{sol, field});
    }, [this](std::shared_ptr<const PhaseResult> r) { emit phaseReady(std::move(r)); });
}

void TheoryController::requestSpectrum(std::shared_ptr<const SceneSolution> sol, int start, int k)
{
    if (!sol || !sol->model || !sol->request || sol->runs.empty() || sol->runs[0].traces.empty()) return;
    launch<SpectrumResult>(m_spectrum, [sol, start, k](const JobControl& job) -> std::shared_ptr<const SpectrumResult> {
        auto r = std::make_shared<SpectrumResult>();
        r->solution = sol;
        const SolverRun& run = sol->runs[0];
        r->start = std::clamp(start, 0, int(run.traces.size()) - 1);
        const Trace& t = run.traces[size_t(r->start)];
        r->z = t.z;
        r->k = -1;
        if (k >= 0 && k < t.iterations && !t.iterates.empty()) {
            // The stored iterate at or before k (display traces are thinned past a budget).
            size_t i = 0;
            while (i + 1 < t.iterateIndex.size() && t.iterateIndex[i + 1] <= k) ++i;
            r->z = t.iterates[i];
            r->k = t.iterateIndex[i];
        }
        const QString status = t.status == SolveStatus::Converged ? QObject::tr("z* of start %1").arg(r->start + 1)
                                                                   : QObject::tr("start %1's last iterate (%2)").arg(r->start + 1).arg(statusName(t.status));
        r->where = r->k < 0 ? status : QObject::tr("iterate k = %1 of start %2").arg(r->k).arg(r->start + 1);
        r->spectrum = jacobianSpectrum(*sol->model, r->z, sol->model->bias(sol->request->input), 512, 32, job);
        // Only plain iteration's own rate belongs beside J's spectrum (KM, FB, … iterate other maps).
        if (!run.withPrior && run.method == Method::Picard) r->observedRate = observedRate(t.absResidual);
        if (!r->spectrum.complete) return nullptr;
        return r;
    }, [this](std::shared_ptr<const SpectrumResult> r) { emit spectrumReady(std::move(r)); });
}

void TheoryController::requestUnitLayer(std::shared_ptr<const SceneSolution> sol)
{
    if (!sol || !sol->model || !sol->request) return;
    launch<UnitLayerResult>(m_unit, [sol](const JobControl& job) -> std::shared_ptr<const UnitLayerResult> {
        auto r = std::make_shared<UnitLayerResult>();
        r->solution = sol;
        r->picture = computeUnitLayerPicture(*sol, 120, job);
        if (!r->picture.complete) return nullptr;
        return r;
    }, [this](std::shared_ptr<const UnitLayerResult> r) { emit unitLayerReady(std::move(r)); });
}

void TheoryController::requestRateCut(std::shared_ptr<const SceneSolution> sol, RateParam param, int start)
{
    if (!sol || !sol->model || !sol->request) return;
    launch<RateCutResult>(m_cut, [sol, param, start](const JobControl& job) -> std::shared_ptr<const RateCutResult> {
        const Scene& s = *sol->request;
        const std::vector<Eigen::VectorXd> starts = s.effectiveStarts();
        auto r = std::make_shared<RateCutResult>();
        r->solution = sol;
        r->current = currentRateParam(s, sol->spectralNorm, param);
        r->start = std::clamp(start, 0, int(starts.size()) - 1);
        r->cut = computeRateCut(*sol->model, s.input, s.solver, s.prior, starts[size_t(r->start)], param, rateCutValues(param), job);
        if (!r->cut.complete) return nullptr;
        return r;
    }, [this](std::shared_ptr<const RateCutResult> r) { emit rateCutReady(std::move(r)); });
}

}  // namespace opteq

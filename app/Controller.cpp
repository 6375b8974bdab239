// SPDX-License-Identifier: GPL-3.0-or-later
#include "Controller.h"
#include "Names.h"
#include "JobHandOver.h"

#include "SceneIO.h"
#include "TraceExport.h"
#include "Solve.h"
#include "StepExplainer.h"

#include <QFileInfo>
#include <cmath>
#include <limits>
#include <QFutureWatcher>
#include <QPromise>
#include <QtConcurrent>

namespace opteq {
namespace {

class SceneCommand : public QUndoCommand {
public:
    // Scenes are shared immutable values: an undo step holds two pointers, not two copies of W.
    SceneCommand(Controller* c, std::shared_ptr<const Scene> before, std::shared_ptr<const Scene> after, const QString& text,
                 int mergeKey)
        : QUndoCommand(text), m_c(c), m_before(std::move(before)), m_after(std::move(after)), m_key(mergeKey)
    {
    }
    void redo() override { m_c->applyScene(m_after); }
    void undo() override { m_c->applyScene(m_before); }
    int id() const override { return m_key != 0 ? m_key : -1; }
    bool mergeWith(const QUndoCommand* other) override
    {
        if (other->id() != id()) return false;
        m_after = static_cast<const SceneCommand*>(other)->m_after;
        return true;
    }

private:
    Controller* m_c;
    std::shared_ptr<const Scene> m_before, m_after;
    int m_key;
};

}  // namespace

Controller::Controller(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<BasinResult>();
    qRegisterMetaType<ExplanationResult>();
    // One job at a time: OpenMP inside the job already uses every core.
    m_pool.setMaxThreadCount(1);
    m_scene = std::make_shared<const Scene>(defaultScene());
}

Controller::~Controller()
{
    if (m_solveCancel) m_solveCancel->store(true);
    if (m_basinCancel) m_basinCancel->store(true);
    if (m_rateCancel) m_rateCancel->store(true);
    if (m_explainCancel) m_explainCancel->store(true);
    if (m_exportCancel) m_exportCancel->store(true);
    m_pool.clear();
    m_pool.waitForDone();
}

void Controller::applyScene(const Scene& scene) { applyScene(std::make_shared<const Scene>(scene)); }

void Controller::applyScene(std::shared_ptr<const Scene> scene)
{
    m_scene = std::move(scene);
    cancelBasins();   // a basin or rate map of the old scene is stale
    if (m_rateCancel) m_rateCancel->store(true);
    ++m_rateGeneration;
    emit sceneChanged();
    requestSolve();
}

void Controller::rememberNorm(const std::shared_ptr<const Scene>& scene, double norm) const
{
    if (!scene || !std::isfinite(norm)) return;
    for (auto& [w, v] : m_norms)
        if (w.lock() == scene) { v = norm; return; }
    if (m_norms.size() >= 16) m_norms.erase(m_norms.begin());
    m_norms.emplace_back(scene, norm);
}

void Controller::editScene(const Scene& scene, const QString& description, int mergeKey)
{
    editSceneWithNorm(scene, description, mergeKey, std::numeric_limits<double>::quiet_NaN());
}

void Controller::editSceneWithNorm(const Scene& scene, const QString& description, int mergeKey, double knownNorm)
{
    if (scene == *m_scene) return;   // before the copy
    auto next = std::make_shared<const Scene>(scene);
    rememberNorm(next, knownNorm);   // before the push: sceneChanged's listeners may ask for it
    editSharedScene(std::move(next), description, mergeKey);
}

void Controller::editSharedScene(std::shared_ptr<const Scene> scene, const QString& description, int mergeKey)
{
    if (!scene) return;
    const std::string problem = scene->validate();
    if (!problem.empty()) {
        emit message(tr("Edit refused: %1").arg(QString::fromStdString(problem)));
        emit sceneChanged();   // panels go back to the valid scene
        return;
    }
    if (*scene == *m_scene) return;
    m_undo.push(new SceneCommand(this, m_scene, std::move(scene), description, mergeKey));
}

void Controller::resetScene(const Scene& scene, const QString& path)
{
    m_undo.clear();
    m_path = m_sourcePath = path;
    m_lesson = 0;
    m_solution.reset();
    applyScene(scene);
    m_undo.setClean();
}

bool Controller::openFile(const QString& path, QString* error)
{
    const SceneResult r = loadScene(path);
    if (!r.ok()) {
        if (error) *error = QString::fromStdString(r.error);
        return false;   // the current scene stays as it was
    }
    resetScene(*r.scene, path);
    return true;
}

bool Controller::saveFile(const QString& path, QString* error) { return saveFile(path, error, m_scene->window); }

bool Controller::saveFile(const QString& path, QString* error, const SceneWindow& window)
{
    const std::string e = saveScene(*m_scene, path, window);
    if (!e.empty()) {
        if (error) *error = QString::fromStdString(e);
        return false;
    }
    m_path = m_sourcePath = path;
    m_lesson = 0;
    m_undo.setClean();
    return true;
}

Eigen::VectorXd Controller::planePoint(double s, double t, const Eigen::VectorXd* near) const
{
    const int n = m_scene->n();
    if (!m_solution || m_solution->view.plane.origin.size() != n) {
        Eigen::VectorXd z = Eigen::VectorXd::Zero(n);
        z(0) = s;
        if (n > 1) z(1) = t;
        return z;
    }
    const Plane& p = m_solution->view.plane;
    if (!near) return p.point(s, t);
    // Move within the plane, keeping the component of the old point off the plane.
    const Eigen::Vector2d q = p.project(*near);
    return *near + (s - q(0)) * p.u + (t - q(1)) * p.v;
}

void Controller::addStart(double s, double t)
{
    Scene next = *m_scene;
    if (next.starts.empty()) next.starts = next.effectiveStarts();
    if (int(next.starts.size()) >= kMaxStarts) {
        emit message(tr("At most %1 starts").arg(kMaxStarts));
        return;
    }
    next.starts.push_back(planePoint(s, t, nullptr));
    editScene(next, tr("add start"));
}

void Controller::moveStart(int index, double s, double t, int mergeKey)
{
    Scene next = *m_scene;
    if (next.starts.empty()) next.starts = next.effectiveStarts();
    if (index < 0 || index >= int(next.starts.size())) return;
    next.starts[index] = planePoint(s, t, &next.starts[index]);
    editScene(next, tr("move start %1").arg(index + 1), mergeKey);
}

void Controller::deleteStart(int index)
{
    Scene next = *m_scene;
    if (index < 0 || index >= int(next.starts.size())) return;
    next.starts.erase(next.starts.begin() + index);
    editScene(next, tr("delete start %1").arg(index + 1));
}

void Controller::moveAnchor(double s, double t, int mergeKey)
{
    Scene next = *m_scene;
    Eigen::VectorXd& a = next.prior.type == PriorType::Hsd ? next.prior.target : next.prior.anchor;
    if (a.size() != next.n()) a = Eigen::VectorXd::Zero(next.n());
    a = planePoint(s, t, &a);
    editScene(next, next.prior.type == PriorType::Hsd ? tr("move target") : tr("move anchor"), mergeKey);
}

void Controller::requestSolve()
{
    if (m_solveCancel) m_solveCancel->store(true);   // the older job stops at its next iteration
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_solveCancel = cancel;
    const quint64 generation = ++m_generation;
    const std::shared_ptr<const Scene> shared = m_scene;   // immutable: the job reads it, nobody writes it
    using Result = std::shared_ptr<const SceneSolution>;
    auto* watcher = new QFutureWatcher<Result>(this);
    ++m_solveRunning;
    connect(watcher, &QFutureWatcher<Result>::progressValueChanged, this, [this, generation](int v) {
        if (generation == m_generation) emit solveProgress(v);
    });
    // Each result is drawn as it comes: for large n a quick coarse landscape first, then the full
    // grid (progressive refinement); a stale generation's results are dropped.
    connect(watcher, &QFutureWatcher<Result>::resultReadyAt, this, [this, watcher, generation](int i) {
        if (generation != m_generation) return;
        Result result = watcher->future().resultAt(i);
        if (!result->complete) return;
        m_solution = result;
        rememberNorm(result->request, result->spectralNorm);
        emit solutionReady(result);
        if (m_pendingBasinGrid > 0 && result->request == m_scene) {
            const int grid = std::exchange(m_pendingBasinGrid, 0);
            startBasins(grid);
        }
    });
    connect(watcher, &QFutureWatcher<Result>::finished, this, [this, watcher] {
        --m_solveRunning;
        watcher->deleteLater();
    });
    watcher->setFuture(runJob(&m_pool, [pool = &m_pool, shared = shared, cancel = cancel](QPromise<Result>& promise) {
        const JobStart began(pool);   // TSan hand-over and this job's share of the cores
        if (cancel->load()) return;   // superseded while queued
        const Scene& scene = *shared;
        promise.setProgressRange(0, 100);
        JobControl job;
        job.cancel = cancel.get();
        job.progress = [&promise](double f) { promise.setProgressValue(int(100 * f)); };
        SolutionOptions quick;
        const int full = quick.grid;
        quick.grid = SolutionOptions::quickGrid(scene.n(), full);
        auto first = std::make_shared<const SceneSolution>(solveScene(shared, quick, job));
        promise.addResult(first);
        if (quick.grid < full && first->complete && !cancel->load()) {
            JobControl fine;
            fine.cancel = cancel.get();
            promise.addResult(std::make_shared<const SceneSolution>(refineLandscape(*first, full, quick.contourLevels, fine)));
        }
    }));
}

void Controller::requestBasins(int grid)
{
    cancelBasins();
    m_basinsRunning = true;
    // The map lines up with the landscape: it takes the plane and box of this scene's solution.
    // Right after an edit (e.g. a generated deep model) the solution still answers the old scene:
    // wait for the new one instead of mapping the old, smaller model's plane.
    if (!m_solution || m_solution->request != m_scene) {
        m_pendingBasinGrid = grid;
        if (m_solveRunning == 0) requestSolve();
        return;
    }
    startBasins(grid);
}

void Controller::startBasins(int grid)
{
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_basinCancel = cancel;
    const quint64 generation = ++m_basinGeneration;
    const std::shared_ptr<const Scene> shared = m_scene;   // immutable: the job reads it
    const ViewPlane view = m_solution->view;
    auto* watcher = new QFutureWatcher<BasinResult>(this);
    m_basinsRunning = true;
    connect(watcher, &QFutureWatcher<BasinResult>::progressValueChanged, this, [this, generation](int v) {
        if (generation == m_basinGeneration) emit basinsProgress(v);
    });
    connect(watcher, &QFutureWatcher<BasinResult>::resultReadyAt, this, [this, watcher, generation](int i) {
        if (generation == m_basinGeneration) emit basinsReady(watcher->future().resultAt(i));
    });
    connect(watcher, &QFutureWatcher<BasinResult>::finished, this, [this, watcher, generation, cancel] {
        watcher->deleteLater();
        if (generation != m_basinGeneration) return;
        m_basinsRunning = false;
        emit basinsStopped(!cancel->load());
    });
    watcher->setFuture(runJob(&m_pool, [pool = &m_pool, shared = shared, model = m_solution->model, view = view, grid = grid, cancel = cancel](QPromise<BasinResult>& promise) {
        const JobStart began(pool);   // TSan hand-over and this job's share of the cores
        if (cancel->load()) return;
        const Scene& scene = *shared;
        promise.setProgressRange(0, 100);
        // "Without the prior" is without both ways: no regularizers R in the model and no scheme.
        const bool hasPrior = scene.hasPrior();
        const Model plain = model->hasRegularizers() ? model->withoutRegularizers() : Model();
        const SolverContext plainCtx(model->hasRegularizers() ? plain : *model, scene.input, scene.solver);
        const SolverContext priorCtx(*model, scene.input, scene.solver, scene.prior);
        // Coarse first (a quick picture), then the full grid: progressive refinement.
        std::vector<int> passes;
        if (grid > 64) passes.push_back(64);
        passes.push_back(grid);
        double done = 0, total = 0;
        for (int g : passes) total += double(g) * g * (hasPrior ? 2 : 1);
        for (size_t p = 0; p < passes.size(); ++p) {
            GridSpec spec = view.grid;
            spec.nx = spec.ny = passes[p];
            const double cells = double(passes[p]) * passes[p];
            JobControl job;
            job.cancel = cancel.get();
            job.progress = [&](double f) { promise.setProgressValue(int(100 * (done + f * cells) / total)); };
            BasinResult r;
            r.maxIter = scene.solver.maxIter;
            r.method = scene.solver.method;
            r.priorType = scene.prior.type;
            r.regularized = model->hasRegularizers();
            r.endTolerance = endTolerance(plainCtx);
            r.plain = std::make_shared<const BasinMap>(computeBasins(plainCtx, view.plane, spec, job));
            done += cells;
            if (hasPrior && !cancel->load()) {
                r.prior = std::make_shared<const BasinMap>(computeBasins(priorCtx, view.plane, spec, job));
                done += cells;
            }
            if (cancel->load()) return;
            r.plainSummary = summarizeBasins(*r.plain, r.endTolerance);
            if (r.prior) r.priorSummary = summarizeBasins(*r.prior, r.endTolerance);
            r.colouring = basinColouring({r.plain.get(), r.prior.get()}, r.endTolerance);
            r.final = p + 1 == passes.size();
            promise.addResult(r);
        }
    }));
}

bool Controller::waitForIdle(int msecs) { return m_pool.waitForDone(msecs); }

double Controller::knownSpectralNorm() const
{
    if (m_solution && m_solution->request == m_scene) return m_solution->spectralNorm;
    for (const auto& [w, v] : m_norms)
        if (w.lock() == m_scene) return v;
    return std::numeric_limits<double>::quiet_NaN();
}

double Controller::spectralNorm() const
{
    if (const double known = knownSpectralNorm(); std::isfinite(known)) return known;
    // Only a scene nobody has measured yet (an edit that changed W some other way than by
    // scaling, before its solution lands): computed once, then remembered.
    const double s = opteq::spectralNorm(m_scene->W);
    rememberNorm(m_scene, s);
    return s;
}

void Controller::exportTraces(const QString& path)
{
    const std::shared_ptr<const Scene> scene = m_scene;   // immutable: safe to read in the job
    const QString sceneName = QFileInfo(m_sourcePath).fileName();
    if (m_exportCancel) m_exportCancel->store(true);     // latest request wins
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_exportCancel = cancel;
    auto* watcher = new QFutureWatcher<ExportOutcome>(this);
    connect(watcher, &QFutureWatcher<ExportOutcome>::finished, this, [this, watcher, path] {
        watcher->deleteLater();
        const ExportOutcome r = watcher->future().resultCount() ? watcher->future().result() : ExportOutcome{tr("cancelled"), {}};
        emit exportDone(path, r.error, r.note);
    });
    watcher->setFuture(runJob(&m_pool, [pool = &m_pool, scene = scene, path = path, sceneName = sceneName, cancel = cancel]() -> ExportOutcome {
        const JobStart began(pool);   // TSan hand-over and this job's share of the cores
        try {
            const Model model = scene->model();
            TraceOptions o;
            // Every iterate, up to a budget of numbers (the text is ~3× the doubles): past it the
            // recorder keeps every 2nd, 4th, … iterate, and the outcome says so.
            o.maxStoredIterates = exportIteratesFor(*scene, model);
            JobControl job;
            job.cancel = cancel.get();
            const std::vector<SolverRun> runs = solveRuns(*scene, model, o, job);   // every solver the window shows
            if (cancel->load()) return {tr("cancelled"), {}};
            const int stride = storedIterateStride(runs);
            const QByteArray bytes = path.endsWith(".json", Qt::CaseInsensitive) ? tracesToJson(runs, sceneName, model.spectralNorm())
                                                                                 : tracesToCsv(runs, scene->n());
            if (cancel->load()) return {tr("cancelled"), {}};   // the text took a while: still wanted?
            const QString note = stride > 1 ? tr("every %1th iterate written: the export keeps at most %2 iterates per trace (n = %3)")
                                                  .arg(stride).arg(o.maxStoredIterates).arg(scene->n())
                                            : QString();
            return {QString::fromStdString(writeFileAtomically(path, bytes)), note};
        } catch (const std::bad_alloc&) {
            return {tr("not enough memory to export the traces of this scene (n = %1): fewer starts or a lower iteration limit").arg(scene->n()), {}};
        }
    }));
}

void Controller::cancelExport()
{
    if (m_exportCancel) m_exportCancel->store(true);
}

void Controller::requestRateMap(RateParam px, RateParam py, const GridSpec& spec)
{
    if (m_rateCancel) m_rateCancel->store(true);
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_rateCancel = cancel;
    const quint64 generation = ++m_rateGeneration;
    const std::shared_ptr<const Scene> shared = m_scene;   // immutable: the job reads it
    std::shared_ptr<const Model> built = m_solution && m_solution->request == m_scene ? m_solution->model : nullptr;
    using Result = std::shared_ptr<const RateMap>;
    auto* watcher = new QFutureWatcher<Result>(this);
    connect(watcher, &QFutureWatcher<Result>::progressValueChanged, this, [this, generation](int v) {
        if (generation == m_rateGeneration) emit rateMapProgress(v);
    });
    connect(watcher, &QFutureWatcher<Result>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_rateGeneration || watcher->future().resultCount() == 0) return;
        Result r = watcher->future().result();
        if (r->complete) emit rateMapReady(r);
    });
    watcher->setFuture(runJob(&m_pool, [pool = &m_pool, shared = shared, built = built, px = px, py = py, spec = spec, cancel = cancel](QPromise<Result>& promise) {
        const JobStart began(pool);   // TSan hand-over and this job's share of the cores
        if (cancel->load()) return;
        const Scene& scene = *shared;
        promise.setProgressRange(0, 100);
        JobControl job;
        job.cancel = cancel.get();
        job.progress = [&promise](double f) { promise.setProgressValue(int(100 * f)); };
        const std::shared_ptr<const Model> model = built ? built : std::make_shared<const Model>(scene.model());
        // The scene's prior too: the map answers "how fast does what I see converge".
        promise.addResult(std::make_shared<const RateMap>(
            computeRateMap(*model, scene.input, scene.solver, scene.prior, scene.effectiveStarts().front(), px, py, spec, job)));
    }));
}

void Controller::requestExplanation(int start, int k)
{
    if (m_explainCancel) m_explainCancel->store(true);
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_explainCancel = cancel;
    const quint64 generation = ++m_explainGeneration;
    const std::shared_ptr<const SceneSolution> sol = m_solution;
    if (!sol || !sol->request || !sol->model) return;
    auto* watcher = new QFutureWatcher<ExplanationResult>(this);
    connect(watcher, &QFutureWatcher<ExplanationResult>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_explainGeneration || watcher->future().resultCount() == 0) return;
        emit explanationReady(watcher->future().result());
    });
    watcher->setFuture(runJob(&m_pool, [pool = &m_pool, sol = sol, start = start, k = k, cancel = cancel](QPromise<ExplanationResult>& promise) {
        const JobStart began(pool);   // TSan hand-over and this job's share of the cores
        if (cancel->load()) return;   // superseded while queued (playback asks once per tick)
        const Scene& s = *sol->request;
        const std::vector<Eigen::VectorXd> starts = s.effectiveStarts();
        ExplanationResult r;
        r.solution = sol;
        r.start = std::clamp(start, 0, int(starts.size()) - 1);
        r.k = k;
        r.title = QString("Start %1, %2").arg(r.start + 1).arg(s.prior.type != PriorType::None ? priorDisplayName(s.prior.type)
                                                                                               : methodDisplayName(s.solver.method));
        const SolverContext ctx(*sol->model, s.input, s.solver, s.prior);
        r.sentences = explainStep(ctx, starts[size_t(r.start)], k).sentences;
        promise.addResult(std::move(r));
    }));
}

void Controller::cancelBasins()
{
    m_pendingBasinGrid = 0;
    if (m_basinCancel) m_basinCancel->store(true);
    if (m_basinsRunning) {
        ++m_basinGeneration;   // whatever the old job still reports is dropped
        m_basinsRunning = false;
        emit basinsStopped(false);
    }
}

}  // namespace opteq

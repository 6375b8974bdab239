// SPDX-License-Identifier: GPL-3.0-or-later
#include "TrainingController.h"
#include "JobHandOver.h"

#include "Dataset.h"

#include <QFileInfo>
#include <QElapsedTimer>
#include <QFutureWatcher>
#include <chrono>
#include <mutex>
#include <thread>
#include <utility>

namespace opteq {

// A session: the trainer and everything it owns. Only the running job touches `trainer`;
// between jobs the GUI thread may read it (m_running is false then).
struct TrainingController::Session {
    std::shared_ptr<const Scene> started;   // the scene it was created from
    std::shared_ptr<const Scene> synced;    // the scene that holds its latest weights
    std::shared_ptr<const Dataset> train, test;
    std::string dataNote;                   // the loader's ("test split from the data set (test_fraction ignored)")
    std::unique_ptr<Trainer> trainer;
    std::vector<EpochLog> history;
    // Set by the GUI thread: pause ends the running step's epoch at once (the job's cancel flag);
    // stale also drops its frames (another scene is shown now).
    std::atomic<bool> pause{false}, stale{false};
    int target = 0;                         // epoch to stop at
    EpochLog partial;                       // a paused epoch's steps (stepsDone > 0), job thread only
    bool redraw = false;                    // the last frame kept older regions: preview after the job
};

QString progressText(const TrainingProgress& p)
{
    using S = TrainingProgress::Stage;
    switch (p.stage) {
    case S::Loading: return TrainingController::tr("reading the data");
    case S::Steps: return TrainingController::tr("epoch %1, batch %2/%3").arg(p.epoch).arg(p.done).arg(p.total);
    case S::EvaluateTrain: return TrainingController::tr("epoch %1, evaluating the training split %2/%3").arg(p.epoch).arg(p.done).arg(p.total);
    case S::EvaluateTest: return TrainingController::tr("epoch %1, evaluating the test split %2/%3").arg(p.epoch).arg(p.done).arg(p.total);
    case S::Drawing: return TrainingController::tr("epoch %1, drawing").arg(p.epoch);
    }
    return {};
}

TrainingController::TrainingController(Controller* controller, QObject* parent) : QObject(parent), m_controller(controller)
{
    qRegisterMetaType<std::shared_ptr<const TrainingFrame>>();
    qRegisterMetaType<TrainingProgress>();
    m_pool.setMaxThreadCount(1);
    // Progress goes to the GUI by polling: at most one update per 100 ms however fast the steps
    // (an epoch of 469 steps of 8 ms would otherwise queue 125 events a second).
    m_progressTimer.setInterval(100);
    connect(&m_progressTimer, &QTimer::timeout, this, [this] {
        const TrainingProgress p = progress();
        if (p == m_shownProgress) return;
        m_shownProgress = p;
        emit progressChanged(p);
    });
    connect(controller, &Controller::sceneChanged, this, [this] {
        if (m_applying) return;
        const std::shared_ptr<const Scene> now = m_controller->sharedScene();
        if (m_session && m_session->synced == now) return;
        // Only the input changed (a data point or image explored in the Landscape): the network,
        // its data and the shown run stay; the session follows the scene.
        if (m_session && m_session->synced && m_session->synced->input.size() == now->input.size()) {
            Scene same = *now;
            same.input = m_session->synced->input;
            if (same == *m_session->synced) {
                m_session->synced = now;
                return;
            }
        }
        if (m_running && m_session) {
            // Another scene (open, revert, undo) while a run goes on: it stops within a step,
            // its frames are dropped, the plots clear now, and the new scene is previewed when
            // the job has returned (finish()).
            m_session->stale = true;
            m_session->pause = true;
            m_session.reset();
            m_frame.reset();
            m_queued.reset();
            m_previewAfterStop = now->hasTraining;
            emit frameCleared(tr("another scene: the run was stopped"));
            return;
        }
        if (m_running) return;   // a preview of the same session's scene
        const bool hadFrame = bool(m_frame);
        m_session.reset();
        m_frame.reset();
        m_shownX = 0;   // the panel's choice resets with the plots (clearRun)
        m_shownY = 1;
        if (hadFrame) emit frameCleared(tr("the scene changed: its network has not been trained in this window yet"));
        if (now->hasTraining) preview();
    });
}

TrainingController::~TrainingController()
{
    if (m_session) {
        m_session->stale = true;   // no last frame: nobody will draw it
        m_session->pause = true;
    }
    m_pool.waitForDone();
    // The watchers whose finished signal was never delivered are deleted with this object: read
    // each one's result first. That takes the future's mutex in Qt's inline (ThreadSanitizer-
    // annotated) code, the edge after the pool thread's report of it, which waitForDone (inside
    // libQt6Core) does not show; finish() does the same for the watchers it ends.
    for (QFutureWatcher<QString>* w : findChildren<QFutureWatcher<QString>*>())
        if (w->future().isFinished() && w->future().resultCount() > 0) (void)w->future().result();
}

TrainingProgress TrainingController::progress() const
{
    TrainingProgress p;
    p.stage = TrainingProgress::Stage(m_progStage.load());
    p.epoch = m_progEpoch.load();
    p.done = m_progDone.load();
    p.total = m_progTotal.load();
    return p;
}

void TrainingController::setProgress(TrainingProgress::Stage stage, int epoch, int done, int total)
{
    // Job thread. Four relaxed stores: a reader may see a mix of two consecutive reports for one
    // tick (drawn once, replaced 100 ms later), never a value that was not reported.
    m_progStage = int(stage);
    m_progEpoch = epoch;
    m_progDone = done;
    m_progTotal = total;
}

bool TrainingController::waitForIdle(int ms)
{
    // Until no job runs and none is queued: a Play asked for during a preview starts only when
    // the preview's end is delivered, so wait, deliver, and look again.
    QElapsedTimer t;
    t.start();
    for (;;) {
        const int left = ms - int(t.elapsed());
        if (left <= 0) return !m_running;
        m_pool.waitForDone(left);
        QCoreApplication::processEvents();
        if (!m_running) return true;
    }
}

void TrainingController::play(int epochs)
{
    if (m_running) {
        if (epochs >= 0) m_queued = epochs;   // after the running job (a preview) ends
        return;
    }
    const std::shared_ptr<const Scene> scene = m_controller->sharedScene();
    if (!scene->hasTraining) {
        emit message(tr("This scene has no training settings: choose a dataset in the Train tab first"));
        return;
    }
    // Continue the session while the scene is the one it last wrote; any other edit (settings,
    // undo, another scene) starts a new one from the scene, which continues from its readout.
    if (!m_session || m_session->synced != scene) {
        m_session = std::make_shared<Session>();
        m_session->started = m_session->synced = scene;
    }
    std::shared_ptr<Session> s = m_session;
    s->pause = false;
    const int done = s->history.empty() ? 0 : s->history.back().epoch;
    s->target = epochs < 0 ? done : epochs > 0 ? done + epochs : std::max(done + 1, scene->training.epochs);
    const bool previewOnly = epochs < 0;
    m_running = true;
    m_shownProgress = TrainingProgress{};
    setProgress(TrainingProgress::Stage::Loading, 0, 0, 0);
    if (!previewOnly) m_progressTimer.start();
    const QString sceneDir = m_controller->sourcePath().isEmpty() ? QString() : QFileInfo(m_controller->sourcePath()).absolutePath();
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, s] {
        watcher->deleteLater();
        finish(s, watcher->future().resultCount() ? watcher->future().result() : QString());
    });
    const std::shared_ptr<const TrainingFrame> before = m_frame && !m_session->history.empty() ? m_frame : nullptr;
    watcher->setFuture(runJob(&m_pool, [pool = &m_pool, this, s = s, scene = scene, sceneDir = sceneDir, previewOnly = previewOnly, before = before]() -> QString {
        const JobStart began(pool);   // TSan hand-over and this job's share of the cores
        if (!s->trainer) {
            // Data and the trainer are made here, off the GUI thread (a file may be large).
            setProgress(TrainingProgress::Stage::Loading, 0, 0, 0);
            TrainTestData data = loadTrainTest(scene->training, sceneDir.toStdString());
            if (!data.ok()) return QString::fromStdString(data.error);
            std::string error;
            // One immutable copy of each split, moved in and shared by the trainer, the frames
            // and the image views: all of Fashion-MNIST's training split is 376 MB.
            s->train = std::make_shared<const Dataset>(std::move(data.train));
            s->test = std::make_shared<const Dataset>(std::move(data.test));
            s->trainer = std::make_unique<Trainer>(*scene, s->train, s->test, &error);
            s->dataNote = data.note;
            if (!error.empty()) {
                s->trainer.reset();
                // Named as `opteq train` names it: the same message for the same fault.
                const DataSpec& d = scene->training.data;
                return tr("cannot train on %1: %2").arg(QString::fromStdString(d.sourceName()), QString::fromStdString(error));
            }
        }
        Trainer& t = *s->trainer;
        auto last = std::chrono::steady_clock::now() - std::chrono::seconds(1);
        // The regions need the argmax of y only: a looser tolerance than training's is plenty and
        // keeps the frames coming at ≥ 10 a second on 2 cores.
        SolverSettings mapSolver = scene->solver;
        mapSolver.tol = std::max(mapSolver.tol, 1e-4);
        // Images get their own views (ImageReport); the regions and the embedding are 2-D data's
        // (and the copy of every row below would be 125 MB for 10 000 + 10 000 images).
        const bool images = s->train->isImage();
        Eigen::MatrixXd all;
        if (!images) {
            all.resize(s->train->size() + s->test->size(), s->train->X.cols());
            all << s->train->X, s->test->X;
        }
        auto epochEnded = std::chrono::steady_clock::now();
        std::shared_ptr<const TrainingFrame> shown = before;   // the last frame drawn of this session
        for (;;) {
            const bool more = t.epoch() < s->target && !s->pause.load();
            const auto epochStart = std::chrono::steady_clock::now();
            if (more) {
                JobControl job;
                job.cancel = &s->pause;
                // Every step and evaluated chunk: four atomic stores, read by the GUI's timer.
                const EpochLog log = t.runEpoch(job, true, [this](const EpochProgress& p) {
                    if (p.stage == EpochProgress::Stage::Steps) ++m_stepsTaken;
                    setProgress(p.stage == EpochProgress::Stage::Steps ? TrainingProgress::Stage::Steps
                                : p.stage == EpochProgress::Stage::EvaluateTrain ? TrainingProgress::Stage::EvaluateTrain
                                                                                : TrainingProgress::Stage::EvaluateTest,
                                p.epoch, p.done, p.total);
                });
                epochEnded = std::chrono::steady_clock::now();
                if (log.cancelled) s->partial = log;
                else if (t.problem().empty()) {
                    s->history.push_back(log);
                    s->partial = EpochLog{};
                }
                setProgress(TrainingProgress::Stage::Drawing, log.epoch, 0, 0);
            }
            const bool end = !more || !t.problem().empty() || t.epoch() >= s->target || s->pause.load();
            // A frame at most every 80 ms (images: 100 ms) and the last one: ≥ 10 frames a second
            // while the epochs are faster than that, without drawing every epoch of a fast run.
            if (s->stale.load()) return QString();   // nobody will look at its frames
            // A pace (epochs per second, for a class to watch the regions bend): every epoch is
            // drawn, and the job waits out the rest of the epoch's time in slices that see Pause.
            const double pace = m_pace.load();
            if (more && !end && pace > 0) {
                const auto until = epochStart + std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(1.0 / pace));
                while (std::chrono::steady_clock::now() < until && !s->pause.load())
                    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(until - std::chrono::steady_clock::now(), std::chrono::milliseconds(20)));
            }
            if (end || pace > 0 || std::chrono::steady_clock::now() - last >= std::chrono::milliseconds(images ? 100 : 80)) {
                last = std::chrono::steady_clock::now();
                auto f = std::make_shared<TrainingFrame>();
                f->scene = std::make_shared<const Scene>(t.trainedScene());
                f->train = s->train;
                f->test = s->test;
                f->history = s->history;
                // An untrained preview shows the data only (random weights' regions would mislead).
                // A pause hands the thread back at once: its last frame keeps the previous
                // frame's regions (≤ 80 ms of steps older) and finish() redraws them by a preview.
                const bool quick = end && s->pause.load();
                bool cutShort = false;
                if (quick) {
                    if (shown) {
                        f->map = shown->map;
                        f->embedding = shown->embedding;
                        f->predicted = shown->predicted;
                        f->images = shown->images;
                    }
                } else if (images) {
                    // The trainer's own test evaluation of these weights (not solved again), the
                    // filter norms and one solve for the chosen image: well under the 200 ms a
                    // frame may take after its epoch. An untrained preview gets the images only.
                    if (!(previewOnly && scene->readout.empty())) {
                        // Pause or closing cuts the test split's evaluation short: the previous
                        // frame's views stay and finish() redraws them (s->redraw).
                        ImageReport report = imageReport(*f->scene, *s->test, t.lastTestEvaluation(), m_chosen.load(), JobControl{&s->pause, {}});
                        if (report.cancelled) {
                            if (shown) f->images = shown->images;
                            cutShort = true;
                        } else {
                            f->images = std::make_shared<const ImageReport>(std::move(report));
                        }
                    }
                } else if (!(previewOnly && scene->readout.empty())) {
                    const Model m = f->scene->model();
                    // The two inputs the user picked (d > 2), the others at their means.
                    InputSlice slice = defaultSlice(*s->train);
                    const int d = int(s->train->X.cols()), ix = m_shownX.load(), iy = m_shownY.load();
                    if (d > 2 && ix != iy && ix >= 0 && iy >= 0 && ix < d && iy < d) {
                        slice.ix = ix;
                        slice.iy = iy;
                    }
                    f->map = computeDecisionMap(m, t.weights(), mapSolver, inputBox(*s->train, slice, 72, 72), slice);
                    f->embedding = equilibriumEmbedding(m, t.weights(), f->scene->solver, all, &f->predicted);
                }
                if (cutShort && s->stale.load()) return QString();   // closing or another scene: nobody will look
                s->redraw = quick || cutShort;
                f->problem = t.problem();
                f->note = t.note();
                if (!s->dataNote.empty()) f->note = s->dataNote + (f->note.empty() ? "" : " · " + f->note);
                f->epochEnded = epochEnded;
                // The trainer resumes a paused epoch at its next step (same order): say so.
                if (t.midEpoch() && s->partial.stepsDone > 0) {
                    const QString paused = s->partial.stepsDone < s->partial.steps
                        ? tr("paused in epoch %1 after batch %2 of %3; Play resumes at batch %4.")
                              .arg(s->partial.epoch).arg(s->partial.stepsDone).arg(s->partial.steps).arg(s->partial.stepsDone + 1)
                        : tr("paused in epoch %1 after its %2 batches, before its loss was measured; Play measures it")
                              .arg(s->partial.epoch).arg(s->partial.steps);
                    f->note = paused.toStdString() + (f->note.empty() ? "" : " · " + f->note);
                }
                f->running = !end;
                std::shared_ptr<const TrainingFrame> frame = f;
                shown = frame;
                // The frame goes through a mailbox under a std::mutex (the hand-over ThreadSanitizer
                // sees) and a queued call by name (an event made and read inside Qt): a functor
                // posted with invokeMethod was built here and read on the GUI thread unseen.
                {
                    const std::lock_guard lock(m_mailboxMutex);
                    m_mailbox = {frame, s};
                }
                QMetaObject::invokeMethod(this, "deliverFrame", Qt::QueuedConnection);
            }
            if (end) return QString::fromStdString(t.problem());
        }
    }));
}

void TrainingController::deliverFrame()
{
    // GUI thread. Frames coalesce: the latest posted one is delivered, earlier calls find none.
    Mailbox m;
    {
        const std::lock_guard lock(m_mailboxMutex);
        m = std::exchange(m_mailbox, Mailbox{});
    }
    if (!m.frame || m.session != m_session) return;   // none left, or a stopped run's after another scene
    m_frame = m.frame;
    emit frameReady(m.frame);
}

void TrainingController::setShownInputs(int ix, int iy)
{
    m_shownX = ix;
    m_shownY = iy;
    // A job running (a preview after an edit, or training) may have drawn its map before the
    // choice, and its frame may not have arrived yet: redraw when it ends, frame or not.
    if (m_running) {
        m_redrawQueued = true;
        return;
    }
    if (m_frame && m_session) preview();   // the same weights over the new plane
}

void TrainingController::setChosenImage(int row)
{
    m_chosen = row;
    if (m_running) return;   // the running job's next frame reads it
    if (m_frame && m_session && m_frame->train && m_frame->train->isImage()) preview();   // the same weights, this image's z*
}

void TrainingController::pause()
{
    m_queued.reset();
    if (m_session) m_session->pause = true;
    // Read after the flag is up: from here the job may finish the step under way, no other.
    m_stepsAtPause = m_stepsTaken.load();
}

void TrainingController::finish(std::shared_ptr<Session> s, QString problem)
{
    m_running = false;
    m_progressTimer.stop();
    if (s != m_session) {
        // A run stopped because another scene came: nothing of it is applied or shown.
        emit stopped(QString());
        if (std::exchange(m_previewAfterStop, false)) preview();
        return;
    }
    // The trained weights become the scene (undoable); the session stays in step with it.
    if (s->trainer && s == m_session && m_frame && m_frame->scene) {
        const int epoch = s->trainer->epoch();
        if (m_controller->sharedScene() != s->synced) {
            // Edited while training: the user's edit wins; the weights stay in this frame only.
            emit message(tr("The scene changed during training: the trained weights were not applied (press Play to train the edited scene)"));
        } else if ((epoch > 0 || s->partial.stepsDone > 0) && !(*m_frame->scene == m_controller->scene())) {
            m_applying = true;
            Scene applied = *m_frame->scene;
            // An explored image stays the scene's input (an input of another width is the data's no more).
            if (m_controller->scene().input.size() == applied.input.size()) applied.input = m_controller->scene().input;
            const QString what = s->partial.stepsDone > 0
                                     ? tr("train to epoch %1 and %2 of %3 steps of the next").arg(epoch).arg(s->partial.stepsDone).arg(s->partial.steps)
                                     : tr("train to epoch %1").arg(epoch);
            m_controller->editScene(applied, what);
            m_applying = false;
            s->synced = m_controller->sharedScene();
        }
    }
    emit stopped(problem);
    if (s->redraw && !m_queued && problem.isEmpty()) {
        s->redraw = false;
        preview();   // the paused weights' own regions, off the GUI thread
        return;
    }
    if (std::exchange(m_redrawQueued, false) && !m_queued && problem.isEmpty()) {
        preview();
        return;
    }
    if (m_queued && problem.isEmpty()) {
        const int epochs = *m_queued;
        m_queued.reset();
        play(epochs);
    }
    m_queued.reset();
}

void TrainingController::reset()
{
    if (m_running) return;
    m_session.reset();
    m_frame.reset();
    emit frameCleared(tr("reset: the next Play starts from fresh weights"));
    Scene s = m_controller->scene();
    if (s.readout.empty()) return;
    // All of the network's weights go, not only the readout: the Model dock, the landscape and
    // the theory views must not go on showing the trained W and U as if they were current.
    s.readout = Readout{};
    s.W.setZero();
    s.U.setZero();
    s.b.setZero();
    m_controller->editScene(s, tr("forget the trained weights"));
}

}  // namespace opteq

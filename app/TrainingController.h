// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Runs training of the current scene's network off the GUI thread (the Train tab).
//
// Threading: public methods on the GUI thread. A session (the Trainer, its data) is touched only
// by the one job that runs it; the GUI thread starts a job only when none runs (m_running), and
// asks it to pause through an atomic flag. The job sends immutable TrainingFrames (weights,
// history, decision map, embedding) at most every 80 ms; the latest is drawn. When a run
// pauses or stops, the trained weights become an undoable edit of the scene ("train to epoch N"),
// so Save writes them and Undo goes back. Its own pool: a long run never blocks the landscape.
#include "Controller.h"
#include "DecisionMap.h"
#include "ImageReport.h"
#include "Trainer.h"

#include <QObject>
#include <QThreadPool>
#include <QTimer>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

namespace opteq {

struct TrainingFrame {
    std::shared_ptr<const Scene> scene;            // the scene with this frame's weights
    std::shared_ptr<const Dataset> train, test;
    std::vector<EpochLog> history;                 // every epoch of this session so far
    // 2-D data only (the decision map and the embedding mean nothing at d = 784 and cost a
    // solve per cell and per row):
    DecisionMap map;
    Eigen::MatrixXd embedding;                     // (train + test) × 2: equilibria projected
    std::vector<int> predicted;                    // per row of train then test
    // Image data only: what the image views draw (null for 2-D data and an untrained network).
    std::shared_ptr<const ImageReport> images;
    // When the epoch this frame shows ended (runEpoch returned); the image views' latency is
    // measured from it (≤ 200 ms to the first frame after an epoch).
    std::chrono::steady_clock::time_point epochEnded{};
    std::string problem;                           // why the run stopped (empty: fine or paused)
    std::string note;                              // how the data is used (mse on class labels)
    bool running = false;
};

// Where the running job is (EpochProgress, plus what is not an epoch's step): the Train tab's
// progress bar. Copied out of atomics on the GUI thread by a 100 ms timer, never queued per step.
struct TrainingProgress {
    enum class Stage { Loading, Steps, EvaluateTrain, EvaluateTest, Drawing };
    Stage stage = Stage::Loading;
    int epoch = 0, done = 0, total = 0;
    bool operator==(const TrainingProgress&) const = default;
};
// "epoch 3, batch 120/469", "epoch 3, evaluating the training split 2/15", …
QString progressText(const TrainingProgress& p);

class TrainingController : public QObject {
    Q_OBJECT
public:
    explicit TrainingController(Controller* controller, QObject* parent = nullptr);
    ~TrainingController() override;

    bool running() const { return m_running; }
    std::shared_ptr<const TrainingFrame> frame() const { return m_frame; }
    // Play: epochs until the scene's training.epochs (counted in this session), or `epochs` more.
    void play(int epochs = 0);
    // Show the scene's network without training (its data, and its regions when it has trained
    // weights): one frame, off the GUI thread. Called when a scene with training settings opens.
    void preview() { play(-1); }
    void pause();
    // Epochs per second a run may go at (0: as fast as it can); takes effect at the next epoch.
    void setPace(double epochsPerSecond) { m_pace = epochsPerSecond > 0 ? epochsPerSecond : 0.0; }
    // The two inputs the decision regions span for d > 2 data (from 0); redrawn at once when idle.
    void setShownInputs(int ix, int iy);
    void stepEpoch() { play(1); }
    // Image data: the test row whose equilibrium the strip shows (the next frame's; when idle, a
    // frame is made for it at once, off the GUI thread).
    void setChosenImage(int row);
    int chosenImage() const { return m_chosen.load(); }
    // Forget the trained weights: the scene's readout is removed (an undoable edit).
    void reset();
    // Blocks until no job runs and none is queued, or ms have passed (tests, shutdown).
    bool waitForIdle(int ms);
    // The running job's latest progress (any thread may have written it; read on the GUI thread).
    TrainingProgress progress() const;
    // Optimiser steps the jobs of this controller have taken, in all (tests count them: a Pause
    // lets at most the step under way finish).
    long long stepsTaken() const { return m_stepsTaken.load(); }
    // stepsTaken() read just after the last pause() raised the job's flag (-1: never paused).
    long long stepsTakenAtPause() const { return m_stepsAtPause; }

signals:
    void frameReady(std::shared_ptr<const opteq::TrainingFrame> frame);
    // The shown run no longer matches the scene (its settings or network were edited, undone,
    // another scene opened): the plots must not show it as current.
    void frameCleared(const QString& why);
    void stopped(const QString& reason);   // empty when paused or finished normally
    void message(const QString& text);
    // At most every 100 ms while a job runs, when its progress moved.
    void progressChanged(const opteq::TrainingProgress& progress);

private slots:
    void deliverFrame();   // queued by the job (by name): takes the mailbox's frame

private:
    struct Session;
    struct Mailbox {
        std::shared_ptr<const TrainingFrame> frame;
        std::shared_ptr<Session> session;
    };
    std::mutex m_mailboxMutex;
    Mailbox m_mailbox;   // the job's latest frame, under m_mailboxMutex
    void finish(std::shared_ptr<Session> session, QString problem);

    Controller* m_controller;
    QThreadPool m_pool;
    std::shared_ptr<Session> m_session;
    std::shared_ptr<const TrainingFrame> m_frame;
    bool m_running = false;
    bool m_applying = false;   // the controller's own "train to epoch N" edit is being applied
    std::optional<int> m_queued;   // a Play/Step asked for while a preview job ran
    std::atomic<double> m_pace{0.0};   // read by the job each epoch
    // Written by the job after every step and evaluated chunk, read by m_progressTimer (GUI
    // thread) every 100 ms: the latest value wins, nothing queues up in the event loop.
    std::atomic<int> m_progStage{0}, m_progEpoch{0}, m_progDone{0}, m_progTotal{0};
    std::atomic<long long> m_stepsTaken{0};
    long long m_stepsAtPause = -1;   // GUI thread
    QTimer m_progressTimer;
    TrainingProgress m_shownProgress;
    void setProgress(TrainingProgress::Stage stage, int epoch, int done, int total);
    std::atomic<int> m_shownX{0}, m_shownY{1};   // read by the job each frame
    std::atomic<int> m_chosen{0};                 // image data: the strip's test row, read by the job each frame
    bool m_previewAfterStop = false;
    bool m_redrawQueued = false;   // shown inputs changed while a job ran: preview after it   // another scene came while running: preview it when the job returns
};

}  // namespace opteq

Q_DECLARE_METATYPE(std::shared_ptr<const opteq::TrainingFrame>)
Q_DECLARE_METATYPE(opteq::TrainingProgress)

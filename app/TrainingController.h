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

signals:
    void frameReady(std::shared_ptr<const opteq::TrainingFrame> frame);
    // The shown run no longer matches the scene (its settings or network were edited, undone,
    // another scene opened): the plots must not show it as current.
    void frameCleared(const QString& why);
    void stopped(const QString& reason);   // empty when paused or finished normally
    void message(const QString& text);

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
    std::atomic<int> m_shownX{0}, m_shownY{1};   // read by the job each frame
    std::atomic<int> m_chosen{0};                 // image data: the strip's test row, read by the job each frame
    bool m_previewAfterStop = false;
    bool m_redrawQueued = false;   // shown inputs changed while a job ran: preview after it   // another scene came while running: preview it when the job returns
};

}  // namespace opteq

Q_DECLARE_METATYPE(std::shared_ptr<const opteq::TrainingFrame>)

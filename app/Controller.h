// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Owns the current scene and its undo stack, and runs the core jobs off the GUI thread.
//
// Threading: every public method is called on the GUI thread. Jobs run on m_pool (one thread: the
// job itself uses OpenMP across the cores, so the pool and OpenMP use the cores once). Each job
// gets its own std::atomic<bool> cancel flag; a newer request sets the older flag (latest request
// wins) and results carry a generation number so a stale result is dropped, never drawn. Results
// cross threads as shared_ptr<const …> immutable values.
#include "BasinMap.h"
#include "RateMap.h"
#include "SceneSolution.h"

#include <QObject>
#include <QThreadPool>
#include <QUndoStack>
#include <atomic>
#include <limits>
#include <vector>
#include <memory>

namespace opteq {

struct BasinResult {
    std::shared_ptr<const BasinMap> plain;   // plain iteration (prior none)
    std::shared_ptr<const BasinMap> prior;   // with the scene's prior (null when it has none)
    bool final = false;                      // false for the coarse first pass
    // Computed in the job with the maps (the view only draws): the shared colour scale, each
    // map's numbers, and the tolerance within which two ends are one equilibrium.
    BasinColouring colouring;
    BasinSummary plainSummary, priorSummary;
    double endTolerance = 0;
    int maxIter = 0;
    Method method = Method::Picard;
    PriorType priorType = PriorType::None;
    bool regularized = false;   // the prior map includes the scene's regularizers R (way 1)
};

// One iteration of one start explained (step-by-step mode), with the solution it explains.
struct ExplanationResult {
    std::shared_ptr<const SceneSolution> solution;
    int start = 0, k = 0;
    QString title;
    std::vector<std::string> sentences;
};

class Controller : public QObject {
    Q_OBJECT
public:
    explicit Controller(QObject* parent = nullptr);
    ~Controller() override;

    const Scene& scene() const { return *m_scene; }
    std::shared_ptr<const Scene> sharedScene() const { return m_scene; }
    QUndoStack* undoStack() { return &m_undo; }
    std::shared_ptr<const SceneSolution> solution() const { return m_solution; }
    // ‖W‖₂ of the current scene: the solve job's value when the solution answers this very scene
    // (same shared scene), else a value an edit or a solution left for it (the last 16 scenes,
    // undo and redo included), computed here only when neither exists.
    double spectralNorm() const;
    // The same when known without computing (NaN otherwise).
    double knownSpectralNorm() const;
    // Where Save writes (empty: Save asks where, e.g. for a copy of a shipped lesson).
    QString filePath() const { return m_path; }
    // The file the scene was read from (kept for a lesson copy): relative data paths resolve there.
    QString sourcePath() const { return m_sourcePath; }
    // A shipped lesson opened as an unsaved copy: its number (0: not a lesson copy). Forgets the
    // file path, so Save asks where; saving anywhere ends the copy state.
    void markLessonCopy(int number) { m_lesson = number; m_path.clear(); }
    int lessonCopyOf() const { return m_lesson; }
    bool isModified() const { return !m_undo.isClean(); }
    bool solveRunning() const { return m_solveRunning > 0; }
    bool basinsRunning() const { return m_basinsRunning; }
    // Blocks up to msecs until no job is queued or running; true when the pool went idle. For
    // tests and tools: basinsStopped(false) is emitted at cancelBasins() itself, before the job
    // has seen its cancel flag, so only this tells when the cores are free again. The window
    // never waits on a job.
    bool waitForIdle(int msecs);

    // An undoable edit; consecutive edits with the same non-zero mergeKey form one undo step.
    void editScene(const Scene& scene, const QString& description, int mergeKey = 0);
    // The same for a scene made elsewhere (a panel's edit): kept as it is, not copied.
    void editSharedScene(std::shared_ptr<const Scene> scene, const QString& description, int mergeKey);
    // The same when the caller knows the new ‖W‖₂ (it rescaled W by a known factor):
    // spectralNorm() then never decomposes W on the GUI thread for it.
    void editSceneWithNorm(const Scene& scene, const QString& description, int mergeKey, double knownNorm);
    // Replace the scene and forget the history (new / open / lesson).
    void resetScene(const Scene& scene, const QString& path);
    bool openFile(const QString& path, QString* error);
    bool saveFile(const QString& path, QString* error);
    // The same with the window the GUI shows it on (its current tab) in the file's "window".
    bool saveFile(const QString& path, QString* error, const SceneWindow& window);

    // Starts and anchor, in the current view plane's coordinates.
    void addStart(double s, double t);
    void moveStart(int index, double s, double t, int mergeKey);
    void deleteStart(int index);
    void moveAnchor(double s, double t, int mergeKey);

    void requestSolve();
    void requestBasins(int grid);
    void cancelBasins();
    // Iterations to tolerance over a grid of two solver parameters, from the first start.
    void requestRateMap(RateParam px, RateParam py, const GridSpec& spec);
    // Every iterate of every start of the current scene, re-solved in a job (exports keep every
    // iterate, the display traces are thinned) and written atomically: JSON when the path ends in
    // .json, else CSV. exportDone() reports the outcome on the GUI thread.
    void exportTraces(const QString& path);
    void cancelExport();   // Esc; the export reports "cancelled"
    // Explain iteration k of start `start` of the current solution (replays the solve up to k, so
    // it runs in a job; the latest request wins). explanationReady() answers it.
    void requestExplanation(int start, int k);

    // Internal: applies a scene from the undo stack.
    void applyScene(const Scene& scene);
    void applyScene(std::shared_ptr<const Scene> scene);

signals:
    void sceneChanged();
    void solutionReady(std::shared_ptr<const opteq::SceneSolution> solution);
    void solveProgress(int percent);
    void basinsReady(const opteq::BasinResult& result);
    void basinsProgress(int percent);
    void basinsStopped(bool completed);
    void message(const QString& text);
    void rateMapReady(std::shared_ptr<const opteq::RateMap> map);
    void rateMapProgress(int percent);
    // error empty on success; note: what the file holds when not everything (a down-sampled trace).
    void exportDone(const QString& path, const QString& error, const QString& note);
    void explanationReady(const opteq::ExplanationResult& result);

private:
    void rememberNorm(const std::shared_ptr<const Scene>& scene, double norm) const;
    // ‖W‖₂ of recent scenes, by identity (GUI thread only): a cache, so spectralNorm() stays const.
    mutable std::vector<std::pair<std::weak_ptr<const Scene>, double>> m_norms;
    Eigen::VectorXd planePoint(double s, double t, const Eigen::VectorXd* near) const;

    QThreadPool m_pool;
    std::shared_ptr<const Scene> m_scene;   // immutable; replaced, never modified
    QUndoStack m_undo;
    QString m_path, m_sourcePath;
    int m_lesson = 0;
    std::shared_ptr<const SceneSolution> m_solution;
    void startBasins(int grid);

    std::shared_ptr<std::atomic<bool>> m_solveCancel, m_basinCancel, m_rateCancel, m_explainCancel, m_exportCancel;
    struct ExportOutcome {
        QString error, note;
    };
    quint64 m_generation = 0, m_basinGeneration = 0, m_rateGeneration = 0, m_explainGeneration = 0;
    int m_pendingBasinGrid = 0;   // Ctrl+B before this scene's solve landed: start when it does
    int m_solveRunning = 0;
    bool m_basinsRunning = false;
};

}  // namespace opteq

Q_DECLARE_METATYPE(opteq::BasinResult)
Q_DECLARE_METATYPE(opteq::ExplanationResult)

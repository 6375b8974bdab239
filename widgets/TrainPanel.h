// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The Train tab: the dataset and the network's training settings (edits of the scene, undoable),
// Play / Pause / Step one epoch / Reset, and the live plots of the run. GUI thread only; the
// window's TrainingController runs the epochs and hands frames to show().
#include "Scene.h"

#include <memory>
#include "TrainPlots.h"
#include "ImagePanel.h"

#include <QWidget>

class QComboBox;
class QGridLayout;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace opteq {

class TrainPanel : public QWidget {
    Q_OBJECT
public:
    explicit TrainPanel(QWidget* parent = nullptr);
    // Mirrors the scene's training settings and network shape into the controls.
    void setScene(std::shared_ptr<const Scene> scene);
    // One frame of a run (from the TrainingController).
    void show(const DecisionMap* map, const Dataset& train, const Dataset& test, const std::vector<int>& predicted,
              const std::vector<EpochLog>& history, const Eigen::MatrixXd& embedding, bool running, const QString& problem, const QString& note = {});
    // The image views' part of a frame (image data only; TrainPanel shows them instead of the
    // decision regions and the embedding): the test split and what the job computed of it.
    void showImages(const Scene& scene, std::shared_ptr<const Dataset> test, std::shared_ptr<const ImageReport> report);
    void setRunning(bool running);
    // The running job's progress ("epoch 3, batch 120/469"; done of total fills the bar, total 0:
    // busy). Shown while running only; the controller sends it at most every 100 ms.
    void setProgress(const QString& text, int done, int total);
    // Presentation mode: the settings grid steps aside (data, buttons and status stay) so the
    // plots get the room; the settings are as they were when it comes back.
    void setCompact(bool compact);
    // Why training cannot go on (bad data, a diverged solve): kept in the status until the scene changes.
    void showProblem(const QString& problem);
    // The shown run is gone (settings edited, undone, reset): empty plots and the reason.
    void clearRun(const QString& why);

    DecisionView* decisionView() const { return m_decision; }
    CurvesView* curvesView() const { return m_curves; }
    DiagnosticsView* diagnosticsView() const { return m_diag; }
    EmbeddingView* embeddingView() const { return m_embedding; }
    ImagePanel* imagePanel() const { return m_images; }
    bool showsImages() const { return m_imageMode; }
    QPushButton* playButton() const { return m_play; }
    QLabel* statusLabel() const { return m_status; }
    class QProgressBar* progressBar() const { return m_progress; }
    QLabel* dataLabel() const { return m_dataInfo; }
    QComboBox* shownInputBox(int axis) const { return axis == 0 ? m_shownX : m_shownY; }

signals:
    void sceneEdited(std::shared_ptr<const opteq::Scene> scene, const QString& description, int mergeKey);
    void playRequested();
    void pauseRequested();
    void stepRequested();
    void resetRequested();
    // A data point was clicked: explore its equilibrium problem.
    void exploreInput(const Eigen::VectorXd& x, const QString& which);
    void message(const QString& text);
    void paceChanged(double epochsPerSecond);   // 0: as fast as possible
    void shownInputsChanged(int ix, int iy);    // d > 2: the inputs the regions span (from 0)
    void imageChosen(int testRow);              // image data: the strip shows this test image's z*

private:
    QWidget* m_settings = nullptr;   // the settings grid (hidden while compact)
    class QPushButton* m_showSettings = nullptr;   // compact: shows the grid again
    void emitEdit(const QString& what);
    void setStatus(const QString& text);   // the status text and its tooltip (the whole text)
    QString specSummary() const;   // the data as the scene names it, before it is read
    std::shared_ptr<const Scene> m_scene = std::make_shared<const Scene>();
    bool m_updating = false, m_running = false;
    bool m_showsRun = false;   // the plots and status show a run (setScene leaves the status alone)
    QComboBox *m_data, *m_activation, *m_optimizer, *m_schedule, *m_gradient, *m_loss, *m_pace, *m_shownX, *m_shownY;
    QWidget* m_shownRow;
    void setShownInputs(int d);
    QSpinBox *m_samples, *m_classes, *m_seed, *m_units, *m_batch, *m_epochs;
    QDoubleSpinBox *m_noise, *m_maxNorm, *m_lr;
    QPushButton *m_play, *m_step, *m_reset;
    QLabel* m_status;        // a StatusLines (TrainPanel.cpp)
    QLabel* m_paceLabel;
    class QProgressBar* m_progress;
    QLabel* m_dataInfo;
    DecisionView* m_decision;
    CurvesView* m_curves;
    DiagnosticsView* m_diag;
    EmbeddingView* m_embedding;
    ImagePanel* m_images;
    QGridLayout* m_plots;
    bool m_imageMode = false;
    std::shared_ptr<const Dataset> m_imageTest;   // the shown frame's test split (what a click explores)
    void arrange(bool images);   // the plots' grid for 2-D data or for images
};

}  // namespace opteq

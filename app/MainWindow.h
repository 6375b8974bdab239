// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The explorer window: landscape and basin tabs, residual plot and theory beside them, model and
// solver panels in docks, the lesson notes below; menus, shortcuts, playback, export, settings.
// GUI thread only; all computation goes through the Controller.
#include "Controller.h"

#include <QMainWindow>
#include <QTimer>

class QLabel;
class QProgressBar;
class QPushButton;
class QTextBrowser;
class QComboBox;
class QSpinBox;
class QMenu;
class QTabWidget;
class QSplitter;
class QCheckBox;
class QSlider;

namespace opteq {

class BasinView;
class RateMapView;
class SliceBar;
class LandscapeView;
class ModelPanel;
class ResidualPlot;
class SolverPanel;
struct SpectrumResult;
struct UnitLayerResult;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    Controller* controller() { return m_controller; }
    LandscapeView* landscape() const { return m_landscape; }
    ResidualPlot* residualPlot() const { return m_residual; }
    ModelPanel* modelPanel() const { return m_model; }
    SolverPanel* solverPanel() const { return m_solver; }
    QTextBrowser* theory() const { return m_theory; }
    BasinView* basinPlain() const { return m_basinPlain; }
    BasinView* basinPrior() const { return m_basinPrior; }
    QLabel* statusText() const { return m_status; }
    QLabel* sceneNote() const { return m_sceneNote; }
    QTextBrowser* stepPanel() const { return m_steps; }
    RateMapView* rateMap() const { return m_rateMap; }
    class RateMapPanel* ratePanel() const { return m_ratePanel; }
    class TrainPanel* trainPanel() const { return m_trainPanel; }
    class TrainingController* training() const { return m_training; }
    class TheoryController* theoryJobs() const { return m_theoryJobs; }
    class SpectrumView* spectrumView() const { return m_spectrum; }
    class RateCutView* rateCutView() const { return m_rateCut; }
    class UnitLayerView* unitLayerView() const { return m_unitG; }
    QTextBrowser* unitLayerText() const { return m_unitText; }
    QCheckBox* phaseToggle() const { return m_phaseBox; }
    QLabel* spectrumText() const { return m_spectrumText; }
    QComboBox* rateCutParam() const { return m_cutParam; }
    QSlider* rateCutSlider() const { return m_cutSlider; }
    int playhead() const { return m_playhead; }
    QTabWidget* tabs() const { return m_tabs; }
    LandscapeView* beforeView() const { return m_before; }
    LandscapeView* afterView() const { return m_after; }
    void setPlayhead(int k);

    bool openScene(const QString& path);
    // Where a scene is shown (issue #19): its "window" (tab, phase plane) applied on open, and the
    // window's own for saving. A scene without one opens on Train if it trains, else where it was.
    void showSceneWindow(const Scene& scene);
    SceneWindow sceneWindow() const;
    // The tab a scene file names ("landscape", "unit-layer", …: sceneWindowTabs()), or null.
    QWidget* tabNamed(const std::string& name) const;
    void openLesson(const QString& resourcePath);
    void showLessonGallery();
    void setPresentationMode(bool on);
    // Saving (MainWindowFiles.cpp). A shipped lesson opens as an unsaved copy: save() then asks
    // where (saveAs), and saveSceneTo() refuses a shipped lesson's file. maybeSave() asks about
    // unsaved changes; its default (Return) is Cancel.
    bool maybeSave();
    bool save();
    bool saveAs();
    bool saveSceneTo(const QString& path);
    // Where a file dialog for `name` starts: the last-used folder, else home (never a lessons folder).
    QString dialogStart(const QString& name) const;
    // File › Export figure without its dialogs (MainWindowFiles.cpp): `plot` (one of the window's
    // plots) at width × height. A theory figure whose tab was never opened is computed first (the
    // tab's own job, waited for behind a progress dialog); the decision regions are solved again
    // at the export's resolution; a figure the window shows untitled gets the title `opteq
    // export` gives it. Empty on success, else why not.
    QString exportFigure(QWidget* plot, const QString& path, int width, int height, double scale = 1.0, double fontScale = 1.0);

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void updateRightColumn();
    // Says which network the views show when it is not the plain scene: not trained yet, or a
    // training run's weights not yet the scene's (the Model dock and a strip over the tabs).
    void updateWhichModel();
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildMenus();
    void onSceneChanged();
    void onSolution(std::shared_ptr<const SceneSolution> solution);
    void onBasins(const BasinResult& result);
    void updateTitle();
    QString lastDir() const;
    void exportPlot(QWidget* plot, const QString& name);
    // Runs the event loop until ready() or failed() (or Cancel), behind a progress dialog once it
    // takes a moment. True when ready.
    bool waitForFigure(const std::function<bool()>& ready, const std::function<bool()>& failed, const QString& what);
    QString exportDecisionRegions(const QString& path, int width, int height, double scale, double fontScale);
    void exportText(const QString& filter, const QString& name, const std::function<QByteArray()>& make);
    void addRecent(const QString& path);
    void rebuildRecentMenu();
    void tick();
    int maxIteration() const;
    void showError(const QString& title, const QString& text);
    void explainStep();
    void showExplanation(const ExplanationResult& result);
    QWidget* buildRateTab();
    QWidget* buildTrainTab();
    QWidget* buildSliceBar();
    // The theory views (MainWindowTheory.cpp).
    QWidget* buildPhaseBar();
    QWidget* buildTheoryTab();
    QWidget* buildUnitLayerTab();
    void requestPhase();
    void requestTheoryViews();
    void onTheorySolution(const SceneSolution& sol);
    void onSpectrum(std::shared_ptr<const SpectrumResult> r);
    void onUnitLayer(std::shared_ptr<const UnitLayerResult> r);
    void syncCutSlider();

    Controller* m_controller;
    LandscapeView* m_landscape;
    ResidualPlot* m_residual;
    BasinView *m_basinPlain, *m_basinPrior;
    QTabWidget* m_tabs;
    ModelPanel* m_model;
    SolverPanel* m_solver;
    QTextBrowser* m_theory;
    QTextBrowser* m_lesson;
    QTextBrowser* m_steps;
    RateMapView* m_rateMap;
    class RateMapPanel* m_ratePanel = nullptr;
    std::shared_ptr<const Scene> m_rateModel;
    bool m_adoptingRate = false;   // the scene last shown, to tell a model edit from a solver one
    LandscapeView *m_before, *m_after;   // prior of way 1, side by side
    SliceBar* m_sliceBar;
    QSplitter* m_rightSplit = nullptr;
    QLabel* m_sceneNote = nullptr;   // over the tabs: which network they show (updateWhichModel)
    QSplitter* m_centralSplit = nullptr;   // the tabs | the right column
    class TrainPanel* m_trainPanel = nullptr;
    class TrainingController* m_training = nullptr;   // residuals over theory
    class TheoryController* m_theoryJobs = nullptr;
    class SpectrumView* m_spectrum = nullptr;
    QLabel* m_spectrumText = nullptr;
    QComboBox* m_spectrumStart = nullptr;
    class RateCutView* m_rateCut = nullptr;
    QComboBox* m_cutParam = nullptr;
    QSlider* m_cutSlider = nullptr;
    QLabel* m_cutValue = nullptr;
    class UnitLayerView* m_unitG = nullptr;
    LandscapeView* m_unitZ = nullptr;
    QTextBrowser* m_unitText = nullptr;
    QCheckBox* m_phaseBox = nullptr;
    QComboBox* m_phaseDensity = nullptr;
    QTimer m_phaseTimer;
    QWidget* m_theoryTab = nullptr;
    // The solution each theory plot last drew (to mark it "updating…" while a newer one computes).
    std::shared_ptr<const SceneSolution> m_spectrumFor, m_cutFor, m_unitFor;
    QWidget* m_unitTab = nullptr;
    QLabel* m_status;
    QLabel* m_hover;
    QProgressBar* m_progress;
    QPushButton* m_cancel;
    QComboBox* m_basinGrid;
    QMenu* m_recentMenu = nullptr;
    QTimer m_playTimer;
    int m_playhead = -1;
    int m_dragKey = 1;
    bool m_presentation = false;
    bool m_fitted = false;        // the first show fitted the window to its screen
    QWidget* m_trainTab = nullptr;
    QWidget* m_basinTab = nullptr;
    QByteArray m_normalState, m_normalSplit, m_normalCentral;
};

}  // namespace opteq

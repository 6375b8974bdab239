// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow's tab builders: the slice bar, the Train tab and the rate-map tab, with their
// signal wiring. GUI thread, called once from the constructor.
#include "MainWindow.h"
#include "Names.h"
#include "RateMapPanel.h"
#include "TrainPanel.h"
#include "TrainingController.h"
#include "SliceBar.h"
#include <algorithm>

namespace opteq {

QWidget* MainWindow::buildSliceBar()
{
    m_sliceBar = new SliceBar;
    connect(m_sliceBar, &SliceBar::sliceChosen, this, [this](int i, int j) {
        Scene s = m_controller->scene();
        s.view.axisI = i;
        s.view.axisJ = j;
        s.view.hasPlane = false;
        s.view.hasBox = false;   // the box follows the new slice
        m_controller->editScene(s, tr("change the landscape slice"));
    });
    return m_sliceBar;
}

QWidget* MainWindow::buildTrainTab()
{
    m_trainPanel = new TrainPanel;
    m_training = new TrainingController(m_controller, this);
    connect(m_trainPanel, &TrainPanel::sceneEdited, m_controller, &Controller::editSharedScene);
    connect(m_trainPanel, &TrainPanel::playRequested, this, [this] {
        m_training->play();
        m_trainPanel->setRunning(m_training->running());
    });
    connect(m_trainPanel, &TrainPanel::pauseRequested, m_training, &TrainingController::pause);
    connect(m_trainPanel, &TrainPanel::stepRequested, this, [this] {
        m_training->stepEpoch();
        m_trainPanel->setRunning(m_training->running());
    });
    connect(m_trainPanel, &TrainPanel::resetRequested, m_training, &TrainingController::reset);
    connect(m_trainPanel, &TrainPanel::paceChanged, m_training, &TrainingController::setPace);
    connect(m_trainPanel, &TrainPanel::shownInputsChanged, m_training, &TrainingController::setShownInputs);
    connect(m_trainPanel, &TrainPanel::imageChosen, m_training, &TrainingController::setChosenImage);
    connect(m_training, &TrainingController::frameReady, this, [this](std::shared_ptr<const TrainingFrame> f) {
        // Image data: its views first (the status line counts their misclassified images).
        if (f->train && f->train->isImage()) m_trainPanel->showImages(*f->scene, f->test, f->images);
        m_trainPanel->show(f->map.label.empty() ? nullptr : &f->map, *f->train, *f->test, f->predicted, f->history, f->embedding,
                           f->running, QString::fromStdString(f->problem), QString::fromStdString(f->note));
        updateWhichModel();
    });
    connect(m_training, &TrainingController::stopped, this, [this](const QString& reason) {
        m_trainPanel->setRunning(false);
        updateWhichModel();
        // In the Train tab's status, where it stays until the scene changes (a dialog on opening
        // a scene, before anything was trained, vanished with its OK).
        if (!reason.isEmpty()) {
            m_trainPanel->showProblem(reason);
            statusBar()->showMessage(tr("Training: %1").arg(reason), 10000);
        }
    });
    connect(m_training, &TrainingController::message, this, [this](const QString& t) { statusBar()->showMessage(t, 8000); });
    connect(m_training, &TrainingController::frameCleared, m_trainPanel, &TrainPanel::clearRun);
    connect(m_training, &TrainingController::progressChanged, this, [this](const TrainingProgress& p) {
        m_trainPanel->setProgress(progressText(p), p.done, p.total);
    });
    connect(m_trainPanel, &TrainPanel::message, this, [this](const QString& t) { statusBar()->showMessage(t, 10000); });
    // A data point's own equilibrium problem: its input x in the scene, on the Landscape tab.
    connect(m_trainPanel, &TrainPanel::exploreInput, this, [this](const Eigen::VectorXd& x, const QString& which) {
        Scene s = m_controller->scene();
        if (s.input.size() != x.size()) return;
        s.input = x;
        m_controller->editScene(s, tr("explore %1").arg(which));
        m_tabs->setCurrentIndex(0);
        statusBar()->showMessage(tr("Landscape of %1: its input is now the scene's x (Undo returns)").arg(which), 15000);
    });
    return m_trainPanel;
}

QWidget* MainWindow::buildRateTab()
{
    auto* panel = m_ratePanel = new RateMapPanel;
    m_rateMap = panel->view();
    connect(panel, &RateMapPanel::computeRequested, m_controller, &Controller::requestRateMap);
    connect(panel, &RateMapPanel::problem, this, [this](const QString& text) { showError(tr("Rate map"), text); });
    connect(m_controller, &Controller::rateMapProgress, panel, &RateMapPanel::setProgress);
    connect(m_controller, &Controller::rateMapReady, panel, &RateMapPanel::setMap);
    connect(panel, &RateMapPanel::adoptRequested, this, [this](RateParam px, double x, RateParam py, double y) {
        Scene s = m_controller->scene();
        const double current = m_controller->spectralNorm();
        double norm = current;
        applyRateParam(px, x, s.solver, norm);
        applyRateParam(py, y, s.solver, norm);
        if (current > 0 && norm != current) s.W *= norm / current;
        const QScopedValueRollback adopting(m_adoptingRate, true);   // the map stays: it is about this model
        m_controller->editSceneWithNorm(s, tr("adopt rate-map parameters"), 0, current > 0 ? norm : current);
    });
    return panel;
}

}  // namespace opteq

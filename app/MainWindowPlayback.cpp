// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: playback of the stored iterates and the step-by-step explanation. GUI thread.
#include "MainWindow.h"

#include "Controller.h"
#include "LandscapeView.h"
#include "ResidualPlot.h"
#include "SolverPanel.h"
#include "StepExplainer.h"
#include "TheoryController.h"

#include <QComboBox>
#include <QStatusBar>
#include <QDockWidget>
#include <QTabWidget>
#include <QTextBrowser>

namespace opteq {

int MainWindow::maxIteration() const
{
    int k = 0;
    if (const auto sol = m_controller->solution())
        for (const SolverRun& r : sol->runs)
            for (const Trace& t : r.traces) k = std::max(k, t.iterations);
    return k;
}

void MainWindow::tick()
{
    if (m_playhead >= maxIteration()) {
        m_playTimer.stop();
        m_solver->setPlaying(false);
        return;
    }
    setPlayhead(m_playhead + 1);
}

void MainWindow::setPlayhead(int k)
{
    m_playhead = k;
    m_landscape->setPlayhead(k);
    m_residual->setPlayhead(k);
    // The playhead's status line lives only while there is a playhead (no stale "iteration k").
    if (k >= 0) statusBar()->showMessage(tr("iteration k = %1").arg(k));
    else if (statusBar()->currentMessage().startsWith(tr("iteration k ="))) statusBar()->clearMessage();
    explainStep();
    // The Theory tab follows playback: the spectrum of J at the iterate shown.
    if (m_tabs->currentWidget() == m_theoryTab && m_controller->solution())
        m_theoryJobs->requestSpectrum(m_controller->solution(), std::max(0, m_spectrumStart->currentIndex()), k);
}

void MainWindow::explainStep()
{
    // The replay runs in a Controller job; the answer lands in showExplanation.
    if (m_playhead >= 0) m_controller->requestExplanation(m_landscape->selectedStart(), m_playhead);
}

void MainWindow::showExplanation(const ExplanationResult& e)
{
    if (e.solution != m_controller->solution()) return;   // explains a solution no longer shown
    QString html = QString("<p><b>%1</b></p><ol>").arg(e.title.toHtmlEscaped());
    for (const std::string& line : e.sentences) html += "<li>" + QString::fromStdString(line).toHtmlEscaped() + "</li>";
    m_steps->setHtml(html + "</ol>");
    // On a narrow screen Step by step is a tab beside the lesson: show the step just explained.
    if (auto* d = findChild<QDockWidget*>("stepDock"); d && d->isVisible()) d->raise();
}

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: playback of the stored iterates and the step-by-step explanation. GUI thread.
#include "MainWindow.h"

#include "Controller.h"
#include "LandscapeView.h"
#include "ResidualPlot.h"
#include "SolverPanel.h"
#include "StepExplainer.h"

#include <QStatusBar>
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
}

void MainWindow::explainStep()
{
    if (m_playhead < 0) return;
    const Scene& s = m_controller->scene();
    const std::vector<Eigen::VectorXd> starts = s.effectiveStarts();
    const int which = std::clamp(m_landscape->selectedStart(), 0, int(starts.size()) - 1);
    const Model model = s.model();
    const SolverContext ctx(model, s.input, s.solver, s.prior);
    const StepExplanation e = opteq::explainStep(ctx, starts[size_t(which)], m_playhead);
    QString html = tr("<p><b>Start %1, %2</b></p><ol>").arg(which + 1).arg(
        s.prior.type != PriorType::None ? PriorSettings::typeName(s.prior.type) : SolverSettings::methodName(s.solver.method));
    for (const std::string& line : e.sentences) html += "<li>" + QString::fromStdString(line).toHtmlEscaped() + "</li>";
    m_steps->setHtml(html + "</ol>");
}

}  // namespace opteq

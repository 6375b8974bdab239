// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The landscape of E (colour map, contours, masked +inf region) with the fixed-point trajectories
// drawn on it. Direct manipulation: click adds a start, drag moves one (live), Delete removes the
// selected one, the prior's anchor is a draggable marker. GUI thread only; it draws the immutable
// SceneSolution it is handed and never computes anything heavier than a projection.
#include "PhasePlane.h"
#include "SceneSolution.h"

#include <memory>
#include <qcustomplot.h>

namespace opteq {

class LandscapeView : public QCustomPlot {
    Q_OBJECT
public:
    explicit LandscapeView(QWidget* parent = nullptr);

    // Draws the solution and the starts/anchor of the scene it answers (solution->request).
    void setSolution(std::shared_ptr<const SceneSolution> solution);
    const std::shared_ptr<const SceneSolution>& solution() const { return m_solution; }
    // Show iterates 0..k only (playback); -1 shows everything.
    void setPlayhead(int k);
    int playhead() const { return m_playhead; }
    // The marker at the head of trajectory i: a star only at a converged end, a ring at a
    // playback iterate (so the two are never confused).
    QCPScatterStyle::ScatterShape headShape(int i) const { return m_curves.at(size_t(i)).head->scatterStyle().shape(); }
    int selectedStart() const { return m_selected; }
    void setSelectedStart(int index);
    // Draw E + R (false) or E without the regularizers (true), when the solution has both.
    void setShowWithoutPrior(bool without);
    // Navigation (also in the right-click menu): the axes to the computed landscape's box, or to
    // the trajectories and equilibrium; equal aspect keeps one unit the same length on both axes.
    void fitToLandscape();
    void fitToTrajectories();
    void setEqualAspect(bool on);
    bool equalAspect() const { return m_equalAspect; }

    // Phase plane (a toggle): the field T(z) − z, nullclines and their crossing, drawn over a
    // washed-out landscape. The field is computed in a job for `forSolution` over visibleBox() and
    // drawn only while that solution is the one shown (a stale field is never drawn on a new plane).
    void setPhaseMode(bool on);
    bool phaseMode() const { return m_phaseMode; }
    void setPhaseField(std::shared_ptr<const PhaseField> field, std::shared_ptr<const SceneSolution> forSolution);
    bool phaseFieldShown() const { return m_phaseDrawn; }
    GridSpec visibleBox() const;

    // Introspection (tests, exports).
    QCPColorMap* colorMap() const { return m_map; }
    int trajectoryCount() const { return int(m_curves.size()); }
    // Last drawn point of trajectory (run, start) in plane coordinates.
    QPointF trajectoryEnd(int run, int start) const;
    QPoint pixelOf(double s, double t) const;
    QPointF startPosition(int index) const;

signals:
    void startAdded(double s, double t);
    void startDragged(int index, double s, double t);   // live, while the mouse moves
    void startDropped(int index, double s, double t);   // released: one undoable edit
    void startSelected(int index);
    void deleteStartRequested(int index);
    void anchorDragged(double s, double t);
    void anchorDropped(double s, double t);
    void hoverText(const QString& text);
    // Fit to trajectories: the box (plane coordinates) the landscape should be computed over.
    void boxRequested(double x0, double x1, double y0, double y1);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void onPress(QMouseEvent* e);
    void onMove(QMouseEvent* e);
    void onRelease(QMouseEvent* e);
    void rebuild();
    void drawLandscape(const Grid& grid);
    void updateCurves();
    int startNear(const QPointF& pixel) const;
    bool anchorNear(const QPointF& pixel) const;

    std::shared_ptr<const SceneSolution> m_solution;
    std::shared_ptr<const PhaseField> m_phase;
    std::shared_ptr<const SceneSolution> m_phaseFor;   // held, so a new solution at the same address is never taken for it
    bool m_phaseMode = false, m_phaseDrawn = false;
    QCPColorMap* m_map = nullptr;
    QCPColorScale* m_scale = nullptr;
    std::vector<QCPAbstractPlottable*> m_owned;      // rebuilt with each solution
    struct CurveInfo { QCPCurve* curve; QCPGraph* head; int run, start; QVector<double> s, t; QVector<int> k; bool converged = false; QColor color; };
    std::vector<CurveInfo> m_curves;
    QCPGraph* m_starts = nullptr;
    QCPGraph* m_selectedMarker = nullptr;
    QCPGraph* m_anchor = nullptr;
    QVector<double> m_startS, m_startT;
    bool m_hasAnchor = false;
    double m_anchorS = 0, m_anchorT = 0;
    int m_playhead = -1;
    int m_selected = -1;
    int m_dragging = -1;          // start index being dragged, -2 for the anchor
    bool m_moved = false;
    bool m_withoutPrior = false;
    bool m_equalAspect = false;
    GridSpec m_drawnBox;          // the box the axes were last fitted to (a new box refits)
    bool m_hasDrawnBox = false;
    int m_n = 2;
};

}  // namespace opteq

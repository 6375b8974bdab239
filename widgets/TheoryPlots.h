// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The Theory and Unit layer tabs' plots (issue #13). Each draws a value computed in a job (GUI
// thread only; nothing heavier than a projection here):
//   SpectrumView   eigenvalues of J = diag(σ'(v))WᵀW in the complex plane, with the unit circle,
//                  the disc of radius ‖W‖₂² (the bound), ρ(J) and the observed rate;
//   RateCutView    observed rate, local rate ρ(J) and the bound along one solver parameter, with
//                  the scene's current value marked;
//   UnitLayerView  G(p) of the unit layer on the plane through p* = W z*, with p_k = W z_k.
#include "FixedPointSet.h"
#include "JacobianSpectrum.h"
#include "RateMap.h"
#include "TheoryReports.h"
#include "Trace.h"

#include <optional>
#include <qcustomplot.h>

namespace opteq {

// Where J was taken, for the words under the disc: the start's outcome, whether J is at its end
// point (or at an iterate the playhead chose), and the kind of Fix T of the scene.
struct SpectrumPlace {
    int start = 1;                                  // 1-based
    SolveStatus status = SolveStatus::Converged;
    bool atEnd = true;
    FixSetKind fixSet = FixSetKind::Point;
};

class SpectrumView : public QCustomPlot {
    Q_OBJECT
public:
    explicit SpectrumView(QWidget* parent = nullptr);
    void setSpectrum(const JacobianSpectrum& s, const QString& where, double observedRate, int n);
    void clearSpectrum(const QString& why);
    // The numbers under the plot, as rich text (the window shows it in a label). Every claim
    // follows the computed spectrum and the place: "1 is an eigenvalue" only when one is (within
    // 1e-9), a start that diverged or stopped at max_iter is said to end off any equilibrium, and
    // ρ(J) > 1 is read as growth, not as a rate of convergence.
    static QString summary(const JacobianSpectrum& s, double observedRate, int n, const SpectrumPlace& place = {});
    int eigenvalueCount() const;   // drawn dots

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void fitSquare();
    double m_radius = 1.2;
};

class RateCutView : public QCustomPlot {
    Q_OBJECT
public:
    explicit RateCutView(QWidget* parent = nullptr);
    // startNumber: the start the sweep solved from (1-based, named in the legend).
    void setCut(const RateCut& cut, double current, int startNumber = 1);
    void clearCut(const QString& why);
    // Move the "current value" marker without a new cut (while a slider moves).
    void setCurrent(double value);
    static QString paramLabel(RateParam p);

private:
    QCPItemStraightLine* m_current = nullptr;
};

class UnitLayerView : public QCustomPlot {
    Q_OBJECT
public:
    explicit UnitLayerView(QWidget* parent = nullptr);
    void setPicture(const UnitLayerPicture& pic);
    void clearPicture(const QString& why);

private:
    QCPColorMap* m_map;
    QCPColorScale* m_scale;
    std::optional<std::pair<QCPRange, QCPRange>> m_box;   // the p-plane's grid box (square in p units)
};

}  // namespace opteq

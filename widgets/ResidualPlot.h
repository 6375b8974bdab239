// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Residuals ‖T z_k − z_k‖ (solid), relative residuals (dashed) and E(z_k) − E* (dotted) per
// iteration on log axes, one colour per trajectory; hovering names the curve, the iteration, the
// value and the curve's lowest residual. GUI thread only.
#include "SceneSolution.h"

#include <memory>
#include <qcustomplot.h>

namespace opteq {

class ResidualPlot : public QCustomPlot {
    Q_OBJECT
public:
    explicit ResidualPlot(QWidget* parent = nullptr);
    void setSolution(std::shared_ptr<const SceneSolution> solution, double tol);
    void setPlayhead(int k);
    void setShowRelative(bool on);
    void setShowObjectiveGap(bool on);
    // Iterations on a log axis (k + 1, so k = 0 shows): a rate k^-p is a straight line of slope −p.
    void setLogIterations(bool on);
    bool logIterations() const { return m_logX; }
    // The axes to every plotted point. A relative residual above 10⁶ (T z ≈ 0, e.g. T(z₀) = 0) is
    // not plotted, and a note at the top of the plot says where.
    void fitToData();
    // The text shown on hover at a pixel (empty when no curve is near); public for tests.
    QString hoverTextAt(const QPointF& pixel) const;

signals:
    void hoverText(const QString& text);

private:
    void rebuild();
    std::shared_ptr<const SceneSolution> m_solution;
    double m_tol = 0;
    bool m_relative = true, m_gap = true, m_logX = false;
    double m_fitLo = 1e-12, m_fitHi = 1, m_fitK = 1;
    QCPItemStraightLine* m_cursor = nullptr;
    QCPItemText* m_spikeNote = nullptr;   // the relative residuals left out, when any
    struct Series { QCPGraph* graph; QString name; double lowest; int iterations; QString status; };
    std::vector<Series> m_series;
};

}  // namespace opteq

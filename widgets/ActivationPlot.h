// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// σ and its potential f for one layer's activation; with regularizers also the changed activation
// prox_{f+R} beside the plain σ (MATH.md §4). GUI thread only; cheap (a few hundred evaluations).
#include "ProxOperator.h"

#include <qcustomplot.h>

namespace opteq {

class ActivationPlot : public QCustomPlot {
    Q_OBJECT
public:
    explicit ActivationPlot(QWidget* parent = nullptr);
    void setOperator(const ProxOperator& op, const QString& title);

private:
    // Redrawn only when the operator changes: slider drags elsewhere must not pay for it.
    std::vector<double> m_key;
    QString m_title;
};

}  // namespace opteq

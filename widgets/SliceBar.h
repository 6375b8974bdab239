// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// For n > 2: which 2-D slice of the state space the landscape shows — the principal directions
// of the trajectories through the equilibrium, or two chosen coordinate axes. GUI thread only.
#include "Scene.h"

#include <QWidget>

class QComboBox;
class QSpinBox;
class QLabel;

namespace opteq {

class SliceBar : public QWidget {
    Q_OBJECT
public:
    explicit SliceBar(QWidget* parent = nullptr);
    // Shows itself only for n > 2 and mirrors the scene's view.axes.
    void setScene(const Scene& scene);
    // What the drawn slice is, in words (from the solution): the bar shows how the slice keeps to
    // dom f (the part after " — ": which units are held and how far E is surely finite) and how
    // much of it lies outside the domain (after " · "); the whole sentence is the tooltip.
    void setDescription(const QString& text);

signals:
    // (-1, -1): principal directions; else the two coordinates (0-based).
    void sliceChosen(int axisI, int axisJ);

private:
    void emitChoice();
    QComboBox* m_mode;
    QSpinBox *m_i, *m_j;
    QLabel* m_note;
};

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The Rate map tab: two solver parameters with their ranges, a grid size, the map and its
// progress. Asks for computations and adoptions by signal; the window's controller runs them.
// GUI thread only.
#include "RateMap.h"

#include <QWidget>
#include <memory>

class QComboBox;
class QDoubleSpinBox;
class QProgressBar;
class QSpinBox;
class QLabel;
class QPushButton;

namespace opteq {

class RateMapView;

class RateMapPanel : public QWidget {
    Q_OBJECT
public:
    explicit RateMapPanel(QWidget* parent = nullptr);
    RateMapView* view() const { return m_view; }
    void setProgress(int percent);
    void setMap(std::shared_ptr<const RateMap> map);
    // The scene's method: only its parameters (and the ‖W‖₂ scale) are offered; a map of another
    // method or scene is cleared.
    void setMethod(Method method);

signals:
    void computeRequested(opteq::RateParam px, opteq::RateParam py, const opteq::GridSpec& spec);
    // A cell was clicked: use these two parameter values.
    void adoptRequested(opteq::RateParam px, double x, opteq::RateParam py, double y);
    void problem(const QString& text);

private:
    void applyDefaultRange(QComboBox* combo, QDoubleSpinBox* lo, QDoubleSpinBox* hi);
    QComboBox *m_px, *m_py;
    QDoubleSpinBox *m_x0, *m_x1, *m_y0, *m_y1;
    QSpinBox* m_grid;
    QPushButton* m_go;
    QLabel* m_note;
    Method m_method = Method::Picard;
    bool m_hasMethod = false;
    RateMapView* m_view;
    QProgressBar* m_progress;
};

}  // namespace opteq

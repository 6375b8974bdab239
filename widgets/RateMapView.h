// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A convergence-rate map: iterations to tolerance over a grid of two solver parameters, on a log
// colour scale; cells that did not converge are grey. Clicking a cell asks to adopt its
// parameters. GUI thread only.
#include "RateMap.h"

#include <memory>
#include <qcustomplot.h>

namespace opteq {

class RateMapView : public QCustomPlot {
    Q_OBJECT
public:
    explicit RateMapView(QWidget* parent = nullptr);
    void setMap(std::shared_ptr<const RateMap> map);
    void fit();   // the axes to the whole map (also: right-click › Fit)
    const RateMap* map() const { return m_map.get(); }
    // The title shown while there is no map (e.g. why none can be computed).
    void setEmptyText(const QString& text) { m_emptyText = text; if (!m_map) setMap(nullptr); }

signals:
    void cellClicked(double x, double y);
    void hoverText(const QString& text);

private:
    std::shared_ptr<const RateMap> m_map;
    QCPColorMap* m_colors;
    QCPColorScale* m_scale;
    QString m_emptyText;
};

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A basin map: each start of a grid coloured by where it ends (hue along the first plane
// coordinate of the end point: a continuum of equilibria gives a continuous colour), darker the
// more iterations it took; diverged starts black, unfinished (max_iter) ones hatched grey.
// Clicking a cell asks for that start's trajectory. GUI thread only.
#include "BasinMap.h"

#include <QImage>
#include <memory>
#include <qcustomplot.h>

namespace opteq {

// The colour image of a basin map (row 0 at the bottom, as in the plane). endRange: the colour
// scale for the end coordinate (shared between views so "with" and "without prior" compare).
QImage basinImage(const BasinMap& map, double endLo, double endHi, int maxIter);

class BasinView : public QCustomPlot {
    Q_OBJECT
public:
    explicit BasinView(QWidget* parent = nullptr);
    void setMap(std::shared_ptr<const BasinMap> map, double endLo, double endHi, int maxIter, const QString& title);
    void clearMap(const QString& message);
    const BasinMap* map() const { return m_map.get(); }

signals:
    void cellClicked(double s, double t);
    void hoverText(const QString& text);

private:
    std::shared_ptr<const BasinMap> m_map;
    QCPItemPixmap* m_pixmap = nullptr;
    QCPTextElement* m_title = nullptr;
};

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A basin map: each start of a grid coloured by where it ends (hue along the set of equilibria,
// BasinColouring: a continuum of equilibria gives a continuous colour, a unique one a single
// colour), darker the more iterations it took; diverged starts black, unfinished (max_iter) ones
// hatched grey. A colour key beside the map, the map's numbers under its title. Clicking a cell
// asks for that start's trajectory. GUI thread only.
#include "BasinMap.h"

#include <QImage>
#include <memory>
#include <qcustomplot.h>

namespace opteq {

// The colour image of a basin map (row 0 at the bottom, as in the plane), with the colouring
// shared between the views that are compared.
QImage basinImage(const BasinMap& map, const BasinColouring& colouring, int maxIter);
// What the map says in words: a unique equilibrium (where, and how closely the ends agree) or a
// set of them (how many distinct ends, how far apart), with the diverged / max_iter counts.
QString basinSummaryText(const BasinSummary& s, double endTolerance, int maxIter);

class BasinView : public QCustomPlot {
    Q_OBJECT
public:
    explicit BasinView(QWidget* parent = nullptr);
    void setMap(std::shared_ptr<const BasinMap> map, const BasinColouring& colouring, int maxIter, const QString& title,
                const QString& summary);
    void clearMap(const QString& message);
    // The title as shown, and a new one for the map as it is (e.g. a refinement was cancelled).
    QString title() const;
    void setTitle(const QString& title);
    const BasinMap* map() const { return m_map.get(); }
    // The axes to the whole map (also: right-click › Fit).
    void fit();

signals:
    void cellClicked(double s, double t);
    void hoverText(const QString& text);

private:
    // The key entries for diverged and max_iter cells, listed only when the map has such cells.
    void showStatusKey(int maxIter);
    std::shared_ptr<const BasinMap> m_map;
    QCPGraph* m_divergedKey = nullptr;
    QCPGraph* m_maxIterKey = nullptr;
    QCPItemPixmap* m_pixmap = nullptr;
    QCPTextElement* m_title = nullptr;
    QCPTextElement* m_summary = nullptr;
    QCPColorScale* m_key = nullptr;
};

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The Train tab's image views together (TrainPanel shows them instead of the decision regions
// and the equilibria embedding when the data has an image shape): test images, confusion matrix
// and input filters as pages of one tab widget (each large enough to read from a lecture room's
// back row), and the chosen image's z* strip, which TrainPanel places beside the curves. GUI
// thread only; it draws the ImageReport of a TrainingFrame.
#include "ImageViews.h"

#include <QTabWidget>

class QCheckBox;
class QComboBox;

namespace opteq {

class ImagePanel : public QTabWidget {
    Q_OBJECT
public:
    explicit ImagePanel(QWidget* parent = nullptr);
    // One frame: the scene it is of (U, the solver's tolerance), its test split and report (null:
    // an untrained network: the images with their true class only).
    void setFrame(const Scene& scene, std::shared_ptr<const Dataset> test, std::shared_ptr<const ImageReport> report,
                  const Eigen::VectorXd& input);
    void clear();
    // The chosen image, drawn framed and in the strip when the report has it.
    void setChosen(int row) { m_grid->setChosen(row); }

    ImageGrid* grid() const { return m_grid; }
    ConfusionView* confusion() const { return m_confusion; }
    FilterView* filters() const { return m_filters; }
    EquilibriumStripView* strip() const { return m_strip; }   // not a page: TrainPanel places it
    QComboBox* classBox() const { return m_class; }
    QCheckBox* wrongOnlyBox() const { return m_wrongOnly; }
    QComboBox* orderBox() const { return m_order; }
    // Misclassified test images of the shown report (−1: no predictions).
    int misclassified() const;

signals:
    void imageChosen(int row);   // show its z* (Ctrl+click)
    void openImage(int row);     // its own equilibrium problem in the Landscape (click)

private:
    ImageGrid* m_grid;
    ConfusionView* m_confusion;
    FilterView* m_filters;
    EquilibriumStripView* m_strip;
    QComboBox *m_class, *m_order;
    QCheckBox* m_wrongOnly;
    std::shared_ptr<const Dataset> m_test;
    std::shared_ptr<const ImageReport> m_report;
};

}  // namespace opteq

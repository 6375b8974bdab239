// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The Train tab's plots, each drawing one TrainingFrame-like value (GUI thread only; nothing is
// computed here beyond a projection): the decision regions with the data points, the loss and
// accuracy curves, the solver's diagnostics, and the equilibria of all points in 2-D.
#include "DecisionMap.h"
#include "Trainer.h"

#include <qcustomplot.h>

namespace opteq {

// Class colours (shared by the plots): light for regions, strong for points.
QColor classColor(int k, bool light = false);

class DecisionView : public QCustomPlot {
    Q_OBJECT
public:
    explicit DecisionView(QWidget* parent = nullptr);
    // predicted: per row of train then test (empty: not known yet).
    void setData(const DecisionMap* map, const Dataset& train, const Dataset& test, const std::vector<int>& predicted);
    int misclassified() const { return m_wrong; }
    // What the view holds fixed ("x₃ = 0.12 (its mean)", "1-D data along x₁"; empty for 2-D data
    // and before the data is read).
    QString sliceText() const { return m_unread ? QString() : QString::fromStdString(m_slice.heldText()); }

signals:
    // A data point was clicked: its input (train or test row).
    void pointClicked(const Eigen::VectorXd& x, int classLabel, int predicted);   // predicted -1: unknown
    void hoverText(const QString& text);

private:
    QCPColorMap* m_map;
    std::vector<QCPGraph*> m_classes;
    QCPGraph* m_wrongMarks;
    Eigen::MatrixXd m_points;   // all rows, train then test: the view's coordinates (hit tests)
    Eigen::MatrixXd m_inputs;   // the same rows' full inputs (what a click explores)
    InputSlice m_slice;
    bool m_unread = true;   // no data columns yet: the dimension is unknown
    std::vector<int> m_labels, m_predicted;
    int m_wrong = 0;
};

class CurvesView : public QCustomPlot {
    Q_OBJECT
public:
    explicit CurvesView(QWidget* parent = nullptr);
    void setHistory(const std::vector<EpochLog>& history);
};

class DiagnosticsView : public QCustomPlot {
    Q_OBJECT
public:
    explicit DiagnosticsView(QWidget* parent = nullptr);
    void setHistory(const std::vector<EpochLog>& history, int trainSize);
};

class EmbeddingView : public QCustomPlot {
    Q_OBJECT
public:
    explicit EmbeddingView(QWidget* parent = nullptr);
    void setEmbedding(const Eigen::MatrixXd& points, const std::vector<int>& labels);
};

}  // namespace opteq

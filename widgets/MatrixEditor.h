// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// An editable table of a fixed-shape matrix. Every cell is validated where it is typed (a finite
// number in [-1e6, 1e6]; NaN and text are refused), and the shape cannot be changed from here, so
// an edit can never produce a shape mismatch. GUI thread only.
#include <Eigen/Dense>
#include <QTableWidget>

namespace opteq {

class MatrixEditor : public QTableWidget {
    Q_OBJECT
public:
    explicit MatrixEditor(QWidget* parent = nullptr);
    void setMatrix(const Eigen::MatrixXd& m);
    Eigen::MatrixXd matrix() const { return m_value; }
    // Set one entry as if typed (used by the "selected entry" slider).
    void setEntry(int row, int col, double value);

signals:
    void matrixEdited(const Eigen::MatrixXd& m);

private:
    Eigen::MatrixXd m_value;
    bool m_updating = false;
};

}  // namespace opteq

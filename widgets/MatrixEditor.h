// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// An editable view of a fixed-shape matrix: a QTableView over a QAbstractTableModel that reads
// the Eigen matrix directly, so only the visible cells cost anything (a 1000×1000 W is as cheap to
// show and update as a 2×2). Every cell is validated where it is typed (a finite number in
// [-1e6, 1e6]; NaN and text are refused) and the shape cannot be changed from here, so an edit
// never produces a shape mismatch. Large matrices (more than kHeatMapColumns columns) are drawn
// as a heat map (blue < 0 < red, scaled by the largest |entry|), values in the tooltip and the
// editor. Rows and columns are numbered from 1, as everywhere in the explorer. GUI thread only.
#include <Eigen/Dense>
#include <QAbstractTableModel>
#include <QTableView>

namespace opteq {

class MatrixModel : public QAbstractTableModel {
    Q_OBJECT
public:
    using QAbstractTableModel::QAbstractTableModel;
    void setMatrix(const Eigen::MatrixXd& m);
    const Eigen::MatrixXd& matrix() const { return m_value; }
    bool heatMap() const { return m_value.cols() > kHeatMapColumns; }
    static constexpr int kHeatMapColumns = 12;

    int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(m_value.rows()); }
    int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(m_value.cols()); }
    QVariant data(const QModelIndex& index, int role) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    // The exact value (no text round trip); false when refused (not finite or |v| > 1e6).
    bool setValue(int row, int col, double v);
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

signals:
    void entryEdited(int row, int col);
    void refused(const QString& why);   // a typed value was not taken

private:
    Eigen::MatrixXd m_value;
    double m_scale = 1;   // largest |entry| (heat-map colour scale)
};

class MatrixEditor : public QTableView {
    Q_OBJECT
public:
    explicit MatrixEditor(QWidget* parent = nullptr);
    void setMatrix(const Eigen::MatrixXd& m);
    const Eigen::MatrixXd& matrix() const { return m_model->matrix(); }
    // Set one entry as if typed (emits matrixEdited).
    void setEntry(int row, int col, double value);
    // Show a new value of one entry without emitting (the owner already knows it).
    void setEntrySilently(int row, int col, double value);
    int currentRow() const { return currentIndex().row(); }
    int currentColumn() const { return currentIndex().column(); }
    void setCurrentCell(int row, int col) { setCurrentIndex(m_model->index(row, col)); }

signals:
    void matrixEdited(const Eigen::MatrixXd& m);
    void refused(const QString& why);
    void currentCellChanged(int row, int col);

private:
    void adjustLayout();
    MatrixModel* m_model;
    bool m_heatMap = false;
};

}  // namespace opteq

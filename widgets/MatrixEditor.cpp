// SPDX-License-Identifier: GPL-3.0-or-later
#include "MatrixEditor.h"

#include <QRegularExpressionValidator>
#include <QHeaderView>
#include <QLineEdit>
#include <QStyledItemDelegate>
#include <cmath>

namespace opteq {
namespace {

class NumberDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem&, const QModelIndex&) const override
    {
        auto* e = new QLineEdit(parent);
        // Only the syntax of a number is checked while typing. The range is checked on commit by
        // the model, which refuses with a message: a range validator here would block Enter on
        // "1e999" and leave the editor stuck open with no word of why.
        static const QRegularExpression number(R"([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)");
        e->setValidator(new QRegularExpressionValidator(number, e));
        e->setToolTip(QObject::tr("A finite number between -1e6 and 1e6 (e.g. 0.25, -3, 1e-4)"));
        return e;
    }
    void setEditorData(QWidget* editor, const QModelIndex& index) const override
    {
        static_cast<QLineEdit*>(editor)->setText(index.data(Qt::EditRole).toString());
    }
};

QString format(double v) { return QString::number(v, 'g', 10); }

// Diverging colour: blue for negative, white at 0, red for positive; t in [-1, 1].
QColor heat(double t)
{
    t = std::clamp(t, -1.0, 1.0);
    const int a = int(std::lround(255 * (1 - std::abs(t))));
    return t >= 0 ? QColor(255, a, a) : QColor(a, a, 255);
}

}  // namespace

void MatrixModel::setMatrix(const Eigen::MatrixXd& m)
{
    const bool reshape = m.rows() != m_value.rows() || m.cols() != m_value.cols();
    if (reshape) beginResetModel();
    m_value = m;
    m_scale = m.size() ? std::max(1e-300, m.cwiseAbs().maxCoeff()) : 1.0;
    if (reshape) endResetModel();
    else if (m.size()) emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
}

QVariant MatrixModel::data(const QModelIndex& idx, int role) const
{
    if (!idx.isValid()) return {};
    const double v = m_value(idx.row(), idx.column());
    switch (role) {
    case Qt::DisplayRole: return heatMap() ? QVariant() : QVariant(format(v));
    case Qt::EditRole: return format(v);
    case Qt::ToolTipRole: return tr("[%1, %2] = %3").arg(idx.row() + 1).arg(idx.column() + 1).arg(format(v));
    case Qt::BackgroundRole: return heatMap() ? QVariant(heat(v / m_scale)) : QVariant();
    default: return {};
    }
}

bool MatrixModel::setData(const QModelIndex& idx, const QVariant& value, int role)
{
    if (!idx.isValid() || role != Qt::EditRole) return false;
    bool ok = false;
    const QString text = value.toString().trimmed();
    const double v = QLocale::c().toDouble(text, &ok);
    // Refused (not a number, not finite, beyond ±1e6): the old value stays and the user is told.
    if (ok && setValue(idx.row(), idx.column(), v)) return true;
    emit refused(tr("[%1, %2]: %3 is not a finite number between -1e6 and 1e6; kept %4")
                     .arg(idx.row() + 1).arg(idx.column() + 1).arg(text, format(m_value(idx.row(), idx.column()))));
    return false;
}

bool MatrixModel::setValue(int row, int col, double v)
{
    if (!std::isfinite(v) || std::abs(v) > 1e6) return false;
    if (v == m_value(row, col)) return true;
    m_value(row, col) = v;
    m_scale = std::max(m_scale, std::abs(v));
    emit dataChanged(index(row, col), index(row, col));
    emit entryEdited(row, col);
    return true;
}

Qt::ItemFlags MatrixModel::flags(const QModelIndex& idx) const
{
    return idx.isValid() ? Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable : Qt::NoItemFlags;
}

QVariant MatrixModel::headerData(int section, Qt::Orientation, int role) const
{
    if (role == Qt::DisplayRole) return section + 1;   // numbered from 1 everywhere
    return {};
}

MatrixEditor::MatrixEditor(QWidget* parent) : QTableView(parent), m_model(new MatrixModel(this))
{
    setModel(m_model);
    setItemDelegate(new NumberDelegate(this));
    horizontalHeader()->setMinimumSectionSize(6);
    verticalHeader()->setMinimumSectionSize(6);
    setSelectionMode(QAbstractItemView::SingleSelection);
    adjustLayout();
    connect(m_model, &MatrixModel::entryEdited, this, [this] { emit matrixEdited(m_model->matrix()); });
    connect(m_model, &MatrixModel::refused, this, &MatrixEditor::refused);
    connect(selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& cur) { emit currentCellChanged(cur.row(), cur.column()); });
}

void MatrixEditor::adjustLayout()
{
    // Small matrices: stretched columns showing the numbers, the table as tall as its rows.
    // Heat maps: fixed small squares (no per-row measuring: 1000 rows would be measured one by one).
    m_heatMap = m_model->heatMap();
    if (m_heatMap) {
        horizontalHeader()->setSectionResizeMode(QHeaderView::Fixed);
        verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
        const int side = m_model->columnCount() > 100 ? 8 : 14;
        horizontalHeader()->setDefaultSectionSize(side);
        verticalHeader()->setDefaultSectionSize(side);
        horizontalHeader()->setVisible(m_model->columnCount() <= 100);
        verticalHeader()->setVisible(m_model->rowCount() <= 100);
        setSizeAdjustPolicy(QAbstractScrollArea::AdjustIgnored);
        setMinimumHeight(160);
    } else {
        horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
        horizontalHeader()->setMinimumSectionSize(44);
        verticalHeader()->setSectionResizeMode(m_model->rowCount() <= 64 ? QHeaderView::ResizeToContents : QHeaderView::Fixed);
        horizontalHeader()->setVisible(true);
        verticalHeader()->setVisible(true);
        setSizeAdjustPolicy(m_model->rowCount() <= 64 ? QAbstractScrollArea::AdjustToContents : QAbstractScrollArea::AdjustIgnored);
        setMinimumHeight(0);
    }
}

void MatrixEditor::setMatrix(const Eigen::MatrixXd& m)
{
    const bool reshape = m.rows() != m_model->rowCount() || m.cols() != m_model->columnCount();
    m_model->setMatrix(m);
    if (reshape) adjustLayout();
}

void MatrixEditor::setEntrySilently(int row, int col, double value)
{
    if (row < 0 || col < 0 || row >= m_model->rowCount() || col >= m_model->columnCount()) return;
    const QSignalBlocker block(m_model);
    m_model->setValue(row, col, value);
    // dataChanged was blocked with the rest: repaint the cell (and the heat map's scale) directly.
    viewport()->update();
}

void MatrixEditor::setEntry(int row, int col, double value)
{
    if (row < 0 || col < 0 || row >= m_model->rowCount() || col >= m_model->columnCount() || !std::isfinite(value)) return;
    m_model->setValue(row, col, value);
}

}  // namespace opteq

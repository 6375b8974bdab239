// SPDX-License-Identifier: GPL-3.0-or-later
#include "MatrixEditor.h"

#include <QDoubleValidator>
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
        auto* v = new QDoubleValidator(-1e6, 1e6, 12, e);
        v->setNotation(QDoubleValidator::ScientificNotation);
        v->setLocale(QLocale::c());
        e->setValidator(v);
        e->setToolTip(QObject::tr("A finite number between -1e6 and 1e6"));
        return e;
    }
};
}  // namespace

MatrixEditor::MatrixEditor(QWidget* parent) : QTableWidget(parent)
{
    setItemDelegate(new NumberDelegate(this));
    horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    horizontalHeader()->setMinimumSectionSize(44);
    verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    connect(this, &QTableWidget::cellChanged, this, [this](int r, int c) {
        if (m_updating) return;
        bool ok = false;
        const double v = QLocale::c().toDouble(item(r, c)->text(), &ok);
        if (!ok || !std::isfinite(v) || std::abs(v) > 1e6) {
            // Refused: put the old value back (the validator makes this rare; pasted text can reach here).
            m_updating = true;
            item(r, c)->setText(QString::number(m_value(r, c), 'g', 10));
            m_updating = false;
            return;
        }
        if (v == m_value(r, c)) return;
        m_value(r, c) = v;
        emit matrixEdited(m_value);
    });
}

void MatrixEditor::setMatrix(const Eigen::MatrixXd& m)
{
    m_updating = true;
    const bool reshape = m.rows() != rowCount() || m.cols() != columnCount();
    if (reshape) {
        setRowCount(int(m.rows()));
        setColumnCount(int(m.cols()));
    }
    for (int r = 0; r < m.rows(); ++r)
        for (int c = 0; c < m.cols(); ++c) {
            QTableWidgetItem* it = item(r, c);
            if (!it) { it = new QTableWidgetItem; setItem(r, c, it); }
            const QString text = QString::number(m(r, c), 'g', 10);
            if (it->text() != text) it->setText(text);
        }
    m_value = m;
    m_updating = false;
}

void MatrixEditor::setEntry(int row, int col, double value)
{
    if (row < 0 || col < 0 || row >= m_value.rows() || col >= m_value.cols() || !std::isfinite(value)) return;
    m_updating = true;
    item(row, col)->setText(QString::number(value, 'g', 10));
    m_updating = false;
    m_value(row, col) = value;
    emit matrixEdited(m_value);
}

}  // namespace opteq

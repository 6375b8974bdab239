// SPDX-License-Identifier: GPL-3.0-or-later
#include "DeepModelDialog.h"
#include "Names.h"

#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>

namespace opteq {

std::optional<DeepSpec> askDeepSpec(QWidget* parent, QString* error)
{
    QDialog d(parent);
    d.setWindowTitle(QObject::tr("Generate a deep OptEq"));
    auto* f = new QFormLayout(&d);
    auto* sizes = new QLineEdit("2, 2");
    sizes->setToolTip(QObject::tr("Layer sizes n₁, …, n_L (each 1 to 512), comma separated"));
    auto* act = new QComboBox;
    for (int t = 0; t < Activation::typeCount; ++t) act->addItem(activationDisplayName(ActivationType(t)));
    act->setCurrentIndex(int(ActivationType::Tanh));
    act->setToolTip(QObject::tr("Activation of every layer (change single layers afterwards in the model panel)"));
    auto* norm = new QDoubleSpinBox;
    norm->setRange(0.01, 2);
    norm->setValue(0.9);
    norm->setToolTip(QObject::tr("‖W‖₂ after scaling"));
    auto* seed = new QSpinBox;
    seed->setRange(0, 1000000);
    seed->setValue(1);
    seed->setToolTip(QObject::tr("Random seed (saved in the scene)"));
    f->addRow(QObject::tr("Layer sizes"), sizes);
    f->addRow(QObject::tr("Activation"), act);
    f->addRow(QObject::tr("‖W‖₂"), norm);
    f->addRow(QObject::tr("Seed"), seed);
    auto* bb = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    f->addRow(bb);
    QObject::connect(bb, &QDialogButtonBox::accepted, &d, &QDialog::accept);
    QObject::connect(bb, &QDialogButtonBox::rejected, &d, &QDialog::reject);
    if (d.exec() != QDialog::Accepted) return std::nullopt;
    DeepSpec spec;
    for (const QString& p : sizes->text().split(',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const int n = p.trimmed().toInt(&ok);
        if (!ok || n < 1 || n > 512) {
            if (error) *error = QObject::tr("Layer sizes: whole numbers from 1 to 512, comma separated");
            return std::nullopt;
        }
        LayerSpec l;
        l.size = n;
        l.activation.type = ActivationType(act->currentIndex());
        spec.layers.push_back(l);
    }
    if (spec.layers.empty()) {
        if (error) *error = QObject::tr("Layer sizes: give at least one layer");
        return std::nullopt;
    }
    spec.targetNorm = norm->value();
    spec.seed = std::uint64_t(seed->value());
    return spec;
}

}  // namespace opteq

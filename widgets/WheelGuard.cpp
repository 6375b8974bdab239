// SPDX-License-Identifier: GPL-3.0-or-later
#include "WheelGuard.h"

#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QEvent>
#include <QWidget>

namespace opteq {
namespace {

class WheelFilter : public QObject {
public:
    using QObject::QObject;
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::Wheel) {
            auto* w = static_cast<QWidget*>(watched);
            if (!w->hasFocus()) {
                event->ignore();   // propagates to the parent (the dock's scroll area)
                return true;
            }
        }
        return false;
    }
};

}  // namespace

void guardWheel(QWidget* root)
{
    auto* filter = new WheelFilter(root);
    const auto guard = [filter](QWidget* w) {
        w->setFocusPolicy(Qt::StrongFocus);   // focus by click or Tab, not by the wheel
        w->installEventFilter(filter);
    };
    for (QComboBox* c : root->findChildren<QComboBox*>()) guard(c);
    for (QAbstractSpinBox* s : root->findChildren<QAbstractSpinBox*>()) guard(s);
    for (QAbstractSlider* s : root->findChildren<QAbstractSlider*>())
        if (!s->inherits("QScrollBar")) guard(s);
}

}  // namespace opteq

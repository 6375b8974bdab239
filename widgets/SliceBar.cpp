// SPDX-License-Identifier: GPL-3.0-or-later
#include "SliceBar.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QVBoxLayout>
#include <QLabel>
#include <QSpinBox>

namespace opteq {

SliceBar::SliceBar(QWidget* parent) : QWidget(parent)
{
    // Two rows: the choice, then what the drawn slice is in words (full width, one line).
    auto* rows = new QVBoxLayout(this);
    rows->setContentsMargins(4, 2, 4, 2);
    rows->setSpacing(1);
    auto* h = new QHBoxLayout;
    rows->addLayout(h);
    h->addWidget(new QLabel(tr("Slice of the state space:")));
    m_mode = new QComboBox;
    m_mode->addItems({tr("principal directions through the equilibrium"), tr("coordinate axes through the equilibrium")});
    m_mode->setToolTip(tr("For n > 2 the landscape is a 2-D slice of E; trajectories are projected onto it"));
    m_i = new QSpinBox;
    m_j = new QSpinBox;
    m_i->setPrefix("z");
    m_j->setPrefix("z");
    m_i->setToolTip(tr("First coordinate axis of the slice"));
    m_j->setToolTip(tr("Second coordinate axis of the slice (different from the first)"));
    h->addWidget(m_mode);
    h->addWidget(m_i);
    h->addWidget(m_j);
    h->addStretch(1);
    m_note = new QLabel;
    m_note->setStyleSheet("color: #505050");
    m_note->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);   // long words never widen the window
    m_note->setWordWrap(true);
    rows->addWidget(m_note);
    connect(m_mode, &QComboBox::activated, this, &SliceBar::emitChoice);
    connect(m_i, &QSpinBox::editingFinished, this, &SliceBar::emitChoice);
    connect(m_j, &QSpinBox::editingFinished, this, &SliceBar::emitChoice);
}

void SliceBar::emitChoice()
{
    if (m_mode->currentIndex() == 0) { emit sliceChosen(-1, -1); return; }
    if (m_i->value() == m_j->value()) return;   // not a plane
    emit sliceChosen(m_i->value() - 1, m_j->value() - 1);
}

void SliceBar::setDescription(const QString& text)
{
    // The full sentence in the tooltip; the bar shows the parts that vary: how the slice keeps
    // to dom f (after " — ", core/scene/ScenePlane.cpp) and how much of it is grey (after " · ").
    m_note->setToolTip(text);
    const int dot = text.indexOf(" · ");
    const int dash = text.indexOf(" — ");
    QStringList parts;
    if (dash >= 0) {
        QString words = text.mid(dash + 3, dot > dash ? dot - dash - 3 : -1);
        if (words.startsWith("the ") || words.startsWith("no ")) words[0] = words[0].toUpper();
        parts << words;
    }
    if (dot >= 0) parts << text.mid(dot + 3);
    QString shown = parts.join("; ");
    shown = (shown.isEmpty() ? QString() : shown + ". ") + tr("Trajectories are projected onto the slice.");
    m_note->setText(shown);
    m_note->setVisible(!shown.isEmpty());
}

void SliceBar::setScene(const Scene& s)
{
    setVisible(s.n() > 2);
    const QSignalBlocker a(m_mode), b(m_i), c(m_j);
    m_i->setRange(1, std::max(1, s.n()));
    m_j->setRange(1, std::max(1, s.n()));
    const bool axes = s.view.axisI >= 0 && s.view.axisJ >= 0;
    m_mode->setCurrentIndex(axes ? 1 : 0);
    m_i->setValue(axes ? s.view.axisI + 1 : 1);
    m_j->setValue(axes ? s.view.axisJ + 1 : 2);
    m_i->setEnabled(axes);
    m_j->setEnabled(axes);
}

}  // namespace opteq

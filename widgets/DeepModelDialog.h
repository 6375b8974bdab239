// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Asks for a deep block-bidiagonal model (MATH.md §3): layer sizes, activation, ‖W‖₂, seed.
// GUI thread only (modal).
#include "DeepGenerator.h"

#include <QString>
#include <optional>

class QWidget;

namespace opteq {

// nullopt when cancelled, or (with *error set) when the typed sizes are not valid.
std::optional<DeepSpec> askDeepSpec(QWidget* parent, QString* error);

}  // namespace opteq

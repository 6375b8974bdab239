// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Scrolling a dock with the mouse wheel must scroll the dock, not change whatever combo box,
// spin box or slider happens to pass under the pointer. guardWheel(root) makes every such control
// below root take the wheel only when it has keyboard focus (click or Tab into it first); an
// unfocused one passes the wheel on to its scroll area. GUI thread only.
class QWidget;

namespace opteq {

void guardWheel(QWidget* root);

}  // namespace opteq

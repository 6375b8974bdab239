// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The shipped lessons: bundled as ":/lessons/NN-name.opteq.json" and shipped as the same files in
// a folder named "lessons" (resources/lessons in the source tree). Opened from there they are
// unsaved copies, and no dialog starts in that folder. GUI-free, any thread.
#include <QString>

namespace opteq {

// The lesson number of a shipped lesson's file (":/lessons/…" or a file named as a bundled lesson
// that lies in a folder named "lessons" or has the bundled bytes); 0 for any other file.
int shippedLessonNumber(const QString& path);
// A folder holding shipped lessons (a file dialog never starts there).
bool isLessonsFolder(const QString& dir);

}  // namespace opteq

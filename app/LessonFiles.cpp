// SPDX-License-Identifier: GPL-3.0-or-later
#include "LessonFiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace opteq {

int shippedLessonNumber(const QString& path)
{
    if (path.isEmpty()) return 0;
    const QFileInfo info(path);
    const QString name = info.fileName();
    const QString bundled = ":/lessons/" + name;
    if (!name.endsWith(".opteq.json") || !QFile::exists(bundled)) return 0;
    const int number = std::max(1, name.section('-', 0, 0).toInt());
    if (path.startsWith(":/") || info.absoluteDir().dirName() == "lessons") return number;
    // A lesson copied elsewhere unchanged is still the shipped text.
    QFile a(path), b(bundled);
    if (a.size() != b.size() || !a.open(QIODevice::ReadOnly) || !b.open(QIODevice::ReadOnly)) return 0;
    return a.readAll() == b.readAll() ? number : 0;
}

bool isLessonsFolder(const QString& dir)
{
    const QDir d(dir);
    if (dir.isEmpty() || d.dirName() != "lessons") return false;
    for (const QString& f : d.entryList({"*.opteq.json"}, QDir::Files))
        if (QFile::exists(":/lessons/" + f)) return true;
    return false;
}

}  // namespace opteq

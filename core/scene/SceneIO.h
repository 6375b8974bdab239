// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Scene files (SCENES.md): parse with errors that name the field, serialize, and save
// atomically (QSaveFile: the old file stays whole when a write fails).
#include "Scene.h"

#include <QByteArray>
#include <QString>
#include <optional>

namespace opteq {

struct SceneResult {
    std::optional<Scene> scene;
    std::string error;   // "field: what is wrong" when scene is empty
    bool ok() const { return scene.has_value(); }
};

SceneResult parseScene(const QByteArray& bytes);
SceneResult loadScene(const QString& path);
QByteArray sceneToJson(const Scene& scene);
// The scene with another "window" than its own (the GUI saves the tab it shows without copying
// the scene, whose W can be large).
QByteArray sceneToJson(const Scene& scene, const SceneWindow& window);
// Returns an empty string on success, else why the write failed (the old file is untouched).
std::string saveScene(const Scene& scene, const QString& path);
std::string saveScene(const Scene& scene, const QString& path, const SceneWindow& window);
// Atomic write of any bytes (used by exports too).
std::string writeFileAtomically(const QString& path, const QByteArray& bytes);

}  // namespace opteq

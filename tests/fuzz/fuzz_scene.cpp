// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the scene loader. Properties checked on every input:
//  - parseScene never crashes, hangs or leaks, whatever the bytes;
//  - an accepted scene validates, and its serialization parses back to an equal scene;
//  - a rejected input always carries a message naming a field ("field: what").
// Built only with clang (-DOPTEQ_BUILD_FUZZ=ON); run by .ci/extra for a bounded time.
#include "SceneIO.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    const opteq::SceneResult r = opteq::parseScene(bytes);
    if (!r.ok()) {
        if (r.error.empty() || r.error.find(':') == std::string::npos) std::abort();
        return 0;
    }
    if (!r.scene->validate().empty()) std::abort();
    const opteq::SceneResult back = opteq::parseScene(opteq::sceneToJson(*r.scene));
    if (!back.ok() || !(*back.scene == *r.scene)) std::abort();
    return 0;
}

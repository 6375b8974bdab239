// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Shared by the libFuzzer targets: a property that fails aborts with its name (libFuzzer saves
// the input as a crash), and the fuzzed bytes as a file for the readers that take a path.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

namespace fuzz {

inline void require(bool ok, const char* property)
{
    if (ok) return;
    std::fprintf(stderr, "property failed: %s\n", property);
    std::abort();
}

// A per-process scratch file ending in `suffix` holding the bytes (rewritten each input).
inline std::string asFile(const std::uint8_t* data, size_t size, const std::string& suffix)
{
    const std::string path = "/tmp/opteq-fuzz-" + std::to_string(::getpid()) + suffix;
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data), std::streamsize(size));
    return path;
}

}  // namespace fuzz

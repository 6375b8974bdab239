// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the IDX reader (images and labels, plain or gzipped), in memory and
// through the bounded file reader:
//  - never a crash, hang or allocation the bytes do not pay for (a declared count is checked
//    against the cap first, and data is read a chunk at a time as it arrives);
//  - an array read holds count × rows × cols bytes, count ≤ the declared count and ≤ the limit;
//    a refusal says why and starts with the file's name;
//  - a limit reads a prefix of what the whole read returns;
//  - the file reader agrees with the in-memory parser.
#include "FuzzCommon.h"
#include "Idx.h"

namespace {
constexpr std::size_t kCap = std::size_t(1) << 20;   // small: a fuzzed gzip may inflate far
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size)
{
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    const std::string path = fuzz::asFile(data, size, ".idx");
    for (const opteq::IdxKind kind : {opteq::IdxKind::Images, opteq::IdxKind::Labels}) {
        const opteq::IdxArray a = opteq::parseIdx(bytes, kind, 0, kCap, "mem");
        if (a.ok()) {
            fuzz::require(a.data.size() == a.count * a.itemBytes(), "count × rows × cols bytes");
            fuzz::require(a.count == a.declared, "without a limit every declared item is read");
            fuzz::require(kind == opteq::IdxKind::Images || (a.rows == 1 && a.cols == 1), "labels are one byte each");
        } else {
            fuzz::require(a.error.rfind("mem: ", 0) == 0, "a refusal starts with the name");
            fuzz::require(a.data.empty(), "nothing kept on a refusal");
        }
        const opteq::IdxArray p = opteq::parseIdx(bytes, kind, 2, kCap, "mem");
        if (a.ok()) {
            fuzz::require(p.ok(), "a limit reads what the whole read reads");
            fuzz::require(p.count == std::min<std::size_t>(2, a.count), "a limit caps the count");
            fuzz::require(a.data.compare(0, p.data.size(), p.data) == 0, "a limit reads a prefix");
        }
        if (p.ok()) fuzz::require(p.data.size() == p.count * p.itemBytes() && p.count <= 2, "limited: count × item bytes");
        const opteq::IdxArray f = opteq::readIdxFile(path, kind, 0, kCap);
        fuzz::require(f.ok() == a.ok() || size > kCap, "the file reader agrees with the parser");
        if (f.ok()) fuzz::require(f.data == a.data, "the same bytes");
        else fuzz::require(f.error.rfind(path + ": ", 0) == 0, "a file's error starts with its path");
    }
    return 0;
}

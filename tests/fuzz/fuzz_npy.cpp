// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the .npy reader, in memory and through the bounded file reader:
//  - never a crash, hang or allocation the bytes do not pay for (a declared shape is checked
//    before anything is sized by it);
//  - a matrix read has rows × cols values; a refusal says why;
//  - the file reader agrees with the in-memory parser whenever the file fits its cap.
#include "FuzzCommon.h"
#include "Npy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size)
{
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    const opteq::NpyMatrix m = opteq::parseNpy(bytes);
    if (m.ok()) fuzz::require(m.data.size() == m.rows * m.cols, "rows × cols values");
    else fuzz::require(!m.error.empty(), "a refusal says why");
    const std::string path = fuzz::asFile(data, size, ".npy");
    const opteq::NpyMatrix f = opteq::readNpyFile(path, 1 << 20, "input file");
    fuzz::require(f.ok() == m.ok() || size > (1u << 20), "the file reader agrees with the parser");
    if (f.ok()) fuzz::require(f.data.size() == m.data.size() && f.rows == m.rows, "the same shape");
    if (!f.ok()) fuzz::require(f.error.rfind(path + ": ", 0) == 0, "a file's error starts with its path");
    return 0;
}

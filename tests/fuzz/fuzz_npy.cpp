// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the .npy reader, in memory and through the bounded file reader:
//  - never a crash, hang or allocation the bytes do not pay for (a declared shape is checked
//    before anything is sized by it);
//  - a matrix read has rows × cols values; a refusal says why;
//  - the file reader agrees with the in-memory parser whenever the file fits its cap.
#include "FuzzCommon.h"
#include "Npy.h"

#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size)
{
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    const opteq::NpyMatrix m = opteq::parseNpy(bytes);
    if (m.ok()) fuzz::require(m.data.size() == m.rows * m.cols, "rows × cols values");
    // Images (N × h × w, training.data.npy): a 2-D read is a 3-D read of the same matrix.
    const opteq::NpyMatrix m3 = opteq::parseNpy(bytes, 3);
    if (m3.ok()) fuzz::require(m3.data.size() == m3.rows * m3.cols && (m3.shape.size() < 3 || m3.cols == m3.shape[1] * m3.shape[2]), "N × h·w values");
    if (m.ok())   // bit for bit (a NaN equals itself here)
        fuzz::require(m3.ok() && m3.data.size() == m.data.size()
                          && (m.data.empty() || std::memcmp(m3.data.data(), m.data.data(), m.data.size() * sizeof(double)) == 0),
                      "a 3-D reader reads 2-D arrays the same");
    else fuzz::require(!m.error.empty(), "a refusal says why");
    const std::string path = fuzz::asFile(data, size, ".npy");
    const opteq::NpyMatrix f = opteq::readNpyFile(path, 1 << 20, "input file");
    fuzz::require(f.ok() == m.ok() || size > (1u << 20), "the file reader agrees with the parser");
    if (f.ok()) fuzz::require(f.data.size() == m.data.size() && f.rows == m.rows, "the same shape");
    if (!f.ok()) fuzz::require(f.error.rfind(path + ": ", 0) == 0, "a file's error starts with its path");
    return 0;
}

// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the numeric CSV reader (with and without a header line):
//  - never a crash or hang;
//  - a table read has rows × columns values and a file line per row;
//  - a refusal names the row and line, or says the file is empty.
#include "Csv.h"
#include "FuzzCommon.h"

namespace {
void check(const opteq::CsvTable& t)
{
    if (!t.ok()) {
        fuzz::require(t.error.rfind("row ", 0) == 0 || t.error.find("empty") != std::string::npos, "a refusal names the row");
        return;
    }
    fuzz::require(t.data.size() == t.rows * t.cols(), "rows × columns values");
    fuzz::require(t.lines.size() == t.rows, "a file line per row");
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    check(opteq::parseNumericCsv(text));
    check(opteq::parseNumericMatrixCsv(text));
    return 0;
}

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Numeric CSV without Qt: a fast writer (std::to_chars, shortest digits that read back to the
// same double) and a strict reader whose errors name the row and the column.
#include <cstddef>
#include <string>
#include <vector>

namespace opteq {

// Appends v with the fewest digits that round-trip; "nan", "inf", "-inf" for non-finite values.
void appendNumber(std::string& out, double v);
void appendInt(std::string& out, long long v);

struct CsvTable {
    std::vector<std::string> header;   // column names, as in the first line
    std::size_t rows = 0;
    std::vector<double> data;          // row-major, rows × header.size()
    std::vector<std::size_t> lines;    // the file line (from 1) of each row, for later checks' messages
    std::string error;                 // "row 3 (line 4), column \"x2\": …" when a cell is not a number
    bool ok() const { return error.empty(); }
    std::size_t cols() const { return header.size(); }
    double at(std::size_t r, std::size_t c) const { return data[r * header.size() + c]; }
    int column(const std::string& name) const;   // -1 when absent
};

// A header line then rows of numbers separated by commas (blank lines and a trailing newline are
// fine, \r\n too, and a UTF-8 byte-order mark at the start). Every row must have the header's number of cells; rows count from 1.
CsvTable parseNumericCsv(const std::string& text);
// The same without a header line (a bare matrix, as numpy.savetxt writes): the first row sets
// the number of columns, which are named "1", "2", … in the table and in errors.
CsvTable parseNumericMatrixCsv(const std::string& text);

}  // namespace opteq

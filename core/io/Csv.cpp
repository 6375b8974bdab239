// SPDX-License-Identifier: GPL-3.0-or-later
#include "Csv.h"

#include <charconv>
#include <cmath>
#include <system_error>

namespace opteq {

void appendNumber(std::string& out, double v)
{
    if (std::isnan(v)) { out += "nan"; return; }
    if (std::isinf(v)) { out += v > 0 ? "inf" : "-inf"; return; }
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

void appendInt(std::string& out, long long v)
{
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

int CsvTable::column(const std::string& name) const
{
    for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == name) return int(i);
    return -1;
}

namespace {

std::string trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '"')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '"')) s.remove_suffix(1);
    return std::string(s);
}

std::vector<std::string_view> split(std::string_view line)
{
    std::vector<std::string_view> cells;
    std::size_t p = 0;
    for (;;) {
        const std::size_t c = line.find(',', p);
        cells.push_back(line.substr(p, c == std::string_view::npos ? std::string_view::npos : c - p));
        if (c == std::string_view::npos) break;
        p = c + 1;
    }
    return cells;
}

bool parseDouble(std::string_view cell, double& v)
{
    while (!cell.empty() && (cell.front() == ' ' || cell.front() == '\t')) cell.remove_prefix(1);
    while (!cell.empty() && (cell.back() == ' ' || cell.back() == '\t' || cell.back() == '\r')) cell.remove_suffix(1);
    if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"') cell = cell.substr(1, cell.size() - 2);   // "1.5" (QUOTE_ALL)
    if (!cell.empty() && cell.front() == '+') cell.remove_prefix(1);
    if (cell.empty()) return false;
    const auto r = std::from_chars(cell.data(), cell.data() + cell.size(), v);
    return r.ec == std::errc() && r.ptr == cell.data() + cell.size();
}

CsvTable parseCsv(const std::string& text, bool withHeader)
{
    CsvTable t;
    std::string_view all(text);
    if (all.substr(0, 3) == "\xEF\xBB\xBF") all.remove_prefix(3);   // a UTF-8 byte-order mark (Excel writes one)
    std::size_t pos = 0, line = 0;
    bool haveHeader = false;
    while (pos < all.size()) {
        std::size_t e = all.find('\n', pos);
        if (e == std::string_view::npos) e = all.size();
        std::string_view l = all.substr(pos, e - pos);
        pos = e + 1;
        ++line;
        if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
        if (l.find_first_not_of(" \t") == std::string_view::npos) continue;
        const std::vector<std::string_view> cells = split(l);
        if (!haveHeader && !withHeader) {
            for (std::size_t c = 0; c < cells.size(); ++c) t.header.push_back(std::to_string(c + 1));
            haveHeader = true;
        } else if (!haveHeader) {
            for (std::string_view c : cells) t.header.push_back(trim(c));
            haveHeader = true;
            continue;
        }
        const std::size_t row = t.rows + 1;
        const std::string where = "row " + std::to_string(row) + " (line " + std::to_string(line) + ")";
        if (cells.size() != t.header.size()) {
            t.error = where + " has " + std::to_string(cells.size()) + " values, "
                + (withHeader ? "the header names " : "row 1 has ") + std::to_string(t.header.size());
            return t;
        }
        for (std::size_t c = 0; c < cells.size(); ++c) {
            double v;
            if (!parseDouble(cells[c], v)) {
                t.error = where + ", column " + (withHeader ? "\"" + t.header[c] + "\"" : t.header[c]) + ": "
                    + std::string(cells[c]) + " is not a number";
                return t;
            }
            t.data.push_back(v);
        }
        t.lines.push_back(line);
        ++t.rows;
    }
    if (!haveHeader)
        t.error = withHeader ? "the file is empty (expected a header line such as x1,x2,label)" : "the file is empty (expected rows of numbers)";
    return t;
}

}  // namespace

CsvTable parseNumericCsv(const std::string& text) { return parseCsv(text, true); }
CsvTable parseNumericMatrixCsv(const std::string& text) { return parseCsv(text, false); }

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#include "Npy.h"

#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>

namespace opteq {
namespace {

constexpr char kMagic[] = "\x93NUMPY";

template <class T>
T load(const char* p, bool swap)
{
    unsigned char b[sizeof(T)];
    std::memcpy(b, p, sizeof(T));
    if (swap)
        for (std::size_t i = 0; i < sizeof(T) / 2; ++i) std::swap(b[i], b[sizeof(T) - 1 - i]);
    T v;
    std::memcpy(&v, b, sizeof(T));
    return v;
}

// The value of 'key' in numpy's header dict, as raw text up to the next top-level comma.
std::string field(const std::string& header, const std::string& key)
{
    const std::size_t k = header.find("'" + key + "'");
    if (k == std::string::npos) return {};
    std::size_t p = header.find(':', k);
    if (p == std::string::npos) return {};
    ++p;
    while (p < header.size() && header[p] == ' ') ++p;
    if (p < header.size() && header[p] == '(') return header.substr(p, header.find(')', p) - p + 1);
    std::size_t e = p;
    while (e < header.size() && header[e] != ',' && header[e] != '}') ++e;
    return header.substr(p, e - p);
}

}  // namespace

std::string npyBytes(const double* data, std::size_t rows, std::size_t cols)
{
    static_assert(std::endian::native == std::endian::little, "the writer assumes a little-endian host");
    std::string dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + std::to_string(rows) + ", "
        + std::to_string(cols) + "), }";
    // Magic (6) + version (2) + header length (2) + dict, padded with spaces to a multiple of 64,
    // ending in '\n' (numpy's own alignment rule).
    std::size_t total = 10 + dict.size() + 1;
    dict.append((64 - total % 64) % 64, ' ');
    dict.push_back('\n');
    std::string out(kMagic, 6);
    out.push_back('\x01');
    out.push_back('\x00');
    out.push_back(char(dict.size() & 0xff));
    out.push_back(char(dict.size() >> 8));
    out += dict;
    const std::size_t bytes = rows * cols * sizeof(double);
    const std::size_t head = out.size();
    out.resize(head + bytes);
    if (bytes) std::memcpy(out.data() + head, data, bytes);
    return out;
}

NpyMatrix parseNpy(const std::string& bytes)
{
    NpyMatrix m;
    if (bytes.size() < 10 || bytes.compare(0, 6, kMagic, 6) != 0) { m.error = "not a .npy file (no \\x93NUMPY magic)"; return m; }
    const int major = (unsigned char)bytes[6];
    std::size_t headerLen, offset;
    if (major == 1) { headerLen = load<std::uint16_t>(&bytes[8], false); offset = 10; }
    else if (major == 2 || major == 3) {
        if (bytes.size() < 12) { m.error = "truncated .npy header"; return m; }
        headerLen = load<std::uint32_t>(&bytes[8], false);
        offset = 12;
    } else { m.error = "unsupported .npy version " + std::to_string(major); return m; }
    if (bytes.size() < offset + headerLen) { m.error = "truncated .npy header"; return m; }
    const std::string header = bytes.substr(offset, headerLen);
    offset += headerLen;

    std::string descr = field(header, "descr");
    if (descr.size() >= 2 && (descr.front() == '\'' || descr.front() == '"')) descr = descr.substr(1, descr.size() - 2);
    if (descr.size() != 3) { m.error = "unsupported dtype " + descr + " (use float64)"; return m; }
    const char order = descr[0], kind = descr[1];
    const int width = descr[2] - '0';
    const bool swap = order == '>';
    if (!((kind == 'f' && (width == 8 || width == 4)) || (kind == 'i' && (width == 8 || width == 4)))) {
        m.error = "unsupported dtype " + descr + " (use float64)";
        return m;
    }
    const bool fortran = field(header, "fortran_order").find("True") != std::string::npos;
    const std::string shape = field(header, "shape");
    std::vector<std::size_t> dims;
    for (std::size_t p = 0; p < shape.size();) {
        if (shape[p] >= '0' && shape[p] <= '9') {
            std::size_t e = p;
            while (e < shape.size() && shape[e] >= '0' && shape[e] <= '9') ++e;
            std::size_t dim = 0;
            const auto r = std::from_chars(shape.data() + p, shape.data() + e, dim);
            if (r.ec != std::errc()) { m.error = "shape " + shape + " is too large"; return m; }
            dims.push_back(dim);
            p = e;
        } else ++p;
    }
    if (shape.empty() || dims.size() > 2 || dims.empty()) { m.error = "expected a 1-D or 2-D array, got shape " + shape; return m; }
    m.rows = dims[0];
    m.cols = dims.size() == 2 ? dims[1] : 1;
    const std::size_t count = m.rows * m.cols;
    if ((m.cols != 0 && count / m.cols != m.rows) || count > (std::size_t(1) << 40)) {
        m.error = "shape " + shape + " is too large";
        return m;
    }
    if ((bytes.size() - offset) / width < count) {
        m.error = "truncated data: shape " + shape + " needs " + std::to_string(count * width) + " bytes, file has "
            + std::to_string(bytes.size() - offset);
        return m;
    }
    m.data.resize(count);
    const char* p = bytes.data() + offset;
    for (std::size_t k = 0; k < count; ++k) {
        const char* q = p + k * width;
        double v = 0;
        if (kind == 'f') v = width == 8 ? load<double>(q, swap) : double(load<float>(q, swap));
        else v = width == 8 ? double(load<std::int64_t>(q, swap)) : double(load<std::int32_t>(q, swap));
        const std::size_t r = fortran ? k % m.rows : k / m.cols, c = fortran ? k / m.rows : k % m.cols;
        m.data[r * m.cols + c] = v;
    }
    return m;
}

}  // namespace opteq

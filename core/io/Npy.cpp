// SPDX-License-Identifier: GPL-3.0-or-later
#include "Npy.h"

#include "FileRead.h"

#include <algorithm>
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

namespace {

// What the header says: enough to size the data before a byte of it is read.
struct NpyHeader {
    std::size_t offset = 0, rows = 0, cols = 0, dataBytes = 0;
    std::vector<std::size_t> dims;
    char kind = 'f';
    int width = 8;
    bool swap = false, fortran = false;
    std::string shape, error;
};

// The largest dimension accepted: a shape like (0, 99999999999) holds no data but would make a
// reader size per-column tables; no matrix here has more than 2^31 rows or columns.
constexpr std::size_t kMaxNpyDim = std::size_t(1) << 31;

// Parses the magic, version and header dict at the start of `bytes`; `more` says how many bytes
// are still needed when the prefix is too short (0 when it sufficed or on error).
NpyHeader parseHeader(const std::string& bytes, std::size_t* more, int maxDims)
{
    NpyHeader h;
    *more = 0;
    const std::size_t head = std::min<std::size_t>(bytes.size(), 6);
    if (bytes.compare(0, head, kMagic, head) != 0) { h.error = "not a .npy file (no \\x93NUMPY magic)"; return h; }
    if (bytes.size() < 10) { *more = 10 - bytes.size(); return h; }
    const int major = (unsigned char)bytes[6];
    std::size_t headerLen;
    if (major == 1) { headerLen = load<std::uint16_t>(&bytes[8], false); h.offset = 10; }
    else if (major == 2 || major == 3) {
        if (bytes.size() < 12) { *more = 12 - bytes.size(); return h; }
        headerLen = load<std::uint32_t>(&bytes[8], false);
        if (headerLen > (std::size_t(1) << 20)) { h.error = "the .npy header claims " + std::to_string(headerLen) + " bytes (numpy writes a few hundred)"; return h; }
        h.offset = 12;
    } else { h.error = "unsupported .npy version " + std::to_string(major); return h; }
    if (bytes.size() < h.offset + headerLen) { *more = h.offset + headerLen - bytes.size(); return h; }
    const std::string header = bytes.substr(h.offset, headerLen);
    h.offset += headerLen;

    std::string descr = field(header, "descr");
    if (descr.size() >= 2 && (descr.front() == '\'' || descr.front() == '"')) descr = descr.substr(1, descr.size() - 2);
    const bool byteType = descr.size() == 3 && (descr[0] == '|' || descr[0] == '<' || descr[0] == '>') && descr[1] == 'u' && descr[2] == '1';
    if (descr.size() != 3) { h.error = "unsupported dtype " + descr + " (use float64)"; return h; }
    h.kind = descr[1];
    h.width = descr[2] - '0';
    h.swap = descr[0] == '>';
    if (!byteType && !((h.kind == 'f' && (h.width == 8 || h.width == 4)) || (h.kind == 'i' && (h.width == 8 || h.width == 4)))) {
        h.error = "unsupported dtype " + descr + " (use float64)";
        return h;
    }
    h.fortran = field(header, "fortran_order").find("True") != std::string::npos;
    h.shape = field(header, "shape");
    std::vector<std::size_t>& dims = h.dims;
    for (std::size_t p = 0; p < h.shape.size();) {
        if (h.shape[p] >= '0' && h.shape[p] <= '9') {
            std::size_t e = p;
            while (e < h.shape.size() && h.shape[e] >= '0' && h.shape[e] <= '9') ++e;
            std::size_t dim = 0;
            const auto r = std::from_chars(h.shape.data() + p, h.shape.data() + e, dim);
            if (r.ec != std::errc() || dim > kMaxNpyDim) { h.error = "shape " + h.shape + " is too large"; return h; }
            dims.push_back(dim);
            p = e;
        } else ++p;
    }
    if (h.shape.empty() || int(dims.size()) > maxDims || dims.empty()) {
        h.error = std::string(maxDims == 3 ? "expected a 1-D, 2-D or 3-D (N × h × w) array" : "expected a 1-D or 2-D array") + ", got shape " + h.shape;
        return h;
    }
    if (dims.size() == 3 && h.fortran) { h.error = "a 3-D array in Fortran order: save it in C order (numpy.ascontiguousarray)"; return h; }
    h.rows = dims[0];
    h.cols = dims.size() == 1 ? 1 : dims[1];
    if (dims.size() == 3) {
        if (dims[1] > 0 && dims[2] > (std::size_t(1) << 40) / dims[1]) { h.error = "shape " + h.shape + " is too large"; return h; }
        h.cols = dims[1] * dims[2];
    }
    // Each factor below 2^40: the test before the product keeps it from overflowing.
    if (h.cols > 0 && h.rows > (std::size_t(1) << 40) / h.cols) { h.error = "shape " + h.shape + " is too large"; return h; }
    const std::size_t count = h.rows * h.cols;
    h.dataBytes = count * std::size_t(h.width);
    return h;
}

NpyMatrix decode(const NpyHeader& h, const std::string& bytes)
{
    NpyMatrix m;
    if ((bytes.size() - h.offset) < h.dataBytes) {
        m.error = "truncated data: shape " + h.shape + " needs " + std::to_string(h.dataBytes) + " bytes, file has "
            + std::to_string(bytes.size() - h.offset);
        return m;
    }
    m.rows = h.rows;
    m.cols = h.cols;
    m.shape = h.dims;
    m.uint8 = h.kind == 'u';
    const std::size_t count = h.rows * h.cols;
    m.data.resize(count);
    const char* p = bytes.data() + h.offset;
    for (std::size_t k = 0; k < count; ++k) {
        const char* q = p + k * std::size_t(h.width);
        double v = 0;
        if (h.kind == 'u') v = double((unsigned char)*q);
        else if (h.kind == 'f') v = h.width == 8 ? load<double>(q, h.swap) : double(load<float>(q, h.swap));
        else v = h.width == 8 ? double(load<std::int64_t>(q, h.swap)) : double(load<std::int32_t>(q, h.swap));
        const std::size_t r = h.fortran ? k % m.rows : k / m.cols, c = h.fortran ? k / m.rows : k % m.cols;
        m.data[r * m.cols + c] = v;
    }
    return m;
}

}  // namespace

NpyMatrix parseNpy(const std::string& bytes, int maxDims)
{
    std::size_t more = 0;
    const NpyHeader h = parseHeader(bytes, &more, maxDims);
    if (more) { NpyMatrix m; m.error = bytes.size() < 10 ? "not a .npy file (no \\x93NUMPY magic)" : "truncated .npy header"; return m; }
    if (!h.error.empty()) { NpyMatrix m; m.error = h.error; return m; }
    return decode(h, bytes);
}

NpyMatrix readNpyFile(const std::string& path, std::size_t maxBytes, const char* what, int maxDims)
{
    NpyMatrix m;
    BoundedFile f(path, maxBytes, what);
    std::string bytes;
    // The header first (a few hundred bytes), then exactly the data its shape declares: a
    // declared size is checked against the cap and against the bytes present before the data
    // is decoded, and nothing past it is read (a device never ends).
    NpyHeader h;
    for (std::size_t more = 10; more > 0 && f.error().empty();) {
        if (f.read(bytes, more) < more) { if (f.error().empty()) m.error = path + ": " + (bytes.size() < 6 ? std::string("not a .npy file (too short)") : std::string("truncated .npy header")); break; }
        h = parseHeader(bytes, &more, maxDims);
        if (!h.error.empty()) { m.error = path + ": " + h.error; return m; }
    }
    if (!f.error().empty()) { m.error = f.error(); return m; }
    if (!m.error.empty()) return m;
    if (h.offset + h.dataBytes > maxBytes) {
        m.error = path + ": shape " + h.shape + " declares " + std::to_string(h.dataBytes) + " bytes of data, beyond the "
            + f.limitText() + " limit for this " + what;
        return m;
    }
    const std::size_t want = h.offset + h.dataBytes - bytes.size();
    if (f.read(bytes, want) < want) {
        if (!f.error().empty()) { m.error = f.error(); return m; }
    }
    m = decode(h, bytes);
    if (!m.ok()) m.error = path + ": " + m.error;
    return m;
}

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#include "Idx.h"

#include "FileRead.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace opteq {
namespace {

constexpr std::size_t kInChunk = std::size_t(1) << 16;    // compressed bytes per read
constexpr std::size_t kOutChunk = std::size_t(1) << 20;   // inflated bytes per step: memory grows with what arrives

// The raw bytes: a bounded file, or a string in memory (the fuzzer).
struct Raw {
    BoundedFile* file = nullptr;
    const std::string* mem = nullptr;
    std::size_t pos = 0;
    std::size_t read(std::string& out, std::size_t n)
    {
        if (file) return file->read(out, n);
        const std::size_t k = std::min(n, mem->size() - pos);
        out.append(*mem, pos, k);
        pos += k;
        return k;
    }
    std::string error() const { return file ? file->error() : std::string(); }
};

// The file's content, inflated when it starts with the gzip magic. Reads append to the caller's
// string a chunk at a time, so nothing is sized by a count the file declares: a file that claims
// two billion items but holds twenty bytes costs twenty bytes.
class Stream {
public:
    explicit Stream(Raw raw) : m_raw(raw)
    {
        m_raw.read(m_in, 2);   // the magic decides, not the name
        m_gz = m_in.size() == 2 && (unsigned char)m_in[0] == 0x1f && (unsigned char)m_in[1] == 0x8b;
        if (!m_gz) return;
        std::memset(&m_z, 0, sizeof m_z);
        // 15 + 16: a gzip wrapper (header and CRC checked by zlib), the largest window.
        if (inflateInit2(&m_z, 15 + 16) != Z_OK) { m_error = "cannot start zlib's inflate (out of memory?)"; m_gz = false; return; }
        m_live = true;
        m_z.next_in = reinterpret_cast<Bytef*>(m_in.data());
        m_z.avail_in = uInt(m_in.size());
    }
    ~Stream()
    {
        if (m_live) inflateEnd(&m_z);
    }
    Stream(const Stream&) = delete;
    Stream& operator=(const Stream&) = delete;

    bool gzipped() const { return m_gz; }
    std::string error() const { return !m_error.empty() ? m_error : m_raw.error(); }

    // Appends up to n bytes of content; fewer only at the end or on an error.
    std::size_t read(std::string& out, std::size_t n)
    {
        if (!error().empty()) return 0;
        return m_gz ? inflateSome(out, n) : plain(out, n);
    }

private:
    std::size_t plain(std::string& out, std::size_t n)
    {
        const std::size_t k = std::min(n, m_in.size() - m_pos);   // the peeked magic first
        out.append(m_in, m_pos, k);
        m_pos += k;
        return k + (n > k ? m_raw.read(out, n - k) : 0);
    }

    // More compressed input; false at the end of the raw bytes (or a read error).
    bool refill()
    {
        m_in.clear();
        if (m_raw.read(m_in, kInChunk) == 0) return false;
        m_z.next_in = reinterpret_cast<Bytef*>(m_in.data());
        m_z.avail_in = uInt(m_in.size());
        return true;
    }

    std::size_t inflateSome(std::string& out, std::size_t n)
    {
        std::size_t got = 0;
        while (got < n && !m_end) {
            if (m_z.avail_in == 0 && !refill()) {
                if (m_raw.error().empty()) m_error = "the gzip stream ends early (a cut download? run gzip -t on it)";
                return got;
            }
            const std::size_t want = std::min(n - got, kOutChunk), at = out.size();
            out.resize(at + want);
            m_z.next_out = reinterpret_cast<Bytef*>(out.data() + at);
            m_z.avail_out = uInt(want);
            const int rc = inflate(&m_z, Z_NO_FLUSH);
            const std::size_t made = want - m_z.avail_out;
            out.resize(at + made);
            got += made;
            if (rc == Z_STREAM_END) {
                // Another gzip member may follow (gzip concatenates them); anything else is not gzip.
                if (m_z.avail_in == 0 && !refill()) { m_end = m_raw.error().empty(); continue; }
                if (m_z.avail_in == 1) {   // a chunk ended between the next member's two magic bytes
                    const std::string first(1, char(m_z.next_in[0]));
                    m_in = first;
                    m_raw.read(m_in, kInChunk);
                    m_z.next_in = reinterpret_cast<Bytef*>(m_in.data());
                    m_z.avail_in = uInt(m_in.size());
                }
                if (m_z.avail_in >= 2 && m_z.next_in[0] == 0x1f && m_z.next_in[1] == 0x8b) { inflateReset(&m_z); continue; }
                m_error = "holds bytes after the end of its gzip stream (not a gzip file as written by gzip; recompress it)";
                return got;
            }
            if (rc == Z_BUF_ERROR && made == 0 && m_z.avail_in > 0) { m_error = "zlib made no progress (a damaged gzip stream)"; return got; }
            if (rc != Z_OK && rc != Z_BUF_ERROR) {
                m_error = std::string("is not a valid gzip stream (zlib: ") + (m_z.msg ? m_z.msg : "error " + std::to_string(rc))
                    + "; run gzip -t on it)";
                return got;
            }
        }
        return got;
    }

    Raw m_raw;
    std::string m_in, m_error;
    std::size_t m_pos = 0;
    z_stream m_z{};
    bool m_gz = false, m_live = false, m_end = false;
};

std::string hex(const std::string& b)
{
    std::string s;
    char buf[4];
    for (unsigned char c : b) {
        std::snprintf(buf, sizeof buf, "%02x", c);
        s += buf;
    }
    return s;
}

std::uint32_t bigEndian(const char* p)
{
    const auto* u = reinterpret_cast<const unsigned char*>(p);
    return std::uint32_t(u[0]) << 24 | std::uint32_t(u[1]) << 16 | std::uint32_t(u[2]) << 8 | std::uint32_t(u[3]);
}

std::string limitText(std::size_t bytes)
{
    if (bytes >= (std::size_t(1) << 20)) return std::to_string(bytes >> 20) + " MiB";
    return std::to_string(bytes) + " bytes";
}

IdxArray parse(Stream& s, IdxKind kind, std::size_t limit, std::size_t cap, const std::string& name)
{
    IdxArray a;
    auto fail = [&](const std::string& why) {
        a = IdxArray{};
        // The bounded reader's errors start with the path already.
        const std::string e = s.error();
        a.error = !e.empty() && e.compare(0, name.size(), name) == 0 ? e : name + ": " + (e.empty() ? why : e);
        return a;
    };
    const bool images = kind == IdxKind::Images;
    const char* expected = images ? "an IDX image file (magic 00000803: N × rows × cols bytes)" : "an IDX label file (magic 00000801: N bytes)";
    std::string head;
    if (s.read(head, 4) < 4) return fail("too short for an IDX header (" + std::to_string(head.size()) + " bytes): expected " + expected);
    if (head[0] != 0 || head[1] != 0)
        return fail("not an IDX file (starts " + hex(head) + (s.gzipped() ? " after inflating" : "") + "): expected " + expected);
    if ((unsigned char)head[2] != 0x08)
        return fail("IDX type 0x" + hex(head.substr(2, 1)) + " is not unsigned bytes (0x08): only uint8 labels and images are read");
    const int dims = (unsigned char)head[3], want = images ? 3 : 1;
    if (dims != want) {
        const std::string got = dims == 1 ? "labels (1 dimension, magic 00000801)" : dims == 3 ? "images (3 dimensions, magic 00000803)"
                                                                                            : std::to_string(dims) + " dimensions (magic " + hex(head) + ")";
        return fail("holds " + got + " where " + std::string(expected) + " is expected: check which file is named here");
    }
    std::string counts;
    if (s.read(counts, std::size_t(4 * dims)) < std::size_t(4 * dims)) return fail("the IDX header is cut short (its dimension sizes are missing)");
    a.declared = bigEndian(counts.data());
    a.rows = images ? bigEndian(counts.data() + 4) : 1;
    a.cols = images ? bigEndian(counts.data() + 8) : 1;
    if (a.rows < 1 || a.cols < 1 || a.rows > kMaxIdxSide || a.cols > kMaxIdxSide)
        return fail("images of " + std::to_string(a.rows) + " × " + std::to_string(a.cols) + " pixels: each side must be 1 to "
                    + std::to_string(kMaxIdxSide));
    a.count = limit > 0 ? std::min(a.declared, limit) : a.declared;
    // Checked against the cap before a byte of data is read: counts below 2^32, items below
    // 2^24 bytes, so the product cannot overflow.
    const std::size_t headerBytes = 4 + 4 * std::size_t(dims), dataBytes = a.count * a.itemBytes();
    if (headerBytes + dataBytes > cap)
        return fail("the header declares " + std::to_string(a.declared) + " items of " + std::to_string(a.itemBytes()) + " bytes ("
                    + std::to_string(dataBytes) + " bytes to read), beyond the " + limitText(cap) + " limit");
    const std::size_t got = s.read(a.data, dataBytes);
    if (got < dataBytes) {
        if (!s.error().empty()) return fail("");
        return fail("truncated: the header declares " + std::to_string(a.declared) + " items of " + std::to_string(a.itemBytes())
                    + " bytes, the file holds " + std::to_string(got / a.itemBytes()) + (got % a.itemBytes() ? " and part of one more" : "")
                    + " (a cut download, or the wrong count in the header)");
    }
    if (a.count == a.declared) {
        // Everything was read: the file must end here (and a gzip stream's checksum is verified).
        std::string probe;
        if (s.read(probe, 1) > 0)
            return fail("has bytes after its " + std::to_string(a.declared) + " declared items (trailing data, or a count too small in the header)");
        if (!s.error().empty()) return fail("");
    }
    return a;
}

}  // namespace

IdxArray parseIdx(const std::string& bytes, IdxKind kind, std::size_t limit, std::size_t maxBytes, const std::string& name)
{
    Raw raw;
    raw.mem = &bytes;
    Stream s(raw);
    return parse(s, kind, limit, maxBytes ? maxBytes : kMaxDataFileBytes, name);
}

IdxArray readIdxFile(const std::string& path, IdxKind kind, std::size_t limit, std::size_t maxBytes)
{
    const std::size_t cap = maxBytes ? maxBytes : kMaxDataFileBytes;
    BoundedFile f(path, cap, kind == IdxKind::Images ? "IDX image file" : "IDX label file");
    if (!f.error().empty()) { IdxArray a; a.error = f.error(); return a; }
    Raw raw;
    raw.file = &f;
    Stream s(raw);
    return parse(s, kind, limit, cap, path);
}

}  // namespace opteq

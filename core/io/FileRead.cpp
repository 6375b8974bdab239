// SPDX-License-Identifier: GPL-3.0-or-later
#include "FileRead.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

namespace opteq {
namespace {
// "a data file", "an input file".
std::string withArticle(const std::string& what)
{
    return (!what.empty() && std::string("aeiou").find(what[0]) != std::string::npos ? "an " : "a ") + what;
}
}  // namespace

BoundedFile::BoundedFile(const std::string& path, std::size_t maxBytes, const char* what)
    : m_path(path), m_what(what), m_max(maxBytes)
{
    // O_NONBLOCK: a FIFO without a writer would otherwise block the open for ever, and with it a
    // read returns 0 (the end) when no writer is there; when one is but sends nothing, poll waits.
    m_fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (m_fd < 0) {
        const int e = errno;
        m_error = path + (e == ENOENT ? std::string(": no such file") : ": cannot open (" + std::string(std::strerror(e)) + ")");
        return;
    }
    struct stat st {};
    if (::fstat(m_fd, &st) == 0) {
        if (S_ISDIR(st.st_mode)) { m_error = path + ": is a directory, not " + withArticle(m_what); return; }
        m_regular = S_ISREG(st.st_mode);
    }
}

BoundedFile::~BoundedFile()
{
    if (m_fd >= 0) ::close(m_fd);
}

std::string BoundedFile::limitText() const
{
    if (m_max >= (std::size_t(1) << 30) && m_max % (std::size_t(1) << 30) == 0) return std::to_string(m_max >> 30) + " GiB";
    if (m_max >= (std::size_t(1) << 20)) return std::to_string(m_max >> 20) + " MiB";
    return std::to_string(m_max) + " bytes";
}

std::size_t BoundedFile::read(std::string& out, std::size_t n)
{
    if (!m_error.empty() || m_fd < 0) return 0;
    std::size_t got = 0;
    while (got < n) {
        if (m_read >= m_max) {
            // One byte past the cap tells a file that ends exactly there from a longer one.
            char probe;
            if (::read(m_fd, &probe, 1) == 1)   // (a silent pipe answers EAGAIN: no byte, no error)
                m_error = m_path + ": larger than the " + limitText() + " limit for " + withArticle(m_what) + " (reading stopped there)";
            return got;
        }
        const std::size_t want = std::min<std::size_t>({n - got, m_max - m_read, std::size_t(1) << 20});
        const std::size_t at = out.size();
        out.resize(at + want);
        const ssize_t r = ::read(m_fd, out.data() + at, want);
        if (r < 0) {
            out.resize(at);
            if (errno == EINTR) continue;
            if ((errno == EAGAIN || errno == EWOULDBLOCK) && !m_regular) {
                // A pipe or device with a writer that has sent nothing yet: wait, but not for ever.
                pollfd p{m_fd, POLLIN, 0};
                if (::poll(&p, 1, kIdleSeconds * 1000) > 0) continue;
                m_error = m_path + ": nothing arrived for " + std::to_string(kIdleSeconds) + " s (a pipe or device that does not end?)";
                return got;
            }
            m_error = m_path + ": reading failed (" + std::strerror(errno) + ")";
            return got;
        }
        out.resize(at + std::size_t(r));
        if (r == 0) break;   // the end of the file
        got += std::size_t(r);
        m_read += std::size_t(r);
    }
    return got;
}

void BoundedFile::readAll(std::string& out, bool text)
{
    for (;;) {
        const std::size_t at = out.size();
        const std::size_t got = read(out, std::size_t(1) << 20);
        if (text) {
            const std::size_t nul = out.find('\0', at);
            if (nul != std::string::npos) {
                m_error = m_path + ": holds a NUL byte at offset " + std::to_string(m_read - got + (nul - at))
                    + ": not a text file (expected " + (m_what == "scene file" ? "JSON" : "comma-separated numbers") + ")";
                return;
            }
        }
        if (got == 0 || !m_error.empty()) return;
    }
}

FileBytes readFileBounded(const std::string& path, std::size_t maxBytes, const char* what, bool text)
{
    FileBytes f;
    BoundedFile file(path, maxBytes, what);
    if (file.error().empty()) file.readAll(f.bytes, text);
    f.error = file.error();
    if (!f.ok()) { f.bytes.clear(); return f; }
    if (text && f.bytes.compare(0, 3, "\xEF\xBB\xBF") == 0) f.bytes.erase(0, 3);   // a UTF-8 byte-order mark (Excel's CSV)
    return f;
}

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The one way the program reads a file a user names (scene, .npy, numeric CSV, data CSV, weights
// for `import`, inputs for `predict`): bounded by a cap on the bytes actually read, never by the
// size stat reports (a device such as /dev/zero, a FIFO or a /proc file reports 0 or nothing
// useful). Directories are refused by name; a pipe that sends nothing for kIdleSeconds is given
// up. Every error starts with the path, so `predict`, `train`, `import` and the window say the
// same thing for the same fault. POSIX, no Qt; any thread.
#include <cstddef>
#include <string>

namespace opteq {

constexpr int kIdleSeconds = 10;   // a pipe or device silent this long is not going to end

struct FileBytes {
    std::string bytes;
    std::string error;   // "PATH: is a directory, not a file", "PATH: larger than the 64 MiB limit for …"
    bool ok() const { return error.empty(); }
};

// A readable file opened for bounded reading. `what` names the file's role in messages
// ("scene file", "data file", …).
class BoundedFile {
public:
    BoundedFile(const std::string& path, std::size_t maxBytes, const char* what);
    ~BoundedFile();
    BoundedFile(const BoundedFile&) = delete;
    BoundedFile& operator=(const BoundedFile&) = delete;

    const std::string& error() const { return m_error; }
    const std::string& path() const { return m_path; }
    // Appends up to n more bytes to out (fewer only at the end of the file) and returns how many.
    // Reading past the cap, a read error or a silent pipe sets error() and returns 0.
    std::size_t read(std::string& out, std::size_t n);
    // Appends the rest of the file. With text, a NUL byte is refused at once (a binary file or a
    // device like /dev/zero named as CSV or JSON: no need to read up to the cap to say so).
    void readAll(std::string& out, bool text);
    std::size_t bytesRead() const { return m_read; }
    std::string limitText() const;   // "64 MiB"

private:
    std::string m_path, m_error, m_what;
    std::size_t m_max, m_read = 0;
    int m_fd = -1;
    bool m_regular = false;
};

// The whole file, up to maxBytes. `text`: refuse NUL bytes and drop a UTF-8 byte-order mark.
FileBytes readFileBounded(const std::string& path, std::size_t maxBytes, const char* what, bool text);

// Caps, in one place (README "Limits").
constexpr std::size_t kMaxDataFileBytes = std::size_t(1) << 30;       // data CSV, .npy data sets
constexpr std::size_t kMaxWeightFileBytes = std::size_t(256) << 20;   // import: a weight matrix
constexpr std::size_t kMaxInputFileBytes = std::size_t(1) << 30;      // predict --inputs

}  // namespace opteq

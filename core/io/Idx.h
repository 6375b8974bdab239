// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// MNIST's IDX format (the files of Fashion-MNIST, MNIST, EMNIST …): a big-endian header, magic
// 0x00 0x00 <type> <dimensions>, one 32-bit count per dimension, then the items. Read here:
// unsigned bytes (type 0x08) as labels (1 dimension, magic 0x00000801) or images (3 dimensions,
// N × rows × cols, magic 0x00000803), gzipped or not (told by the gzip magic 1f 8b, never by the
// name). Every read is bounded: the file through the bounded reader (FileRead.h), the inflated
// stream by a cap on the bytes it produces, and the counts the header declares are checked
// against the cap and against the bytes actually present before anything is sized by them.
// No Qt; any thread.
#include <cstddef>
#include <string>

namespace opteq {

enum class IdxKind { Labels, Images };

struct IdxArray {
    std::size_t count = 0;       // items read (the declared count, or the limit when smaller)
    std::size_t declared = 0;    // items the header declares
    std::size_t rows = 0, cols = 0;   // images: each item's shape; labels: 1 × 1
    std::string data;            // count × rows × cols bytes, item after item, row-major
    std::string error;           // "PATH: …" naming what is wrong and what to fix
    bool ok() const { return error.empty(); }
    std::size_t itemBytes() const { return rows * cols; }
};

// Largest image side accepted (a 4096 × 4096 picture: far beyond any IDX data set).
constexpr std::size_t kMaxIdxSide = 4096;

// The file at path, expected to hold `kind`; limit > 0 reads only the first `limit` items (and
// stops inflating there); limit 0 reads them all and refuses bytes after the last item.
// maxBytes caps both the file and the decompressed stream. `name` in messages is the path.
IdxArray readIdxFile(const std::string& path, IdxKind kind, std::size_t limit = 0, std::size_t maxBytes = 0);

// The same from bytes in memory (the fuzzer's entry); `name` starts every error.
IdxArray parseIdx(const std::string& bytes, IdxKind kind, std::size_t limit, std::size_t maxBytes, const std::string& name);

}  // namespace opteq

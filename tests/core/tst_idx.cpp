// SPDX-License-Identifier: GPL-3.0-or-later
// MNIST's IDX files (issue #20): hand-written tiny files, plain and gzipped (written here with
// zlib, in one member and in two), read back exactly; and every way a file can be wrong —
// wrong magic, a label file named as images, truncated data or a cut gzip stream, bytes after
// the last item, a count that claims more than the file holds (2^31 items in 20 bytes is refused
// before anything is sized by it), damaged gzip — refused with the path and what to fix.
#include "Idx.h"
#include "TestHelpers.h"

#include <QTemporaryDir>
#include <zlib.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <new>

using namespace opteq;

// The largest single allocation made through operator new (std::string and std::vector use it):
// a declared count must never become an allocation the bytes present do not pay for.
namespace {
std::atomic<std::size_t> gLargest{0};
}
void* operator new(std::size_t n)
{
    for (std::size_t cur = gLargest.load(); n > cur && !gLargest.compare_exchange_weak(cur, n);) {}
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

std::string be32(std::uint32_t v)
{
    return {char(v >> 24), char((v >> 16) & 0xff), char((v >> 8) & 0xff), char(v & 0xff)};
}

// An IDX image file of n images, rows × cols, pixel (i, r, c) = (i·31 + r·7 + c) mod 256.
std::string images(std::uint32_t n, std::uint32_t rows, std::uint32_t cols, std::uint32_t declared)
{
    std::string s = std::string("\0\0\x08\x03", 4) + be32(declared) + be32(rows) + be32(cols);
    for (std::uint32_t i = 0; i < n; ++i)
        for (std::uint32_t r = 0; r < rows; ++r)
            for (std::uint32_t c = 0; c < cols; ++c) s.push_back(char((i * 31 + r * 7 + c) & 0xff));
    return s;
}
std::string images(std::uint32_t n, std::uint32_t rows, std::uint32_t cols) { return images(n, rows, cols, n); }

std::string labels(const std::string& values, std::uint32_t declared)
{
    return std::string("\0\0\x08\x01", 4) + be32(declared) + values;
}
std::string labels(const std::string& values) { return labels(values, std::uint32_t(values.size())); }

// gzip (RFC 1952) of the bytes, as gzip writes it.
std::string gzip(const std::string& in)
{
    z_stream z{};
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
    std::string out(deflateBound(&z, uLong(in.size())) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = uInt(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = uInt(out.size());
    deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

}  // namespace

class TestIdx : public QObject {
    Q_OBJECT
    QTemporaryDir dir;

    std::string write(const char* name, const std::string& bytes)
    {
        const std::string path = dir.filePath(name).toStdString();
        std::ofstream(path, std::ios::binary) << bytes;
        return path;
    }

    static void refused(const IdxArray& a, const std::string& path, const char* words)
    {
        QVERIFY2(!a.ok(), "accepted");
        QVERIFY2(a.data.empty(), "data kept on error");
        const QString e = QString::fromStdString(a.error);
        QVERIFY2(e.startsWith(QString::fromStdString(path) + ":"), qPrintable(e));
        QVERIFY2(e.contains(words), qPrintable(e));
    }

private slots:
    void plainAndGzippedReadTheSameBytes()
    {
        const std::string img = images(5, 3, 4), lab = labels(std::string("\x00\x09\x03\x03\x01", 5));
        // Named .gz without being gzip and plain bytes named .gz: the magic decides.
        const std::string plain = write("img.idx.gz", img), packed = write("img.bin", gzip(img));
        // Two gzip members back to back (what `cat a.gz b.gz` makes) are one stream.
        const std::string twoMembers = write("two.gz", gzip(img.substr(0, 20)) + gzip(img.substr(20)));
        for (const std::string& path : {plain, packed, twoMembers}) {
            const IdxArray a = readIdxFile(path, IdxKind::Images);
            QVERIFY2(a.ok(), a.error.c_str());
            QCOMPARE(a.count, std::size_t(5));
            QCOMPARE(a.declared, std::size_t(5));
            QCOMPARE(a.rows, std::size_t(3));
            QCOMPARE(a.cols, std::size_t(4));
            QCOMPARE(a.data, img.substr(16));
        }
        const IdxArray l = readIdxFile(write("lab.gz", gzip(lab)), IdxKind::Labels);
        QVERIFY2(l.ok(), l.error.c_str());
        QCOMPARE(l.count, std::size_t(5));
        QCOMPARE(l.data, lab.substr(8));
        // The same from memory (the fuzzer's entry).
        QCOMPARE(parseIdx(gzip(img), IdxKind::Images, 0, 0, "mem").data, img.substr(16));
    }

    void aLimitReadsTheFirstItemsOnly()
    {
        const std::string img = images(6, 2, 2);
        for (const std::string& bytes : {img, gzip(img)}) {
            const IdxArray a = parseIdx(bytes, IdxKind::Images, 4, 0, "x");
            QVERIFY2(a.ok(), a.error.c_str());
            QCOMPARE(a.count, std::size_t(4));
            QCOMPARE(a.declared, std::size_t(6));
            QCOMPARE(a.data, img.substr(16, 16));
            // A limit beyond the count reads them all (and checks the end).
            QCOMPARE(parseIdx(bytes, IdxKind::Images, 99, 0, "x").count, std::size_t(6));
        }
        // With a limit, what lies after the items read is not inflated: a damaged tail is not seen.
        std::string cut = gzip(images(3000, 28, 28));
        cut.resize(cut.size() / 2);
        QVERIFY(parseIdx(cut, IdxKind::Images, 10, 0, "x").ok());
        QVERIFY(!parseIdx(cut, IdxKind::Images, 0, 0, "x").ok());
    }

    void wrongFilesAreRefusedWithThePathAndTheFix_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("words");
        const int I = int(IdxKind::Images), L = int(IdxKind::Labels);
        auto b = [](const std::string& s) { return QByteArray(s.data(), qsizetype(s.size())); };
        const std::string img = images(3, 2, 2);
        QTest::newRow("empty") << QByteArray() << I << "too short for an IDX header";
        QTest::newRow("png") << QByteArray("\x89PNG\r\n\x1a\n........", 16) << I << "not an IDX file (starts 89504e47)";
        QTest::newRow("float type") << b(std::string("\0\0\x0d\x03", 4) + img.substr(4)) << I << "IDX type 0x0d is not unsigned bytes";
        QTest::newRow("labels as images") << b(labels("\x01\x02")) << I << "holds labels (1 dimension, magic 00000801) where an IDX image file";
        QTest::newRow("images as labels") << b(img) << L << "holds images (3 dimensions, magic 00000803) where an IDX label file";
        QTest::newRow("cut header") << b(img.substr(0, 10)) << I << "the IDX header is cut short";
        QTest::newRow("truncated") << b(img.substr(0, img.size() - 1)) << I << "truncated: the header declares 3 items of 4 bytes, the file holds 2 and part of one more";
        QTest::newRow("truncated gzip") << b(gzip(img).substr(0, 20)) << I << "the gzip stream ends early";
        QTest::newRow("trailing") << b(img + "xy") << I << "has bytes after its 3 declared items";
        QTest::newRow("trailing after gzip") << b(gzip(img) + "junk") << I << "holds bytes after the end of its gzip stream";
        QTest::newRow("trailing inside gzip") << b(gzip(img + "xy")) << I << "has bytes after its 3 declared items";
        std::string damaged = gzip(img);
        damaged[damaged.size() - 8] = char(damaged[damaged.size() - 8] ^ 0x55);   // the CRC-32 of the trailer
        QTest::newRow("damaged gzip") << b(damaged) << I << "is not a valid gzip stream";
        QTest::newRow("zero rows") << b(images(0, 0, 2)) << I << "images of 0 × 2 pixels";
        QTest::newRow("huge side") << b(std::string("\0\0\x08\x03", 4) + be32(1) + be32(5000) + be32(1)) << I << "each side must be 1 to 4096";
        // 2^31 items declared by a 20-byte file: refused by the cap, before any allocation.
        QTest::newRow("2^31 labels in 20 bytes") << b(labels("abcdefghijkl", 0x80000000u)) << L << "declares 2147483648 items of 1 bytes";
        QTest::newRow("2^31 images in 20 bytes") << b(images(0, 1, 1, 0x80000000u) + "abcd") << I << "beyond the 1024 MiB limit";
        // Under the cap but far beyond the bytes present: the read stops at what is there.
        QTest::newRow("2^29 labels in 20 bytes") << b(labels("abcdefghijkl", 0x20000000u)) << L << "the header declares 536870912 items of 1 bytes, the file holds 12";
        QTest::newRow("gzip 2^29 labels") << b(gzip(labels("abcdefghijkl", 0x20000000u))) << L << "the header declares 536870912 items of 1 bytes, the file holds 12";
    }
    void wrongFilesAreRefusedWithThePathAndTheFix()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, kind);
        QFETCH(QString, words);
        const std::string path = write("bad.idx", bytes.toStdString());
        refused(readIdxFile(path, IdxKind(kind)), path, qPrintable(words));
        refused(parseIdx(bytes.toStdString(), IdxKind(kind), 0, 0, "mem"), "mem", qPrintable(words));
    }

    // A file that declares far more than it holds costs what it holds: the data is read a chunk
    // (1 MiB) at a time, plain or gzipped, from memory or from a file; the bound below allows one
    // chunk and std::string's doubling (the plain file reader's buffer reaches 2 MiB).
    void aDeclaredCountIsNeverAnAllocation()
    {
        const std::string plain = labels("abcdefghijkl", 0x20000000u);   // 2^29 labels (under the cap) in 20 bytes
        const std::string path = write("declares.idx", plain), gzPath = write("declares.idx.gz", gzip(plain));
        for (int k = 0; k < 4; ++k) {
            gLargest = 0;
            const IdxArray a = k == 0 ? parseIdx(plain, IdxKind::Labels, 0, 0, "mem")
                : k == 1              ? parseIdx(gzip(plain), IdxKind::Labels, 0, 0, "mem")
                : k == 2              ? readIdxFile(path, IdxKind::Labels)
                                      : readIdxFile(gzPath, IdxKind::Labels);
            QVERIFY(!a.ok());
            QVERIFY2(gLargest <= (std::size_t(4) << 20), qPrintable(QString("case %1 allocated %2 bytes at once").arg(k).arg(gLargest.load())));
        }
    }

    // The cap counts inflated bytes: a small gzip that expands past it is stopped there.
    void theCapBoundsTheInflatedSize()
    {
        const std::string img = images(200, 28, 28);   // 156 816 bytes, a few KB gzipped
        const std::string packed = gzip(img);
        QVERIFY(packed.size() < 100000);
        refused(parseIdx(packed, IdxKind::Images, 0, 100000, "mem"), "mem", "beyond the 100000 bytes limit");
        QVERIFY(parseIdx(packed, IdxKind::Images, 100, 100000, "mem").ok());   // the first 100 fit
    }

    void directoriesAndMissingFilesNameThePath()
    {
        refused(readIdxFile(dir.path().toStdString(), IdxKind::Images), dir.path().toStdString(), "is a directory");
        const std::string missing = dir.filePath("nope.gz").toStdString();
        refused(readIdxFile(missing, IdxKind::Labels), missing, "no such file");
    }
};

QTEST_APPLESS_MAIN(TestIdx)
#include "tst_idx.moc"

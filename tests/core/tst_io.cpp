// SPDX-License-Identifier: GPL-3.0-or-later
// .npy and numeric CSV (core/io): byte layout numpy expects, round trips, and errors that name
// what is wrong (row, column, dtype, shape).
#include "Csv.h"
#include "FileRead.h"
#include "Npy.h"
#include "TestHelpers.h"

#include <QTemporaryDir>
#include <cstring>
#include <fstream>
#include <limits>

using namespace opteq;

class TestIo : public QObject {
    Q_OBJECT
private slots:
    void npyHeaderIsNumpys()
    {
        const double d[6] = {1, 2, 3, 4, 5, 6};
        const std::string b = npyBytes(d, 2, 3);
        QCOMPARE(b.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
        const size_t headerLen = (unsigned char)b[8] | ((unsigned char)b[9] << 8);
        QCOMPARE((10 + headerLen) % 64, size_t(0));   // numpy aligns the data to 64 bytes
        const std::string header = b.substr(10, headerLen);
        QVERIFY(header.find("'descr': '<f8'") != std::string::npos);
        QVERIFY(header.find("'fortran_order': False") != std::string::npos);
        QVERIFY(header.find("'shape': (2, 3)") != std::string::npos);
        QCOMPARE(header.back(), '\n');
        QCOMPARE(b.size(), 10 + headerLen + 48);
        double last;
        std::memcpy(&last, b.data() + b.size() - 8, 8);
        QCOMPARE(last, 6.0);
    }
    void npyRoundTrip()
    {
        std::vector<double> d{0.1, -2.5, std::numeric_limits<double>::quiet_NaN(), 1e300, -0.0, 7};
        const NpyMatrix m = parseNpy(npyBytes(d.data(), 3, 2));
        QVERIFY2(m.ok(), m.error.c_str());
        QCOMPARE(m.rows, size_t(3));
        QCOMPARE(m.cols, size_t(2));
        QCOMPARE(m.data[1], -2.5);
        QVERIFY(std::isnan(m.data[2]));
        QCOMPARE(m.data[5], 7.0);
    }
    void npyReadsFortranOrderAndOtherDtypes()
    {
        // A 2×3 float32 array in Fortran order, header written as numpy would.
        std::string dict = "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }";
        dict.append(64 - (10 + dict.size() + 1) % 64, ' ');
        dict.push_back('\n');
        std::string b = std::string("\x93NUMPY\x01\x00", 8);
        b.push_back(char(dict.size()));
        b.push_back(0);
        b += dict;
        const float col[6] = {1, 4, 2, 5, 3, 6};   // columns of [[1,2,3],[4,5,6]]
        b.append(reinterpret_cast<const char*>(col), sizeof col);
        const NpyMatrix m = parseNpy(b);
        QVERIFY2(m.ok(), m.error.c_str());
        QCOMPARE(m.data, (std::vector<double>{1, 2, 3, 4, 5, 6}));
    }
    void npyErrorsSayWhatIsWrong()
    {
        QVERIFY(parseNpy("hello").error.find("not a .npy") != std::string::npos);
        const double d[2] = {1, 2};
        std::string b = npyBytes(d, 1, 2);
        b.resize(b.size() - 3);
        QVERIFY(parseNpy(b).error.find("truncated data") != std::string::npos);
        std::string c = npyBytes(d, 1, 2);
        c.replace(c.find("<f8"), 3, "<c8");
        QVERIFY(parseNpy(c).error.find("unsupported dtype") != std::string::npos);
        std::string huge = npyBytes(d, 1, 2);
        huge.replace(huge.find("(1, 2)"), 6, "(99999999999999999999, 2)");
        QVERIFY2(parseNpy(huge).error.find("too large") != std::string::npos, parseNpy(huge).error.c_str());
    }
    void csvNumbersRoundTrip()
    {
        for (double v : {0.1, 1.0 / 3.0, -2.5e-300, 1e21, 123456789.125, 5e-324}) {
            std::string s;
            appendNumber(s, v);
            QCOMPARE(std::strtod(s.c_str(), nullptr), v);   // shortest digits that read back exactly
        }
        std::string s;
        appendNumber(s, 0.1);
        QCOMPARE(s, std::string("0.1"));
        s.clear();
        appendNumber(s, -std::numeric_limits<double>::infinity());
        QCOMPARE(s, std::string("-inf"));
    }
    void csvParsesAndNamesBadCells()
    {
        const CsvTable t = parseNumericCsv("x1,x2,label\r\n0.5, -1,1\n\n2,3e-2,0\n");
        QVERIFY2(t.ok(), t.error.c_str());
        QCOMPARE(t.rows, size_t(2));
        QCOMPARE(t.column("label"), 2);
        QCOMPARE(t.at(1, 1), 0.03);
        const CsvTable bad = parseNumericCsv("x1,x2\n1,2\n3,abc\n");
        QCOMPARE(bad.error, std::string("row 2 (line 3), column \"x2\": abc is not a number"));
        const CsvTable shortRow = parseNumericCsv("x1,x2\n1\n");
        QVERIFY(shortRow.error.find("row 1 (line 2) has 1 values, the header names 2") != std::string::npos);
        QVERIFY(!parseNumericCsv("").ok());
        // Quoted numbers (pandas QUOTE_ALL, spreadsheets) are numbers; the message shows the raw cell.
        const CsvTable quoted = parseNumericCsv("\"x1\",\"x2\"\n\"1.5\",\"2\"\n\"3\",\"x\"\n");
        QCOMPARE(quoted.error, std::string("row 2 (line 3), column \"x2\": \"x\" is not a number"));
        QCOMPARE(parseNumericCsv("\"x1\"\n\"1.5\"\n").at(0, 0), 1.5);
    }
    void boundedReaderNeverTrustsTheReportedSize()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("thousand.txt").toStdString();
        std::ofstream(path) << std::string(1000, 'a');
        QVERIFY(readFileBounded(path, 1000, "data file", true).ok());   // exactly at the cap
        const FileBytes over = readFileBounded(path, 999, "data file", true);
        QCOMPARE(QString::fromStdString(over.error), QString::fromStdString(path) + ": larger than the 999 bytes limit for a data file (reading stopped there)");
        QVERIFY(over.bytes.empty());
        // /dev/zero reports size 0 and never ends: binary reads stop at the cap, text at byte 0.
        const FileBytes zero = readFileBounded("/dev/zero", std::size_t(1) << 20, "weight file", false);
        QCOMPARE(QString::fromStdString(zero.error), QString("/dev/zero: larger than the 1 MiB limit for a weight file (reading stopped there)"));
        QVERIFY(QString::fromStdString(readFileBounded("/dev/zero", std::size_t(1) << 30, "scene file", true).error).contains("NUL byte at offset 0"));
        // A /proc file reports size 0 but has content.
        const FileBytes proc = readFileBounded("/proc/self/status", 1 << 20, "data file", true);
        QVERIFY2(proc.ok() && proc.bytes.find("Name:") != std::string::npos, proc.error.c_str());
        QCOMPARE(QString::fromStdString(readFileBounded(dir.path().toStdString(), 10, "input file", false).error),
                 dir.path() + ": is a directory, not an input file");
        // A UTF-8 byte-order mark is dropped from text, kept in binary.
        const std::string bom = dir.filePath("bom.csv").toStdString();
        std::ofstream(bom) << "\xEF\xBB\xBFx1,label\r\n1,0\r\n";
        QCOMPARE(readFileBounded(bom, 100, "data file", true).bytes, std::string("x1,label\r\n1,0\r\n"));
        QCOMPARE(readFileBounded(bom, 100, "data file", false).bytes.size(), size_t(18));
    }
    void csvAcceptsAByteOrderMarkAndCrlf()
    {
        const CsvTable t = parseNumericCsv("\xEF\xBB\xBFx1,x2\r\n1,2\r\n3,4\r\n");
        QVERIFY2(t.ok(), t.error.c_str());
        QCOMPARE(t.header, (std::vector<std::string>{"x1", "x2"}));
        QCOMPARE(t.rows, size_t(2));
        const CsvTable m = parseNumericMatrixCsv("\xEF\xBB\xBF" "1,2\r\n");
        QVERIFY2(m.ok(), m.error.c_str());
        QCOMPARE(m.data, (std::vector<double>{1, 2}));
    }
    void npyShapesAreCheckedBeforeAnythingIsAllocated()
    {
        // (0, 99999999999) holds nothing but would size per-column tables; (100000, 100000) of
        // float64 declares 80 GB in a 200-byte file.
        auto header = [](const std::string& shape) {
            std::string dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }";
            dict.append(64 - (10 + dict.size() + 1) % 64, ' ');
            dict.push_back('\n');
            std::string b = std::string("\x93NUMPY\x01\x00", 8);
            b.push_back(char(dict.size()));
            b.push_back(0);
            return b + dict;
        };
        QVERIFY(QString::fromStdString(parseNpy(header("(0, 99999999999)")).error).contains("is too large"));
        QTemporaryDir dir;
        const std::string path = dir.filePath("big.npy").toStdString();
        std::ofstream(path, std::ios::binary) << header("(100000, 100000)") << std::string(16, '\0');
        const NpyMatrix m = readNpyFile(path, std::size_t(1) << 30, "input file");
        QCOMPARE(QString::fromStdString(m.error),
                 QString::fromStdString(path) + ": shape (100000, 100000) declares 80000000000 bytes of data, beyond the 1 GiB limit for this input file");
        QVERIFY(m.data.empty());
        const NpyMatrix zero = readNpyFile("/dev/zero", std::size_t(1) << 30, "input file");
        QCOMPARE(QString::fromStdString(zero.error), QString("/dev/zero: not a .npy file (no \\x93NUMPY magic)"));
        // A good file through the same reader.
        const double d[4] = {1, 2, 3, 4};
        const std::string good = dir.filePath("good.npy").toStdString();
        std::ofstream(good, std::ios::binary) << npyBytes(d, 2, 2);
        const NpyMatrix g = readNpyFile(good, 1 << 20, "input file");
        QVERIFY2(g.ok(), g.error.c_str());
        QCOMPARE(g.data, (std::vector<double>{1, 2, 3, 4}));
    }
};

QTEST_APPLESS_MAIN(TestIo)
#include "tst_io.moc"

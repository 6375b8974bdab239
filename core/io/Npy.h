// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// numpy's .npy format (version 1.0 written; 1.0–3.0 read): little-endian float64 matrices in C
// order, so `numpy.load("basins.npy")` reads what `opteq` writes without any parsing code.
// Plain byte strings in and out; the caller writes the file (atomically).
#include <cstddef>
#include <string>
#include <vector>

namespace opteq {

// The bytes of a rows × cols float64 .npy file; data is row-major (data[r * cols + c]).
std::string npyBytes(const double* data, std::size_t rows, std::size_t cols);

struct NpyMatrix {
    std::size_t rows = 0, cols = 0;
    std::vector<double> data;   // row-major
    std::vector<std::size_t> shape;   // as declared: (rows), (rows, cols) or (N, h, w) with cols = h·w
    bool uint8 = false;               // the dtype was '|u1' (image data: values 0..255)
    std::string error;          // non-empty when the bytes are not a readable .npy matrix
    bool ok() const { return error.empty(); }
};

// Reads a 1-D (one row per entry) or 2-D array of float64, float32, int64 or int32, in C or
// Fortran order, either byte order. Errors say what was found instead.
// uint8 ('|u1') is read too (image data sets), as its values 0..255. Shapes with a dimension
// above 2^31 are refused before anything is sized by them.
// maxDims 3 also accepts N × h × w in C order (images: row i of the matrix is image i, h·w
// values row after row).
NpyMatrix parseNpy(const std::string& bytes, int maxDims = 2);
// The same from a file through the bounded reader (FileRead.h): the header is read first and the
// data its shape declares is checked against maxBytes before it is read. Errors start with path;
// `what` names the file's role ("weight file", "input file").
NpyMatrix readNpyFile(const std::string& path, std::size_t maxBytes, const char* what, int maxDims = 2);

}  // namespace opteq

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
    std::string error;          // non-empty when the bytes are not a readable .npy matrix
    bool ok() const { return error.empty(); }
};

// Reads a 1-D (one row per entry) or 2-D array of float64, float32, int64 or int32, in C or
// Fortran order, either byte order. Errors say what was found instead.
NpyMatrix parseNpy(const std::string& bytes);

}  // namespace opteq

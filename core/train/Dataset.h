// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Training data: the 2-D toy sets (two moons, circles, K spirals, XOR, K Gaussian blobs), a
// seeded train/test split, and CSV files (`x1..xd,label` classes or `x1..xd,y1..yK` targets).
// No Qt. Everything random draws from std::mt19937_64 seeded with the spec's seed through this
// file's own uniform and normal transforms (not <random>'s distributions, whose output differs
// between standard libraries), so a seed gives the same points bit for bit on one machine.
#include "TrainingSettings.h"

#include <cstdint>
#include <string>
#include <utility>

namespace opteq {

struct DatasetResult {
    Dataset data;
    std::string error;   // "row 3 (line 4), column \"label\": …" when the data could not be read
    bool ok() const { return error.empty(); }
};

// The generator's points: N = spec.samples rows of X (N × 2), labels 0..K−1 with class sizes
// differing by at most one, rows ordered by class. Noise is Gaussian with standard deviation
// spec.noise added to both coordinates of each clean point:
//   moons     sklearn's make_moons: the upper unit semicircle (class 0) and the lower one
//             centred at (1, 0.5) (class 1), points evenly spaced along each;
//   circles   the unit circle (class 0) and the circle of radius 0.5 (class 1), evenly spaced;
//   spirals   K arms, arm k: radius r = t, angle 1.5π·t + 2πk/K, t evenly spaced in [0.1, 1]
//             (three quarters of a turn: no linear model separates them, a small one learns them);
//   xor       uniform in the quadrants, at least 0.1 from the axes: class 0 where x1·x2 > 0;
//   gaussians K blobs centred on the unit circle at angles 2πk/K (their spread is the noise).
// spec.generator None (a file) or samples < 1 give an empty dataset.
Dataset generate(const DataSpec& spec);

// A shuffled (seeded) split: round(N · testFraction) rows for the test set, the rest (at least one
// row when N >= 1) for training. Labels or targets travel with their rows.
std::pair<Dataset, Dataset> splitTrainTest(const Dataset& data, double testFraction, std::uint64_t seed);

// A CSV with a header naming its columns x1..xd (inputs) and either `label` (whole classes
// 0..K−1, K = the largest + 1 >= 2) or y1..yK (regression targets), in any order.
DatasetResult loadDatasetCsv(const std::string& text);
// The same from a file; errors start with the path.
DatasetResult loadDatasetFile(const std::string& path);
// The data a training spec names when it has no test split of its own: generated, or its CSV
// file relative to sceneDir (the directory of the scene file; an absolute path is used as it is).
DatasetResult loadDataset(const DataSpec& spec, const std::string& sceneDir);

// Training and test data as every caller (the window, `opteq train`, `evaluate`, `export`) gets
// it: a source with its own test split (fashion-mnist, IDX or .npy files with test files) keeps
// it and test_fraction is ignored (ownTestSplit, and `note` says so); any other source is split
// by test_fraction and the settings' seed. train_limit / test_limit then keep the first rows of
// each split, in order. Errors name the file or field and what to fix.
struct TrainTestData {
    Dataset train, test;
    bool ownTestSplit = false;
    std::string note;    // "test split from the data set (test_fraction ignored)"
    std::string error;
    bool ok() const { return error.empty(); }
};
// Which splits a caller needs: Evaluate reads only the test split's inputs when the source has
// its own (the training inputs, 47 MB inflated and 376 MB as doubles for fashion-mnist, are
// skipped; train then holds the labels only, for the class count, and no rows of X).
enum class Splits { Both, TestInputsOnly };
TrainTestData loadTrainTest(const TrainingSettings& settings, const std::string& sceneDir, Splits splits = Splits::Both);

// The first `limit` rows of a data set (all of it when limit <= 0 or beyond its size), with
// labels, targets, image shape and class names.
Dataset firstRows(Dataset data, int limit);

}  // namespace opteq

// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for training data (x1..xd,label or x1..xd,y1..yK CSV) and its check against a
// scene's loss and network:
//  - never a crash or hang;
//  - accepted data is finite, has labels 0..K-1 with every class present, or targets;
//  - checkTrainingData answers for both losses without touching anything it should not.
#include "Dataset.h"
#include "FuzzCommon.h"
#include "Trainer.h"

#include <cmath>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    const opteq::DatasetResult r = opteq::loadDatasetCsv(text);
    if (!r.ok()) {
        fuzz::require(!r.error.empty(), "a refusal says why");
        return 0;
    }
    const opteq::Dataset& d = r.data;
    fuzz::require(d.size() > 0 && d.X.allFinite(), "finite rows");
    if (!d.labels.empty()) {
        fuzz::require(int(d.labels.size()) == d.size() && d.classes >= 2, "a label per row, two classes or more");
        std::vector<int> count(size_t(d.classes), 0);
        for (int l : d.labels) {
            fuzz::require(l >= 0 && l < d.classes, "labels 0..K-1");
            ++count[size_t(l)];
        }
        for (int c : count) fuzz::require(c > 0, "every class present");
    } else {
        fuzz::require(d.targets.rows() == d.size() && d.targets.allFinite(), "a target row per row");
    }
    opteq::Scene s = opteq::defaultScene();
    s.hasTraining = true;
    for (opteq::LossKind loss : {opteq::LossKind::CrossEntropy, opteq::LossKind::MeanSquaredError}) {
        s.training.loss = loss;
        const opteq::DataFit fit = opteq::checkTrainingData(s, d);
        fuzz::require(fit.error.empty() || fit.note.empty(), "a refusal or a note, not both");
        fuzz::require(!(loss == opteq::LossKind::CrossEntropy && d.labels.empty()) || !fit.error.empty(), "cross-entropy needs labels");
    }
    return 0;
}

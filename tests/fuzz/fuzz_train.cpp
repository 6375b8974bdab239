// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the training path: a fuzzed scene, loaded, trained for one epoch on 4
// generated samples (its own generator, seed and noise; a data file becomes moons):
//  - never a crash or hang, whatever the loss, gradient, optimiser or activation;
//  - training either refuses with a reason or runs; a finished epoch keeps ‖W‖₂ ≤ max_norm and
//    finite weights; a stopped one says why.
// Sizes are capped so one input stays fast (n ≤ 32, d ≤ 8, max_iter ≤ 100).
#include "Dataset.h"
#include "FuzzCommon.h"
#include "SceneIO.h"
#include "Trainer.h"

#include <algorithm>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size)
{
    const opteq::SceneResult r = opteq::parseScene(QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)));
    if (!r.ok() || !r.scene->hasTraining) return 0;
    opteq::Scene s = *r.scene;
    if (s.n() > 32 || s.d() > 8) return 0;
    s.solver.maxIter = std::min(s.solver.maxIter, 100);
    s.training.unroll = std::min(s.training.unroll, 5);
    opteq::TrainingSettings settings = s.training;   // generated data only: the fuzzer reads no files
    if (settings.data.generator == opteq::DataGenerator::None) settings.data = opteq::DataSpec{};
    settings.data.samples = 4;
    settings.testFraction = 0.25;
    const opteq::TrainTestData split = opteq::loadTrainTest(settings, "");
    if (!split.ok()) return 0;
    std::string error;
    opteq::Trainer t(s, split.train, split.test, &error);
    if (!error.empty()) return 0;
    const opteq::EpochLog log = t.runEpoch({}, true);
    if (t.problem().empty()) {
        const opteq::NetworkWeights& w = t.weights();
        fuzz::require(w.W.allFinite() && w.U.allFinite() && w.V.allFinite(), "finite weights after an epoch");
        fuzz::require(opteq::spectralNorm(w.W) <= s.training.maxNorm * (1 + 1e-9) + 1e-12, "‖W‖₂ ≤ max_norm");
        fuzz::require(log.epoch == 1, "one epoch");
    }
    return 0;
}

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <atomic>
// Everything needed to reproduce a view (SCENES.md): model, input, solver, prior, starts, view.
// A plain value type; the GUI edits copies of it and the undo stack stores them.
#include "Model.h"
#include "Plane.h"
#include "SolverSettings.h"
#include "TrainingSettings.h"

#include <cstdint>
#include <string>
#include <vector>

namespace opteq {

// Refusal limits for scene files, stated in error messages.
constexpr int kMaxStateDim = 4096;      // n, m and d
constexpr int kMaxLayers = 256;
constexpr int kMaxStarts = 10000;
constexpr long long kMaxSceneBytes = 64LL * 1024 * 1024;   // 64 MiB

struct SceneView {
    double x0 = -2, x1 = 2, y0 = -2, y1 = 2;   // for n = 2: the box; for n > 2: plane coordinates
    bool hasBox = false;
    bool hasPlane = false;                     // n > 2: an explicit plane
    Eigen::VectorXd origin, u, v;
    int axisI = -1, axisJ = -1;                // n > 2: coordinate axes instead of principal directions
    bool operator==(const SceneView& o) const;
};

// What the window shows a scene on (issue #19, the optional "window" key): the tab the lesson's
// text is about, and the phase-plane overlay of the Landscape tab. Empty: the window decides (a
// scene with training opens on Train, any other on Landscape). Not part of the numbers: the CLI
// reads and writes it unchanged; the GUI applies it on open and writes its current tab on save.
struct SceneWindow {
    std::string tab;              // one of sceneWindowTabs(), or empty
    bool phasePlane = false;      // the Landscape tab's "Phase plane" overlay on
    bool empty() const { return tab.empty() && !phasePlane; }
    bool operator==(const SceneWindow& o) const { return tab == o.tab && phasePlane == o.phasePlane; }
};
// The tab names a scene file may give, in the window's order (Landscape … Unit layer).
const std::vector<std::string>& sceneWindowTabs();

// Counts copies of whole scenes, process-wide (a scene holds W: at n = 2000 a copy is 32 MB). The
// window's panels and undo stack share scenes by pointer; tests check an edit copies one scene.
struct SceneCopyTally {
    SceneCopyTally() = default;
    SceneCopyTally(const SceneCopyTally&) noexcept { tally(); }
    SceneCopyTally(SceneCopyTally&&) noexcept = default;
    SceneCopyTally& operator=(const SceneCopyTally&) noexcept
    {
        tally();
        return *this;
    }
    SceneCopyTally& operator=(SceneCopyTally&&) noexcept = default;
    inline static std::atomic<long long> count{0};
    inline static thread_local long long onThisThread = 0;   // the GUI thread's own copies

private:
    static void tally()
    {
        count.fetch_add(1, std::memory_order_relaxed);
        ++onThisThread;
    }
};

struct Scene {
    std::string title;
    std::string notes;
    std::vector<LayerSpec> layers;
    Eigen::MatrixXd W, U;
    Eigen::VectorXd b;
    std::vector<Regularizer> regularizers;
    Eigen::VectorXd input;
    SolverSettings solver;
    PriorSettings prior;
    std::vector<Eigen::VectorXd> starts;
    SceneView view;
    std::uint64_t seed = 0;               // seed of any generated content (reproducibility)
    std::vector<Method> compare;          // extra solvers run from the same starts (GUI comparison)
    Readout readout;                      // y = V z* + c (empty: the scene is a bare layer)
    bool hasTraining = false;             // the scene carries a "training" object
    TrainingSettings training;
    SceneWindow window;                   // where the GUI opens it (optional "window" key)
    [[no_unique_address]] SceneCopyTally copies;   // not part of the scene's value

    int n() const { return int(W.cols()); }
    int d() const { return int(input.size()); }
    Model model() const;
    std::vector<Eigen::VectorXd> effectiveStarts() const;   // starts, or {0} when empty
    // A prior of way 1 (regularizers R, model-wide or per layer) or of way 2 (a selection scheme).
    bool hasRegularizers() const;
    bool hasPrior() const { return prior.type != PriorType::None || hasRegularizers(); }
    // Empty when consistent; else "field: what is wrong".
    std::string validate() const;
    std::string validateReadoutAndTraining() const;   // the part of validate() for "readout" and "training"
    bool operator==(const Scene& o) const;
};

// The default scene (2-D, ReLU, ‖W‖₂ = 0.8): what the explorer opens when it has nothing else.
Scene defaultScene();

struct DeepSpec;   // DeepGenerator.h
// The scene with its model replaced by makeDeepModel(spec): input 0.5, three spread starts,
// regularizers, anchors and the view reset (they belong to the old state space).
Scene withDeepModel(const Scene& base, const DeepSpec& spec);

}  // namespace opteq

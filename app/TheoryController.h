// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Runs the theory views' jobs off the GUI thread (issue #13): the phase field of the landscape,
// the Jacobian spectrum at an equilibrium or a playback iterate, the unit-layer picture and the
// rate-vs-parameter cut. Every job reads the solution it is asked about (its scene, model and
// traces: nothing is rebuilt or re-solved except the cut's own solves) and its result carries
// that solution, so the window draws it only while that solution is the one shown.
//
// Threading: public methods on the GUI thread. Its own one-thread pool (the jobs use OpenMP
// inside), so a slow cut never delays the landscape's solve. Per kind of job, a newer request
// cancels the older (latest wins) and a generation number drops anything stale.
#include "JacobianSpectrum.h"
#include "PhasePlane.h"
#include "RateMap.h"
#include "SceneSolution.h"
#include "TheoryReports.h"

#include <QObject>
#include <QString>
#include <QThreadPool>

#include <functional>
#include <atomic>
#include <memory>

namespace opteq {

struct PhaseResult {
    std::shared_ptr<const SceneSolution> solution;
    std::shared_ptr<const PhaseField> field;
};

struct SpectrumResult {
    std::shared_ptr<const SceneSolution> solution;
    JacobianSpectrum spectrum;
    Eigen::VectorXd z;      // where J was taken
    int start = 0;          // 0-based
    int k = -1;             // the iterate, or -1 at the end point
    QString where;          // "z* (end of start 1)", "iterate k = 3 of start 2"
    double observedRate = 0;
};

struct UnitLayerResult {
    std::shared_ptr<const SceneSolution> solution;
    UnitLayerPicture picture;
};

struct RateCutResult {
    std::shared_ptr<const SceneSolution> solution;
    RateCut cut;
    double current = 0;     // the scene's value of the parameter
    int start = 0;          // 0-based: the start the sweep solves from
};

// The scene's current value of a rate parameter (‖W‖₂ for NormScale).
double currentRateParam(const Scene& scene, double norm, RateParam p);

class TheoryController : public QObject {
    Q_OBJECT
public:
    explicit TheoryController(QObject* parent = nullptr);
    ~TheoryController() override;

    void requestPhase(std::shared_ptr<const SceneSolution> sol, const GridSpec& box, int arrowsPerSide);
    // k < 0: at the end point of `start`; else at the stored iterate nearest k (playback).
    void requestSpectrum(std::shared_ptr<const SceneSolution> sol, int start, int k);
    void requestUnitLayer(std::shared_ptr<const SceneSolution> sol);
    void requestRateCut(std::shared_ptr<const SceneSolution> sol, RateParam param, int start);
    bool waitForIdle(int ms);

signals:
    void phaseReady(std::shared_ptr<const opteq::PhaseResult> r);
    void spectrumReady(std::shared_ptr<const opteq::SpectrumResult> r);
    void unitLayerReady(std::shared_ptr<const opteq::UnitLayerResult> r);
    void rateCutReady(std::shared_ptr<const opteq::RateCutResult> r);

private:
    struct Slot {
        std::shared_ptr<std::atomic<bool>> cancel;
        quint64 generation = 0;
    };
    // The work and delivery go in as std::function, so the job's type (and with it every symbol
    // ThreadSanitizer prints for QtConcurrent's task) names only the Result: the lambda types
    // nested in launch<…> made names too long for its symbolizer, which cut the frame that
    // tests/sanitizers/tsan.supp matches ("QtConcurrent::run<") and reported the task hand-over.
    template <typename Result>
    void launch(Slot& slot, std::function<std::shared_ptr<const Result>(const JobControl&)> work,
                std::function<void(std::shared_ptr<const Result>)> deliver);

    QThreadPool m_pool;
    Slot m_phase, m_spectrum, m_unit, m_cut;
};

}  // namespace opteq

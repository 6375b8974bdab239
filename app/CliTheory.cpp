// SPDX-License-Identifier: GPL-3.0-or-later
// `opteq spectrum` and `opteq fixset`: the theory views' numbers (issue #13), from the scene's own
// solver runs (the same runs the window draws: solveRuns).
#include "CliCommon.h"
#include "Format.h"
#include "TheoryReports.h"

#include <QStringList>
#include <cmath>

namespace opteq {
using namespace cli;

namespace {

std::vector<SolverRun> primaryRuns(const Scene& scene, const Model& model)
{
    TraceOptions o;
    o.storeIterates = false;   // end points and residual curves are all these commands read
    o.computeObjective = false;
    return solveRuns(scene, model, o);
}

QString vec(const Eigen::VectorXd& v) { return QString::fromStdString(formatVector(v, 6, 8)); }

}  // namespace

int cli::runSpectrum(const Args& a, const Scene& scene, QTextStream& out, QTextStream& err)
{
    const Model model = scene.model();
    if (!std::isfinite(model.spectralNorm())) {
        err << "opteq: " << a.scene << ": W has entries that are not finite numbers\n";
        return kBadInput;
    }
    const std::vector<SolverRun> runs = primaryRuns(scene, model);
    const std::vector<StartSpectrum> spectra = spectraAtEndPoints(model, model.bias(scene.input), runs.at(0));
    if (a.json) {
        std::string o = "{\"results\": [";
        for (size_t k = 0; k < spectra.size(); ++k) {
            const StartSpectrum& s = spectra[k];
            o += k ? ",\n  " : "\n  ";
            o += "{\"start\": " + std::to_string(s.start) + ", \"status\": \"" + statusName(s.status) + "\", \"eigenvalues\": ";
            appendJsonVector(o, Eigen::Map<const Eigen::VectorXd>(s.spectrum.eigenvalues.data(), Eigen::Index(s.spectrum.eigenvalues.size())));
            o += ", \"exact\": ";
            o += s.spectrum.exact ? "true" : "false";
            o += ", \"spectral_radius\": ";
            appendJsonNumber(o, s.spectrum.spectralRadius);
            o += ", \"bound\": ";
            appendJsonNumber(o, s.spectrum.bound);
            o += ", \"cond\": ";
            appendJsonNumber(o, s.spectrum.cond);   // null when I − J is singular
            o += ", \"observed_rate\": ";
            appendJsonNumber(o, s.observedRate > 0 ? s.observedRate : std::nan(""));
            o += "}";
        }
        o += "\n]}\n";
        out << QString::fromStdString(o);
        return kOk;
    }
    out << "J = diag(σ'(v)) WᵀW at each start's end point (" << QString::fromStdString(runs[0].label) << "). J is similar to "
        << "the symmetric D^½ WᵀW D^½, so its eigenvalues are real and ≥ 0.\n";
    for (const StartSpectrum& s : spectra) {
        out << "start " << s.start << " (" << statusName(s.status) << "): ρ(J) = " << QString::number(s.spectrum.spectralRadius, 'g', 6)
            << ", bound ‖W‖₂² = " << QString::number(s.spectrum.bound, 'g', 6)
            << ", cond(I − J) = " << (std::isfinite(s.spectrum.cond) ? QString::number(s.spectrum.cond, 'g', 4) : QString("∞ (singular)"))
            << (s.observedRate > 0 ? ", observed rate " + QString::number(s.observedRate, 'g', 6) : QString()) << "\n  "
            << (s.spectrum.exact ? "eigenvalues: " : "top eigenvalues (Lanczos): ");
        QStringList ev;
        for (size_t i = 0; i < std::min<size_t>(s.spectrum.eigenvalues.size(), 12); ++i) ev << QString::number(s.spectrum.eigenvalues[i], 'g', 6);
        if (s.spectrum.eigenvalues.size() > 12) ev << QString("… (%1 in all)").arg(s.spectrum.eigenvalues.size());
        out << ev.join(", ") << "\n";
    }
    return kOk;
}

int cli::runFixset(const Args& a, const Scene& scene, QTextStream& out, QTextStream& err)
{
    const Model model = scene.model();
    if (!std::isfinite(model.spectralNorm())) {
        err << "opteq: " << a.scene << ": W has entries that are not finite numbers\n";
        return kBadInput;
    }
    if (model.n() > 512 && std::abs(model.spectralNorm() - 1.0) <= 1e-9) {
        err << "opteq: " << a.scene << ": Fix T as a set is computed for up to 512 units (this model has " << model.n() << ")\n";
        return kBadInput;
    }
    const FixSetReport r = fixSetReport(scene, model, primaryRuns(scene, model));
    const FixedPointSet& s = r.set;
    if (a.json) {
        std::string o = "{\"kind\": \"";
        o += fixSetKindName(s.kind);
        o += "\", \"dimension\": " + std::to_string(s.dimension) + ", \"point\": ";
        appendJsonVector(o, s.point);
        o += ", \"directions\": [";
        for (size_t k = 0; k < s.directions.size(); ++k) {
            if (k) o += ", ";
            appendJsonVector(o, s.directions[k]);
        }
        o += "], \"vertices\": [";
        for (size_t k = 0; k < s.vertices.size(); ++k) {
            if (k) o += ", ";
            appendJsonVector(o, s.vertices[k]);
        }
        o += "], \"bounded\": ";
        o += s.bounded ? "true" : "false";
        o += ", \"residual\": ";
        appendJsonNumber(o, s.residual);
        o += ", \"description\": ";
        appendJsonString(o, s.description);
        o += ", \"selected\": ";
        if (r.selected) appendJsonVector(o, *r.selected);
        else o += "null";
        if (r.solverSelected) {
            o += ", \"solver_selected\": ";
            appendJsonVector(o, *r.solverSelected);
            o += ", \"selection_distance\": ";
            appendJsonNumber(o, r.selectionDistance);
        }
        o += "}\n";
        out << QString::fromStdString(o);
        return kOk;
    }
    out << "Fix T is " << QString::fromStdString(s.description) << "\n";
    if (s.kind != FixSetKind::Empty && s.kind != FixSetKind::Unknown)
        out << "kind " << fixSetKindName(s.kind) << ", dimension " << s.dimension << ", largest residual ‖T(z) − z‖ on it "
            << QString::number(s.residual, 'g', 3) << "\n";
    if (r.selected) {
        out << QString::fromStdString(r.selectedBy) << " selects " << vec(*r.selected) << " (the point of Fix T nearest to it)";
        if (r.solverSelected)
            out << "; the solver ended at " << vec(*r.solverSelected) << ", " << QString::number(r.selectionDistance, 'g', 3) << " away";
        out << "\n";
    }
    return kOk;
}

}  // namespace opteq

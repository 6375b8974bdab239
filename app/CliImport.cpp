// SPDX-License-Identifier: GPL-3.0-or-later
// `opteq import SCENE --W W.npy [--U U.npy] [--b b.npy] [--V V.npy] [--c c.npy] --out NEW.opteq.json`:
// a model trained elsewhere, into a copy of SCENE (its solver, prior, view and training settings
// stay), so that the explorer and every other command can look at its equilibria.
#include "CliCommon.h"
#include "ModelImport.h"
#include "SceneIO.h"

namespace opteq::cli {

int runImport(const Args& a, const Scene& scene, QTextStream& out, QTextStream& err)
{
    if (a.weights.empty()) {
        err << "opteq: import needs at least one of --W, --U, --b, --V, --c (each a .npy or .csv file)\n";
        return kBadInput;
    }
    if (!a.out.endsWith(".json", Qt::CaseInsensitive)) {
        err << "opteq: --out must be a scene file ending in .json (e.g. NEW.opteq.json), got \"" << a.out << "\"\n";
        return kBadInput;
    }
    std::map<std::string, std::string> files;
    for (const auto& [key, path] : a.weights) files[key] = path.toStdString();
    Scene imported = scene;
    if (const std::string e = importWeights(imported, files); !e.empty()) {
        err << "opteq: " << QString::fromStdString(e) << "\n";
        return kBadInput;
    }
    if (const std::string e = saveScene(imported, a.out); !e.empty()) {
        err << "opteq: " << QString::fromStdString(e) << "\n";
        return kFailure;
    }
    const double norm = imported.model().spectralNorm();
    out << "imported";
    for (const auto& [key, path] : a.weights) out << " " << QString::fromStdString(key);
    out << " into " << a.out << ": n = " << imported.n() << ", d = " << imported.d();
    if (!imported.readout.empty()) out << ", K = " << imported.readout.outputs();
    out << ", ‖W‖₂ = " << norm << "\n";
    if (!(norm < 1)) err << "opteq: note: ‖W‖₂ >= 1, so the equilibrium need not be unique and the solvers need not converge\n";
    return kOk;
}

}  // namespace opteq::cli

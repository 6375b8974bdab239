// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Bring your own model: W, U, b and the readout V, c of a network trained elsewhere (PyTorch,
// JAX, numpy) read from .npy files or header-less CSV files into a scene, with every shape
// checked against the others. Orientation as in the scene (and as torch.nn.Linear stores its
// weight): W m × n, U n × d, b n, V K × n, c K; b and c may be a row or a column.
#include "Scene.h"

#include <map>
#include <string>

namespace opteq {

// files maps "W", "U", "b", "V", "c" (any non-empty subset) to paths ending in .npy or .csv;
// the parts not named keep the scene's. On success returns "" and changes the scene; otherwise
// returns what to fix, naming the file and the shapes ("U.npy: U is 3 × 2, expected n × d =
// 4 × 2 (n = 4 from W.npy)"), and leaves the scene as it was.
// When n changes the model becomes one layer of n units with the first layer's activation and
// regularizers, the starts are cleared (one start at 0), an explicit view plane or axes are
// dropped and a prior anchor/target of the old size becomes 0. When d changes the input becomes 0.
std::string importWeights(Scene& scene, const std::map<std::string, std::string>& files);

}  // namespace opteq

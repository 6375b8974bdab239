// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for `opteq import`: the fuzzed bytes as W (.npy when they start with numpy's
// magic, else a header-less CSV) into lesson 1's scene:
//  - never a crash, hang or unbounded allocation;
//  - an import that succeeds leaves a scene that validates;
//  - one that fails leaves the scene as it was and says why.
#include "FuzzCommon.h"
#include "ModelImport.h"
#include "SceneIO.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size)
{
    const bool npy = size >= 6 && std::string(reinterpret_cast<const char*>(data), 6) == "\x93NUMPY";
    const std::string path = fuzz::asFile(data, size, npy ? "-W.npy" : "-W.csv");
    opteq::Scene s = opteq::defaultScene();
    const opteq::Scene before = s;
    const std::string e = opteq::importWeights(s, {{"W", path}});
    if (e.empty()) fuzz::require(s.validate().empty(), "an imported scene validates");
    else fuzz::require(s == before, "a failed import leaves the scene as it was");
    return 0;
}

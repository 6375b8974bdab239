// SPDX-License-Identifier: GPL-3.0-or-later
// Compiled by the layer tests (tests/CMakeLists.txt) as a source of one core layer would be, with
// what that layer's target exports: OPTEQ_PROBE_OWN, a header of the layer's own folder, must be
// found; OPTEQ_PROBE_ABOVE, a header of a layer above it, must not be.
#include OPTEQ_PROBE_OWN
#include OPTEQ_PROBE_ABOVE

// Exact-bits parameter checkpoints: every parameter and buffer of a model, little-endian, framed as
//   "TLCKPT01" | u32 dtype (0 float32, 1 float64) | u32 count |
//   count x ( u32 name length | name | u32 rank | rank x i64 dims | raw values )
// written atomically (temporary file + rename). Loading checks the magic, dtype, names and shapes
// against the model and reports the first mismatch; nothing is changed unless every tensor fits.
#pragma once

#include <string>

#include "runtime/module.h"

namespace tl::rt {

void save_checkpoint(const std::string& path, const ModelState& state);
void load_checkpoint(const std::string& path, ModelState& state);

}  // namespace tl::rt

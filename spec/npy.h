// NumPy .npy files (format versions 1.0, 2.0 and 3.0): little-endian float32/float64, C order.
// Anything else (big-endian, Fortran order, other dtypes, truncated data) is a UserError naming the
// file and the problem. Writing is atomic (temp file + rename) and uses format 1.0.
#pragma once

#include <string>
#include <string_view>

#include "spec/tensor.h"

namespace tl {

HostTensor read_npy(const std::string& path);
void write_npy(const std::string& path, const HostTensor& t);

// The same on in-memory bytes; `what` names the source in error messages.
HostTensor parse_npy(std::string_view bytes, std::string_view what);
std::string encode_npy(const HostTensor& t);

}  // namespace tl

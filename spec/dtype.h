// Element types of tensors and graphs.
//
// float32 is IEEE binary32, float64 is IEEE binary64. CLI names follow TorchLean: `float32`, and
// `float` (TorchLean's Float is binary64) or `float64`. Room is left for bf16/f16: adding a row here
// makes every switch over DType fail to compile until it is handled.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tl {

enum class DType { f32, f64 };

// Canonical name used in JSON, reports and .npy error messages: "float32" or "float64".
std::string_view dtype_name(DType t);
// Size of one element in bytes.
std::size_t dtype_size(DType t);
// Parses "float32", "f32", "float", "float64", "f64", "double"; throws UserError naming `what`
// (e.g. "--dtype" or "node 3 field 'dtype'") otherwise.
DType parse_dtype(std::string_view text, std::string_view what);

template <class T>
constexpr DType dtype_of();
template <>
constexpr DType dtype_of<float>() { return DType::f32; }
template <>
constexpr DType dtype_of<double>() { return DType::f64; }

}  // namespace tl

// Names and sizes of element types.
#include "spec/dtype.h"

#include "spec/error.h"

namespace tl {

std::string_view dtype_name(DType t) {
  switch (t) {
    case DType::f32: return "float32";
    case DType::f64: return "float64";
  }
  throw_internal("bad DType value");
}

std::size_t dtype_size(DType t) {
  switch (t) {
    case DType::f32: return 4;
    case DType::f64: return 8;
  }
  throw_internal("bad DType value");
}

DType parse_dtype(std::string_view text, std::string_view what) {
  if (text == "float32" || text == "f32") return DType::f32;
  if (text == "float" || text == "float64" || text == "f64" || text == "double") return DType::f64;
  throw UserError(std::string(what) + ": unknown dtype '" + std::string(text) +
                  "' (expected float32, or float/float64)");
}

}  // namespace tl

// HostTensor: a dtype-tagged, contiguous, row-major buffer in host memory, 64-byte aligned.
//
// Copying a HostTensor copies its elements. Elements are read and written through typed spans;
// asking for the wrong element type is an internal error.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "spec/dtype.h"
#include "spec/error.h"
#include "spec/shape.h"

namespace tl {

class HostTensor {
 public:
  HostTensor() : HostTensor(DType::f32, Shape{}) {}
  // Zero-filled tensor of the given dtype and shape.
  HostTensor(DType dtype, Shape shape);
  // Storage left unset, for kernels that write every element before anything reads one (a GEMM's
  // output); saves zeroing large gradients every step.
  static HostTensor uninitialized(DType dtype, Shape shape);
  template <class T>
  static HostTensor from_values(Shape shape, const std::vector<T>& values);

  HostTensor(const HostTensor& other);
  HostTensor& operator=(const HostTensor& other);
  HostTensor(HostTensor&&) noexcept = default;
  HostTensor& operator=(HostTensor&&) noexcept = default;

  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  int64_t numel() const { return shape_.numel(); }
  std::size_t nbytes() const { return static_cast<std::size_t>(numel()) * dtype_size(dtype_); }

  template <class T> std::span<T> values() {
    TL_CHECK_INTERNAL(dtype_of<T>() == dtype_, "HostTensor element type mismatch");
    return {reinterpret_cast<T*>(storage_.get()), static_cast<std::size_t>(numel())};
  }
  template <class T> std::span<const T> values() const {
    TL_CHECK_INTERNAL(dtype_of<T>() == dtype_, "HostTensor element type mismatch");
    return {reinterpret_cast<const T*>(storage_.get()), static_cast<std::size_t>(numel())};
  }
  std::byte* bytes() { return storage_.get(); }
  const std::byte* bytes() const { return storage_.get(); }

  // Gives the tensor another shape with the same element count (no copy).
  void reshape(Shape shape);
  // Element i widened to double (exact for both dtypes).
  double value_as_double(int64_t i) const;
  // Stores v in element i, rounded to the dtype (to nearest, as a C++ conversion does).
  void set_from_double(int64_t i, double v);
  // Same dtype, shape and bit patterns (so NaNs with equal payloads compare equal, and -0 != +0).
  bool bit_equal(const HostTensor& other) const;

 private:
  struct Uninitialized {};
  HostTensor(DType dtype, Shape shape, Uninitialized);
  struct AlignedFree {
    void operator()(std::byte* p) const;
  };
  DType dtype_;
  Shape shape_;
  std::unique_ptr<std::byte[], AlignedFree> storage_;
};

template <class T>
HostTensor HostTensor::from_values(Shape shape, const std::vector<T>& values) {
  HostTensor t(dtype_of<T>(), std::move(shape));
  TL_CHECK_USER(static_cast<int64_t>(values.size()) == t.numel(),
                "HostTensor::from_values: " + std::to_string(values.size()) +
                    " values for shape " + t.shape().str());
  if (!values.empty()) std::memcpy(t.bytes(), values.data(), t.nbytes());
  return t;
}

// Exact text of a float or double: C99 hex float ("0x1.8p+1"), or "nan", "-nan", "inf", "-inf".
std::string hex_float(double x);
std::string hex_float(float x);
// Parses the text written by hex_float (and decimal text); the value must be exactly representable
// in `dtype` (rounding would change the meaning). `what` names the field for errors.
double parse_exact_float(std::string_view text, DType dtype, std::string_view what);
// True when x (finite or not) is exactly representable in dtype.
bool representable_in(double x, DType dtype);

// "tensor float32 [2,2] = [0x1p+0, 0x1p+1, ...]" (at most `max_elements` values shown).
std::string tensor_to_hex_string(const HostTensor& t, int64_t max_elements = 16);

}  // namespace tl

// Tensor shapes with overflow-checked element counts.
//
// A Shape is a list of non-negative dimensions, row-major (the last dimension varies fastest).
// Rank 0 is a scalar with one element. Every Shape that exists has passed `check_shape`: no negative
// dimension, and an element count that neither overflows int64 nor exceeds the configurable limit
// `max_elements()` (default 2^31). Violations are UserErrors naming the shape's owner.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace tl {

using Dims = std::vector<int64_t>;

class Shape {
 public:
  Shape() = default;  // scalar
  // Checks the dims; `owner` names what the shape belongs to in error messages.
  explicit Shape(Dims dims, std::string_view owner = "shape");
  Shape(std::initializer_list<int64_t> dims);

  const Dims& dims() const { return dims_; }
  int64_t rank() const { return static_cast<int64_t>(dims_.size()); }
  int64_t dim(int64_t axis) const { return dims_.at(static_cast<std::size_t>(axis)); }
  int64_t numel() const { return numel_; }
  bool operator==(const Shape& other) const { return dims_ == other.dims_; }

  // "[2,3,4]" (scalar: "[]").
  std::string str() const;

 private:
  Dims dims_;
  int64_t numel_ = 1;
};

// Largest element count a shape may have; shapes above it are UserErrors.
int64_t max_elements();
void set_max_elements(int64_t limit);

// Row-major strides (in elements) of a shape.
Dims row_major_strides(const Shape& s);

}  // namespace tl

// Shape construction with overflow and limit checks.
#include "spec/shape.h"

#include <atomic>

#include "spec/error.h"

namespace tl {
namespace {

std::atomic<int64_t> g_max_elements{int64_t{1} << 31};

std::string dims_str(const Dims& dims) {
  std::string out = "[";
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (i) out += ",";
    out += std::to_string(dims[i]);
  }
  return out + "]";
}

}  // namespace

Shape::Shape(Dims dims, std::string_view owner) : dims_(std::move(dims)) {
  int64_t count = 1;
  bool overflow = false;
  for (std::size_t i = 0; i < dims_.size(); ++i) {
    TL_CHECK_USER(dims_[i] >= 0, std::string(owner) + ": dimension " + std::to_string(i) + " is " +
                                     std::to_string(dims_[i]) + " (must be >= 0) in shape " +
                                     dims_str(dims_));
    if (!overflow && __builtin_mul_overflow(count, dims_[i], &count)) overflow = true;
  }
  // A zero dimension makes the count 0 even if a partial product overflowed.
  for (int64_t d : dims_) {
    if (d == 0) { count = 0; overflow = false; }
  }
  TL_CHECK_USER(!overflow, std::string(owner) + ": element count of shape " + dims_str(dims_) +
                               " overflows int64");
  TL_CHECK_USER(count <= max_elements(),
                std::string(owner) + ": shape " + dims_str(dims_) + " has " +
                    std::to_string(count) + " elements, above the limit of " +
                    std::to_string(max_elements()) + " (see set_max_elements)");
  numel_ = count;
}

Shape::Shape(std::initializer_list<int64_t> dims) : Shape(Dims(dims)) {}

std::string Shape::str() const { return dims_str(dims_); }

int64_t max_elements() { return g_max_elements.load(); }

void set_max_elements(int64_t limit) {
  TL_CHECK_USER(limit >= 0, "set_max_elements: limit must be >= 0");
  g_max_elements.store(limit);
}

Dims row_major_strides(const Shape& s) {
  Dims strides(s.dims().size(), 1);
  for (int64_t i = s.rank() - 2; i >= 0; --i) {
    strides[static_cast<std::size_t>(i)] =
        strides[static_cast<std::size_t>(i + 1)] * s.dims()[static_cast<std::size_t>(i + 1)];
  }
  return strides;
}

}  // namespace tl

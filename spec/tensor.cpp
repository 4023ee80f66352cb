// HostTensor storage and exact (hex float) printing and parsing of element values.
#include "spec/tensor.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <new>

namespace tl {

void HostTensor::AlignedFree::operator()(std::byte* p) const {
  ::operator delete[](p, std::align_val_t(64));
}

HostTensor::HostTensor(DType dtype, Shape shape, Uninitialized) : dtype_(dtype), shape_(std::move(shape)) {
  // Always allocate at least one cache line so bytes() is never null.
  std::size_t n = std::max<std::size_t>(nbytes(), 64);
  storage_.reset(static_cast<std::byte*>(::operator new[](n, std::align_val_t(64))));
}

HostTensor::HostTensor(DType dtype, Shape shape) : HostTensor(dtype, std::move(shape), Uninitialized{}) {
  std::memset(storage_.get(), 0, std::max<std::size_t>(nbytes(), 64));
}

HostTensor HostTensor::uninitialized(DType dtype, Shape shape) { return HostTensor(dtype, std::move(shape), Uninitialized{}); }

HostTensor::HostTensor(const HostTensor& other) : HostTensor(other.dtype_, other.shape_, Uninitialized{}) {
  if (nbytes()) std::memcpy(storage_.get(), other.storage_.get(), nbytes());
}

HostTensor& HostTensor::operator=(const HostTensor& other) {
  if (this != &other) *this = HostTensor(other);
  return *this;
}

void HostTensor::reshape(Shape shape) {
  TL_CHECK_INTERNAL(shape.numel() == numel(), "reshape must keep the element count");
  shape_ = std::move(shape);
}

double HostTensor::value_as_double(int64_t i) const {
  TL_CHECK_INTERNAL(i >= 0 && i < numel(), "element index out of range");
  switch (dtype_) {
    case DType::f32: return values<float>()[static_cast<std::size_t>(i)];
    case DType::f64: return values<double>()[static_cast<std::size_t>(i)];
  }
  throw_internal("bad DType value");
}

void HostTensor::set_from_double(int64_t i, double v) {
  if (dtype_ == DType::f32) values<float>()[static_cast<std::size_t>(i)] = static_cast<float>(v);
  else values<double>()[static_cast<std::size_t>(i)] = v;
}

bool HostTensor::bit_equal(const HostTensor& other) const {
  return dtype_ == other.dtype_ && shape_ == other.shape_ &&
         (nbytes() == 0 || std::memcmp(bytes(), other.bytes(), nbytes()) == 0);
}

std::string hex_float(double x) {
  if (std::isnan(x)) return std::signbit(x) ? "-nan" : "nan";
  if (std::isinf(x)) return x < 0 ? "-inf" : "inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", x);
  return buf;
}

std::string hex_float(float x) { return hex_float(static_cast<double>(x)); }

bool representable_in(double x, DType dtype) {
  switch (dtype) {
    case DType::f64: return true;
    case DType::f32:
      if (std::isnan(x)) return true;
      return static_cast<double>(static_cast<float>(x)) == x;
  }
  throw_internal("bad DType value");
}

double parse_exact_float(std::string_view text, DType dtype, std::string_view what) {
  std::string s(text);
  if (s == "nan") return std::nan("");
  if (s == "-nan") return -std::nan("");
  if (s == "inf") return INFINITY;
  if (s == "-inf") return -INFINITY;
  const char* begin = s.c_str();
  char* end = nullptr;
  errno = 0;
  double x = std::strtod(begin, &end);
  TL_CHECK_USER(!s.empty() && end == begin + s.size() && !std::isnan(x) && !std::isinf(x),
                std::string(what) + ": '" + s + "' is not a number (expected a hex float such as "
                "0x1.8p+1, a decimal, nan, inf or -inf)");
  TL_CHECK_USER(errno != ERANGE || x != 0.0,
                std::string(what) + ": '" + s + "' is out of range for float64");
  TL_CHECK_USER(representable_in(x, dtype),
                std::string(what) + ": '" + s + "' is not exactly representable in " +
                    std::string(dtype_name(dtype)) + " (write the rounded value, e.g. " +
                    hex_float(static_cast<float>(x)) + ")");
  return x;
}

std::string tensor_to_hex_string(const HostTensor& t, int64_t max_elements) {
  std::string out = "tensor " + std::string(dtype_name(t.dtype())) + " " + t.shape().str() + " = [";
  int64_t shown = std::min(t.numel(), max_elements);
  for (int64_t i = 0; i < shown; ++i) {
    if (i) out += ", ";
    out += t.dtype() == DType::f32 ? hex_float(t.values<float>()[static_cast<std::size_t>(i)])
                                   : hex_float(t.value_as_double(i));
  }
  if (shown < t.numel()) out += ", ... (" + std::to_string(t.numel() - shown) + " more)";
  return out + "]";
}

}  // namespace tl

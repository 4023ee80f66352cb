// Interval: the *real* meaning. An MPFI interval [lo, hi] that contains the exact real value, at a
// working precision (bits) that is thread-local and set with IntervalPrecision (default 128).
// Arithmetic rounds outward, so every result encloses the exact result of the exact operands.
#pragma once

#include <cstdint>
#include <mpfi.h>
#include <optional>
#include <string>

#include "reference/real_fn.h"

namespace tl::ref {

class Interval {
 public:
  static mpfr_prec_t precision();
  Interval();                         // [0, 0]
  static Interval from_double(double x);  // exact point (precision >= 53)
  static Interval from_int(int64_t n);
  static Interval hull_of(double lo, double hi);
  Interval(const Interval& other);
  Interval(Interval&& other) noexcept;
  Interval& operator=(const Interval& other);
  Interval& operator=(Interval&& other) noexcept;
  ~Interval();

  mpfi_ptr raw() { return v_; }
  mpfi_srcptr raw() const { return v_; }
  bool is_point() const;
  bool has_nan() const;
  // Outward-rounded endpoints as doubles.
  double lower() const;
  double upper() const;
  std::string str(int digits = 20) const;

  friend Interval operator+(const Interval& a, const Interval& b);
  friend Interval operator-(const Interval& a, const Interval& b);
  friend Interval operator*(const Interval& a, const Interval& b);
  friend Interval operator/(const Interval& a, const Interval& b);
  friend Interval operator-(const Interval& a);

 private:
  mpfi_t v_;
};

// Sets the working precision for the current thread while alive.
class IntervalPrecision {
 public:
  explicit IntervalPrecision(mpfr_prec_t bits);
  ~IntervalPrecision();
 private:
  mpfr_prec_t saved_;
};

Interval fma(const Interval& a, const Interval& b, const Interval& c);  // a*b + c
// In-place accumulation without allocating (the hot loop of sums). Dot products use IntervalDot.
void add_to(Interval& acc, const Interval& x);  // acc += x
// Sum of products a_k * b_k as an enclosure (the FMA chain of the real meaning). While every product
// and partial sum is exact in the working precision it keeps one exact number (one multiply and
// one add per term); from the first inexact step on it keeps outward-rounded bounds.
class IntervalDot {
 public:
  IntervalDot();
  ~IntervalDot();
  IntervalDot(const IntervalDot&) = delete;
  IntervalDot& operator=(const IntervalDot&) = delete;
  void add(const Interval& a, const Interval& b);
  Interval result() const;

 private:
  void leave_exact_mode();
  mpfr_t lo_, hi_, tmp_, product_;
  bool exact_ = true;  // lo_ holds the exact sum; hi_ is unused
};

Cmp compare(const Interval& a, const Interval& b);
Interval hull(const Interval& a, const Interval& b);
Interval apply(RealFn f, const Interval& x, double param = 0.0);
std::optional<int64_t> as_index(const Interval& x);
bool is_nan(const Interval& x);

}  // namespace tl::ref

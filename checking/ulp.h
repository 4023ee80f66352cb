// ULP distance: how far a backend's value is from the real value, in units in the last place of the
// dtype, measured at the real value. The real value is known as an enclosure [lo, hi] (MPFR
// numbers); the result is a sound range [lo, hi] for the error, rounded outward.
//
// Rules (docs/oracle.md):
// - ulp(x) = 2^(max(E(x), emin) - p) with x in [2^(E-1), 2^E), p = 24 / 53, emin = -125 / -1021: the
//   spacing of the dtype's floats around x, subnormal spacing below the normal range, and the same
//   formula (no cap) beyond the largest finite float;
// - ulp(0) is the smallest subnormal; ±0 are the same real number 0;
// - with a magnitude floor f > 0, ulps are measured at max(|x|, f) (mixed absolute/relative);
// - a NaN enclosure (the real value is undefined) and one at an infinity are not measured here:
//   the caller compares with the strict meaning's special value instead (special_match); an
//   enclosure with one infinite end gives the sound range [0, inf] for a finite v;
// - v = ±inf against a finite enclosure: 0 when every point of the enclosure rounds to that
//   infinity (beyond the overflow threshold, same sign), +inf otherwise; v = NaN: +inf.
#pragma once

#include <mpfr.h>

#include "spec/dtype.h"

namespace tl::oracle {

struct UlpError {
  double lo = 0, hi = 0;  // the error lies in [lo, hi]
};

UlpError ulp_error(double v, mpfr_srcptr lo, mpfr_srcptr hi, DType dtype, double magnitude_floor = 0);

// The largest finite value of the dtype, widened to double.
double dtype_max_finite(DType dtype);

// |v - x| over x in [lo, hi]: the range of the absolute error, rounded outward (v finite).
UlpError abs_error(double v, mpfr_srcptr lo, mpfr_srcptr hi);

// The real value is undefined or infinite: does v match the strict meaning's value s? NaN matches
// any NaN; infinities by sign; zeros of either sign match each other; otherwise equality.
bool special_match(double v, double s);

// Bit-for-bit equality of two values of the dtype (stored widened to double); any NaN matches any NaN.
bool same_bits(double a, double b);

}  // namespace tl::oracle

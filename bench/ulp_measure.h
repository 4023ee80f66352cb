// The one MPFR measurement the ULP tools share (bench/ulp_survey, bench/ulp_exhaustive): the error,
// in ulps of T at the real value, of a value v that a backend returned for f(x). The real value is
// a 192-bit MPFI enclosure, far narrower than an ulp; the error is oracle::ulp_error's sound upper
// bound. Call it from one thread at a time (the working precision is process-wide).
#pragma once

#include <mpfr.h>

#include <cmath>

#include "checking/ulp.h"
#include "reference/real_fn.h"
#include "reference/rounding.h"
#include "reference/scalar_interval.h"
#include "spec/tensor.h"

namespace tl::bench {

// mid <- the midpoint of the enclosure r (mid initialised by the caller at 192 bits).
inline void enclosure_midpoint(const ref::Interval& r, mpfr_ptr mid) {
  mpfr_add(mid, &r.raw()->left, &r.raw()->right, MPFR_RNDN);
  mpfr_div_2ui(mid, mid, 1, MPFR_RNDN);
}

// NaN when the real value is undefined (a NaN enclosure). When v or the real value is infinite the
// error is 0 if v is the correctly rounded value and +inf otherwise.
template <class T> double mpfr_ulp_error(ref::RealFn f, T x, T v, double param) {
  ref::IntervalPrecision prec(192);
  ref::Interval r = ref::apply(f, ref::Interval::from_double(static_cast<double>(x)), param);
  if (r.has_nan()) return NAN;
  mpfr_t mid;
  mpfr_init2(mid, 192);
  enclosure_midpoint(r, mid);
  double err;
  if (!std::isfinite(v) || mpfr_inf_p(mid)) {
    double cr = ref::round_to_dtype(mid, dtype_of<T>());
    err = (static_cast<double>(v) == cr) ? 0.0 : INFINITY;
  } else {
    err = oracle::ulp_error(v, &r.raw()->left, &r.raw()->right, dtype_of<T>()).hi;
  }
  mpfr_clear(mid);
  return err;
}

// The midpoint of the 192-bit enclosure of f(x) as a long double (NaN when undefined): the exact
// value to about 2^-64 relative, for checking a long double reference.
inline long double mpfr_real_value(ref::RealFn f, double x, double param) {
  ref::IntervalPrecision prec(192);
  ref::Interval r = ref::apply(f, ref::Interval::from_double(x), param);
  if (r.has_nan()) return NAN;
  mpfr_t mid;
  mpfr_init2(mid, 192);
  enclosure_midpoint(r, mid);
  long double value = mpfr_get_ld(mid, MPFR_RNDN);
  mpfr_clear(mid);
  return value;
}

// |w - f(x)| against the 192-bit enclosure's midpoint, as a relative error (relative = true) or an
// absolute one: for a derivative kept in the wider type (fast::unary_derivative_wide). NaN when the
// real value is undefined; a zero real value gives relative error 0 for w = 0 and +inf otherwise.
inline double mpfr_wide_error(ref::RealFn f, double x, long double w, double param, bool relative) {
  ref::IntervalPrecision prec(192);
  ref::Interval r = ref::apply(f, ref::Interval::from_double(x), param);
  if (r.has_nan()) return NAN;
  mpfr_t mid, diff;
  mpfr_inits2(192, mid, diff, static_cast<mpfr_ptr>(nullptr));
  enclosure_midpoint(r, mid);
  mpfr_set_ld(diff, w, MPFR_RNDN);  // exact: 192 bits hold any long double
  mpfr_sub(diff, diff, mid, MPFR_RNDN);
  mpfr_abs(diff, diff, MPFR_RNDN);
  double err;
  if (!relative) err = mpfr_get_d(diff, MPFR_RNDU);
  else if (mpfr_zero_p(mid)) err = mpfr_zero_p(diff) ? 0.0 : INFINITY;
  else {
    mpfr_div(diff, diff, mid, MPFR_RNDU);
    mpfr_abs(diff, diff, MPFR_RNDN);
    err = mpfr_get_d(diff, MPFR_RNDU);
  }
  mpfr_clears(mid, diff, static_cast<mpfr_ptr>(nullptr));
  return err;
}

}  // namespace tl::bench

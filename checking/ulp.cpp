// ULP distance against an MPFR enclosure, with outward rounding.
#include "checking/ulp.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace tl::oracle {
namespace {

constexpr mpfr_prec_t kWork = 320;

int precision_of(DType d) { return d == DType::f32 ? 24 : 53; }
long emin_of(DType d) { return d == DType::f32 ? -125 : -1021; }

// Exponent of ulp at |x| (x finite), with the floor applied: ulp = 2^result.
long ulp_exponent(mpfr_srcptr x, DType d, double floor) {
  long e = mpfr_zero_p(x) ? emin_of(d) : static_cast<long>(mpfr_get_exp(x));
  if (std::isinf(floor)) return std::numeric_limits<long>::max() / 4;  // no finite scale: no claim
  if (floor > 0) {
    int fe = 0;
    std::frexp(floor, &fe);  // floor in [2^(fe-1), 2^fe)
    e = std::max<long>(e, fe);
  }
  return std::max(e, emin_of(d)) - precision_of(d);
}

// Smallest |x| over [lo, hi] (rounded toward zero) and the largest (rounded away from zero): the
// endpoints may carry more bits than the working precision, and the bounds must stay outward.
void magnitude_range(mpfr_srcptr lo, mpfr_srcptr hi, mpfr_ptr small, mpfr_ptr large) {
  if (mpfr_sgn(lo) <= 0 && mpfr_sgn(hi) >= 0) mpfr_set_zero(small, 1);
  else if (mpfr_sgn(lo) > 0) mpfr_set(small, lo, MPFR_RNDZ);
  else mpfr_abs(small, hi, MPFR_RNDZ);
  if (mpfr_cmpabs(lo, hi) > 0) mpfr_abs(large, lo, MPFR_RNDA);
  else mpfr_abs(large, hi, MPFR_RNDA);
}

// How many points of [lo, hi] round to the infinity of v's sign: all, some, or none.
enum class Overflow { all, some, none };
Overflow overflows_to(double v, mpfr_srcptr lo, mpfr_srcptr hi, DType d) {
  mpfr_t threshold;  // (2 - 2^-p) * 2^emax: the smallest magnitude that rounds to infinity
  mpfr_init2(threshold, 64);
  mpfr_set_d(threshold, dtype_max_finite(d), MPFR_RNDN);
  mpfr_t half_ulp;
  mpfr_init2(half_ulp, 64);
  mpfr_set_ui_2exp(half_ulp, 1, (d == DType::f32 ? 128 : 1024) - precision_of(d) - 1, MPFR_RNDN);
  mpfr_add(threshold, threshold, half_ulp, MPFR_RNDN);
  if (v < 0) mpfr_neg(threshold, threshold, MPFR_RNDN);
  mpfr_srcptr near_end = v > 0 ? lo : hi, far_end = v > 0 ? hi : lo;
  auto beyond = [&](mpfr_srcptr x) { return v > 0 ? mpfr_cmp(x, threshold) >= 0 : mpfr_cmp(x, threshold) <= 0; };
  Overflow out = beyond(near_end) ? Overflow::all : (beyond(far_end) ? Overflow::some : Overflow::none);
  mpfr_clears(threshold, half_ulp, static_cast<mpfr_ptr>(nullptr));
  return out;
}

// |x - v| rounded in direction rnd (away from or toward zero for a nonnegative result).
void abs_diff(mpfr_ptr out, mpfr_srcptr x, double v, mpfr_rnd_t rnd) {
  if (mpfr_cmp_d(x, v) >= 0) mpfr_sub_d(out, x, v, rnd);
  else mpfr_d_sub(out, v, x, rnd);
}

}  // namespace

// far = max(|v - lo|, |v - hi|) rounded up; near = the distance from v to [lo, hi] rounded down.
// Working numbers of the distance computations, made once per thread (every judged element needs
// five; allocating them per element dominated the judging of large cases).
struct Scratch {
  mpfr_t small, large, far, near, other;
  Scratch() { mpfr_inits2(kWork, small, large, far, near, other, static_cast<mpfr_ptr>(nullptr)); }
  ~Scratch() { mpfr_clears(small, large, far, near, other, static_cast<mpfr_ptr>(nullptr)); }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
};
thread_local Scratch scratch;

static void distances(double v, mpfr_srcptr lo, mpfr_srcptr hi, mpfr_ptr far, mpfr_ptr near) {
  mpfr_ptr other = scratch.other;
  abs_diff(far, lo, v, MPFR_RNDU);
  abs_diff(other, hi, v, MPFR_RNDU);
  mpfr_max(far, far, other, MPFR_RNDU);
  if (mpfr_cmp_d(lo, v) > 0) abs_diff(near, lo, v, MPFR_RNDD);
  else if (mpfr_cmp_d(hi, v) < 0) abs_diff(near, hi, v, MPFR_RNDD);
  else mpfr_set_zero(near, 1);
}

UlpError ulp_error(double v, mpfr_srcptr lo, mpfr_srcptr hi, DType d, double floor) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  if (std::isnan(v)) return {inf, inf};
  if (std::isinf(v)) {  // right where the real value overflows to it; undecided where only part does
    switch (overflows_to(v, lo, hi, d)) {
      case Overflow::all: return {0, 0};
      case Overflow::some: return {0, inf};
      case Overflow::none: return {inf, inf};
    }
  }
  if (mpfr_inf_p(lo) || mpfr_inf_p(hi)) return {0, inf};  // one-sided enclosure: only a sound range
  mpfr_ptr small = scratch.small, large = scratch.large, far = scratch.far, near = scratch.near;
  magnitude_range(lo, hi, small, large);
  distances(v, lo, hi, far, near);
  // The error at x is |v - x| / ulp(x): at most far / ulp(small), at least near / ulp(large).
  mpfr_mul_2si(far, far, -ulp_exponent(small, d, floor), MPFR_RNDU);
  mpfr_mul_2si(near, near, -ulp_exponent(large, d, floor), MPFR_RNDD);
  return {mpfr_get_d(near, MPFR_RNDD), mpfr_get_d(far, MPFR_RNDU)};
}

double dtype_max_finite(DType d) {
  return d == DType::f32 ? static_cast<double>(std::numeric_limits<float>::max()) : std::numeric_limits<double>::max();
}

UlpError abs_error(double v, mpfr_srcptr lo, mpfr_srcptr hi) {
  if (mpfr_inf_p(lo) || mpfr_inf_p(hi)) return {0, std::numeric_limits<double>::infinity()};
  mpfr_ptr far = scratch.far, near = scratch.near;
  distances(v, lo, hi, far, near);
  return {mpfr_get_d(near, MPFR_RNDD), mpfr_get_d(far, MPFR_RNDU)};
}

bool special_match(double v, double s) {
  if (std::isnan(v) || std::isnan(s)) return std::isnan(v) && std::isnan(s);
  return v == s;
}

bool same_bits(double a, double b) {
  if (std::isnan(a) && std::isnan(b)) return true;
  return std::memcmp(&a, &b, sizeof a) == 0;
}

}  // namespace tl::oracle

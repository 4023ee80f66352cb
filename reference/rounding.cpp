// Correct rounding from MPFR enclosures, with a Ziv loop and an honest "undecided".
#include "reference/rounding.h"

#include <cmath>
#include <cstring>

#include "spec/error.h"

namespace tl::ref {
namespace {

// Bit-level equality, so +0 and -0 differ (an enclosure of 0 spanning both signs is undecided).
bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

double round_to_dtype(const mpfr_t x, DType dtype) {
  switch (dtype) {
    case DType::f32: return static_cast<double>(mpfr_get_flt(x, MPFR_RNDN));
    case DType::f64: return mpfr_get_d(x, MPFR_RNDN);
  }
  throw_internal("bad DType value");
}

Rounding round_enclosure(const mpfr_t lo, const mpfr_t hi, DType dtype) {
  TL_CHECK_INTERNAL(!mpfr_nan_p(lo) && !mpfr_nan_p(hi) && mpfr_lessequal_p(lo, hi),
                    "round_enclosure needs lo <= hi");
  double a = round_to_dtype(lo, dtype);
  double b = round_to_dtype(hi, dtype);
  Rounding r;
  r.precision = std::max(mpfr_get_prec(lo), mpfr_get_prec(hi));
  if (mpfr_zero_p(lo) && mpfr_zero_p(hi)) {  // the exact real 0 (MPFI writes it [+0, -0])
    r.decided = true;
    r.value = 0.0;
    return r;
  }
  r.decided = same_bits(a, b);
  r.value = a;
  return r;
}

Rounding round_correctly(const Encloser& enclose, DType dtype, mpfr_prec_t start, mpfr_prec_t cap) {
  TL_CHECK_INTERNAL(start >= MPFR_PREC_MIN && start <= cap, "bad Ziv precision range");
  Rounding last;
  for (mpfr_prec_t prec = start;; prec = std::min(prec * 2, cap)) {
    mpfr_t lo, hi;
    mpfr_init2(lo, prec);
    mpfr_init2(hi, prec);
    enclose(prec, lo, hi);
    last = round_enclosure(lo, hi, dtype);
    last.precision = prec;
    mpfr_clear(lo);
    mpfr_clear(hi);
    if (last.decided || prec == cap) return last;
  }
}

}  // namespace tl::ref

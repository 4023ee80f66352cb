// Correct rounding with honesty (DESIGN §1, issue 3 item 3).
//
// The real value of an op is known only through enclosures [lo, hi] (MPFR numbers, lo <= hi). Its
// correctly rounded float32/float64 value (round to nearest, ties to even) is decided when both
// endpoints round to the same float — one direct rounding from the MPFR value, so there is no double
// rounding through an intermediate precision, and subnormals round at their own (reduced) precision.
// Ziv's strategy raises the working precision until the rounding is decided; if a cap is reached
// first the result says "undecided" — a distinct outcome, never a guess.
#pragma once

#include <functional>
#include <mpfr.h>

#include "spec/dtype.h"

namespace tl::ref {

// The float that `x` rounds to (nearest, ties to even), widened to double (exact for both dtypes).
double round_to_dtype(const mpfr_t x, DType dtype);

struct Rounding {
  bool decided = false;
  double value = 0.0;        // the correctly rounded value (meaningful when decided)
  mpfr_prec_t precision = 0; // the working precision that decided it, or the cap
};

// Rounds an enclosure if it is decided at this precision. An enclosure of exactly 0 (either zero
// sign on either end) rounds to +0: the reals have no signed zero. One that straddles 0 with
// nonzero width is undecided when its ends round to zeros of different signs.
Rounding round_enclosure(const mpfr_t lo, const mpfr_t hi, DType dtype);

// Calls enclose(precision, lo, hi) with precision = start, 2·start, ... up to cap; `enclose` must set
// lo <= exact <= hi (lo and hi are initialised at `precision` bits). Returns the first decided
// rounding, or {decided = false, precision = cap}.
using Encloser = std::function<void(mpfr_prec_t precision, mpfr_t lo, mpfr_t hi)>;
Rounding round_correctly(const Encloser& enclose, DType dtype, mpfr_prec_t start = 64,
                         mpfr_prec_t cap = 4096);

}  // namespace tl::ref

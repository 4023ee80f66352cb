// The external toolchain the reference and the property suites stand on, exercised once so a broken
// install fails here rather than deep inside a later suite: MPFR (correct rounding), MPFI
// (enclosures), GMP rationals through Boost.Multiprecision, RapidCheck through rapidcheck_gtest.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <boost/multiprecision/gmp.hpp>
#include <cmath>
#include <cstdio>
#include <mpfi.h>
#include <mpfr.h>

namespace {

using Rational = boost::multiprecision::mpq_rational;

TEST(Dependencies, ExtremeFloatSumNeedsMoreThanDoublePrecision) {
  // 2^127 + 2^-149 is exact in rationals but not in double: the reason exact scalars exist.
  Rational exact = Rational(0x1p127f) + Rational(0x1p-149f);
  EXPECT_NE(exact, Rational(0x1p127 + 0x1p-149));
}

TEST(Dependencies, MpfrRoundsOneThirdCorrectlyToFloat32) {
  mpfr_t x;
  mpfr_init2(x, 24);
  mpfr_set_ui(x, 1, MPFR_RNDN);
  mpfr_div_ui(x, x, 3, MPFR_RNDN);
  EXPECT_EQ(mpfr_get_flt(x, MPFR_RNDN), 1.0f / 3.0f);  // IEEE division is correctly rounded too
  mpfr_clear(x);
}

TEST(Dependencies, MpfiEnclosesTanhOfOneHalf) {
  mpfi_t x;
  mpfi_init2(x, 128);
  mpfi_set_d(x, 0.5);
  mpfi_tanh(x, x);
  double lo = mpfr_get_d(&x->left, MPFR_RNDD);
  double hi = mpfr_get_d(&x->right, MPFR_RNDU);
  EXPECT_LE(lo, std::tanh(0.5) + 1e-16);
  EXPECT_GE(hi, std::tanh(0.5) - 1e-16);
  EXPECT_LT(hi - lo, 1e-15);
  mpfi_clear(x);
}

RC_GTEST_PROP(Dependencies, GmpRationalAndMpfrAgreeOnExactSumsOfFloats, (float a, float b)) {
  RC_PRE(std::isfinite(a) && std::isfinite(b));
  // A sum of two floats spans at most 2^128 down to 2^-149 (278 bits): exact in 300-bit MPFR.
  mpfr_t x;
  mpfr_init2(x, 300);
  RC_ASSERT(mpfr_set_flt(x, a, MPFR_RNDN) == 0);
  RC_ASSERT(mpfr_add_d(x, x, static_cast<double>(b), MPFR_RNDN) == 0);  // 0 = exact
  mpq_t q;
  mpq_init(q);
  mpfr_get_q(q, x);
  Rational from_mpfr(q);
  mpq_clear(q);
  mpfr_clear(x);
  RC_ASSERT(Rational(a) + Rational(b) == from_mpfr);
}

}  // namespace

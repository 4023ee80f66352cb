// Correct rounding from enclosures, checked against an independent oracle: the nearest float to an
// exact GMP rational, found by exact rational comparisons with the float's neighbours (ties to even).
#include <gtest/gtest.h>

#include <boost/multiprecision/gmp.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "reference/rounding.h"
#include "spec/splitmix.h"

namespace tl::ref {
namespace {

using Rational = boost::multiprecision::mpq_rational;

// Nearest float32 to q (|q| below FLT_MAX), ties to the even significand.
float nearest_float(const Rational& q) {
  float guess = static_cast<float>(q.convert_to<double>());
  float best = guess;
  for (float c : {std::nextafter(guess, -INFINITY), guess, std::nextafter(guess, INFINITY)}) {
    Rational dc = abs(Rational(c) - q);
    Rational db = abs(Rational(best) - q);
    if (dc < db) best = c;
    if (dc == db && c != best) {
      uint32_t bits;
      std::memcpy(&bits, &c, 4);
      if ((bits & 1u) == 0) best = c;
    }
  }
  return best;
}

Encloser enclose_rational(const Rational& q) {
  return [q](mpfr_prec_t, mpfr_t lo, mpfr_t hi) {
    mpfr_set_q(lo, q.backend().data(), MPFR_RNDD);
    mpfr_set_q(hi, q.backend().data(), MPFR_RNDU);
  };
}

uint64_t seed() {
  const char* env = std::getenv("TL_SEED");
  return env ? std::strtoull(env, nullptr, 10) : 20261125;
}

TEST(CorrectRounding, RandomRationalsRoundLikeTheExactNearestFloat) {
  uint64_t s = seed();
  std::printf("seed=%llu (replay: TL_SEED=%llu)\n", (unsigned long long)s, (unsigned long long)s);
  SplitMix64 rng(s);
  for (int i = 0; i < 20000; ++i) {
    Rational q(static_cast<int64_t>(rng.next() >> 1), static_cast<int64_t>((rng.next() >> 1) | 1));
    int shift = static_cast<int>(rng.below(280)) - 160;  // reaches subnormals and near FLT_MAX / 2^3
    if (shift >= 0) q *= Rational(boost::multiprecision::mpz_int(1) << shift);
    else q /= Rational(boost::multiprecision::mpz_int(1) << -shift);
    if (q > Rational(0x1p120)) continue;
    if (rng.below(2)) q = -q;
    Rounding r = round_correctly(enclose_rational(q), DType::f32);
    ASSERT_TRUE(r.decided) << "seed " << s << " case " << i;
    ASSERT_EQ(static_cast<float>(r.value), nearest_float(q)) << "seed " << s << " case " << i;
  }
}

TEST(CorrectRounding, AvoidsDoubleRoundingInTheSubnormalRange) {
  // 2^-150 + 2^-220 lies just above the midpoint between 0 and 2^-149: it rounds up to 2^-149.
  // Rounding through double first would land on the midpoint 2^-150 and then tie to +0.
  Rational q = Rational(0x1p-150) + Rational(boost::multiprecision::mpz_int(1),
                                             boost::multiprecision::mpz_int(1) << 220);
  ASSERT_EQ(static_cast<float>(q.convert_to<double>()), 0.0f);  // the wrong, double-rounded answer
  Rounding r = round_correctly(enclose_rational(q), DType::f32);
  EXPECT_TRUE(r.decided);
  EXPECT_EQ(r.value, 0x1p-149);
}

TEST(CorrectRounding, ExactTiesGoToEven) {
  EXPECT_EQ(round_correctly(enclose_rational(Rational(1) + Rational(0x1p-24)), DType::f32).value, 1.0);
  EXPECT_EQ(round_correctly(enclose_rational(Rational(0x1p-150)), DType::f32).value, 0.0);
  EXPECT_EQ(round_correctly(enclose_rational(Rational(3 * 0x1p-150)), DType::f32).value, 0x1p-148);
  EXPECT_EQ(round_correctly(enclose_rational(Rational(1) + Rational(0x1p-53)), DType::f64).value, 1.0);
}

TEST(CorrectRounding, AnEnclosureThatNeverExcludesAMidpointIsUndecidedAtTheCap) {
  // The enclosure always straddles 1 + 2^-24, the midpoint between 1 and its float32 successor.
  int calls = 0;
  Encloser straddle = [&](mpfr_prec_t prec, mpfr_t lo, mpfr_t hi) {
    ++calls;
    mpfr_set_d(lo, 1.0 + 0x1p-24, MPFR_RNDN);
    mpfr_set(hi, lo, MPFR_RNDN);
    mpfr_nextbelow(lo);
    mpfr_nextabove(hi);
    (void)prec;
  };
  Rounding r = round_correctly(straddle, DType::f32, 64, 1024);
  EXPECT_FALSE(r.decided);
  EXPECT_EQ(r.precision, 1024);
  EXPECT_EQ(calls, 5);  // 64, 128, 256, 512, 1024
}

TEST(CorrectRounding, TinyEnclosureStraddlingZeroIsUndecidedButExactZeroIsPlusZero) {
  mpfr_t lo, hi;
  mpfr_init2(lo, 64);
  mpfr_init2(hi, 64);
  mpfr_set_d(lo, -1e-300, MPFR_RNDN);  // [-1e-300 * 2^-800, +...]: both ends round to zeros
  mpfr_mul_2si(lo, lo, -800, MPFR_RNDN);
  mpfr_neg(hi, lo, MPFR_RNDN);
  EXPECT_FALSE(round_enclosure(lo, hi, DType::f64).decided);
  mpfr_set_zero(lo, +1);  // MPFI's [+0, -0]
  mpfr_set_zero(hi, -1);
  Rounding zero = round_enclosure(lo, hi, DType::f32);
  EXPECT_TRUE(zero.decided);
  EXPECT_FALSE(std::signbit(zero.value));
  mpfr_clears(lo, hi, static_cast<mpfr_ptr>(nullptr));
}

TEST(CorrectRounding, ValuesBeyondTheLargestFloatRoundToInfinity) {
  Rational big = Rational(0x1.fffffep127) + Rational(0x1p103);  // max + half an ulp: ties up to inf
  EXPECT_EQ(round_correctly(enclose_rational(big), DType::f32).value, INFINITY);
  Rational below = Rational(0x1.fffffep127) + Rational(0x1p102);
  EXPECT_EQ(round_correctly(enclose_rational(below), DType::f32).value, 0x1.fffffep127);
}

}  // namespace
}  // namespace tl::ref

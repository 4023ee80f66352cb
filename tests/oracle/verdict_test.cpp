// Contract evaluation per element (checking/verdict.h): every kind passes, FAILs or stays undecided
// where it should, on enclosures built by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "checking/verdict.h"

namespace tl::oracle {
namespace {

struct Enclosure {
  mpfr_t lo, hi;
  Enclosure(double a, double b) {
    mpfr_inits2(200, lo, hi, static_cast<mpfr_ptr>(nullptr));
    mpfr_set_d(lo, a, MPFR_RNDN);
    mpfr_set_d(hi, b, MPFR_RNDN);
  }
  explicit Enclosure(double a) : Enclosure(a, a) {}
  ~Enclosure() { mpfr_clears(lo, hi, static_cast<mpfr_ptr>(nullptr)); }
  ElementTruth truth(std::optional<double> strict = std::nullopt) const { return {lo, hi, strict, std::nullopt, 1, 0}; }
};

Contract kind(ContractKind k, double ulps = 0) {
  Contract c;
  c.kind = k;
  c.ulps = ulps;
  return c;
}

Verdict verdict(const Contract& c, DType d, double v, const ElementTruth& t) { return check_element(c, d, v, t).verdict; }

TEST(ContractCheck, CorrectlyRoundedPassesOnlyTheNearestFloat) {
  Enclosure third(0.0);  // [1/3 - 2^-100, 1/3 + 2^-100] at 200 bits: rounds to float(1/3) either way
  mpfr_set_ui(third.lo, 1, MPFR_RNDN);
  mpfr_div_ui(third.lo, third.lo, 3, MPFR_RNDD);
  mpfr_set(third.hi, third.lo, MPFR_RNDN);
  mpfr_sub_d(third.lo, third.lo, 0x1p-100, MPFR_RNDD);
  mpfr_add_d(third.hi, third.hi, 0x1p-100, MPFR_RNDU);
  ASSERT_LT(mpfr_cmp(third.lo, third.hi), 0);
  float nearest = 1.0f / 3.0f;
  EXPECT_EQ(verdict(kind(ContractKind::correctly_rounded), DType::f32, nearest, third.truth()), Verdict::pass);
  EXPECT_EQ(verdict(kind(ContractKind::correctly_rounded), DType::f32, std::nextafter(nearest, 1.0f), third.truth()),
            Verdict::fail);
}

TEST(ContractCheck, EnclosureAcrossARoundingTieIsUndecided) {
  Enclosure tie(1.0 + 0x1p-24);  // then widened at 200 bits to straddle the tie 1 + 2^-24
  mpfr_sub_d(tie.lo, tie.lo, 0x1p-60, MPFR_RNDD);
  mpfr_add_d(tie.hi, tie.hi, 0x1p-60, MPFR_RNDU);
  EXPECT_EQ(verdict(kind(ContractKind::correctly_rounded), DType::f32, 1.0, tie.truth()), Verdict::undecided);
}

TEST(ContractCheck, StrictComparesBitsAndSignedZeros) {
  Enclosure zero(0.0);
  EXPECT_EQ(verdict(kind(ContractKind::strict), DType::f64, -0.0, zero.truth(-0.0)), Verdict::pass);
  EXPECT_EQ(verdict(kind(ContractKind::strict), DType::f64, 0.0, zero.truth(-0.0)), Verdict::fail);
  EXPECT_EQ(verdict(kind(ContractKind::strict), DType::f64, 0.0, zero.truth()), Verdict::undecided);
}

TEST(ContractCheck, UlpBudgetIsInclusive) {
  Enclosure one(1.0);
  EXPECT_EQ(verdict(kind(ContractKind::ulp, 2), DType::f32, 1.0 + 2 * 0x1p-23, one.truth()), Verdict::pass);
  EXPECT_EQ(verdict(kind(ContractKind::ulp, 2), DType::f32, 1.0 + 3 * 0x1p-23, one.truth()), Verdict::fail);
}

TEST(ContractCheck, PerTermBudgetGrowsWithTheReductionLength) {
  Contract c = kind(ContractKind::derived, 1);
  c.ulps_per_term = 0.5;
  Enclosure one(1.0);
  ElementTruth t = one.truth();
  t.terms = 4;  // budget 1 + 0.5 * 4 = 3 ulps
  EXPECT_EQ(verdict(c, DType::f32, 1.0 + 3 * 0x1p-23, t), Verdict::pass);
  EXPECT_EQ(verdict(c, DType::f32, 1.0 + 4 * 0x1p-23, t), Verdict::fail);
}

TEST(ContractCheck, SumBoundUsesGammaNTimesTheAbsoluteCondition) {
  Contract c = kind(ContractKind::sum_bound);
  Enclosure zero(0.0);  // e.g. 1 + (-1): the real sum is 0, sum |x| = 2
  ElementTruth t = zero.truth();
  t.condition = 2.0;
  t.terms = 2;  // gamma_2 * 2 = about 2^-22 in float32
  EXPECT_EQ(verdict(c, DType::f32, 0x1p-23, t), Verdict::pass);
  EXPECT_EQ(verdict(c, DType::f32, 0x1p-21, t), Verdict::fail);
}

TEST(ContractCheck, NanFromTheStrictMeaningIsJudgedAsASpecialValue) {
  Enclosure zero(0.0);  // 0 * inf: MPFI says 0, IEEE says NaN
  EXPECT_EQ(verdict(kind(ContractKind::correctly_rounded), DType::f64, NAN, zero.truth(NAN)), Verdict::pass);
  EXPECT_EQ(verdict(kind(ContractKind::correctly_rounded), DType::f64, 0.0, zero.truth(NAN)), Verdict::fail);
}

TEST(ContractCheck, NanFromAnOverflowedStrictIntermediateLeavesTheRealValueToJudge) {
  Enclosure zero(0.0);  // finite inputs: g = 0 times rsqrt'(tiny x), which overflows in the strict order
  ElementTruth t = zero.truth(NAN);
  t.finite_inputs = true;
  EXPECT_EQ(verdict(kind(ContractKind::ulp), DType::f64, 0.0, t), Verdict::pass);
  EXPECT_EQ(verdict(kind(ContractKind::ulp), DType::f64, NAN, t), Verdict::pass);
  EXPECT_EQ(verdict(kind(ContractKind::ulp), DType::f64, 1.0, t), Verdict::fail);
  EXPECT_EQ(verdict(kind(ContractKind::strict), DType::f64, 0.0, t), Verdict::fail);
}

TEST(ContractCheck, SumBoundClaimsNoSpecialValueWhereFiniteTermsMayOverflow) {
  Enclosure inf_real(INFINITY);  // [-max, inf, -max]: inf as a left fold, NaN in a tree
  ElementTruth t = inf_real.truth(INFINITY);
  t.terms = 3;
  t.condition = 2 * 0x1.fffffffffffffp+1023 / 4;  // |finite terms| sum to about max: partials may overflow
  EXPECT_EQ(verdict(kind(ContractKind::sum_bound), DType::f64, NAN, t), Verdict::skipped);
  t.condition = 2.0;  // [1, inf, 1]: no partial of the finite terms overflows, so any order gives inf
  EXPECT_EQ(verdict(kind(ContractKind::sum_bound), DType::f64, NAN, t), Verdict::fail);
  EXPECT_EQ(verdict(kind(ContractKind::sum_bound), DType::f64, INFINITY, t), Verdict::pass);
}

TEST(ContractCheck, GammaNMatchesTheFormula) {
  EXPECT_GE(gamma_n(10, DType::f32), 10 * 0x1p-24 / (1 - 10 * 0x1p-24));
  EXPECT_LE(gamma_n(10, DType::f32), 10 * 0x1p-24 / (1 - 10 * 0x1p-24) * (1 + 1e-15));
  EXPECT_TRUE(std::isinf(gamma_n(int64_t{1} << 24, DType::f32)));
}

TEST(ContractCheck, VerdictsCombineFailOverUndecidedOverPass) {
  EXPECT_EQ(combine(Verdict::pass, Verdict::fail), Verdict::fail);
  EXPECT_EQ(combine(Verdict::undecided, Verdict::pass), Verdict::undecided);
  EXPECT_EQ(combine(Verdict::skipped, Verdict::pass), Verdict::pass);
}

}  // namespace
}  // namespace tl::oracle

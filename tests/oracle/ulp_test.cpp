// ULP distance rules (checking/ulp.h) on values whose distances are known by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "checking/ulp.h"

namespace tl::oracle {
namespace {

// An exact point enclosure [x, x] at 200 bits.
struct Point {
  mpfr_t v;
  explicit Point(double x) { mpfr_init2(v, 200); mpfr_set_d(v, x, MPFR_RNDN); }
  Point(double x, double plus) : Point(x) { mpfr_add_d(v, v, plus, MPFR_RNDN); }
  ~Point() { mpfr_clear(v); }
};

double err(double v, const Point& real, DType d, double floor = 0) {
  UlpError e = ulp_error(v, real.v, real.v, d, floor);
  EXPECT_EQ(e.lo, e.hi) << "a point enclosure gives one number";
  return e.hi;
}

TEST(UlpDistance, OneStepAboveOneIsOneUlpInFloat32) {
  EXPECT_EQ(err(1.0 + 0x1p-23, Point(1.0), DType::f32), 1.0);
}

TEST(UlpDistance, MidpointIsHalfAnUlp) {
  EXPECT_EQ(err(1.0, Point(1.0, 0x1p-24), DType::f32), 0.5);
  EXPECT_EQ(err(1.0, Point(1.0, 0x1p-53), DType::f64), 0.5);
}

TEST(UlpDistance, UlpIsMeasuredAtTheRealValueNotTheBackendValue) {
  // real 2 - 2^-23 (ulp 2^-23), backend 2: 1 ulp; real 2 (ulp 2^-22), backend 2 - 2^-23: half an ulp.
  EXPECT_EQ(err(2.0, Point(2.0 - 0x1p-23), DType::f32), 1.0);
  EXPECT_EQ(err(2.0 - 0x1p-23, Point(2.0), DType::f32), 0.5);
}

TEST(UlpDistance, SubnormalsUseTheSubnormalSpacing) {
  EXPECT_EQ(err(3 * 0x1p-149, Point(0x1p-149), DType::f32), 2.0);
  EXPECT_EQ(err(0.0, Point(0x1p-1074), DType::f64), 1.0);
}

TEST(UlpDistance, SignedZerosAreTheSameReal) {
  EXPECT_EQ(err(-0.0, Point(0.0), DType::f32), 0.0);
  EXPECT_EQ(err(0.0, Point(-0.0), DType::f64), 0.0);
}

TEST(UlpDistance, NanIsInfinitelyFar) {
  EXPECT_TRUE(std::isinf(err(NAN, Point(1.0), DType::f32)));
}

TEST(UlpDistance, InfinityIsRightOnlyBeyondTheOverflowThreshold) {
  double max = std::numeric_limits<float>::max();
  // (2 - 2^-24) * 2^127 is the tie between max and infinity: it rounds to infinity (even).
  EXPECT_EQ(err(INFINITY, Point(max, 0x1p103), DType::f32), 0.0);
  EXPECT_TRUE(std::isinf(err(INFINITY, Point(max), DType::f32)));
  EXPECT_TRUE(std::isinf(err(-INFINITY, Point(max, 0x1p103), DType::f32)));
}

TEST(UlpDistance, MagnitudeFloorMeasuresSmallValuesInUlpsOfTheFloor) {
  // real 2^-10, backend 2^-10 + 2^-20: 2^13 ulps at the real value, 2^-20 / 2^-23 = 8 at floor 1.
  EXPECT_EQ(err(0x1p-10 + 0x1p-20, Point(0x1p-10), DType::f32), 0x1p13);
  EXPECT_EQ(err(0x1p-10 + 0x1p-20, Point(0x1p-10), DType::f32, 1.0), 8.0);
}

TEST(UlpDistance, WideEnclosuresGiveASoundRange) {
  Point lo(1.0), hi(1.0, 0x1p-23);  // [1, 1 + 2^-23]
  UlpError e = ulp_error(1.0, lo.v, hi.v, DType::f32);
  EXPECT_EQ(e.lo, 0.0);  // 1 is in the enclosure
  EXPECT_EQ(e.hi, 1.0);
  UlpError beyond = ulp_error(1.0 + 0x1p-21, lo.v, hi.v, DType::f32);
  EXPECT_EQ(beyond.lo, 3.0);
  EXPECT_EQ(beyond.hi, 4.0);
}

TEST(UlpDistance, AbsoluteErrorRange) {
  Point lo(1.0), hi(1.5);
  UlpError e = abs_error(2.0, lo.v, hi.v);
  EXPECT_EQ(e.lo, 0.5);
  EXPECT_EQ(e.hi, 1.0);
}

TEST(SpecialMatch, NanMatchesAnyNanAndZerosMatchEachOther) {
  EXPECT_TRUE(special_match(NAN, -NAN));
  EXPECT_TRUE(special_match(-0.0, 0.0));
  EXPECT_FALSE(special_match(INFINITY, -INFINITY));
  EXPECT_FALSE(same_bits(-0.0, 0.0));
  EXPECT_TRUE(same_bits(NAN, NAN));
}

}  // namespace
}  // namespace tl::oracle

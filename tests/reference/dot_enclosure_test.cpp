// The fast dot-product enclosures (reference/dot_enclosure.h) against MPFI's exact sums: every
// enclosure contains the exact dot product and is narrow, on random, cancelling, wide-range, float32
// and float64 data; the fast path declines products near underflow and non-finite terms; the strided
// many-dots form fills each output from the right rows and columns.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "../common/seed.h"
#include "reference/dot_enclosure.h"
#include "spec/splitmix.h"

namespace tl::ref {
namespace {

Interval exact_dot(const std::vector<double>& a, const std::vector<double>& b) {
  IntervalPrecision guard(4096);  // every sum of these products is exact at 4096 bits
  IntervalDot dot;
  for (std::size_t k = 0; k < a.size(); ++k) dot.add(Interval::from_double(a[k]), Interval::from_double(b[k]));
  return dot.result();
}

// The enclosure's width, rounded up (endpoints as doubles would add their own ulps).
double width(const Interval& x) {
  mpfr_t w;
  mpfr_init2(w, 4096);
  mpfr_sub(w, &x.raw()->right, &x.raw()->left, MPFR_RNDU);
  double out = mpfr_get_d(w, MPFR_RNDU);
  mpfr_clear(w);
  return out;
}

bool inside(const Interval& x, const Interval& box) {
  return mpfr_cmp(&box.raw()->left, &x.raw()->left) <= 0 && mpfr_cmp(&x.raw()->right, &box.raw()->right) <= 0;
}

// One of five shapes of data: uniform, float32 values, wide exponents, cancelling pairs, tiny-but-safe.
double draw(SplitMix64& rng, int kind, std::size_t k, const std::vector<double>& so_far) {
  double u = rng.uniform() * 2 - 1;
  switch (kind) {
    case 0: return u;
    case 1: return static_cast<double>(static_cast<float>(u * 8));
    case 2: return std::ldexp(u, static_cast<int>(rng.below(400)) - 200);
    case 3: return k % 2 ? -so_far[k - 1] * (1 + std::ldexp(u, -40)) : u;
    default: return std::ldexp(u, -480);
  }
}

TEST(DotEnclosure, ContainsTheExactDotAndIsNarrow) {
  const uint64_t seed = testing::test_seed();
  SplitMix64 rng(seed);
  int declined = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const int kind = trial % 5;
    const std::size_t n = trial % 7 == 0 ? static_cast<std::size_t>(trial % 3) : 1 + rng.below(600);
    std::vector<double> a, b;
    for (std::size_t k = 0; k < n; ++k) {
      a.push_back(draw(rng, kind, k, a));
      b.push_back(kind == 3 ? 1.0 + std::ldexp(rng.uniform(), -30) * (k % 2) : draw(rng, kind == 3 ? 0 : kind, k, b));
    }
    std::optional<Interval> fast = enclose_dot(a.data(), b.data(), static_cast<int64_t>(n));
    if (!fast) { ++declined; continue; }
    Interval exact = exact_dot(a, b);
    ASSERT_TRUE(inside(exact, *fast)) << "seed " << seed << " trial " << trial << ": " << exact.str(30) << " not in " << fast->str(30);
    double magnitude = 0;
    for (std::size_t k = 0; k < n; ++k) magnitude += std::fabs(a[k] * b[k]);
    EXPECT_LE(width(*fast), std::ldexp(magnitude, -80) + 0x1p-1074) << "seed " << seed << " trial " << trial;
  }
  EXPECT_LT(declined, 400 / 5 + 10) << "only products near underflow (kind 4) should be declined";
}

TEST(DotEnclosure, DeclinesProductsNearUnderflowAndNonFiniteTerms) {
  const double tiny = 0x1p-600, inf = INFINITY;
  const double a1[] = {1, tiny}, b1[] = {1, tiny};
  EXPECT_FALSE(enclose_dot(a1, b1, 2).has_value()) << "2^-1200 underflows: fma's error is not exact";
  const double a2[] = {1, inf}, b2[] = {1, 1};
  EXPECT_FALSE(enclose_dot(a2, b2, 2).has_value());
  const double a3[] = {0, 3}, b3[] = {tiny, 2};
  ASSERT_TRUE(enclose_dot(a3, b3, 2).has_value()) << "an exact zero term is no underflow";
  EXPECT_EQ(enclose_dot(a3, b3, 2)->lower(), 6);
}

TEST(DotEnclosure, ManyDotsReadTheirRowsAndColumnsThroughTheStrides) {
  // y(i, j) = Σ_k A(i, k) B(j, k) with A = a 2x3 row-major matrix and B(j, k) = b[k * 2 + j] (b: 3x2).
  const double a[] = {1, 2, 3, 4, 5, 6}, b[] = {1, 0, 0, 1, 1, 1};
  std::vector<Interval> y(4);
  enclose_dots({a, 3, 1}, {b, 1, 2}, 2, 2, 3, y, 0, 2, 1);
  const double expected[] = {1 + 3, 2 + 3, 4 + 6, 5 + 6};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(y[static_cast<std::size_t>(i)].lower(), expected[i]) << i;
    EXPECT_EQ(y[static_cast<std::size_t>(i)].upper(), expected[i]) << i;
  }
}

// A contraction large enough for two threads (m·p·n >= 2^22) and a row count that is no multiple of
// four: every output equals the single-dot enclosure of its row and column, and the strict chains
// equal a plain fma loop over k.
TEST(DotEnclosure, LargeContractionsOnTwoThreadsGiveEachOutputItsOwnDot) {
  const uint64_t seed = testing::test_seed();
  SplitMix64 rng(seed);
  const int64_t m = 128, p = 130, n = 256;
  std::vector<double> a(static_cast<std::size_t>(m * n)), b(static_cast<std::size_t>(p * n));
  for (double& x : a) x = static_cast<double>(static_cast<float>(rng.uniform() * 2 - 1));
  for (double& x : b) x = static_cast<double>(static_cast<float>(rng.uniform() * 2 - 1));
  std::vector<Interval> y(static_cast<std::size_t>(m * p));
  enclose_dots({a.data(), n, 1}, {b.data(), n, 1}, m, p, n, y, 0, p, 1);
  std::vector<float> af(a.begin(), a.end()), bf(b.begin(), b.end()), strict(static_cast<std::size_t>(m * p));
  strict_dots<float>(af.data(), n, 1, bf.data(), n, 1, m, p, n, strict.data(), p, 1);
  for (int64_t i = 0; i < m; i += 9) {
    for (int64_t j = 0; j < p; ++j) {
      std::optional<Interval> one = enclose_dot(a.data() + i * n, b.data() + j * n, n);
      ASSERT_TRUE(one.has_value());
      const Interval& got = y[static_cast<std::size_t>(i * p + j)];
      EXPECT_TRUE(mpfr_equal_p(&got.raw()->left, &one->raw()->left) && mpfr_equal_p(&got.raw()->right, &one->raw()->right))
          << "seed " << seed << " output (" << i << ", " << j << ")";
      EXPECT_TRUE(inside(exact_dot({a.begin() + i * n, a.begin() + (i + 1) * n}, {b.begin() + j * n, b.begin() + (j + 1) * n}), got))
          << "seed " << seed << " output (" << i << ", " << j << ")";
      float chain = 0;
      for (int64_t k = 0; k < n; ++k) chain = std::fma(af[static_cast<std::size_t>(i * n + k)], bf[static_cast<std::size_t>(j * n + k)], chain);
      EXPECT_EQ(strict[static_cast<std::size_t>(i * p + j)], chain) << "seed " << seed << " output (" << i << ", " << j << ")";
    }
  }
}

}  // namespace
}  // namespace tl::ref

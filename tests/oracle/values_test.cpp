// The value generators (cases/values.h), the regime edges (cases/regimes.h) and the run's seeds:
// each structured generator has the structure it promises on real cases, each edge checked here is
// where the function's rounded result changes regime (evaluated with libm in long double, not with
// any backend), and two run seeds share no case or graph seed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "cases/op_cases.h"
#include "cases/regimes.h"

namespace tl::oracle {
namespace {

OpExample example_of(std::vector<Shape> inputs, Shape expected, Attrs attrs = NoAttrs{}) {
  return {std::move(inputs), std::move(attrs), Shape{}, std::move(expected)};
}

std::vector<double> values_of(const HostTensor& t) {
  std::vector<double> v;
  for (int64_t i = 0; i < t.numel(); ++i) v.push_back(t.value_as_double(i));
  return v;
}

TEST(Seeds, TwoRunSeedsShareNoCaseOrGraphSeed) {
  std::set<uint64_t> seen;
  std::size_t drawn = 0;
  std::vector<uint64_t> runs = {20261125};
  for (uint64_t run = 0; run < 16; ++run) runs.push_back(run);  // small seeds equal the stream numbers
  for (uint64_t run : runs) {
    for (const OpInfo& info : kOpInfo)
      for (DType d : {DType::f32, DType::f64})
        for (int64_t i = 0; i < 64; ++i, ++drawn) seen.insert(case_seed(run, info.id, d, i));
    for (int64_t i = 0; i < 64; ++i, drawn += 3) {
      seen.insert(random_graph_seed(run, DType::f32, i));
      seen.insert(random_graph_seed(run, DType::f64, i));
      seen.insert(graph_file_seed(run, i));
    }
  }
  EXPECT_EQ(seen.size(), drawn) << "a case or graph seed repeats within or across run seeds";
}

TEST(Seeds, NeighbouringRunSeedsDrawDifferentCases) {  // seed ^ index made seed 1's case 0 seed 0's case 1
  SplitMix64 a(case_seed(1, OpId::add, DType::f32, 0)), b(case_seed(0, OpId::add, DType::f32, 1));
  EXPECT_NE(a.next(), b.next());
}

TEST(Values, OffsetTensorsHaveOneSignAndASpreadFarBelowTheirOffset) {
  for (uint64_t seed = 0; seed < 200; ++seed) {
    SplitMix64 rng(seed);
    OpCase c = make_op_case(OpId::add, seed % 2 ? DType::f32 : DType::f64, rng, ValueKind::offset,
                            example_of({Shape{8, 5}, Shape{8, 5}}, Shape{8, 5}));
    for (const auto& [name, t] : c.inputs) {
      std::vector<double> v = values_of(t);
      auto [lo, hi] = std::minmax_element(v.begin(), v.end());
      EXPECT_TRUE(*lo > 0 || *hi < 0) << "seed " << seed << " " << name << ": both signs";
      // offset ± offset/4 at the widest spread: max − min < offset/2 < 2/3 of the smallest magnitude
      EXPECT_LE(3 * (*hi - *lo), 2 * std::fabs(*lo)) << "seed " << seed << " " << name;
    }
  }
}

TEST(Values, RepeatsDrawAllInputsOfACaseFromOnePoolOfAtMostThreeValues) {
  std::size_t ties = 0;
  for (uint64_t seed = 0; seed < 100; ++seed) {
    SplitMix64 rng(seed);
    OpCase c = make_op_case(OpId::maximum, DType::f32, rng, ValueKind::repeats, example_of({Shape{6}, Shape{6}}, Shape{6}));
    std::set<double> distinct;
    for (const auto& [name, t] : c.inputs)
      for (double x : values_of(t)) distinct.insert(x);
    EXPECT_LE(distinct.size(), 3u) << "seed " << seed;
    const HostTensor &a = c.inputs.at("p0"), &b = c.inputs.at("p1");
    for (int64_t i = 0; i < 6; ++i) ties += a.value_as_double(i) == b.value_as_double(i);
  }
  EXPECT_GT(ties, 100u * 6 / 3) << "maximum(a, b) should meet a == b often";
}

TEST(Values, CancelPairsMakeSumsFarSmallerThanTheirMagnitudesAlongEitherAxis) {
  int along_rows = 0, along_columns = 0;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    SplitMix64 rng(seed);
    OpCase c = make_op_case(OpId::sum, DType::f64, rng, ValueKind::cancel, example_of({Shape{4, 6}}, Shape{}));
    std::vector<double> v = values_of(c.inputs.at("p0"));
    double sum = 0, mags = 0;
    for (double x : v) { sum += x; mags += std::fabs(x); }
    EXPECT_LE(3 * std::fabs(sum), mags * (1 + 1e-12)) << "seed " << seed;
    along_columns += std::fabs(v[0] + v[1]) <= std::fabs(v[0]) / 2;  // partner next along the last axis
    along_rows += std::fabs(v[0] + v[6]) <= std::fabs(v[0]) / 2;     // partner next along the first
  }
  EXPECT_GT(along_rows, 40);
  EXPECT_GT(along_columns, 40);
}

TEST(Values, ZerosOfBothSignsAndTheSmallestSubnormalsAppear) {
  SplitMix64 rng(7);
  OpCase c = make_op_case(OpId::relu, DType::f32, rng, ValueKind::zeros, example_of({Shape{256}}, Shape{256}));
  bool plus = false, minus = false, subnormal = false;
  for (double x : values_of(c.inputs.at("p0"))) {
    plus |= x == 0 && !std::signbit(x);
    minus |= x == 0 && std::signbit(x);
    subnormal |= x != 0 && std::fabs(x) < 1e-44;
  }
  EXPECT_TRUE(plus && minus && subnormal);
}

// Every edge of every op is met closely from both sides by the regimes generator.
TEST(Regimes, DrawsMeetEveryEdgeOfEveryOpFromBothSides) {
  for (const OpInfo& info : kOpInfo) {
    if (info.min_arity == 0 || op_input_is_index(info.id, 0)) continue;
    for (DType d : {DType::f32, DType::f64}) {
      SplitMix64 rng(case_seed(5, info.id, d, 0));
      OpExample ex = valid_example(info.id);
      Node n;
      n.op = info.id;
      n.attrs = ex.attrs;
      std::vector<double> v;
      for (int i = 0; i < 40; ++i) {
        ValueSource s(rng, d, ValueKind::regimes, n);
        s.start_tensor(Shape{512});
        for (int k = 0; k < 512; ++k) v.push_back(s.next(false));
      }
      for (const RegimeEdge& e : regime_edges(n, d)) {
        const double near = std::max(std::fabs(e.at) * 0x1p-8, e.spread * 0x1p-8);
        bool below = false, above = false;
        for (double x : v) {
          below |= x < e.at && x > e.at - near;
          above |= x > e.at && x < e.at + near;
        }
        if (e.at == format_limits(d).max) above = true;  // nothing finite lies above MAX
        EXPECT_TRUE(below && above) << info.name << " " << dtype_name(d) << ": " << e.why;
      }
    }
  }
}

RegimeEdge edge(OpId op, DType d, const std::string& why_part) {
  Node n;
  n.op = op;
  for (const RegimeEdge& e : regime_edges(n, d))
    if (std::string(e.why).find(why_part) != std::string::npos) return e;
  throw std::runtime_error("no edge '" + why_part + "'");
}

template <class T> T rounded(long double x) { return static_cast<T>(x); }

// Each checked edge separates two regimes of the function rounded to the format, 10% either side.
template <class T> void expect_edges_separate_regimes(DType d) {
  const long double e_exp = edge(OpId::exp, d, "overflows").at;
  EXPECT_TRUE(std::isfinite(rounded<T>(std::exp(0.99L * e_exp))));
  EXPECT_TRUE(std::isinf(rounded<T>(std::exp(1.01L * e_exp))));
  const long double e_sig = edge(OpId::sigmoid, d, "rounds to 1").at;
  auto sigmoid = [](long double x) { return 1 / (1 + std::exp(-x)); };
  EXPECT_LT(rounded<T>(sigmoid(0.9L * e_sig)), T(1));
  EXPECT_EQ(rounded<T>(sigmoid(1.1L * e_sig)), T(1));
  const long double e_tanh = edge(OpId::tanh, d, "rounds to ±1").at;
  EXPECT_LT(rounded<T>(std::tanh(0.9L * e_tanh)), T(1));
  EXPECT_EQ(rounded<T>(std::tanh(1.1L * e_tanh)), T(1));
  const long double e_sp = edge(OpId::softplus, d, "rounds to x").at;
  auto softplus = [](long double x) { return x + std::log1p(std::exp(-x)); };
  const T below = rounded<T>(0.9L * e_sp), above = rounded<T>(1.1L * e_sp);  // representable arguments
  EXPECT_NE(rounded<T>(softplus(below)), below);
  EXPECT_EQ(rounded<T>(softplus(above)), above);
}

TEST(Regimes, TheCheckedEdgesSeparateTheRegimesOfTheRoundedFunction) {
  expect_edges_separate_regimes<float>(DType::f32);
  expect_edges_separate_regimes<double>(DType::f64);
}

}  // namespace
}  // namespace tl::oracle

// Self-checks of the reference (issue 3, item 5):
// (a) every differentiable op's VJP against central differences in 256-bit interval arithmetic,
//     step h = 2^-64, along a random direction, at random points away from kinks;
// (b) for every rational op, forward and VJP: the Interval enclosure contains the exact Rational
//     result, and the correctly rounded value of the enclosure equals the rounding of the rational.
// Seeds are printed; TL_SEED=N replays.
#include <gtest/gtest.h>

#include "../common/seed.h"

#include <cstdio>
#include <cstdlib>

#include "cases/op_cases.h"
#include "reference/eval.h"
#include "reference/rounding.h"

namespace tl::ref {
namespace {

template <class S>
std::vector<RefTensor<S>> to_scalar(const oracle::OpCase& c) {
  std::vector<RefTensor<S>> out;
  for (NodeId id : c.input_ids) out.push_back(from_host<S>(c.inputs.at(std::string(node_name(c.graph.node(id))))));
  return out;
}

Inputs<Interval> pointers(const std::vector<RefTensor<Interval>>& v) {
  Inputs<Interval> p;
  for (const auto& t : v) p.push_back(&t);
  return p;
}

Interval weighted_sum(const RefTensor<Interval>& y, const RefTensor<Interval>& w) {
  Interval acc;
  for (int64_t i = 0; i < y.numel(); ++i) acc = acc + w[i] * y[i];
  return acc;
}

double random_unit(SplitMix64& rng) { return std::ldexp(static_cast<double>(rng.below(1u << 20)), -20) - 0.5; }

// |a - b| beyond their overlap, as an upper bound in double.
double gap(const Interval& a, const Interval& b) {
  return std::max({0.0, a.lower() - b.upper(), b.lower() - a.upper()});
}

TEST(ReferenceSelfCheck, EveryVjpMatchesCentralDifferencesAt256Bits) {
  uint64_t seed = testing::test_seed();
  SplitMix64 rng(seed);
  IntervalPrecision precision(256);
  const Interval h = Interval::from_double(0x1p-64);
  for (const OpInfo& info : kOpInfo) {
    if (!op_differentiable(info.id)) continue;
    SCOPED_TRACE(std::string(info.name) + " seed " + std::to_string(seed));
    oracle::OpCase c = oracle::make_op_case(info.id, DType::f64, rng, 40);
    const Node& node = c.graph.node(c.graph.outputs[0].node);
    std::vector<RefTensor<Interval>> x = to_scalar<Interval>(c), plus = x, minus = x, dir = x;
    for (std::size_t k = 0; k < x.size(); ++k) {
      for (int64_t e = 0; e < x[k].numel(); ++e) {
        bool moves = op_input_gets_grad(info.id, static_cast<int>(k));
        dir[k][e] = Interval::from_double(moves ? random_unit(rng) : 0.0);
        plus[k][e] = x[k][e] + h * dir[k][e];
        minus[k][e] = x[k][e] - h * dir[k][e];
      }
    }
    RefTensor<Interval> y = forward_op<Interval>(node, pointers(x), "fd");
    RefTensor<Interval> w(y.shape);
    for (auto& wi : w.v) wi = Interval::from_double(random_unit(rng));
    Interval fd = (weighted_sum(forward_op<Interval>(node, pointers(plus), "fd+"), w) -
                   weighted_sum(forward_op<Interval>(node, pointers(minus), "fd-"), w)) /
                  (Interval::from_int(2) * h);
    Grads<Interval> dx = vjp_op<Interval>(node, pointers(x), y, w, "vjp");
    Interval analytic;
    for (std::size_t k = 0; k < dx.size(); ++k) {
      if (dx[k]) analytic = analytic + weighted_sum(*dx[k], dir[k]);
    }
    // Central differences err by h^2/6 |L'''| ~ 2^-130 |L'''|; 256-bit rounding adds ~2^-190.
    // 2^-80 (1 + |L'|) leaves a margin of 2^50 for third derivatives of these O(1) inputs.
    double tolerance = 0x1p-80 * (1.0 + std::fabs(analytic.upper()) + std::fabs(analytic.lower()));
    EXPECT_LE(gap(fd, analytic), tolerance) << "fd " << fd.str(25) << " vjp " << analytic.str(25);
  }
}

// Correctly rounded value of element e of an op's output, evaluated in Interval with Ziv.
template <class F>
Rounding round_element(F evaluate_at, int64_t e, DType dtype) {
  return round_correctly([&](mpfr_prec_t prec, mpfr_t lo, mpfr_t hi) {
    IntervalPrecision p(prec);
    Interval v = evaluate_at(e);
    mpfr_set(lo, &v.raw()->left, MPFR_RNDD);
    mpfr_set(hi, &v.raw()->right, MPFR_RNDU);
  }, dtype, 128, 2048);
}

Rounding round_rational(const Rational& q, DType dtype) {
  return round_correctly([&](mpfr_prec_t, mpfr_t lo, mpfr_t hi) {
    mpfr_set_q(lo, q.q.backend().data(), MPFR_RNDD);
    mpfr_set_q(hi, q.q.backend().data(), MPFR_RNDU);
  }, dtype);
}

bool contains(const Interval& x, const Rational& q) {
  return mpfr_cmp_q(&x.raw()->left, q.q.backend().data()) <= 0 &&
         mpfr_cmp_q(&x.raw()->right, q.q.backend().data()) >= 0;
}

void check_rational_tensor(const RefTensor<Rational>& exact, const std::function<RefTensor<Interval>()>& enclose,
                           const std::string& what) {
  RefTensor<Interval> at128 = enclose();
  ASSERT_EQ(at128.shape, exact.shape) << what;
  for (int64_t e = 0; e < exact.numel(); ++e) {
    ASSERT_TRUE(contains(at128[e], exact[e])) << what << " element " << e << ": " << at128[e].str()
                                              << " does not contain " << exact[e].str();
    for (DType dtype : {DType::f32, DType::f64}) {
      Rounding from_interval = round_element([&](int64_t i) { return enclose()[i]; }, e, dtype);
      Rounding from_rational = round_rational(exact[e], dtype);
      ASSERT_TRUE(from_interval.decided && from_rational.decided) << what << " element " << e;
      ASSERT_EQ(from_interval.value, from_rational.value) << what << " element " << e;
    }
  }
}

TEST(ReferenceSelfCheck, IntervalContainsRationalAndRoundsLikeItForEveryRationalOp) {
  uint64_t seed = testing::test_seed();
  SplitMix64 rng(seed);
  for (const OpInfo& info : kOpInfo) {
    if (!op_has(info.id, kRational) || info.id == OpId::input) continue;
    SCOPED_TRACE(std::string(info.name) + " seed " + std::to_string(seed));
    oracle::OpCase c = oracle::make_op_case(info.id, DType::f64, rng, 30);
    const Node& node = c.graph.node(c.graph.outputs[0].node);
    std::vector<RefTensor<Rational>> xq = to_scalar<Rational>(c);
    Inputs<Rational> pq;
    for (const auto& t : xq) pq.push_back(&t);
    RefTensor<Rational> yq = forward_op<Rational>(node, pq, "q");
    auto interval_inputs = [&] { return to_scalar<Interval>(c); };
    check_rational_tensor(yq, [&] {
      auto xi = interval_inputs();
      return forward_op<Interval>(node, pointers(xi), "i");
    }, "forward");
    if (!op_differentiable(info.id)) continue;
    RefTensor<Rational> gq(yq.shape);
    RefTensor<Interval> gi_template(yq.shape);
    std::vector<double> gvals;
    for (int64_t e = 0; e < yq.numel(); ++e) gvals.push_back(random_unit(rng));
    for (int64_t e = 0; e < yq.numel(); ++e) gq[e] = Rational::from_double(gvals[static_cast<std::size_t>(e)]);
    Grads<Rational> dq = vjp_op<Rational>(node, pq, yq, gq, "q");
    for (std::size_t k = 0; k < dq.size(); ++k) {
      if (!dq[k]) continue;
      check_rational_tensor(*dq[k], [&] {
        auto xi = interval_inputs();
        RefTensor<Interval> yi = forward_op<Interval>(node, pointers(xi), "i");
        RefTensor<Interval> gi(yq.shape);
        for (int64_t e = 0; e < yq.numel(); ++e) gi[e] = Interval::from_double(gvals[static_cast<std::size_t>(e)]);
        return *vjp_op<Interval>(node, pointers(xi), yi, gi, "i")[k];
      }, "vjp input " + std::to_string(k));
    }
  }
}

}  // namespace
}  // namespace tl::ref

// Helpers shared by the reference's op families: branch selection that stays sound for intervals,
// index conversion with user errors, and the left-fold and FMA-chain orders every reduction uses.
//
// Naming: x, y tensors (input, output); g the upstream gradient; dx the input gradient; s a shape.
#pragma once

#include <string>

#include "reference/real_fn.h"
#include "reference/scalar_interval.h"
#include "reference/tensor.h"
#include "spec/error.h"
#include "spec/op_family.h"

namespace tl::ref {

// The value for the outcome of a comparison; when it is undecidable (overlapping intervals, NaN in
// Strict) every possible outcome's value is joined with hull().
template <class S>
S choose(Cmp c, const S& if_less, const S& if_equal, const S& if_greater) {
  switch (c) {
    case Cmp::less: return if_less;
    case Cmp::equal: return if_equal;
    case Cmp::greater: return if_greater;
    case Cmp::unknown: return hull(hull(if_less, if_equal), if_greater);
  }
  throw_internal("bad Cmp value");
}

template <class S> S zero() { return S::from_int(0); }
template <class S> S one() { return S::from_int(1); }

// Left fold from +0: ((0 + x0) + x1) + ...  — the declared order of every sum.
template <class S>
struct LeftFold {
  S acc = zero<S>();
  void add(const S& x) { add_to(acc, x); }
};

// FMA chain from +0: acc = fma(a_k, b_k, acc) for k ascending — the declared order of dot products.
// (Strict: one rounding per term; Rational: exact; Interval: an enclosure, see IntervalDot.)
template <class S>
struct FmaChain {
  S acc = zero<S>();
  void add(const S& a, const S& b) { add_product(acc, a, b); }
  S result() const { return acc; }
};

template <>
struct FmaChain<Interval> {
  IntervalDot dot;
  void add(const Interval& a, const Interval& b) { dot.add(a, b); }
  Interval result() const { return dot.result(); }
};

// Element of an index-valued tensor as an integer in [0, bound); UserError naming the node otherwise.
template <class S>
int64_t index_at(const RefTensor<S>& idx, int64_t i, int64_t bound, const std::string& where) {
  std::optional<int64_t> k = as_index(idx[i]);
  TL_CHECK_USER(k && *k >= 0 && *k < bound,
                where + ": index element " + std::to_string(i) + " is not an integer in [0, " +
                    std::to_string(bound) + ")");
  return *k;
}

// Splits a shape around `axis` into (outer, n, inner) so element (o, k, i) is at (o*n + k)*inner + i.
struct AxisSplit {
  int64_t outer = 1, n = 1, inner = 1;
  AxisSplit(const Shape& s, int64_t axis) {
    for (int64_t d = 0; d < s.rank(); ++d) {
      if (d < axis) outer *= s.dim(d);
      else if (d == axis) n = s.dim(d);
      else inner *= s.dim(d);
    }
  }
  int64_t at(int64_t o, int64_t k, int64_t i) const { return (o * n + k) * inner + i; }
};

// Context of one op evaluation: the node (for messages) and its attributes.
struct OpCtx {
  OpId op;
  const Attrs& attrs;
  const Shape& out_shape;
  std::string where;
  template <class A> const A& a() const { return std::get<A>(attrs); }
};

}  // namespace tl::ref

// Rational: exact GMP rationals (Boost.Multiprecision gmp_rational, expression templates off — see
// deps-perf.md §1b). For graphs whose ops are all rational; inputs must be finite.
#pragma once

#include <boost/multiprecision/gmp.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "reference/real_fn.h"

namespace tl::ref {

using ExactQ = boost::multiprecision::number<boost::multiprecision::gmp_rational,
                                             boost::multiprecision::et_off>;

struct Rational {
  ExactQ q;

  static Rational from_double(double x);  // exact; UserError for NaN or infinity
  static Rational from_int(int64_t n) { return Rational{ExactQ(n)}; }
  std::string str() const { return q.str(); }

  friend Rational operator+(const Rational& a, const Rational& b) { return {a.q + b.q}; }
  friend Rational operator-(const Rational& a, const Rational& b) { return {a.q - b.q}; }
  friend Rational operator*(const Rational& a, const Rational& b) { return {a.q * b.q}; }
  friend Rational operator/(const Rational& a, const Rational& b);  // UserError on division by 0
  friend Rational operator-(const Rational& a) { return {-a.q}; }
};

Rational fma(const Rational& a, const Rational& b, const Rational& c);
inline void add_product(Rational& acc, const Rational& a, const Rational& b) { acc.q += a.q * b.q; }
inline void add_to(Rational& acc, const Rational& x) { acc.q += x.q; }
Cmp compare(const Rational& a, const Rational& b);
Rational hull(const Rational& a, const Rational& b);  // internal error: comparisons are decided
// Only the rational functions (log_grad = 1/x, reciprocal_grad = -1/x^2); others are internal
// errors because the evaluator rejects non-rational ops before evaluating.
Rational apply(RealFn f, const Rational& x, double param = 0.0);
std::optional<int64_t> as_index(const Rational& x);
inline bool is_nan(const Rational&) { return false; }

}  // namespace tl::ref

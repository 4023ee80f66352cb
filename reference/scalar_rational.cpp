// Exact rational scalar.
#include "reference/scalar_rational.h"

#include <cmath>

#include "spec/error.h"

namespace tl::ref {

Rational Rational::from_double(double x) {
  TL_CHECK_USER(std::isfinite(x), "the Rational meaning needs finite inputs, got " +
                                      std::string(std::isnan(x) ? "NaN" : "an infinity"));
  return Rational{ExactQ(x)};  // exact: every finite double is a dyadic rational
}

Rational operator/(const Rational& a, const Rational& b) {
  TL_CHECK_USER(b.q != 0, "division by zero in the Rational meaning (the exact quotient does not exist)");
  return {a.q / b.q};
}

Rational fma(const Rational& a, const Rational& b, const Rational& c) { return {a.q * b.q + c.q}; }

Cmp compare(const Rational& a, const Rational& b) {
  if (a.q < b.q) return Cmp::less;
  if (a.q > b.q) return Cmp::greater;
  return Cmp::equal;
}

Rational hull(const Rational&, const Rational&) {
  throw_internal("hull of rationals: rational comparisons are always decided");
}

Rational apply(RealFn f, const Rational& x, double) {
  switch (f) {
    case RealFn::log_grad: return Rational::from_int(1) / x;
    case RealFn::reciprocal_grad: return -(Rational::from_int(1) / (x * x));
    case RealFn::sqrt: case RealFn::rsqrt: case RealFn::exp: case RealFn::log: case RealFn::sin:
    case RealFn::cos: case RealFn::tanh: case RealFn::sigmoid: case RealFn::gelu:
    case RealFn::softplus: case RealFn::safe_log: case RealFn::sqrt_grad: case RealFn::rsqrt_grad:
    case RealFn::sin_grad: case RealFn::cos_grad: case RealFn::tanh_grad:
    case RealFn::sigmoid_grad: case RealFn::gelu_grad: case RealFn::softplus_grad:
    case RealFn::safe_log_grad:
      break;
  }
  throw_internal(std::string("Rational has no exact ") + std::string(real_fn_name(f)));
}

std::optional<int64_t> as_index(const Rational& x) {
  if (denominator(x.q) != 1) return std::nullopt;
  const auto& n = numerator(x.q);
  if (n > INT64_MAX || n < INT64_MIN) return std::nullopt;
  return n.convert_to<int64_t>();
}

}  // namespace tl::ref

// The long double reference of bench/ulp_exhaustive: each real function of reference/real_fn.h
// written from its textbook formula in x87 extended precision (64-bit significand), arranged so that
// no step cancels (sigmoid and softplus split at 0, sech^2 as 1/cosh^2, the gelu family on the
// sigmoid form). For float32 inputs its error is some 2^-60 relative, times the function's condition
// number — far below a float ulp; bench/ulp_exhaustive measures it against MPFR on every run rather
// than assuming it. Independent of the fast kernels: no code is shared with fast/kernels.
#pragma once

#include <algorithm>
#include <cmath>

namespace tl {

using LdFn = long double (*)(long double x, double param);

namespace ld {

using LD = long double;

// gelu's tanh form: gelu(x) = x/2 (1 + tanh u) = x sigmoid(2u), u = sqrt(2/pi) (x + 0.044715 x^3).
constexpr LD kSqrt2OverPi = 0.797884560802865355879892119868763737L;
constexpr LD kGeluA = 0.044715L;

inline LD sigmoid_of(LD x) {
  if (x >= 0) return 1 / (1 + expl(-x));
  LD e = expl(x);
  return e / (1 + e);
}
inline LD sigmoid_grad_of(LD x) {  // e / (1 + e)^2 with e = exp(-|x|): no cancellation either side
  LD e = expl(-fabsl(x));
  return e / ((1 + e) * (1 + e));
}
inline LD softplus_of(LD x) { return x > 0 ? x + log1pl(expl(-x)) : log1pl(expl(x)); }
inline LD gelu_z(LD x) { return 2 * kSqrt2OverPi * (x + kGeluA * x * x * x); }

inline LD exp(LD x, double) { return expl(x); }
inline LD log(LD x, double) { return logl(x); }
inline LD sin(LD x, double) { return sinl(x); }
inline LD cos(LD x, double) { return cosl(x); }
inline LD tanh(LD x, double) { return tanhl(x); }
inline LD sigmoid(LD x, double) { return sigmoid_of(x); }
inline LD gelu(LD x, double) { return x * sigmoid_of(gelu_z(x)); }
inline LD softplus(LD x, double) { return softplus_of(x); }
inline LD safe_log(LD x, double eps) { return logl(softplus_of(x) + static_cast<LD>(eps)); }
inline LD rsqrt(LD x, double) { return 1 / sqrtl(x); }

inline LD sqrt_grad(LD x, double) { return x > 0 ? 0.5L / sqrtl(x) : 0.0L; }
inline LD rsqrt_grad(LD x, double) { return -0.5L / (x * sqrtl(x)); }
inline LD reciprocal_grad(LD x, double) { return -1 / (x * x); }
inline LD sin_grad(LD x, double) { return cosl(x); }
inline LD cos_grad(LD x, double) { return -sinl(x); }
inline LD tanh_grad(LD x, double) {
  LD c = coshl(x);
  return 1 / (c * c);
}
inline LD sigmoid_grad(LD x, double) { return sigmoid_grad_of(x); }
// d/dx x sigmoid(z) = sigmoid(z) + x z' sigmoid'(z), z' = 2 sqrt(2/pi) (1 + 3 * 0.044715 x^2).
inline LD gelu_grad(LD x, double) {
  LD z = gelu_z(x);
  LD dz = 2 * kSqrt2OverPi * (1 + 3 * kGeluA * x * x);
  return sigmoid_of(z) + x * dz * sigmoid_grad_of(z);
}
inline LD softplus_grad(LD x, double) { return sigmoid_of(x); }
inline LD safe_log_grad(LD x, double eps) { return sigmoid_of(x) / (softplus_of(x) + static_cast<LD>(eps)); }

}  // namespace ld

// |v - r| in float32 ulps at r (checking/ulp.h's rule: ulp(r) = 2^(max(E, -125) - 24) for r in
// [2^(E-1), 2^E), the subnormal spacing at 0), r finite. v = NaN is +inf; v = ±inf is 0 when r rounds
// to that infinity (|r| at or beyond 2^128 - 2^103, the same sign) and +inf otherwise.
inline double float_ulps(long double v, long double r) {
  if (v != v) return INFINITY;
  if (std::isinf(v)) {
    const long double overflow = ldexpl(1, 128) - ldexpl(1, 103);
    return std::signbit(v) == std::signbit(r) && fabsl(r) >= overflow ? 0.0 : INFINITY;
  }
  int e = 0;
  if (r != 0) frexpl(r, &e);
  long double ulp = r == 0 ? ldexpl(1, -149) : ldexpl(1, std::max(e, -125) - 24);
  return static_cast<double>(fabsl(v - r) / ulp);
}

}  // namespace tl

// Scalar definitions of the unary elementwise ops in the fast backends, forward and backward, for
// T = float or double (the binary ops' rules are kernel_rules/elementwise_rules.h, shared with cuda/). The kernels apply them element by element and the compiled backend's fused loops
// apply the same functions in sequence, so fusion is bit-identical by construction.
//
// Arithmetic ops (neg abs square sqrt reciprocal relu scale clamp hardtanh add sub mul div maximum minimum)
// use the reference's formulas and IEEE operations, so they match the strict meaning bit for bit.
// Transcendental ones use the C library (glibc) or short formulas of it; their accuracy is declared
// as ulp(k) contracts measured against MPFR (docs/contracts.md).
#pragma once

#include <cmath>
#include <limits>
#include <type_traits>
#include <variant>

#include "fast/kernels/vmath.h"
#include "fast/planted.h"
#include "kernel_rules/elementwise_rules.h"
#include "spec/attrs.h"

namespace tl::fast {


template <class T> constexpr T nan_of() { return std::numeric_limits<T>::quiet_NaN(); }

// Transcendental and composite functions of float are evaluated in double and rounded once at the
// end: float arithmetic inside them amplified argument errors (exp of a rounded 2u in gelu, log near
// 1 in safe_log, subnormal intermediates in safe_log') to hundreds of ulps (bench/ulp_survey found
// it), and glibc's tanhf is 2 ulp where tanh-then-round is about 0.5.
// double uses long double (x87, 64-bit significand): gelu's exp(2u) amplified the argument's
// rounding to 1900 ulp in pure double (reports/ulp-survey.md).
template <class T> using Wide = std::conditional_t<std::is_same_v<T, float>, double, long double>;

// sigmoid without overflow or cancellation: for x >= 0, 1/(1+e^-x); else e^x/(1+e^x).
template <class T> T sigmoid(T x) {
  if (x >= 0) return T(1) / (T(1) + std::exp(-x));
  T e = std::exp(x);
  return e / (T(1) + e);
}

// s(1-s) = e/(1+e)^2 with e = exp(-|x|).
template <class T> T sigmoid_grad(T x) {
  T e = std::exp(-std::fabs(x));
  return e / ((T(1) + e) * (T(1) + e));
}

template <class T> T softplus(T x) {
  if (TL_PLANTED("softplus_early_asymptote") && x > 20) return x;  // strength-check build only
  return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}

// gelu (tanh form) = x * sigmoid(2u), u = sqrt(2/pi) (x + 0.044715 x^3).
template <class T> T gelu_u2(T x) {
  const T c = T(0.79788456080286535587989211986876373L), a = T(0.044715L);  // sqrt(2/pi), 44715e-6
  return T(2) * (c * (x + a * x * x * x));
}
template <class T> T gelu(T x) {
  if (std::isinf(x)) return x > 0 ? x : T(-0.0);
  return x * sigmoid(gelu_u2(x));
}
template <class T> T gelu_grad(T x) {
  // Beyond |x| = 1e4, sigmoid'(2u) underflows to 0 and x^3 may overflow: the limits are exact.
  if (std::fabs(x) > T(1e4)) return x > 0 ? T(1) : T(-0.0);
  const T c = T(0.79788456080286535587989211986876373L), a = T(0.044715L);  // sqrt(2/pi), 44715e-6
  T z = gelu_u2(x);
  return sigmoid(z) + T(2) * x * (c * (T(1) + T(3) * a * x * x)) * sigmoid_grad(z);
}

// Forced inline: kernels call these with a constant op (for_unary below), so the switch folds
// away and simple ops vectorise.
template <class T>
[[gnu::always_inline]] inline T unary_forward(Unary op, T x, const UnaryParams<T>& p) {
  switch (op) {
    case Unary::detach: return x;
    case Unary::neg: return -x;
    case Unary::abs: return x < 0 ? -x : (x > 0 ? x : (x == 0 ? T(0) : x));
    case Unary::square: return x * x;
    case Unary::sqrt: return std::sqrt(x);
    case Unary::rsqrt: return static_cast<T>(Wide<T>(1) / std::sqrt(static_cast<Wide<T>>(x)));
    case Unary::reciprocal: return T(1) / x;
    case Unary::exp:
      if (TL_PLANTED("fast_math_exp")) return std::exp2(static_cast<T>(x * static_cast<T>(1.4426950408889634)));
      if constexpr (std::is_same_v<T, float>) return exp_f32(x);  // vectorisable (vmath.h)
      else return static_cast<T>(std::exp(static_cast<Wide<T>>(x)));
    case Unary::log:
      if constexpr (std::is_same_v<T, float>) return log_f32(x);  // vectorisable (vmath.h)
      else return static_cast<T>(std::log(static_cast<Wide<T>>(x)));
    case Unary::sin: return static_cast<T>(std::sin(static_cast<Wide<T>>(x)));
    case Unary::cos: return static_cast<T>(std::cos(static_cast<Wide<T>>(x)));
    case Unary::tanh:
      if constexpr (std::is_same_v<T, float>) return tanh_f32(x);  // vectorisable (vmath.h)
      else return static_cast<T>(std::tanh(static_cast<Wide<T>>(x)));
    case Unary::sigmoid:
      if constexpr (std::is_same_v<T, float>) return sigmoid_f32(x);
      else return static_cast<T>(sigmoid(static_cast<Wide<T>>(x)));
    case Unary::relu: return x > 0 ? x : (x == x ? T(0) : x);
    case Unary::gelu:
      if constexpr (std::is_same_v<T, float>) return gelu_f32(x);  // vectorisable (vmath.h)
      else return static_cast<T>(gelu(static_cast<Wide<T>>(x)));
    case Unary::softplus: return static_cast<T>(softplus(static_cast<Wide<T>>(x)));
    case Unary::scale: return p.c * x;
    case Unary::clamp: case Unary::hardtanh: {  // hardtanh: unary_params gives lo = -1, hi = 1
      if (x != x) return x;
      T t = x < p.lo ? p.lo : x;
      return t > p.hi ? p.hi : t;
    }
    case Unary::safe_log: {
      using W = Wide<T>;
      return static_cast<T>(std::log(softplus(static_cast<W>(x)) + static_cast<W>(p.eps)));
    }
  }
  return nan_of<T>();
}

// f'(x) in the wider type, unrounded, for the ops whose VJP is g * f'(x) formed in Wide<T> and
// rounded once: sqrt, rsqrt, reciprocal and the transcendental functions. One rounding, so the VJP's
// error is 0.5 ulp plus 2^p times the relative error of this value, whatever g is (p = 24 or 53;
// docs/contracts.md); bench/ulp_exhaustive measures that relative error. Other ops: NaN.
template <class T>
[[gnu::always_inline]] inline Wide<T> unary_derivative_wide(Unary op, T x, const UnaryParams<T>& p) {
  using W = Wide<T>;
  const W w = static_cast<W>(x);
  switch (op) {
    case Unary::sqrt: return x > 0 ? W(0.5) / std::sqrt(w) : (x != x ? w : W(0));
    case Unary::rsqrt: {  // rsqrt'(±0) = -inf (docs/special-values.md; the formula gives +inf at -0)
      if (x == 0) return -std::numeric_limits<W>::infinity();
      W r = W(1) / std::sqrt(w);  // in the wider type: f'(x) alone can overflow T for tiny x
      return W(-0.5) * r * r * r;
    }
    case Unary::reciprocal: {  // -(1/x)^2: x*x would overflow long before the result does
      W r = W(1) / w;
      return -(r * r);
    }
    case Unary::sin: return std::cos(w);
    case Unary::cos: return -std::sin(w);
    case Unary::tanh:
      if constexpr (std::is_same_v<T, float>) return tanh_grad_wide(x);  // vectorisable (vmath.h)
      else {
        W sech = W(1) / std::cosh(w);
        return sech * sech;
      }
    case Unary::sigmoid:
      if constexpr (std::is_same_v<T, float>) return sigmoid_grad_wide(x);  // vectorisable (vmath.h)
      else return sigmoid_grad(w);
    case Unary::gelu:
      if constexpr (std::is_same_v<T, float>) return gelu_grad_wide(x);  // vectorisable (vmath.h)
      else return gelu_grad(w);
    case Unary::softplus: return sigmoid(w);
    case Unary::safe_log: return sigmoid(w) / (softplus(w) + static_cast<W>(p.eps));
    case Unary::detach: case Unary::neg: case Unary::abs: case Unary::square: case Unary::exp:
    case Unary::log: case Unary::relu: case Unary::scale: case Unary::clamp: case Unary::hardtanh:
      return nan_of<W>();
  }
  return nan_of<W>();
}

// g * d formed in the wider type and rounded once to T.
template <class T> [[gnu::always_inline]] inline T times_wide(T g, Wide<T> d) {
  return static_cast<T>(static_cast<Wide<T>>(g) * d);
}

// dx for one element: g times the derivative at x (y: the forward output).
template <class T>
[[gnu::always_inline]] inline T unary_backward(Unary op, T x, T y, T g, const UnaryParams<T>& p) {
  switch (op) {
    case Unary::detach: return T(0);
    case Unary::neg: return -g;
    case Unary::abs: return x != x ? nan_of<T>() : g * (x < 0 ? T(-1) : (x > 0 ? T(1) : T(0)));
    case Unary::square: return g * (x + x);
    case Unary::exp: return g * y;
    case Unary::log: return g * (T(1) / x);
    case Unary::tanh:
      if (TL_PLANTED("tanh_grad_sign")) return -(g * static_cast<T>(1 / (std::cosh(static_cast<double>(x)) * std::cosh(static_cast<double>(x)))));
      return times_wide(g, unary_derivative_wide(op, x, p));
    case Unary::sqrt: case Unary::rsqrt: case Unary::reciprocal: case Unary::sin: case Unary::cos:
    case Unary::sigmoid: case Unary::gelu: case Unary::softplus: case Unary::safe_log:
      return times_wide(g, unary_derivative_wide(op, x, p));
    case Unary::relu: return x > 0 ? g : (x == x ? T(0) : x);
    case Unary::scale: return g * p.c;
    case Unary::clamp: case Unary::hardtanh: return x != x ? x : ((x > p.lo && x < p.hi) ? g : T(0));
  }
  return nan_of<T>();
}

// Calls body(std::integral_constant<Unary, op>{}) so the op is a compile-time constant inside.
template <class Body>
void for_unary(Unary op, Body body) {
  switch (op) {
#define TL_UNARY(name, ...) \
  case Unary::name: return body(std::integral_constant<Unary, Unary::name>{});
#include "spec/ops.def"
  }
}

template <class Body>
void for_binary(Binary op, Body body) {
  switch (op) {
#define TL_BINARY(name, ...) \
  case Binary::name: return body(std::integral_constant<Binary, Binary::name>{});
#include "spec/ops.def"
  }
}

}  // namespace tl::fast

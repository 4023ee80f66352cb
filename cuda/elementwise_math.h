// The cuda backend's scalar definitions of the unary elementwise ops, forward and backward, callable
// on host and device (kernels_elementwise.cu applies them per element; the losses reuse sigmoid and
// softplus; the binary ops' rules are kernel_rules/elementwise_rules.h, shared with fast/). Arithmetic ops are single IEEE operations in T (sqrt and / correctly rounded: nvcc
// without --use_fast_math, -fmad=false), in the reference's formulas, so they match the strict
// meaning bit for bit. Transcendental and composite functions are evaluated in double with CUDA's
// double-precision math functions (cuda/math.h: in the emulated build libdevice's compiled for the
// host, or glibc's) and rounded once to T (for float: about 0.5 ulp plus the double function's error,
// cuda/function_bounds.h, of 2^-53; the GPU's FP64 units make this cheap on an H100/H200). For double the
// same formulas run in double itself, so composite functions amplify their arguments' roundings;
// their contracts say so (docs/contracts.md, "cuda").
#pragma once

#include "cuda/math.h"
#include "kernel_rules/elementwise_rules.h"

namespace tl::cuda::TL_CUDA_NS {

// sigmoid without overflow or cancellation: for x >= 0, 1/(1+e^-x); else e^x/(1+e^x).
TL_HD inline double sigmoid_d(double x) {
  if (x >= 0) return 1.0 / (1.0 + m_exp(-x));
  double e = m_exp(x);
  return e / (1.0 + e);
}
// s(1-s) = e/(1+e)^2 with e = exp(-|x|).
TL_HD inline double sigmoid_grad_d(double x) {
  double e = m_exp(-m_fabs(x));
  return e / ((1.0 + e) * (1.0 + e));
}
TL_HD inline double softplus_d(double x) { return x > 0 ? x + m_log1p(m_exp(-x)) : m_log1p(m_exp(x)); }
// gelu (tanh form) = x * sigmoid(2u), u = sqrt(2/pi) (x + 0.044715 x^3).
TL_HD inline double gelu_u2_d(double x) {
  const double c = 0.79788456080286535587989211986876373, a = 0.044715;
  return 2.0 * (c * (x + a * x * x * x));
}
TL_HD inline double gelu_d(double x) {
  if (x != x) return x;
  if (m_fabs(x) == inf_of<double>()) return x > 0 ? x : -0.0;
  return x * sigmoid_d(gelu_u2_d(x));
}
TL_HD inline double gelu_grad_d(double x) {
  if (m_fabs(x) > 1e4) return x > 0 ? 1.0 : -0.0;  // sigmoid'(2u) underflows; x^3 may overflow
  const double c = 0.79788456080286535587989211986876373, a = 0.044715;
  double z = gelu_u2_d(x);
  return sigmoid_d(z) + 2.0 * x * (c * (1.0 + 3.0 * a * x * x)) * sigmoid_grad_d(z);
}

// g * p * 2^shift without a spurious overflow or underflow of the unscaled product: the scale is
// applied to whichever side keeps the intermediate finite (one extra rounding only in the subnormal
// range). Derivatives whose factor alone over/underflows double (tiny x) are computed this way.
TL_HD inline double scaled_product(double g, double p, int shift) {
  double gp = g * p;
  return gp - gp == 0 ? m_ldexp(gp, shift) : m_ldexp(g, shift) * p;  // gp finite?
}
// g * -(1/x)^2: x = m 2^e with 1/2 <= |m| < 1, so (1/m)^2 lies in (1, 4].
TL_HD inline double reciprocal_vjp_d(double x, double g) {
  int e = 0;
  double r = 1.0 / m_frexp(x, &e);
  return scaled_product(g, -(r * r), -2 * e);
}
// g * -0.5 x^(-3/2): x = m 2^e with e even and 1/2 <= m < 2; x = 0 gives -inf (docs/special-values.md).
TL_HD inline double rsqrt_vjp_d(double x, double g) {
  if (x == 0) return g * -inf_of<double>();
  int e = 0;
  double m = m_frexp(x, &e);
  if (e % 2 != 0) { m = m * 2; e = e - 1; }
  double r = 1.0 / m_sqrt(m);
  return scaled_product(g, -0.5 * r * r * r, -3 * (e / 2));
}
// sigmoid(w) / (softplus(w) + eps). Below w = -40 both are e^w to double precision (relative
// deviations e^w, e^w/2 < 2^-57), so the ratio is q/(1+q) with q = e^w/eps formed as h (h/eps),
// h = e^(w/2): no subnormal e^w loses its digits (the direct form did: 10^4+ ulp in double).
TL_HD inline double safe_log_grad_d(double w, double eps) {
  if (w < -40 && w - w == 0) {
    if (eps == 0) return 1.0;
    double h = m_exp(w / 2);
    double q = h * (h / eps);
    return q - q == 0 ? q / (1.0 + q) : 1.0;
  }
  return sigmoid_d(w) / (softplus_d(w) + eps);
}

template <class T> TL_HD inline T in_double(double (*f)(double), T x) { return static_cast<T>(f(static_cast<double>(x))); }
// g * f'(x) with f'(x) = d(x) in double: for float the product is formed in double and rounded once
// (0.5 ulp plus 2^24 times d's relative error, whatever g is); for double it is the one product.
template <class T> TL_HD inline T vjp_in_double(double (*d)(double), T x, T g) {
  return static_cast<T>(static_cast<double>(g) * d(static_cast<double>(x)));
}
TL_HD inline double neg_sin_d(double x) { return -m_sin(x); }
TL_HD inline double sqrt_grad_d(double x) { return 0.5 / m_sqrt(x); }
TL_HD inline double exp_d(double x) { return m_exp(x); }
TL_HD inline double log_d(double x) { return m_log(x); }
TL_HD inline double sin_d(double x) { return m_sin(x); }
TL_HD inline double cos_d(double x) { return m_cos(x); }
TL_HD inline double tanh_d(double x) { return m_tanh(x); }
TL_HD inline double sech2_d(double x) {
  double s = 1.0 / m_cosh(x);
  return s * s;
}

template <class T> TL_HD inline T unary_forward(Unary op, T x, UnaryParams<T> p) {
  switch (op) {
    case Unary::detach: return x;
    case Unary::neg: return -x;
    case Unary::abs: return x < 0 ? -x : (x > 0 ? x : (x == 0 ? T(0) : x));
    case Unary::square: return x * x;
    case Unary::sqrt: return m_sqrt(x);
    case Unary::rsqrt: return static_cast<T>(1.0 / m_sqrt(static_cast<double>(x)));
    case Unary::reciprocal: return T(1) / x;
    case Unary::exp: return in_double(exp_d, x);
    case Unary::log: return in_double(log_d, x);
    case Unary::sin: return in_double(sin_d, x);
    case Unary::cos: return in_double(cos_d, x);
    case Unary::tanh: return in_double(tanh_d, x);
    case Unary::sigmoid: return in_double(sigmoid_d, x);
    case Unary::relu: return x > 0 ? x : (x == x ? T(0) : x);
    case Unary::gelu: return in_double(gelu_d, x);
    case Unary::softplus: return in_double(softplus_d, x);
    case Unary::scale: return p.c * x;
    case Unary::clamp: case Unary::hardtanh: {  // hardtanh: unary_params gives lo = -1, hi = 1
      if (x != x) return x;
      T t = x < p.lo ? p.lo : x;
      return t > p.hi ? p.hi : t;
    }
    case Unary::safe_log: return static_cast<T>(m_log(softplus_d(static_cast<double>(x)) + static_cast<double>(p.eps)));
  }
  return nan_of<T>();
}

// dx for one element: g times the derivative at x (y: the forward output).
template <class T> TL_HD inline T unary_backward(Unary op, T x, T y, T g, UnaryParams<T> p) {
  switch (op) {
    case Unary::detach: return T(0);
    case Unary::neg: return -g;
    case Unary::abs: return x != x ? nan_of<T>() : g * (x < 0 ? T(-1) : (x > 0 ? T(1) : T(0)));
    case Unary::square: return g * (x + x);
    case Unary::sqrt: return x > 0 ? vjp_in_double(sqrt_grad_d, x, g) : (x != x ? x : T(0) * g);
    case Unary::rsqrt: return static_cast<T>(rsqrt_vjp_d(static_cast<double>(x), static_cast<double>(g)));
    case Unary::reciprocal: return static_cast<T>(reciprocal_vjp_d(static_cast<double>(x), static_cast<double>(g)));
    case Unary::exp: return g * y;
    case Unary::log: return g * (T(1) / x);
    case Unary::sin: return vjp_in_double(cos_d, x, g);
    case Unary::cos: return vjp_in_double(neg_sin_d, x, g);
    case Unary::tanh: return vjp_in_double(sech2_d, x, g);
    case Unary::sigmoid: return vjp_in_double(sigmoid_grad_d, x, g);
    case Unary::relu: return x > 0 ? g : (x == x ? T(0) : x);
    case Unary::gelu: return vjp_in_double(gelu_grad_d, x, g);
    case Unary::softplus: return vjp_in_double(sigmoid_d, x, g);
    case Unary::scale: return g * p.c;
    case Unary::clamp: case Unary::hardtanh: return x != x ? x : ((x > p.lo && x < p.hi) ? g : T(0));
    case Unary::safe_log:
      return static_cast<T>(static_cast<double>(g) * safe_log_grad_d(static_cast<double>(x), static_cast<double>(p.eps)));
  }
  return nan_of<T>();
}

}  // namespace tl::cuda::TL_CUDA_NS

// Reference semantics of the elementwise ops: forward and VJP, generic over the scalar.
// Conventions (docs/special-values.md): relu'(0) = 0; abs'(0) = 0; clamp (and hardtanh, clamp to
// [-1, 1]) passes the gradient only
// strictly inside (lo, hi); maximum/minimum return the first operand on ties and split the gradient
// 1/2 : 1/2; every VJP is dx = g * f'(x) with f' one real function (one rounding in Strict).
#pragma once

#include "reference/ops_common.h"

namespace tl::ref {

template <class S, class F>
RefTensor<S> map1(const RefTensor<S>& x, F f) {
  RefTensor<S> y(x.shape);
  for (int64_t i = 0; i < x.numel(); ++i) y[i] = f(x[i]);
  return y;
}

template <class S, class F>
RefTensor<S> map2(const RefTensor<S>& a, const RefTensor<S>& b, F f) {
  RefTensor<S> y(a.shape);
  for (int64_t i = 0; i < a.numel(); ++i) y[i] = f(a[i], b[i]);
  return y;
}

// clamp(x, lo, hi) = min(max(x, lo), hi), and its gradient: g strictly inside (lo, hi), else 0.
template <class S>
S clamp_value(const S& x, const S& lo, const S& hi) {
  S t = choose(compare(x, lo), lo, x, x);
  return choose(compare(t, hi), t, t, hi);
}
template <class S>
S clamp_grad(const S& x, const S& g, const S& lo, const S& hi) {
  const S z = zero<S>();
  return choose(compare(x, lo), z, z, choose(compare(x, hi), g, z, z));
}

template <class S>
S unary_value(const OpCtx& c, Unary op, const S& x) {
  const S z = zero<S>();
  switch (op) {
    case Unary::detach: return x;
    case Unary::neg: return -x;
    case Unary::abs: return choose(compare(x, z), -x, z, x);
    case Unary::square: return x * x;
    case Unary::sqrt: return apply(RealFn::sqrt, x);
    case Unary::rsqrt: return apply(RealFn::rsqrt, x);
    case Unary::reciprocal: return one<S>() / x;
    case Unary::exp: return apply(RealFn::exp, x);
    case Unary::log: return apply(RealFn::log, x);
    case Unary::sin: return apply(RealFn::sin, x);
    case Unary::cos: return apply(RealFn::cos, x);
    case Unary::tanh: return apply(RealFn::tanh, x);
    case Unary::sigmoid: return apply(RealFn::sigmoid, x);
    case Unary::relu: return choose(compare(x, z), z, z, x);
    case Unary::gelu: return apply(RealFn::gelu, x);
    case Unary::softplus: return apply(RealFn::softplus, x);
    case Unary::scale: return S::from_double(c.a<ScaleAttrs>().c) * x;
    case Unary::clamp: return clamp_value(x, S::from_double(c.a<ClampAttrs>().lo), S::from_double(c.a<ClampAttrs>().hi));
    case Unary::hardtanh: return clamp_value(x, -one<S>(), one<S>());
    case Unary::safe_log: return apply(RealFn::safe_log, x, c.a<SafeLogAttrs>().eps);
  }
  throw_internal("bad Unary value");
}

// dx for one element: g times the local derivative at x (y is the forward output).
template <class S>
S unary_grad(const OpCtx& c, Unary op, const S& x, const S& y, const S& g) {
  const S z = zero<S>();
  switch (op) {
    case Unary::neg: return -g;
    case Unary::abs: return g * choose(compare(x, z), -one<S>(), z, one<S>());
    case Unary::square: return g * (x + x);
    case Unary::sqrt: return g * apply(RealFn::sqrt_grad, x);
    case Unary::rsqrt: return g * apply(RealFn::rsqrt_grad, x);
    case Unary::reciprocal: return g * apply(RealFn::reciprocal_grad, x);
    case Unary::exp: return g * y;
    case Unary::log: return g * apply(RealFn::log_grad, x);
    case Unary::sin: return g * apply(RealFn::sin_grad, x);
    case Unary::cos: return g * apply(RealFn::cos_grad, x);
    case Unary::tanh: return g * apply(RealFn::tanh_grad, x);
    case Unary::sigmoid: return g * apply(RealFn::sigmoid_grad, x);
    case Unary::relu: return choose(compare(x, z), z, z, g);
    case Unary::gelu: return g * apply(RealFn::gelu_grad, x);
    case Unary::softplus: return g * apply(RealFn::softplus_grad, x);
    case Unary::scale: return g * S::from_double(c.a<ScaleAttrs>().c);
    case Unary::clamp: return clamp_grad(x, g, S::from_double(c.a<ClampAttrs>().lo), S::from_double(c.a<ClampAttrs>().hi));
    case Unary::hardtanh: return clamp_grad(x, g, -one<S>(), one<S>());
    case Unary::safe_log: return g * apply(RealFn::safe_log_grad, x, c.a<SafeLogAttrs>().eps);
    case Unary::detach: break;  // stops the gradient: no input receives one
  }
  throw_internal("unary_grad of detach");
}

template <class S>
S binary_value(Binary op, const S& a, const S& b) {
  switch (op) {
    case Binary::add: return a + b;
    case Binary::sub: return a - b;
    case Binary::mul: return a * b;
    case Binary::div: return a / b;
    case Binary::maximum: return choose(compare(a, b), b, a, a);
    case Binary::minimum: return choose(compare(a, b), a, a, b);
  }
  throw_internal("bad Binary value");
}

// (da, db) for one element.
template <class S>
std::pair<S, S> binary_grad(Binary op, const S& a, const S& b, const S& g) {
  const S z = zero<S>();
  const S half_g = g * S::from_double(0.5);
  switch (op) {
    case Binary::add: return {g, g};
    case Binary::sub: return {g, -g};
    case Binary::mul: return {g * b, g * a};
    case Binary::div: return {g / b, ((-g) * a) / (b * b)};
    case Binary::maximum: {
      Cmp c = compare(a, b);
      return {choose(c, z, half_g, g), choose(c, g, half_g, z)};
    }
    case Binary::minimum: {
      Cmp c = compare(a, b);
      return {choose(c, g, half_g, z), choose(c, z, half_g, g)};
    }
  }
  throw_internal("bad Binary value");
}

template <class S>
RefTensor<S> fwd_unary(const OpCtx& c, Unary op, const Inputs<S>& in) {
  return map1(*in[0], [&](const S& x) { return unary_value(c, op, x); });
}

template <class S>
void vjp_unary(const OpCtx& c, Unary op, const Inputs<S>& in, const RefTensor<S>& y,
               const RefTensor<S>& g, Grads<S>& dx) {
  RefTensor<S> d(in[0]->shape);
  for (int64_t i = 0; i < d.numel(); ++i) d[i] = unary_grad(c, op, (*in[0])[i], y[i], g[i]);
  dx[0] = std::move(d);
}

template <class S>
RefTensor<S> fwd_binary(Binary op, const Inputs<S>& in) {
  return map2(*in[0], *in[1], [&](const S& a, const S& b) { return binary_value(op, a, b); });
}

template <class S>
void vjp_binary(Binary op, const Inputs<S>& in, const RefTensor<S>& g, Grads<S>& dx) {
  RefTensor<S> da(in[0]->shape), db(in[1]->shape);
  for (int64_t i = 0; i < g.numel(); ++i) {
    auto [ga, gb] = binary_grad(op, (*in[0])[i], (*in[1])[i], g[i]);
    da[i] = std::move(ga);
    db[i] = std::move(gb);
  }
  dx[0] = std::move(da);
  dx[1] = std::move(db);
}

}  // namespace tl::ref

// The real functions the reference evaluates elementwise, and their derivatives, named once.
//
// Every scalar implements `apply(RealFn, x, param)`: Interval encloses the real value, Strict<T>
// returns its correctly rounded value (one rounding), Rational supports only the rational ones.
// Derivative conventions (TorchLean's): sqrt_grad(x) = 1/(2 sqrt x) for x > 0 and 0 otherwise.
#pragma once

#include <string_view>

namespace tl::ref {

enum class RealFn {
  sqrt, rsqrt, exp, log, sin, cos, tanh, sigmoid, gelu, softplus,
  safe_log,        // log(softplus(x) + param), param = eps
  sqrt_grad,       // 1/(2 sqrt x) for x > 0, else 0
  rsqrt_grad,      // -x^(-3/2) / 2
  log_grad,        // 1/x
  reciprocal_grad, // -1/x^2
  sin_grad,        // cos x
  cos_grad,        // -sin x
  tanh_grad,       // 1 - tanh(x)^2
  sigmoid_grad,    // s(x) (1 - s(x))
  gelu_grad,       // d/dx gelu(x), tanh form
  softplus_grad,   // sigmoid(x)
  safe_log_grad,   // sigmoid(x) / (softplus(x) + param)
};

constexpr std::string_view real_fn_name(RealFn f) {
  switch (f) {
    case RealFn::sqrt: return "sqrt";
    case RealFn::rsqrt: return "rsqrt";
    case RealFn::exp: return "exp";
    case RealFn::log: return "log";
    case RealFn::sin: return "sin";
    case RealFn::cos: return "cos";
    case RealFn::tanh: return "tanh";
    case RealFn::sigmoid: return "sigmoid";
    case RealFn::gelu: return "gelu";
    case RealFn::softplus: return "softplus";
    case RealFn::safe_log: return "safe_log";
    case RealFn::sqrt_grad: return "sqrt_grad";
    case RealFn::rsqrt_grad: return "rsqrt_grad";
    case RealFn::log_grad: return "log_grad";
    case RealFn::reciprocal_grad: return "reciprocal_grad";
    case RealFn::sin_grad: return "sin_grad";
    case RealFn::cos_grad: return "cos_grad";
    case RealFn::tanh_grad: return "tanh_grad";
    case RealFn::sigmoid_grad: return "sigmoid_grad";
    case RealFn::gelu_grad: return "gelu_grad";
    case RealFn::softplus_grad: return "softplus_grad";
    case RealFn::safe_log_grad: return "safe_log_grad";
  }
  return "?";
}

// Outcome of comparing two scalars. `unknown` only for intervals that overlap.
enum class Cmp { less, equal, greater, unknown };

}  // namespace tl::ref

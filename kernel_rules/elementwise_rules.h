// What every fast backend (fast/ on the CPU, cuda/ on the GPU and its emulation) shares about the
// elementwise ops (the Unary and Binary families of spec/op_family.h): the unary ops' attribute
// parameters, which unary VJPs are g * f'(x), and the binary ops' rules, forward and backward, in the strict meaning's formulas (one IEEE operation
// each; maximum/minimum propagate NaN and split g in halves at ties). Callable on host and, compiled
// by nvcc, on the device. Transcendental unary rules differ per backend and live with each.
#pragma once

#include <limits>
#include <optional>
#include <variant>

#include "spec/attrs.h"
#include "spec/host_device.h"
#include "spec/op_family.h"

namespace tl {

// The attributes of a scale / clamp / safe_log node in T, and hardtanh's fixed bounds (other ops use
// none); already exact in T
// (spec validation).
template <class T>
struct UnaryParams {
  T c = 1, lo = 0, hi = 1, eps = 0;
};
template <class T, class NodeT>
UnaryParams<T> unary_params(const NodeT& n) {
  UnaryParams<T> p;
  if (const auto* a = std::get_if<ScaleAttrs>(&n.attrs)) p.c = static_cast<T>(a->c);
  if (const auto* a = std::get_if<ClampAttrs>(&n.attrs)) { p.lo = static_cast<T>(a->lo); p.hi = static_cast<T>(a->hi); }
  if (const auto* a = std::get_if<SafeLogAttrs>(&n.attrs)) p.eps = static_cast<T>(a->eps);
  if (n.op == OpId::hardtanh) { p.lo = T(-1); p.hi = T(1); }  // clamp to [-1, 1]: the same kernels
  return p;
}

// The unary ops whose VJP is g * f'(x) with f' a function that is rounded (sqrt, rsqrt, reciprocal
// and the transcendental ones): the rows whose bound depends on how f' and the product are rounded
// (docs/contracts.md, "VJPs of the transcendental functions"). The others' VJPs are exact or one
// IEEE operation of g and x or y.
constexpr bool vjp_is_g_times_derivative(Unary u) {
  switch (u) {
    case Unary::sqrt: case Unary::rsqrt: case Unary::reciprocal: case Unary::sin: case Unary::cos:
    case Unary::tanh: case Unary::sigmoid: case Unary::gelu: case Unary::softplus: case Unary::safe_log:
      return true;
    case Unary::detach: case Unary::neg: case Unary::abs: case Unary::square: case Unary::exp:
    case Unary::log: case Unary::relu: case Unary::scale: case Unary::clamp: case Unary::hardtanh:
      return false;
  }
  return false;
}
inline bool vjp_is_g_times_derivative(OpId op) {
  std::optional<Unary> u = unary_of(op);
  return u && vjp_is_g_times_derivative(*u);
}

template <class T> TL_RULE T binary_forward(Binary op, T a, T b) {
  const T nan = std::numeric_limits<T>::quiet_NaN();
  switch (op) {
    case Binary::add: return a + b;
    case Binary::sub: return a - b;
    case Binary::mul: return a * b;
    case Binary::div: return a / b;
    case Binary::maximum: return (a != a || b != b) ? nan : (a < b ? b : a);
    case Binary::minimum: return (a != a || b != b) ? nan : (b < a ? b : a);
  }
  return nan;
}

// (da, db) for one element.
template <class T> TL_RULE void binary_backward(Binary op, T a, T b, T g, T& da, T& db) {
  switch (op) {
    case Binary::add: da = g; db = g; return;
    case Binary::sub: da = g; db = -g; return;
    case Binary::mul: da = g * b; db = g * a; return;
    case Binary::div: da = g / b; db = ((-g) * a) / (b * b); return;
    case Binary::maximum: case Binary::minimum: {
      if (a != a || b != b) { da = db = std::numeric_limits<T>::quiet_NaN(); return; }
      bool a_wins = op == Binary::maximum ? a > b : a < b;
      bool b_wins = op == Binary::maximum ? a < b : a > b;
      const T half_g = g * T(0.5);
      da = a_wins ? g : (b_wins ? T(0) : half_g);
      db = b_wins ? g : (a_wins ? T(0) : half_g);
      return;
    }
  }
}

}  // namespace tl

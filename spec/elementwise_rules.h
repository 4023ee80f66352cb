// What every fast backend (fast/ on the CPU, cuda/ on the GPU and its emulation) shares about the
// elementwise ops: which scalar function each op applies (Unary, Binary, unary_of, binary_of) and
// the binary ops' rules, forward and backward, in the strict meaning's formulas (one IEEE operation
// each; maximum/minimum propagate NaN and split g in halves at ties). Callable on host and, compiled
// by nvcc, on the device. Transcendental unary rules differ per backend and live with each.
#pragma once

#include <limits>
#include <optional>
#include <variant>

#include "spec/attrs.h"
#include "spec/host_device.h"
#include "spec/op.h"

namespace tl {

enum class Unary {
  detach, neg, abs, square, sqrt, rsqrt, reciprocal, exp, log, sin, cos, tanh, sigmoid, relu,
  gelu, softplus, scale, clamp, safe_log
};
enum class Binary { add, sub, mul, div, maximum, minimum };

struct UnaryRow {
  OpId op;
  Unary fn;
};
inline constexpr UnaryRow kUnaryOps[] = {
    {OpId::detach, Unary::detach}, {OpId::neg, Unary::neg}, {OpId::abs, Unary::abs},
    {OpId::square, Unary::square}, {OpId::sqrt, Unary::sqrt}, {OpId::rsqrt, Unary::rsqrt},
    {OpId::reciprocal, Unary::reciprocal}, {OpId::exp, Unary::exp}, {OpId::log, Unary::log},
    {OpId::sin, Unary::sin}, {OpId::cos, Unary::cos}, {OpId::tanh, Unary::tanh},
    {OpId::sigmoid, Unary::sigmoid}, {OpId::relu, Unary::relu}, {OpId::gelu, Unary::gelu},
    {OpId::softplus, Unary::softplus}, {OpId::scale, Unary::scale}, {OpId::clamp, Unary::clamp},
    {OpId::safe_log, Unary::safe_log},
};
struct BinaryRow {
  OpId op;
  Binary fn;
};
inline constexpr BinaryRow kBinaryOps[] = {
    {OpId::add, Binary::add}, {OpId::sub, Binary::sub}, {OpId::mul, Binary::mul},
    {OpId::div, Binary::div}, {OpId::maximum, Binary::maximum}, {OpId::minimum, Binary::minimum},
};

// The attributes of a scale / clamp / safe_log node in T (other ops use none); already exact in T
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
  return p;
}

// The scalar function of an elementwise op; nullopt for other ops (a table, not a switch: each
// backend's dispatcher is its one switch over OpId).
inline std::optional<Unary> unary_of(OpId op) {
  for (const UnaryRow& r : kUnaryOps)
    if (r.op == op) return r.fn;
  return std::nullopt;
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
    case Unary::log: case Unary::relu: case Unary::scale: case Unary::clamp:
      return false;
  }
  return false;
}
inline bool vjp_is_g_times_derivative(OpId op) {
  std::optional<Unary> u = unary_of(op);
  return u && vjp_is_g_times_derivative(*u);
}

inline std::optional<Binary> binary_of(OpId op) {
  for (const BinaryRow& r : kBinaryOps)
    if (r.op == op) return r.fn;
  return std::nullopt;
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

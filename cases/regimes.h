// Regime edges of each op, derived from its mathematical definition and the dtype's format (precision
// p, largest finite MAX, smallest normal MIN, smallest subnormal TINY), never from a backend's code:
// the inputs where the exact result, its derivative or its rounding changes regime — overflow and
// underflow of the result or of the exponentials a textbook formula uses, tails where the rounded
// result stops changing (tanh and sigmoid saturate, softplus(x) rounds to x), small arguments where
// f(x) rounds to x or 1, zeros of sin and cos at large multiples of π/2, the bounds of clamp. A
// shortcut taken in an asymptotic range, or a formula switched at a threshold of the implementation's
// own, is wrong somewhere near these points; the `regimes` generator (cases/values.h) draws on and
// around them, from an ulp away to well inside each region.
#pragma once

#include <vector>

#include "spec/graph.h"

namespace tl::oracle {

struct RegimeEdge {
  double at;        // the edge
  double spread;    // draws fall within 2·spread of `at`, log-uniformly close to it (an ulp away as often as far)
  bool symmetric;   // the mirror edge -at holds too (odd or even functions, both tails)
  const char* why;  // "exp overflows above ln MAX"
};

// The edges for the inputs of `consumer` (its op and attributes) in `dtype`; ops whose only edges
// are the format's own get those (around MAX, the normal/subnormal boundary and 0).
std::vector<RegimeEdge> regime_edges(const Node& consumer, DType dtype);

// The format's parameters in double: precision, MAX, MIN (smallest normal), TINY (smallest subnormal).
struct FormatLimits {
  int p;
  double max, min_normal, tiny;
};
FormatLimits format_limits(DType dtype);

}  // namespace tl::oracle

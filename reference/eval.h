// The reference evaluator: forward and VJP of every op in spec/ops.def, and of whole graphs, for
// every scalar — Interval (the real meaning, as enclosures), Rational (exact; rational ops only),
// Strict<float> and Strict<double> (the strict IEEE meaning).
//
// Instantiated for those four scalars in eval_*.cpp; include this header to use them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reference/scalar_interval.h"
#include "reference/scalar_rational.h"
#include "reference/scalar_strict.h"
#include "reference/tensor.h"

namespace tl::ref {

// One op applied to inputs. `node` supplies what source ops need (payload, seed, declared shape);
// `where` names the node in errors. Input ops (graph inputs) are not evaluated here.
template <class S>
RefTensor<S> forward_op(const Node& node, const Inputs<S>& in, const std::string& where);

// Gradients of the op's inputs given the upstream gradient g of its output y; nullopt for inputs
// that receive none (spec/ops.def grad_inputs) and for inputs whose `wanted` entry is false (an
// empty `wanted` means all).
template <class S>
Grads<S> vjp_op(const Node& node, const Inputs<S>& in, const RefTensor<S>& y, const RefTensor<S>& g,
                const std::string& where, const std::vector<bool>& wanted = {});

// Every node's value. `inputs` maps each input node's name to a host tensor of its dtype and shape
// (UserError for missing, extra or mismatched inputs; for non-rational ops under Rational).
template <class S>
std::vector<RefTensor<S>> evaluate(const Graph& g, const std::map<std::string, HostTensor>& inputs);

// Gradients of node `output` (seeded with `seed`, the output's shape) with respect to each node in
// `wrt`. Contributions to a node are added in the order the backward sweep meets them (consumers
// by descending id, inputs by ascending position), starting from the first contribution; a node the
// output does not depend on gets zeros.
template <class S>
std::map<NodeId, RefTensor<S>> gradients(const Graph& g, const std::vector<RefTensor<S>>& values,
                                         NodeId output, const RefTensor<S>& seed,
                                         const std::vector<NodeId>& wrt);

// The strict meaning's tensor as a host tensor of its dtype.
template <class T>
HostTensor to_host(const RefTensor<Strict<T>>& t) {
  HostTensor h(dtype_of<T>(), t.shape);
  for (int64_t i = 0; i < t.numel(); ++i) h.values<T>()[static_cast<std::size_t>(i)] = t[i].v;
  return h;
}

// Name of a scalar type in messages and reports.
template <class S> constexpr const char* scalar_name();
template <> constexpr const char* scalar_name<Interval>() { return "interval"; }
template <> constexpr const char* scalar_name<Rational>() { return "rational"; }
template <> constexpr const char* scalar_name<Strict<float>>() { return "strict_float32"; }
template <> constexpr const char* scalar_name<Strict<double>>() { return "strict_float64"; }

}  // namespace tl::ref

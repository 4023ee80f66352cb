// Whole-graph forward and backward sweeps of the reference (included by eval_impl.h).
#pragma once

#include "spec/print.h"

namespace tl::ref {

template <class S>
void require_rational_ops(const Graph& g) {
  if constexpr (std::is_same_v<S, Rational>) {
    for (NodeId i = 0; i < g.size(); ++i) {
      TL_CHECK_USER(op_has(g.node(i).op, kRational),
                    node_label(i, g.node(i).op) + " is not a rational op: the Rational meaning cannot "
                    "evaluate it exactly (use the interval or strict meaning)");
    }
  }
}

// Strict<T> gives the strict meaning of graphs of T only (its scalars are T).
template <class S>
void require_strict_dtype(const Graph& g) {
  std::optional<DType> want;
  if constexpr (std::is_same_v<S, Strict<float>>) want = DType::f32;
  if constexpr (std::is_same_v<S, Strict<double>>) want = DType::f64;
  if (!want) return;
  for (NodeId i = 0; i < g.size(); ++i) {
    TL_CHECK_USER(g.node(i).dtype == *want,
                  std::string("the ") + scalar_name<S>() + " meaning evaluates " +
                      std::string(dtype_name(*want)) + " graphs, but " + node_label(i, g.node(i).op) +
                      " is " + std::string(dtype_name(g.node(i).dtype)));
  }
}

template <class S>
std::vector<RefTensor<S>> evaluate(const Graph& g, const std::map<std::string, HostTensor>& inputs) {
  require_rational_ops<S>(g);
  require_strict_dtype<S>(g);
  check_input_names(g, inputs);
  std::vector<RefTensor<S>> values;
  values.reserve(static_cast<std::size_t>(g.size()));
  for (NodeId i = 0; i < g.size(); ++i) {
    const Node& n = g.node(i);
    if (n.op == OpId::input) {
      values.push_back(from_host<S>(bound_input(n, inputs)));
      continue;
    }
    Inputs<S> in;
    for (NodeId p : n.parents) in.push_back(&values[static_cast<std::size_t>(p)]);
    values.push_back(forward_op<S>(n, in, node_label(i, n.op)));
  }
  return values;
}

template <class S>
std::map<NodeId, RefTensor<S>> gradients(const Graph& g, const std::vector<RefTensor<S>>& values,
                                         NodeId output, const RefTensor<S>& seed,
                                         const std::vector<NodeId>& wrt) {
  require_rational_ops<S>(g);
  TL_CHECK_USER(output >= 0 && output < g.size(), "gradients: output node " + std::to_string(output) + " does not exist");
  TL_CHECK_USER(seed.shape == g.node(output).shape, "gradients: seed shape " + seed.shape.str() +
                                                       " differs from the output's " + g.node(output).shape.str());
  std::vector<bool> needed = gradient_paths(g, wrt);
  std::vector<std::optional<RefTensor<S>>> grad(static_cast<std::size_t>(g.size()));
  grad[static_cast<std::size_t>(output)] = seed;
  for (NodeId i = output; i >= 0; --i) {
    const Node& n = g.node(i);
    if (!grad[static_cast<std::size_t>(i)] || !op_differentiable(n.op) || !needed[static_cast<std::size_t>(i)]) continue;
    Inputs<S> in;
    std::vector<bool> wanted;
    for (NodeId p : n.parents) {
      in.push_back(&values[static_cast<std::size_t>(p)]);
      wanted.push_back(needed[static_cast<std::size_t>(p)]);
    }
    Grads<S> dx = vjp_op<S>(n, in, values[static_cast<std::size_t>(i)], *grad[static_cast<std::size_t>(i)],
                            node_label(i, n.op), wanted);
    for (std::size_t k = 0; k < dx.size(); ++k) {
      if (!dx[k]) continue;
      auto& target = grad[static_cast<std::size_t>(n.parents[k])];
      if (!target) {
        target = std::move(*dx[k]);
      } else {
        for (int64_t e = 0; e < target->numel(); ++e) (*target)[e] = (*target)[e] + (*dx[k])[e];
      }
    }
  }
  std::map<NodeId, RefTensor<S>> out;
  for (NodeId id : wrt) {
    const auto& gi = grad[static_cast<std::size_t>(id)];
    out.emplace(id, gi ? *gi : zeros<S>(g.node(id).shape));
  }
  return out;
}

}  // namespace tl::ref

// The order of the backward sweep, shared by every backend that runs node-local VJPs (fast/backprop.cpp
// on host tensors, cuda/engine.cu on device tensors): consumers by descending node id, a node's inputs
// by ascending position, the first contribution to a gradient moved in and later ones added
// (target = target + contribution), and gradients formed only on paths to the requested nodes. One
// implementation, so backends agree with each other and with the reference's accumulation order.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "spec/graph.h"

namespace tl {

// node_vjp(i, wanted) -> std::vector<std::optional<Tensor>> (one per parent of node i);
// add_into(Tensor& target, const Tensor& contribution); zeros(NodeId) -> Tensor of that node's
// dtype and shape, for requested nodes that receive no gradient.
template <class Tensor, class NodeVjp, class AddInto, class Zeros>
std::map<NodeId, Tensor> backprop_sweep(const Graph& g, NodeId output, Tensor seed, const std::vector<NodeId>& wrt,
                                        NodeVjp node_vjp, AddInto add_into, Zeros zeros) {
  std::vector<bool> needed = gradient_paths(g, wrt);
  std::vector<std::optional<Tensor>> grad(static_cast<std::size_t>(g.size()));
  grad[static_cast<std::size_t>(output)] = std::move(seed);
  for (NodeId i = output; i >= 0; --i) {
    const Node& n = g.node(i);
    if (!grad[static_cast<std::size_t>(i)] || !op_differentiable(n.op) || !needed[static_cast<std::size_t>(i)]) continue;
    std::vector<bool> wanted;
    for (NodeId p : n.parents) wanted.push_back(needed[static_cast<std::size_t>(p)]);
    std::vector<std::optional<Tensor>> dx = node_vjp(i, *grad[static_cast<std::size_t>(i)], wanted);
    for (std::size_t k = 0; k < dx.size(); ++k) {
      if (!dx[k]) continue;
      auto& target = grad[static_cast<std::size_t>(n.parents[k])];
      if (!target) target = std::move(*dx[k]);
      else add_into(*target, *dx[k]);
    }
  }
  std::map<NodeId, Tensor> out;
  for (NodeId id : wrt) {
    if (out.count(id)) continue;  // asked twice
    auto& gi = grad[static_cast<std::size_t>(id)];
    out.emplace(id, gi ? std::move(*gi) : zeros(id));
  }
  return out;
}

}  // namespace tl

// The eager backend: every op runs at once on the fast kernels and is recorded on a tape (its
// node, parents and value). Gradients are returned explicitly, as tensors, for the requested
// variables — nothing is stored on the variables themselves. The tape is a graph: it prints as text,
// exports as DOT and as tl.ir.v1 JSON, so a training step can be inspected.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "spec/graph.h"

namespace tl::eager {

struct Var {
  NodeId id = -1;
};

class Tape {
 public:
  explicit Tape(DType dtype, std::string name = "tape");

  Var input(std::string name, HostTensor value, InputRole role = InputRole::data);
  Var param(std::string name, HostTensor value) { return input(std::move(name), std::move(value), InputRole::param); }
  // Any op of spec/ops.def: shape inference, then the kernel, then the record. Source ops
  // (rand_uniform, bernoulli_mask) take their shape from `declared`.
  Var apply(OpId op, const std::vector<Var>& inputs, Attrs attrs, Shape declared = {});
  Var constant(std::string name, HostTensor value);

  const HostTensor& value(Var v) const { return values_.at(static_cast<std::size_t>(v.id)); }
  const Graph& graph() const { return graph_; }
  int64_t size() const { return graph_.size(); }

  // Gradients of `output` (seeded with `seed`, the output's shape) w.r.t. each of `wrt`; the
  // accumulation order is the reference's (consumers by descending id, inputs by ascending position).
  std::map<NodeId, HostTensor> gradients(Var output, const HostTensor& seed, const std::vector<Var>& wrt) const;

  std::string to_text() const;   // one node per line with a short value preview
  std::string to_dot() const;
  std::string to_json() const;   // tl.ir.v1; the tape's last node is its output

 private:
  DType dtype_;
  Graph graph_;
  std::vector<HostTensor> values_;
};

// Runs a whole graph eagerly (inputs by name); returns the tape with every node's value.
Tape run_graph(const Graph& g, const std::map<std::string, HostTensor>& inputs);

}  // namespace tl::eager

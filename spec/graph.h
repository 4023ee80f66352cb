// The graph IR: a DAG of ops from spec/ops.def in topological order (DESIGN §1, §5).
//
// Invariants (checked by validate()): node id = index; every parent id is smaller than the node's id;
// arity within the op's range; attrs hold the op's struct; every node has the dtype of its parents;
// the declared shape equals infer_shape's; const nodes (and only they) carry a payload of their dtype
// and shape; input and const names are non-empty and unique; outputs name existing nodes, uniquely.
#pragma once

#include <memory>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "spec/op.h"
#include "spec/tensor.h"

namespace tl {

using NodeId = int32_t;

struct Node {
  OpId op = OpId::input;
  std::vector<NodeId> parents;
  Attrs attrs;
  DType dtype = DType::f32;
  Shape shape;
  std::shared_ptr<const HostTensor> value;  // payload of const nodes; null for every other op
};

struct GraphOutput {
  std::string name;
  NodeId node = 0;
  bool operator==(const GraphOutput&) const = default;
};

struct Graph {
  std::string name;
  std::vector<Node> nodes;
  std::vector<GraphOutput> outputs;

  NodeId size() const { return static_cast<NodeId>(nodes.size()); }
  const Node& node(NodeId id) const { return nodes.at(static_cast<std::size_t>(id)); }
  // Input nodes (data and parameters) in node order.
  std::vector<NodeId> inputs() const;
  // The input or const node with this name, if any.
  std::optional<NodeId> find_named(std::string_view name) const;
};

// "node 7 (reduce_sum)": how messages name a node.
std::string node_label(NodeId id, OpId op);

// Throws UserError naming the first node (or output) that breaks an invariant.
void validate(const Graph& g);

// needed[i]: node i is one of `wrt` or lies on a path from one of them — the nodes whose gradient
// a backward sweep must form to reach `wrt`. UserError for an id that does not exist.
std::vector<bool> gradient_paths(const Graph& g, const std::vector<NodeId>& wrt);

// Binding a run's inputs, as every backend does: UserError for a name that is not an input of `g`
// (check_input_names), and for an input node with no value or a value of the wrong dtype or shape
// (bound_input returns the value for input node `n`).
void check_input_names(const Graph& g, const std::map<std::string, HostTensor>& inputs);
const HostTensor& bound_input(const Node& n, const std::map<std::string, HostTensor>& inputs);
// UserError unless `output` is a node of `g` and `seed` has its dtype and shape (a gradient run).
void check_gradient_seed(const Graph& g, NodeId output, const HostTensor& seed);

// Structural equality: ops, parents, attrs, dtypes, shapes, payload bits, outputs, name.
bool graphs_equal(const Graph& a, const Graph& b);

// Name of an input or const node ("" for other ops).
std::string_view node_name(const Node& n);

}  // namespace tl

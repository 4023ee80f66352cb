// The eager tape: records spec nodes with their values as ops run.
#include "fast/eager/tape.h"

#include "fast/backprop.h"
#include "fast/kernels/kernels.h"
#include "spec/infer.h"
#include "spec/json_io.h"
#include "spec/print.h"

namespace tl::eager {

Tape::Tape(DType dtype, std::string name) : dtype_(dtype) { graph_.name = std::move(name); }

Var Tape::input(std::string name, HostTensor value, InputRole role) {
  TL_CHECK_USER(value.dtype() == dtype_, "tape input '" + name + "' is " + std::string(dtype_name(value.dtype())) +
                                             " on a " + std::string(dtype_name(dtype_)) + " tape");
  TL_CHECK_USER(!graph_.find_named(name), "tape: the name '" + name + "' is already used");
  Node n;
  n.op = OpId::input;
  n.attrs = InputAttrs{name, role};
  n.dtype = dtype_;
  n.shape = value.shape();
  graph_.nodes.push_back(std::move(n));
  values_.push_back(std::move(value));
  return Var{graph_.size() - 1};
}

Var Tape::constant(std::string name, HostTensor value) {
  TL_CHECK_USER(value.dtype() == dtype_, "tape constant '" + name + "' has the wrong dtype");
  TL_CHECK_USER(!graph_.find_named(name), "tape: the name '" + name + "' is already used");
  Node n;
  n.op = OpId::constant;
  n.attrs = ConstAttrs{name};
  n.dtype = dtype_;
  n.shape = value.shape();
  n.value = std::make_shared<const HostTensor>(value);
  graph_.nodes.push_back(std::move(n));
  values_.push_back(std::move(value));
  return Var{graph_.size() - 1};
}

Var Tape::apply(OpId op, const std::vector<Var>& inputs, Attrs attrs, Shape declared) {
  NodeId id = graph_.size();
  std::string where = node_label(id, op);
  TL_CHECK_USER(op != OpId::input && op != OpId::constant, where + ": use Tape::input or Tape::constant");
  round_float_attrs(op, attrs, dtype_);
  Node n;
  n.op = op;
  n.attrs = std::move(attrs);
  n.dtype = dtype_;
  n.shape = std::move(declared);
  std::vector<Shape> shapes;
  fast::HostInputs in;
  for (Var v : inputs) {
    TL_CHECK_USER(v.id >= 0 && v.id < id, where + ": input " + std::to_string(v.id) + " is not on this tape");
    n.parents.push_back(v.id);
    shapes.push_back(graph_.node(v.id).shape);
    in.push_back(&values_[static_cast<std::size_t>(v.id)]);
  }
  n.shape = infer_shape(op, n.attrs, shapes, n.shape, where);
  HostTensor y = fast::forward(n, in, where);
  graph_.nodes.push_back(std::move(n));
  values_.push_back(std::move(y));
  return Var{id};
}

std::map<NodeId, HostTensor> Tape::gradients(Var output, const HostTensor& seed, const std::vector<Var>& wrt) const {
  std::vector<NodeId> ids;
  for (Var v : wrt) ids.push_back(v.id);
  return fast::backprop(graph_, [&](NodeId i) -> const HostTensor& { return values_[static_cast<std::size_t>(i)]; },
                        output.id, seed, ids);
}

std::string Tape::to_text() const {
  std::string out = graph_to_text(graph_);
  out += "values:\n";
  for (NodeId i = 0; i < graph_.size(); ++i) {
    out += "  %" + std::to_string(i) + " = " + tensor_to_hex_string(values_[static_cast<std::size_t>(i)], 4) + "\n";
  }
  return out;
}

std::string Tape::to_dot() const { return graph_to_dot(graph_); }

std::string Tape::to_json() const {
  Graph g = graph_;
  if (g.outputs.empty() && g.size() > 0) g.outputs.push_back({"out", g.size() - 1});
  return graph_to_json(g);
}

Tape run_graph(const Graph& g, const std::map<std::string, HostTensor>& inputs) {
  DType dtype = g.size() ? g.node(0).dtype : DType::f32;
  Tape tape(dtype, g.name);
  check_input_names(g, inputs);
  for (NodeId i = 0; i < g.size(); ++i) {
    const Node& n = g.node(i);
    if (n.op == OpId::input) {
      tape.input(std::string(node_name(n)), bound_input(n, inputs), std::get<InputAttrs>(n.attrs).role);
    } else if (n.op == OpId::constant) {
      tape.constant(std::string(node_name(n)), *n.value);
    } else {
      std::vector<Var> in;
      for (NodeId p : n.parents) in.push_back(Var{p});
      tape.apply(n.op, in, n.attrs, n.shape);
    }
  }
  return tape;
}

}  // namespace tl::eager

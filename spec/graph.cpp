// Graph queries, validation and structural equality.
#include "spec/graph.h"

#include <set>

#include "spec/error.h"
#include "spec/infer.h"

namespace tl {
namespace {

// Rejects floating attributes that the node's dtype cannot hold exactly.
struct FloatAttrCheck {
  DType dtype;
  const std::string& where;
  void operator()(std::string_view field, const double& x) const {
    TL_CHECK_USER(representable_in(x, dtype),
                  where + ": attribute " + std::string(field) + " = " + hex_float(x) +
                      " is not exactly representable in " + std::string(dtype_name(dtype)) +
                      " (round it, e.g. to " + hex_float(static_cast<float>(x)) + ")");
  }
  template <class T> void operator()(std::string_view, const T&) const {}
};

void check_float_attrs(const Node& n, const std::string& where) {
  if (n.op == OpId::bernoulli_mask) return;  // keep_prob is a probability compared in float64
  FloatAttrCheck check{n.dtype, where};
  std::visit([&](auto a) { a.visit_fields(check); }, n.attrs);
}

void check_payload(const Node& n, const std::string& where) {
  if (n.op != OpId::constant) {
    TL_CHECK_USER(!n.value, where + ": only const nodes carry a value");
    return;
  }
  TL_CHECK_USER(n.value != nullptr, where + ": const node has no value");
  TL_CHECK_USER(n.value->dtype() == n.dtype,
                where + ": value is " + std::string(dtype_name(n.value->dtype())) +
                    " but the node is " + std::string(dtype_name(n.dtype)));
  TL_CHECK_USER(n.value->shape() == n.shape, where + ": value has shape " +
                                                 n.value->shape().str() + " but the node has " +
                                                 n.shape.str());
}

void check_node(const Graph& g, NodeId id, std::set<std::string>& names) {
  const Node& n = g.node(id);
  std::string where = node_label(id, n.op);
  TL_CHECK_USER(attrs_match_op(n.op, n.attrs), where + ": attributes are of the wrong kind");
  std::vector<Shape> in;
  for (std::size_t k = 0; k < n.parents.size(); ++k) {
    NodeId p = n.parents[k];
    TL_CHECK_USER(p >= 0 && p < id, where + ": parent " + std::to_string(k) + " is node " +
                                        std::to_string(p) + ", which is not an earlier node");
    const Node& parent = g.node(p);
    TL_CHECK_USER(parent.dtype == n.dtype,
                  where + ": parent " + std::to_string(k) + " (node " + std::to_string(p) +
                      ") is " + std::string(dtype_name(parent.dtype)) + " but the node is " +
                      std::string(dtype_name(n.dtype)) + " (there is no cast op)");
    in.push_back(parent.shape);
  }
  check_float_attrs(n, where);
  Shape inferred = infer_shape(n.op, n.attrs, in, n.shape, where);
  TL_CHECK_USER(inferred == n.shape, where + ": declared shape " + n.shape.str() +
                                         " but the op produces " + inferred.str());
  check_payload(n, where);
  std::string_view name = node_name(n);
  if (n.op == OpId::input || n.op == OpId::constant) {
    TL_CHECK_USER(!name.empty(), where + ": name is empty");
    TL_CHECK_USER(names.insert(std::string(name)).second,
                  where + ": name '" + std::string(name) + "' is used by an earlier node");
  }
}

}  // namespace

std::string node_label(NodeId id, OpId op) {
  return "node " + std::to_string(id) + " (" + std::string(op_json_name(op)) + ")";
}

std::string_view node_name(const Node& n) {
  if (const auto* a = std::get_if<InputAttrs>(&n.attrs)) return a->name;
  if (const auto* a = std::get_if<ConstAttrs>(&n.attrs)) return a->name;
  return {};
}

std::vector<NodeId> Graph::inputs() const {
  std::vector<NodeId> ids;
  for (NodeId i = 0; i < size(); ++i) {
    if (node(i).op == OpId::input) ids.push_back(i);
  }
  return ids;
}

std::optional<NodeId> Graph::find_named(std::string_view wanted) const {
  for (NodeId i = 0; i < size(); ++i) {
    if ((node(i).op == OpId::input || node(i).op == OpId::constant) && node_name(node(i)) == wanted) {
      return i;
    }
  }
  return std::nullopt;
}

void validate(const Graph& g) {
  std::set<std::string> names;
  for (NodeId i = 0; i < g.size(); ++i) check_node(g, i, names);
  TL_CHECK_USER(!g.outputs.empty(), "graph '" + g.name + "' has no outputs");
  std::set<std::string> output_names;
  for (std::size_t k = 0; k < g.outputs.size(); ++k) {
    const GraphOutput& out = g.outputs[k];
    std::string where = "output " + std::to_string(k) + " ('" + out.name + "')";
    TL_CHECK_USER(!out.name.empty(), where + ": name is empty");
    TL_CHECK_USER(output_names.insert(out.name).second, where + ": name is used twice");
    TL_CHECK_USER(out.node >= 0 && out.node < g.size(),
                  where + ": node " + std::to_string(out.node) + " does not exist");
  }
}

void check_input_names(const Graph& g, const std::map<std::string, HostTensor>& inputs) {
  for (const auto& [name, t] : inputs) {
    std::optional<NodeId> id = g.find_named(name);
    TL_CHECK_USER(id && g.node(*id).op == OpId::input, "'" + name + "' is not an input of graph '" + g.name + "'");
  }
}

const HostTensor& bound_input(const Node& n, const std::map<std::string, HostTensor>& inputs) {
  std::string name(node_name(n));
  auto it = inputs.find(name);
  TL_CHECK_USER(it != inputs.end(), "no value given for input '" + name + "'");
  const HostTensor& t = it->second;
  TL_CHECK_USER(t.dtype() == n.dtype && t.shape() == n.shape,
                "input '" + name + "' must be " + std::string(dtype_name(n.dtype)) + n.shape.str() + ", got " +
                    std::string(dtype_name(t.dtype())) + t.shape().str());
  return t;
}

void check_gradient_seed(const Graph& g, NodeId output, const HostTensor& seed) {
  TL_CHECK_USER(output >= 0 && output < g.size(), "gradients: output node " + std::to_string(output) + " does not exist");
  const Node& n = g.node(output);
  TL_CHECK_USER(seed.shape() == n.shape && seed.dtype() == n.dtype,
                "gradients: the seed must be " + std::string(dtype_name(n.dtype)) + n.shape.str());
}

std::vector<bool> gradient_paths(const Graph& g, const std::vector<NodeId>& wrt) {
  std::vector<bool> needed(static_cast<std::size_t>(g.size()), false);
  for (NodeId id : wrt) {
    TL_CHECK_USER(id >= 0 && id < g.size(), "gradients: node " + std::to_string(id) + " does not exist");
    needed[static_cast<std::size_t>(id)] = true;
  }
  for (NodeId i = 0; i < g.size(); ++i) {
    for (NodeId p : g.node(i).parents) {
      if (needed[static_cast<std::size_t>(p)]) needed[static_cast<std::size_t>(i)] = true;
    }
  }
  return needed;
}

bool graphs_equal(const Graph& a, const Graph& b) {
  if (a.name != b.name || a.outputs != b.outputs || a.size() != b.size()) return false;
  for (NodeId i = 0; i < a.size(); ++i) {
    const Node& x = a.node(i);
    const Node& y = b.node(i);
    if (x.op != y.op || x.parents != y.parents || !(x.attrs == y.attrs) || x.dtype != y.dtype ||
        !(x.shape == y.shape) || bool(x.value) != bool(y.value)) {
      return false;
    }
    if (x.value && !x.value->bit_equal(*y.value)) return false;
  }
  return true;
}

}  // namespace tl

// Text and DOT rendering of graphs.
#include "spec/print.h"

#include <sstream>

namespace tl {
namespace {

struct AttrText {
  std::string out;
  void add(std::string_view key, const std::string& value) {
    if (!out.empty()) out += ", ";
    out += std::string(key) + "=" + value;
  }
  void operator()(std::string_view key, const double& x) {
    std::ostringstream s;
    s.precision(17);
    s << x;
    add(key, s.str());
  }
  void operator()(std::string_view key, const int64_t& x) { add(key, std::to_string(x)); }
  void operator()(std::string_view key, const uint64_t& x) { add(key, std::to_string(x)); }
  void operator()(std::string_view key, const bool& x) { add(key, x ? "true" : "false"); }
  void operator()(std::string_view key, const std::string& x) { add(key, "'" + x + "'"); }
  void operator()(std::string_view key, const Dims& x) { add(key, Shape(x).str()); }
  void operator()(std::string_view key, const Reduction& x) { add(key, std::string(reduction_name(x))); }
  void operator()(std::string_view key, const InputRole& x) { add(key, std::string(input_role_name(x))); }
};

std::string type_text(const Node& n) {
  return std::string(dtype_name(n.dtype)) + n.shape.str();
}

std::string dot_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string attrs_to_text(const Attrs& a) {
  AttrText text;
  std::visit([&](auto attrs) { attrs.visit_fields(text); }, a);
  return text.out;
}

std::string graph_to_text(const Graph& g) {
  std::string out = "graph '" + g.name + "' (" + std::to_string(g.size()) + " nodes)\n";
  for (NodeId i = 0; i < g.size(); ++i) {
    const Node& n = g.node(i);
    out += "  %" + std::to_string(i) + " = " + std::string(op_json_name(n.op)) + "(";
    for (std::size_t k = 0; k < n.parents.size(); ++k) {
      out += (k ? ", %" : "%") + std::to_string(n.parents[k]);
    }
    out += ")";
    std::string attrs = attrs_to_text(n.attrs);
    if (!attrs.empty()) out += " {" + attrs + "}";
    out += " : " + type_text(n) + "\n";
  }
  for (const GraphOutput& o : g.outputs) {
    out += "  output '" + o.name + "' = %" + std::to_string(o.node) + "\n";
  }
  return out;
}

std::string graph_to_dot(const Graph& g) {
  std::string out = "digraph \"" + dot_escape(g.name) + "\" {\n  rankdir=TB;\n";
  for (NodeId i = 0; i < g.size(); ++i) {
    const Node& n = g.node(i);
    std::string label = "%";
    label += std::to_string(i);
    label += " ";
    label += op_json_name(n.op);
    std::string attrs = attrs_to_text(n.attrs);
    if (!attrs.empty()) label += "\\n" + dot_escape(attrs);
    label += "\\n" + type_text(n);
    const char* shape = n.op == OpId::input ? "ellipse" : "box";
    const char* style = n.op == OpId::constant ? ", style=dashed" : "";
    out += "  n" + std::to_string(i) + " [label=\"" + label + "\", shape=" + shape + style + "];\n";
  }
  for (NodeId i = 0; i < g.size(); ++i) {
    for (NodeId p : g.node(i).parents) {
      out += "  n" + std::to_string(p) + " -> n" + std::to_string(i) + ";\n";
    }
  }
  for (std::size_t k = 0; k < g.outputs.size(); ++k) {
    out += "  out" + std::to_string(k) + " [label=\"" + dot_escape(g.outputs[k].name) +
           "\", shape=doubleoctagon];\n";
    out += "  n" + std::to_string(g.outputs[k].node) + " -> out" + std::to_string(k) + ";\n";
  }
  return out + "}\n";
}

}  // namespace tl

// Compiling a graph into a plan: schedule, fusion of elementwise unary chains, buffer assignment by
// liveness, and the stable text dump.
#include "fast/compiled/plan.h"

#include "fast/kernels/kernels.h"
#include "spec/json_io.h"
#include "spec/print.h"

namespace tl::compiled {
namespace {

std::vector<std::vector<NodeId>> consumers_of(const Graph& g) {
  std::vector<std::vector<NodeId>> c(static_cast<std::size_t>(g.size()));
  for (NodeId i = 0; i < g.size(); ++i) {
    for (NodeId p : g.node(i).parents) c[static_cast<std::size_t>(p)].push_back(i);
  }
  return c;
}

std::vector<bool> output_mask(const Graph& g) {
  std::vector<bool> is_output(static_cast<std::size_t>(g.size()), false);
  for (const GraphOutput& o : g.outputs) is_output[static_cast<std::size_t>(o.node)] = true;
  return is_output;
}

// Groups nodes into steps: a fusable unary node whose only consumer is the next fusable unary node
// (and which is not an output) joins that node's step.
std::vector<Step> schedule(const Graph& g, const std::vector<std::vector<NodeId>>& consumers,
                           const std::vector<bool>& is_output) {
  std::vector<Step> steps;
  std::vector<bool> placed(static_cast<std::size_t>(g.size()), false);
  for (NodeId i = 0; i < g.size(); ++i) {
    if (placed[static_cast<std::size_t>(i)] || g.node(i).op == OpId::input) continue;
    Step s;
    s.nodes.push_back(i);
    placed[static_cast<std::size_t>(i)] = true;
    NodeId cur = i;
    while (fast::is_fusable_unary(g.node(cur).op) && !is_output[static_cast<std::size_t>(cur)] &&
           consumers[static_cast<std::size_t>(cur)].size() == 1) {
      NodeId next = consumers[static_cast<std::size_t>(cur)][0];
      if (!fast::is_fusable_unary(g.node(next).op)) break;
      s.nodes.push_back(next);
      placed[static_cast<std::size_t>(next)] = true;
      cur = next;
    }
    steps.push_back(std::move(s));
  }
  return steps;
}

}  // namespace

Plan Plan::compile(const Graph& g, PlanOptions options) {
  validate(g);
  Plan p;
  p.graph_ = g;
  p.options_ = options;
  auto consumers = consumers_of(g);
  auto is_output = output_mask(g);
  p.steps_ = schedule(g, consumers, is_output);
  for (NodeId i = 0; i < g.size(); ++i) p.labels_.push_back(node_label(i, g.node(i).op));
  p.buffer_of_.assign(static_cast<std::size_t>(g.size()), -1);
  // Last step that reads each node (outputs live to the end).
  std::vector<int> step_of(static_cast<std::size_t>(g.size()), -1), last_read(static_cast<std::size_t>(g.size()), -1);
  for (std::size_t s = 0; s < p.steps_.size(); ++s) {
    for (NodeId n : p.steps_[s].nodes) step_of[static_cast<std::size_t>(n)] = static_cast<int>(s);
  }
  for (NodeId i = 0; i < g.size(); ++i) {
    for (NodeId c : consumers[static_cast<std::size_t>(i)]) {
      last_read[static_cast<std::size_t>(i)] = std::max(last_read[static_cast<std::size_t>(i)], step_of[static_cast<std::size_t>(c)]);
    }
    if (is_output[static_cast<std::size_t>(i)]) last_read[static_cast<std::size_t>(i)] = static_cast<int>(p.steps_.size());
  }
  std::vector<int> free_list;
  for (std::size_t s = 0; s < p.steps_.size(); ++s) {
    Step& step = p.steps_[s];
    for (std::size_t j = 0; j < step.nodes.size(); ++j) {
      NodeId n = step.nodes[j];
      bool last_in_chain = j + 1 == step.nodes.size();
      if (!last_in_chain && !options.keep_values) {
        step.buffers.push_back(-1);
        continue;
      }
      const Shape& shape = g.node(n).shape;
      int buf = -1;
      for (std::size_t k = 0; k < free_list.size() && !options.keep_values; ++k) {
        if (p.buffer_shapes_[static_cast<std::size_t>(free_list[k])].numel() == shape.numel()) {
          buf = free_list[k];
          free_list.erase(free_list.begin() + static_cast<std::ptrdiff_t>(k));
          break;
        }
      }
      if (buf < 0) {
        buf = static_cast<int>(p.buffer_shapes_.size());
        p.buffer_shapes_.push_back(shape);
      }
      p.buffer_shapes_[static_cast<std::size_t>(buf)] = shape;
      p.buffer_of_[static_cast<std::size_t>(n)] = buf;
      step.buffers.push_back(buf);
    }
    if (options.keep_values) continue;
    // Buffers whose last reader is this step can be reused by later steps.
    for (NodeId i = 0; i < g.size(); ++i) {
      int buf = p.buffer_of_[static_cast<std::size_t>(i)];
      if (buf >= 0 && last_read[static_cast<std::size_t>(i)] == static_cast<int>(s)) {
        step.freed.push_back(buf);
        free_list.push_back(buf);
      }
    }
  }
  return p;
}

std::string Plan::dump() const {
  const Graph& g = graph_;
  std::string out = "plan '" + g.name + "': " + std::to_string(g.size()) + " nodes, " +
                    std::to_string(steps_.size()) + " steps, " + std::to_string(buffer_shapes_.size()) +
                    " buffers" + (options_.keep_values ? " (keep_values)" : "") + "\n";
  for (NodeId id : g.inputs()) {
    out += "  input %" + std::to_string(id) + " '" + std::string(node_name(g.node(id))) + "' " +
           std::string(dtype_name(g.node(id).dtype)) + g.node(id).shape.str() + "\n";
  }
  for (std::size_t s = 0; s < steps_.size(); ++s) {
    const Step& step = steps_[s];
    out += "  step " + std::to_string(s) + (step.nodes.size() > 1 ? ": fused" : ":");
    for (std::size_t j = 0; j < step.nodes.size(); ++j) {
      const Node& n = g.node(step.nodes[j]);
      out += " %" + std::to_string(step.nodes[j]) + "=" + std::string(op_json_name(n.op)) + "(";
      for (std::size_t k = 0; k < n.parents.size(); ++k) out += (k ? ",%" : "%") + std::to_string(n.parents[k]);
      out += ")";
      std::string attrs = attrs_to_text(n.attrs);
      if (!attrs.empty() && n.op != OpId::constant) out += "{" + attrs + "}";
      out += step.buffers[j] >= 0 ? "->b" + std::to_string(step.buffers[j]) : "->reg";
    }
    out += " " + g.node(step.nodes.back()).shape.str();
    if (!step.freed.empty()) {
      out += " free";
      for (int b : step.freed) out += " b" + std::to_string(b);
    }
    out += "\n";
  }
  for (const GraphOutput& o : g.outputs) {
    int buf = buffer_of_[static_cast<std::size_t>(o.node)];
    out += "  output '" + o.name + "' = %" + std::to_string(o.node) +
           (buf >= 0 ? " (b" + std::to_string(buf) + ")" : " (input)") + "\n";
  }
  return out;
}

Plan& PlanCache::get(const Graph& g, PlanOptions options) {
  std::string key = std::string(options.keep_values ? "keep\n" : "reuse\n") + graph_to_json(g);
  auto it = plans_.find(key);
  if (it == plans_.end()) it = plans_.emplace(key, std::make_unique<Plan>(Plan::compile(g, options))).first;
  return *it->second;
}

}  // namespace tl::compiled

// Running a compiled plan: bind inputs, execute steps on reused buffers, read outputs; gradients
// through the shared backward sweep.
#include "fast/backprop.h"
#include "fast/compiled/plan.h"
#include "fast/kernels/kernels.h"

namespace tl::compiled {

std::map<std::string, HostTensor> Plan::run(const std::map<std::string, HostTensor>& inputs) {
  const Graph& g = graph_;
  if (buffers_.empty()) {
    for (const Shape& s : buffer_shapes_) buffers_.emplace_back(g.size() ? g.node(0).dtype : DType::f32, s);
  }
  bound_.assign(static_cast<std::size_t>(g.size()), nullptr);
  check_input_names(g, inputs);
  for (NodeId id : g.inputs()) bound_[static_cast<std::size_t>(id)] = &bound_input(g.node(id), inputs);
  for (const Step& step : steps_) {
    const Node& first = g.node(step.nodes[0]);
    fast::HostInputs in;
    for (NodeId p : first.parents) in.push_back(bound_[static_cast<std::size_t>(p)]);
    if (step.nodes.size() == 1) {
      HostTensor& out = buffers_[static_cast<std::size_t>(step.buffers[0])];
      if (!(out.shape() == first.shape)) out.reshape(first.shape);  // reused: same element count
      fast::forward_into(first, in, out, labels_[static_cast<std::size_t>(step.nodes[0])]);
      bound_[static_cast<std::size_t>(step.nodes[0])] = &out;
      continue;
    }
    std::vector<const Node*> chain;
    std::vector<HostTensor*> outs;
    for (std::size_t j = 0; j < step.nodes.size(); ++j) {
      chain.push_back(&g.node(step.nodes[j]));
      HostTensor* out = step.buffers[j] >= 0 ? &buffers_[static_cast<std::size_t>(step.buffers[j])] : nullptr;
      if (out && !(out->shape() == chain.back()->shape)) out->reshape(chain.back()->shape);
      outs.push_back(out);
      bound_[static_cast<std::size_t>(step.nodes[j])] = out;
    }
    fast::run_unary_chain(chain, *in[0], outs);
  }
  std::map<std::string, HostTensor> result;
  for (const GraphOutput& o : g.outputs) result.emplace(o.name, *bound_[static_cast<std::size_t>(o.node)]);
  return result;
}

const HostTensor& Plan::value(NodeId id) const {
  TL_CHECK_USER(options_.keep_values, "Plan::value needs a plan compiled with keep_values");
  TL_CHECK_USER(id >= 0 && id < graph_.size() && bound_.size() == static_cast<std::size_t>(graph_.size()) &&
                    bound_[static_cast<std::size_t>(id)],
                "Plan::value: node " + std::to_string(id) + " has no value (run the plan first)");
  return *bound_[static_cast<std::size_t>(id)];
}

std::map<NodeId, HostTensor> Plan::gradients(const std::map<std::string, HostTensor>& inputs, NodeId output,
                                             const HostTensor& seed, const std::vector<NodeId>& wrt) {
  TL_CHECK_USER(options_.keep_values, "Plan::gradients needs a plan compiled with keep_values");
  run(inputs);
  return fast::backprop(graph_, [&](NodeId i) -> const HostTensor& { return value(i); }, output, seed, wrt);
}

}  // namespace tl::compiled

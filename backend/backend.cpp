// The backend names, availability and factory, and the shorthands over Backend::run.
#include "backend/backend.h"

#include "spec/error.h"

namespace tl::backend {
namespace {

NodeId op_node(const Graph& g) { return g.outputs.at(0).node; }

}  // namespace

HostTensor Backend::forward(const Graph& g, const Inputs& inputs) {
  Request r;
  r.values = {op_node(g)};
  return std::move(run(g, inputs, r).values.at(op_node(g)));
}

MaybeTensors Backend::backward(const Graph& g, const Inputs& inputs, const HostTensor& seed) {
  const Node& n = g.node(op_node(g));
  std::map<NodeId, HostTensor> grads = gradients(g, inputs, op_node(g), seed, n.parents);
  MaybeTensors out;
  for (std::size_t k = 0; k < n.parents.size(); ++k) {
    auto it = grads.find(n.parents[k]);  // a backend that leaves one out: nullopt, judged as missing
    if (!op_input_gets_grad(n.op, static_cast<int>(k)) || it == grads.end()) out.emplace_back();
    else out.emplace_back(std::move(it->second));
  }
  return out;
}

Tensors Backend::run_keep_values(const Graph& g, const Inputs& inputs) {
  Request r;
  r.every_value = true;
  Result res = run(g, inputs, r);
  Tensors out;
  for (NodeId i = 0; i < g.size(); ++i) out.push_back(std::move(res.values.at(i)));
  return out;
}

std::map<NodeId, HostTensor> Backend::gradients(const Graph& g, const Inputs& inputs, NodeId output,
                                                const HostTensor& seed, const std::vector<NodeId>& wrt) {
  Request r;
  r.output = output;
  r.seed = seed;
  r.wrt = wrt;
  return std::move(run(g, inputs, r).grads);
}

namespace {
std::vector<NodeId> every_node(const Graph& g) {
  std::vector<NodeId> all;
  for (NodeId i = 0; i < g.size(); ++i) all.push_back(i);
  return all;
}
}  // namespace

std::vector<NodeId> requested_values(const Graph& g, const Request& r) { return r.every_value ? every_node(g) : r.values; }

std::vector<NodeId> requested_wrt(const Graph& g, const Request& r) { return r.every_upstream ? every_node(g) : r.wrt; }

HostTensor requested_seed(const Graph& g, const Request& r) {
  TL_CHECK_INTERNAL(r.output.has_value(), "a seed without an output to differentiate");
  if (r.seed) return *r.seed;
  const Node& n = g.node(*r.output);
  TL_CHECK_USER(n.shape.numel() == 1, "gradients of node " + std::to_string(*r.output) +
                                          " need a seed: it has more than one element");
  HostTensor one(n.dtype, n.shape);
  one.set_from_double(0, 1);
  return one;
}

const std::vector<std::string>& backend_names() {
  static const std::vector<std::string> names = {"eager", "compiled", "reference", "cuda", "cuda-cublas", "cuda-emulated"};
  return names;
}

std::string backend_names_text() {
  std::string text;
  for (const std::string& n : backend_names()) text += (text.empty() ? "" : ", ") + n;
  return text;
}

namespace {
void check_known(const std::string& name) {
  for (const std::string& n : backend_names())
    if (n == name) return;
  throw UserError("unknown backend '" + name + "' (expected one of " + backend_names_text() + ")");
}
}  // namespace

std::string unavailable_reason(const std::string& name) {
  check_known(name);
  if (name == "cuda" || name == "cuda-cublas") return cuda_unavailable_reason(name);
  return "";
}

std::unique_ptr<Backend> make_backend(const std::string& name) {
  check_known(name);
  if (name == "eager") return make_fast_backend(false);
  if (name == "compiled") return make_fast_backend(true);
  if (name == "reference") return make_reference_backend();
  return make_cuda_backend(name);
}

}  // namespace tl::backend

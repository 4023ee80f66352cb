// The reference backend and its contract table.
#include "oracle/backend_reference.h"

#include "fast/contracts.h"
#include "reference/eval.h"
#include "kernel_rules/elementwise_rules.h"
#include "spec/error.h"

namespace tl::oracle {
namespace {

using ref::to_host;

template <class T>
class ReferenceBackend : public Backend {
  using S = ref::Strict<T>;

 public:
  std::string name() const override { return "reference"; }
  Contract contract(OpId op, DType d, Direction dir) const override { return reference_contract(op, d, dir); }
  std::string numerical_policy() const override {
    return "the strict IEEE meaning (reference/): native + - * / sqrt fma, every other real function "
           "correctly rounded by a Ziv loop over MPFI enclosures; declared orders of spec/";
  }
  HostTensor forward(const Graph& g, const std::map<std::string, HostTensor>& in) override {
    return run_keep_values(g, in).at(static_cast<std::size_t>(g.outputs.at(0).node));
  }
  MaybeTensors backward(const Graph& g, const std::map<std::string, HostTensor>& in, const HostTensor& seed) override {
    NodeId out = g.outputs.at(0).node;
    const Node& n = g.node(out);
    auto grads = gradients(g, in, out, seed, n.parents);
    MaybeTensors result;
    for (std::size_t k = 0; k < n.parents.size(); ++k) {
      if (op_input_gets_grad(n.op, static_cast<int>(k))) result.emplace_back(grads.at(n.parents[k]));
      else result.emplace_back();
    }
    return result;
  }
  Tensors run_keep_values(const Graph& g, const std::map<std::string, HostTensor>& in) override {
    Tensors out;
    for (const auto& t : ref::evaluate<S>(g, in)) out.push_back(to_host(t));
    return out;
  }
  std::map<NodeId, HostTensor> gradients(const Graph& g, const std::map<std::string, HostTensor>& in, NodeId output,
                                         const HostTensor& seed, const std::vector<NodeId>& wrt) override {
    auto values = ref::evaluate<S>(g, in);
    std::map<NodeId, HostTensor> out;
    for (auto& [id, t] : ref::gradients<S>(g, values, output, ref::from_host<S>(seed), wrt)) out.emplace(id, to_host(t));
    return out;
  }
};

// Dispatches on the graph's dtype.
class ReferenceAnyDtype : public Backend {
 public:
  std::string name() const override { return "reference"; }
  Contract contract(OpId op, DType d, Direction dir) const override { return reference_contract(op, d, dir); }
  std::string numerical_policy() const override { return f32_.numerical_policy(); }
  HostTensor forward(const Graph& g, const std::map<std::string, HostTensor>& in) override { return pick(g).forward(g, in); }
  MaybeTensors backward(const Graph& g, const std::map<std::string, HostTensor>& in, const HostTensor& seed) override {
    return pick(g).backward(g, in, seed);
  }
  Tensors run_keep_values(const Graph& g, const std::map<std::string, HostTensor>& in) override {
    return pick(g).run_keep_values(g, in);
  }
  std::map<NodeId, HostTensor> gradients(const Graph& g, const std::map<std::string, HostTensor>& in, NodeId output,
                                         const HostTensor& seed, const std::vector<NodeId>& wrt) override {
    return pick(g).gradients(g, in, output, seed, wrt);
  }

 private:
  Backend& pick(const Graph& g) {
    if (g.size() == 0 || g.node(0).dtype == DType::f32) return f32_;
    return f64_;
  }
  ReferenceBackend<float> f32_;
  ReferenceBackend<double> f64_;
};

Contract with_kind(Contract c, ContractKind kind, Evidence evidence, std::string detail) {
  c.kind = kind;
  c.ulps = 0;
  c.ulps_per_term = 0;
  c.magnitude_floor = 0;
  c.data_scale = false;
  c.order.clear();
  c.evidence = evidence;
  c.evidence_detail = std::move(detail);
  c.policy = "strict IEEE meaning (reference/)";
  return c;
}

}  // namespace

std::unique_ptr<Backend> make_reference_backend() { return std::make_unique<ReferenceAnyDtype>(); }

Contract reference_contract(OpId op, DType d, Direction dir) {
  Contract c = fast::contract(op, d, dir);
  if (c.kind == ContractKind::unsupported) return c;
  if (!dir.forward()) {
    c.policy = "strict IEEE meaning (reference/)";
    // g * f'(x) with f'(x) correctly rounded: |g||f^ - f'| <= u|y| < 1 ulp(y), plus the product's
    // half ulp (the fast kernels round g * f' once from a wider f' and declare ulp(1) instead).
    if (vjp_is_g_times_derivative(op)) {
      // rsqrt' and reciprocal' overflow on their own for tiny x where g f' need not: derived rows,
      // judged where f'(x) stays finite (oracle/scales.cpp's precondition).
      bool may_overflow = op == OpId::rsqrt || op == OpId::reciprocal;
      Contract r = with_kind(c, may_overflow ? ContractKind::derived : ContractKind::ulp, Evidence::proved,
                             may_overflow ? "g times the correctly rounded f'(x): < 1.5 ulp where f'(x) is finite"
                                          : "g times the correctly rounded f'(x): < 1.5 ulp");
      r.ulps = 1.5;
      return r;
    }
    return c;
  }
  switch (op) {
    case OpId::sqrt: case OpId::rsqrt: case OpId::exp: case OpId::log: case OpId::sin: case OpId::cos:
    case OpId::tanh: case OpId::sigmoid: case OpId::gelu: case OpId::softplus: case OpId::safe_log:
      return with_kind(c, ContractKind::correctly_rounded, Evidence::proved, "Ziv loop over MPFI enclosures, one rounding");
    case OpId::sum: case OpId::reduce_sum: case OpId::reduce_mean: case OpId::avg_pool2d: case OpId::scatter_add_rows:
      return with_kind(c, ContractKind::sum_bound, Evidence::proved, "Higham, Accuracy and Stability, (4.4): any order");
    case OpId::matmul: case OpId::linear: case OpId::conv2d:
      return with_kind(c, ContractKind::dot_bound, Evidence::proved, "Higham, Accuracy and Stability, (3.5): FMA chain");
    case OpId::input: case OpId::constant: case OpId::detach: case OpId::bernoulli_mask: case OpId::rand_uniform:
    case OpId::neg: case OpId::abs: case OpId::square: case OpId::reciprocal: case OpId::relu: case OpId::scale:
    case OpId::clamp: case OpId::add: case OpId::sub: case OpId::mul: case OpId::div: case OpId::maximum:
    case OpId::minimum: case OpId::reduce_max: case OpId::softmax: case OpId::log_softmax: case OpId::logsumexp:
    case OpId::layer_norm: case OpId::batch_norm: case OpId::max_pool2d: case OpId::reshape: case OpId::flatten:
    case OpId::permute: case OpId::transpose: case OpId::broadcast_to: case OpId::concat: case OpId::slice:
    case OpId::gather_rows: case OpId::mse_loss: case OpId::cross_entropy: case OpId::bce_with_logits: case OpId::nll:
      return c;
  }
  throw_internal("bad OpId value");
}

}  // namespace tl::oracle

// The reference backend: the strict IEEE meaning (reference/ Strict<float>, Strict<double>) run as
// a backend, op by op exactly as spec/ says — slow; for small models, for showing that a training run
// agrees, and for tl-check to measure the reference itself against the real meaning. Kept in its own
// translation unit because it instantiates the reference evaluator.
#include "backend/backend.h"
#include "fast/contracts.h"
#include "kernel_rules/elementwise_rules.h"
#include "reference/eval.h"
#include "spec/error.h"

namespace tl::backend {
namespace {

template <class T>
Result run_strict(const Graph& g, const Inputs& inputs, const Request& r) {
  using S = ref::Strict<T>;
  std::vector<ref::RefTensor<S>> values = ref::evaluate<S>(g, inputs);
  Result out;
  for (NodeId id : requested_values(g, r)) out.values.emplace(id, ref::to_host(values[static_cast<std::size_t>(id)]));
  if (r.output) {
    ref::RefTensor<S> seed = ref::from_host<S>(requested_seed(g, r));
    for (auto& [id, t] : ref::gradients<S>(g, values, *r.output, seed, requested_wrt(g, r)))
      out.grads.emplace(id, ref::to_host(t));
  }
  return out;
}

class ReferenceBackend : public Backend {
 public:
  std::string name() const override { return "reference"; }
  std::string device() const override { return "cpu"; }
  Contract contract(OpId op, DType d, Direction dir) const override { return reference_contract(op, d, dir); }
  std::string numerical_policy() const override {
    return "the strict IEEE meaning (reference/): native + - * / sqrt fma, every other real function "
           "correctly rounded by a Ziv loop over MPFI enclosures; declared orders of spec/";
  }
  std::vector<TrustEntry> trust() const override { return {}; }  // MPFR, MPFI: the oracle's own entries
  CodePaths code_paths(DType) const override { return {}; }      // one path: the definition
  // The graph's dtype is its nodes' (one per graph, spec validation); an empty graph computes nothing.
  Result run(const Graph& g, const Inputs& inputs, const Request& r) override {
    if (g.size() == 0) return {};
    if (g.node(0).dtype == DType::f32) return run_strict<float>(g, inputs, r);
    return run_strict<double>(g, inputs, r);
  }
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

std::unique_ptr<Backend> make_reference_backend() { return std::make_unique<ReferenceBackend>(); }

Contract reference_contract(OpId op, DType d, Direction dir) {
  Contract c = fast::contract(op, d, dir);
  if (c.kind == ContractKind::unsupported) return c;
  if (!dir.forward()) {
    c.policy = "strict IEEE meaning (reference/)";
    // g * f'(x) with f'(x) correctly rounded: |g||f^ - f'| <= u|y| < 1 ulp(y), plus the product's
    // half ulp (the fast kernels round g * f' once from a wider f' and declare ulp(1) instead).
    if (vjp_is_g_times_derivative(op)) {
      // rsqrt' and reciprocal' overflow on their own for tiny x where g f' need not: derived rows,
      // judged where f'(x) stays finite (checking/scales.cpp's precondition).
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
    case OpId::clamp: case OpId::hardtanh: case OpId::add: case OpId::sub: case OpId::mul: case OpId::div: case OpId::maximum:
    case OpId::minimum: case OpId::reduce_max: case OpId::softmax: case OpId::log_softmax: case OpId::logsumexp:
    case OpId::layer_norm: case OpId::batch_norm: case OpId::max_pool2d: case OpId::reshape: case OpId::flatten:
    case OpId::permute: case OpId::transpose: case OpId::broadcast_to: case OpId::concat: case OpId::slice:
    case OpId::gather_rows: case OpId::mse_loss: case OpId::cross_entropy: case OpId::bce_with_logits: case OpId::nll:
      return c;
  }
  throw_internal("bad OpId value");
}

}  // namespace tl::backend

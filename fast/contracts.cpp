// The contract table of the fast backends. The ulp bounds are the maxima measured by
// bench/ulp_survey (reports/ulp-survey.md: 10^7 samples per forward function, 10^6 per derivative,
// plus special values, against MPFR through 192-bit MPFI enclosures), rounded up to the next 0.5;
// a VJP g·f'(x) adds the one rounding of the product (0.5 ulp).
#include "fast/contracts.h"

#include "spec/error.h"
#include "spec/kernel_orders.h"

namespace tl::fast {
namespace {

Contract make(ContractKind kind, std::string order = "", double ulps = 0, Evidence evidence = Evidence::proved,
              std::string detail = "") {
  Contract c;
  c.kind = kind;
  c.order = std::move(order);
  c.ulps = ulps;
  c.policy = numerical_policy();
  c.evidence = evidence;
  c.evidence_detail = std::move(detail);
  return c;
}

Contract exact() { return make(ContractKind::exact, "", 0, Evidence::proved, "values are moved or selected, never rounded"); }
Contract rounded_once() { return make(ContractKind::correctly_rounded, "", 0, Evidence::proved, "one IEEE 754 operation"); }
Contract strict(std::string_view order) {
  TL_CHECK_INTERNAL(!order.empty(), "a strict row without a declared order");
  return make(ContractKind::strict, std::string(order), 0, Evidence::sampled,
              "bit-identical to reference/Strict: tests/fast FastStrictAgreement");
}
Contract measured(double ulps) {
  return make(ContractKind::ulp, "", ulps, Evidence::sampled, "bench/ulp_survey: 10^7 samples + specials vs MPFR");
}
// Composite ops: budget (ulps + per_term * n) ulps at max(|y|, floor, S) — derived to first order in
// docs/contracts.md from the parts' bounds, assuming glibc's exp and log within 1 ulp.
Contract derived(double ulps, double per_term, double floor, bool scale) {
  Contract c = make(ContractKind::derived, "", ulps, Evidence::assumed,
                    "first-order derivation in docs/contracts.md; assumes glibc exp/log within 1 ulp");
  c.ulps_per_term = per_term;
  c.magnitude_floor = floor;
  c.data_scale = scale;
  return c;
}
// The normalisation VJPs: a budget sketched, not derived (docs/contracts.md), labelled empirical.
Contract sketched(double ulps, double per_term) {
  Contract c = make(ContractKind::empirical, "", ulps, Evidence::none,
                    "budget from a first-order sketch, not a derivation (docs/contracts.md)");
  c.ulps_per_term = per_term;
  c.data_scale = true;
  return c;
}

struct UlpRow {
  OpId op;
  double f32, f64;
};

// Forward ulp bounds per function (measured maxima rounded up to 0.5; reports/ulp-survey.md).
constexpr UlpRow kForwardUlps[] = {
    {OpId::exp, 1, 1},
    {OpId::log, 1, 1},
    {OpId::sin, 1, 1},
    {OpId::cos, 1, 1},
    {OpId::tanh, 1, 1},
    {OpId::sigmoid, 1, 1},
    {OpId::gelu, 1, 1.5},
    {OpId::softplus, 1, 1},
    {OpId::safe_log, 1, 476.5},
    {OpId::rsqrt, 1, 1},
};

// Derivative ulp bounds f'(x), before the product with g.
constexpr UlpRow kDerivativeUlps[] = {
    {OpId::sqrt, 1, 1},
    {OpId::rsqrt, 1, 1},
    {OpId::reciprocal, 1, 1},
    {OpId::sin, 1, 1},
    {OpId::cos, 1, 1},
    {OpId::tanh, 1, 1},
    {OpId::sigmoid, 1, 1},
    {OpId::gelu, 1, 34.5},
    {OpId::softplus, 1, 1},
    {OpId::safe_log, 1, 1},
};

template <std::size_t N>
UlpRow lookup(const UlpRow (&rows)[N], OpId op) {
  for (const UlpRow& r : rows) {
    if (r.op == op) return r;
  }
  throw_internal("no ulp measurement for " + std::string(op_name(op)));
}

double pick(UlpRow r, DType d) { return d == DType::f32 ? r.f32 : r.f64; }

Contract forward_contract(OpId op, DType d) {
  switch (op) {
    case OpId::input: case OpId::constant: case OpId::detach: case OpId::bernoulli_mask:
    case OpId::rand_uniform: case OpId::neg: case OpId::abs: case OpId::relu: case OpId::clamp:
    case OpId::maximum: case OpId::minimum: case OpId::reduce_max: case OpId::max_pool2d:
    case OpId::reshape: case OpId::flatten: case OpId::permute: case OpId::transpose:
    case OpId::broadcast_to: case OpId::concat: case OpId::slice: case OpId::gather_rows:
      return exact();
    case OpId::square: case OpId::sqrt: case OpId::reciprocal: case OpId::scale: case OpId::add:
    case OpId::sub: case OpId::mul: case OpId::div:
      return rounded_once();
    case OpId::exp: case OpId::log: case OpId::sin: case OpId::cos: case OpId::tanh: case OpId::sigmoid:
    case OpId::gelu: case OpId::softplus: case OpId::safe_log: case OpId::rsqrt:
      return measured(pick(lookup(kForwardUlps, op), d));
    case OpId::sum: case OpId::reduce_sum: case OpId::reduce_mean: case OpId::matmul: case OpId::linear: case OpId::conv2d:
    case OpId::avg_pool2d: case OpId::scatter_add_rows: case OpId::mse_loss: case OpId::nll:
      return strict(strict_order(op, {}));
    case OpId::softmax: return derived(5, 1.5, 1, false);
    case OpId::log_softmax: return derived(4, 2.5, 1, false);
    case OpId::logsumexp: return derived(3, 2.5, 1, false);
    case OpId::cross_entropy: return derived(4, 4.5, 1, false);
    case OpId::bce_with_logits: return derived(5, 1.5, 1, true);
    case OpId::layer_norm: case OpId::batch_norm: return derived(3, 0, 0, true);
  }
  throw_internal("bad OpId value");
}

Contract vjp_contract(OpId op, DType d, int input) {
  switch (op) {
    case OpId::input: case OpId::constant: case OpId::detach: case OpId::bernoulli_mask:
    case OpId::rand_uniform:
      return make(ContractKind::unsupported, "", 0, Evidence::none, "no gradient flows through this op");
    case OpId::neg: case OpId::abs: case OpId::relu: case OpId::clamp: case OpId::add: case OpId::sub:
    case OpId::sum: case OpId::reduce_sum: case OpId::reshape: case OpId::flatten: case OpId::permute:
    case OpId::transpose: case OpId::concat: case OpId::slice: case OpId::scatter_add_rows:
      return exact();
    case OpId::square: case OpId::log: case OpId::div: case OpId::reduce_max: case OpId::matmul: case OpId::linear:
    case OpId::conv2d: case OpId::max_pool2d: case OpId::avg_pool2d: case OpId::broadcast_to: case OpId::gather_rows:
    case OpId::softmax: case OpId::mse_loss: case OpId::nll:
      return strict(strict_order(op, {input}));
    case OpId::scale: case OpId::mul: case OpId::exp: case OpId::maximum:
    case OpId::minimum: case OpId::reduce_mean:
      return rounded_once();
    case OpId::sqrt: case OpId::rsqrt: case OpId::reciprocal: case OpId::sin: case OpId::cos:
    case OpId::tanh: case OpId::sigmoid: case OpId::gelu: case OpId::softplus: case OpId::safe_log:
      return make(ContractKind::ulp, "", pick(lookup(kDerivativeUlps, op), d) + 0.5, Evidence::sampled,
                  "g*f'(x): f' measured by bench/ulp_survey (10^6 samples), plus one rounding");
    case OpId::log_softmax: return derived(3, 0, 0, true);
    case OpId::logsumexp: return derived(4, 0, 0, true);
    case OpId::cross_entropy: return derived(7, 2.5, 0, true);
    case OpId::bce_with_logits: return input == 0 ? derived(5, 0, 0, true) : derived(2, 0, 0, false);
    case OpId::layer_norm: case OpId::batch_norm: return sketched(2, 1);
  }
  throw_internal("bad OpId value");
}

}  // namespace

const char* numerical_policy() {
  return "IEEE 754 round to nearest even; subnormals kept; no implicit FMA contraction "
         "(-ffp-contract=off, std::fma where declared); float transcendentals evaluated in double "
         "(glibc, or the vectorised exp of fast/kernels/vmath.cpp for exp, sigmoid, tanh and gelu, vmath_log.cpp for log) and rounded once";
}

Contract contract(OpId op, DType dtype, Direction direction) {
  if (!direction.forward()) {
    if (!op_input_gets_grad(op, direction.input)) {
      return make(ContractKind::unsupported, "", 0, Evidence::none, "this input receives no gradient");
    }
    return vjp_contract(op, dtype, direction.input);
  }
  return forward_contract(op, dtype);
}

}  // namespace tl::fast

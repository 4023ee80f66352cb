// The shared contract rows of the fast backends (kernel_rules/kernel_contracts.h).
#include "kernel_rules/kernel_contracts.h"

#include "spec/error.h"

namespace tl {
namespace {

std::string_view forward_order(OpId op) {
  switch (op) {
    case OpId::sum: case OpId::reduce_sum: case OpId::scatter_add_rows: return "left fold from +0 in index order";
    case OpId::reduce_mean: return "left fold from +0, then one division by n";
    case OpId::matmul: return "FMA chain over k from +0, ascending";
    case OpId::linear: return "FMA chain over k from +0, ascending, then + bias";
    case OpId::conv2d: return "FMA chain over (c, kh, kw) from +0, out-of-bounds cells skipped, then + bias";
    case OpId::avg_pool2d: return "left fold over in-bounds window cells, then one division by kh*kw";
    case OpId::mse_loss: return "left fold of (p-t)*(p-t) from +0, then one division for mean";
    case OpId::nll: return "left fold of -lp[i, y_i] from +0, then one division for mean";
    case OpId::input: case OpId::constant: case OpId::detach: case OpId::bernoulli_mask: case OpId::rand_uniform:
    case OpId::neg: case OpId::abs: case OpId::square: case OpId::sqrt: case OpId::rsqrt: case OpId::reciprocal:
    case OpId::exp: case OpId::log: case OpId::sin: case OpId::cos: case OpId::tanh: case OpId::sigmoid:
    case OpId::relu: case OpId::gelu: case OpId::softplus: case OpId::scale: case OpId::clamp: case OpId::safe_log:
    case OpId::hardtanh: case OpId::add: case OpId::sub: case OpId::mul: case OpId::div: case OpId::maximum: case OpId::minimum:
    case OpId::reduce_max: case OpId::softmax: case OpId::log_softmax: case OpId::logsumexp: case OpId::layer_norm:
    case OpId::batch_norm: case OpId::max_pool2d: case OpId::reshape: case OpId::flatten: case OpId::permute:
    case OpId::transpose: case OpId::broadcast_to: case OpId::concat: case OpId::slice: case OpId::gather_rows:
    case OpId::cross_entropy: case OpId::bce_with_logits:
      return "";
  }
  return "";
}

std::string_view vjp_order(OpId op) {
  switch (op) {
    case OpId::square: return "g * (x + x)";  // x + x may overflow where g*2x does not
    case OpId::log: return "g * (1/x)";
    case OpId::div: return "da = g/b; db = ((-g)*a)/(b*b)";
    case OpId::reduce_max: return "g / (number of tied maxima) to each maximum";
    case OpId::matmul: return "da = FMA chain over j, db = FMA chain over i, from +0";
    case OpId::linear: return "dx = FMA chain over o, dW = FMA chain over m, from +0; db = left fold over m";
    case OpId::conv2d: return "FMA chains from +0: dx over (o, kh, kw), dw over (n, i, j); db left fold";
    case OpId::max_pool2d: return "g to the first maximal cell, windows added in order from +0";
    case OpId::avg_pool2d: return "g/(kh*kw) added window by window from +0";
    case OpId::broadcast_to: case OpId::gather_rows: return "left fold from +0 in output order";
    case OpId::softmax: return "y * (g - FMA chain over k of g*y from +0)";
    case OpId::mse_loss: return "s = g/n (mean); dp = s*(d+d); dt = -dp";
    case OpId::nll: return "s = g/N (mean); -s at the label, +0 elsewhere";
    case OpId::input: case OpId::constant: case OpId::detach: case OpId::bernoulli_mask: case OpId::rand_uniform:
    case OpId::neg: case OpId::abs: case OpId::sqrt: case OpId::rsqrt: case OpId::reciprocal: case OpId::exp:
    case OpId::sin: case OpId::cos: case OpId::tanh: case OpId::sigmoid: case OpId::relu: case OpId::gelu:
    case OpId::softplus: case OpId::scale: case OpId::clamp: case OpId::safe_log: case OpId::add: case OpId::sub:
    case OpId::hardtanh: case OpId::mul: case OpId::maximum: case OpId::minimum: case OpId::sum: case OpId::reduce_sum:
    case OpId::reduce_mean: case OpId::log_softmax: case OpId::logsumexp: case OpId::layer_norm:
    case OpId::batch_norm: case OpId::reshape: case OpId::flatten: case OpId::permute: case OpId::transpose:
    case OpId::concat: case OpId::slice: case OpId::scatter_add_rows: case OpId::cross_entropy:
    case OpId::bce_with_logits:
      return "";
  }
  return "";
}

struct Rows {
  const KernelEvidence& e;
  Contract exact() const {
    return kernel_contract(ContractKind::exact, 0, Evidence::proved, "values are moved or selected, never rounded", e);
  }
  Contract rounded_once() const { return kernel_contract(ContractKind::correctly_rounded, 0, e.rounding, e.rounding_detail, e); }
  // Composite ops: budget (ulps + per_term * n) ulps at max(|y|, floor, S), derived to first order in
  // docs/contracts.md from the parts' bounds (exp and log within 1 ulp).
  Contract derived(double ulps, double per_term, double floor, bool scale) const {
    Contract c = kernel_contract(ContractKind::derived, ulps, Evidence::assumed, e.derived_detail, e);
    c.ulps_per_term = per_term;
    c.magnitude_floor = floor;
    c.data_scale = scale;
    return c;
  }
  // The normalisation VJPs: a budget sketched, not derived (docs/contracts.md), labelled empirical.
  Contract sketched(double ulps, double per_term) const {
    Contract c = kernel_contract(ContractKind::empirical, ulps, Evidence::none,
                                 "budget from a first-order sketch, not a derivation (docs/contracts.md)", e);
    c.ulps_per_term = per_term;
    c.data_scale = true;
    return c;
  }
};

std::optional<Contract> forward_row(OpId op, const KernelEvidence& e) {
  Rows r{e};
  switch (op) {
    case OpId::input: case OpId::constant: case OpId::detach: case OpId::bernoulli_mask:
    case OpId::rand_uniform: case OpId::neg: case OpId::abs: case OpId::relu: case OpId::clamp:
    case OpId::hardtanh: case OpId::maximum: case OpId::minimum: case OpId::reduce_max: case OpId::max_pool2d:
    case OpId::reshape: case OpId::flatten: case OpId::permute: case OpId::transpose:
    case OpId::broadcast_to: case OpId::concat: case OpId::slice: case OpId::gather_rows:
      return r.exact();
    case OpId::square: case OpId::sqrt: case OpId::reciprocal: case OpId::scale: case OpId::add:
    case OpId::sub: case OpId::mul: case OpId::div:
      return r.rounded_once();
    case OpId::reduce_sum: case OpId::reduce_mean: case OpId::matmul: case OpId::linear: case OpId::conv2d:
    case OpId::avg_pool2d: case OpId::scatter_add_rows: case OpId::mse_loss: case OpId::nll:
      return strict_kernel_row(op, {}, e);
    case OpId::softmax: return r.derived(5, 1.5, 1, false);
    case OpId::log_softmax: return r.derived(4, 2.5, 1, false);
    case OpId::logsumexp: return r.derived(3, 2.5, 1, false);
    case OpId::cross_entropy: return r.derived(4, 4.5, 1, false);
    case OpId::bce_with_logits: return r.derived(5, 1.5, 1, true);
    case OpId::layer_norm: case OpId::batch_norm: return r.derived(3, 0, 0, true);
    case OpId::sum: case OpId::exp: case OpId::log: case OpId::sin: case OpId::cos: case OpId::tanh:
    case OpId::sigmoid: case OpId::gelu: case OpId::softplus: case OpId::safe_log: case OpId::rsqrt:
      return std::nullopt;  // the backend's own
  }
  throw_internal("bad OpId value");
}

std::optional<Contract> vjp_row(OpId op, int input, const KernelEvidence& e) {
  Rows r{e};
  switch (op) {
    case OpId::input: case OpId::constant: case OpId::detach: case OpId::bernoulli_mask:
    case OpId::rand_uniform:
      return kernel_contract(ContractKind::unsupported, 0, Evidence::none, "no gradient flows through this op", e);
    case OpId::neg: case OpId::abs: case OpId::relu: case OpId::clamp: case OpId::hardtanh: case OpId::add:
    case OpId::sub: case OpId::sum: case OpId::reduce_sum: case OpId::reshape: case OpId::flatten: case OpId::permute:
    case OpId::transpose: case OpId::concat: case OpId::slice: case OpId::scatter_add_rows:
      return r.exact();
    case OpId::square: case OpId::log: case OpId::div: case OpId::reduce_max: case OpId::matmul: case OpId::linear:
    case OpId::conv2d: case OpId::max_pool2d: case OpId::avg_pool2d: case OpId::broadcast_to: case OpId::gather_rows:
    case OpId::softmax: case OpId::mse_loss: case OpId::nll:
      return strict_kernel_row(op, {input}, e);
    case OpId::scale: case OpId::mul: case OpId::exp: case OpId::maximum: case OpId::minimum:
    case OpId::reduce_mean:
      return r.rounded_once();
    case OpId::log_softmax: return r.derived(3, 0, 0, true);
    case OpId::logsumexp: return r.derived(4, 0, 0, true);
    case OpId::cross_entropy: return r.derived(7, 2.5, 0, true);
    case OpId::bce_with_logits: return input == 0 ? r.derived(5, 0, 0, true) : r.derived(2, 0, 0, false);
    case OpId::layer_norm: case OpId::batch_norm: return r.sketched(2, 1);
    case OpId::sqrt: case OpId::rsqrt: case OpId::reciprocal: case OpId::sin: case OpId::cos:
    case OpId::tanh: case OpId::sigmoid: case OpId::gelu: case OpId::softplus: case OpId::safe_log:
      return std::nullopt;  // the backend's own: g*f'(x) with its f'
  }
  throw_internal("bad OpId value");
}

}  // namespace

Contract kernel_contract(ContractKind kind, double ulps, Evidence evidence, std::string detail, const KernelEvidence& e) {
  Contract c;
  c.kind = kind;
  c.ulps = ulps;
  c.policy = e.policy;
  c.evidence = evidence;
  c.evidence_detail = std::move(detail);
  return c;
}

Contract strict_kernel_row(OpId op, Direction direction, const KernelEvidence& e) {
  std::string_view order = direction.forward() ? forward_order(op) : vjp_order(op);
  TL_CHECK_INTERNAL(!order.empty(), "a strict row without a declared order");
  Contract c = kernel_contract(ContractKind::strict, 0, Evidence::sampled, e.strict_detail, e);
  c.order = std::string(order);
  return c;
}

std::optional<Contract> shared_kernel_row(OpId op, Direction direction, const KernelEvidence& e) {
  return direction.forward() ? forward_row(op, e) : vjp_row(op, direction.input, e);
}

}  // namespace tl

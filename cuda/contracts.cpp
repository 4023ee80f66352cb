// The contract table of the cuda backend (both engines: the GPU and the emulated build, which runs the
// same kernel bodies on the host). Arithmetic claims (exact, correctly rounded, strict orders) rest
// on IEEE 754 single operations in T: nvcc without --use_fast_math keeps +,-,*,/ and sqrt correctly
// rounded and subnormals, and -fmad=false forbids implicit FMA contraction. Transcendental claims cite
// the CUDA C++ Programming Guide's maximum ulp errors for the double-precision functions the kernels
// call (exp, log, log1p, tanh, cosh: 1 ulp; sin, cos: 2 ulp): they are `assumed` on the device until a
// GPU run measures them, and `sampled` on the emulated build (glibc). docs/contracts.md ("cuda") has
// the derivations.
#include "cuda/engine.h"

#include "spec/error.h"
#include "spec/kernel_orders.h"

namespace tl::cuda {
namespace {

const char* kGuide = "assumed on the GPU (CUDA C++ Programming Guide, double-precision math table), not yet measured on hardware; sampled on the emulated build (glibc)";

Contract make(ContractKind kind, std::string order, double ulps, Evidence evidence, std::string detail) {
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
Contract rounded_once() {
  return make(ContractKind::correctly_rounded, "", 0, Evidence::assumed,
              "one IEEE 754 operation (no --use_fast_math); assumed on the GPU until measured");
}
Contract strict(std::string_view order) {
  TL_CHECK_INTERNAL(!order.empty(), "a strict row without a declared order");
  return make(ContractKind::strict, std::string(order), 0, Evidence::sampled,
              "same order as reference/Strict; sampled on the emulated build, not yet on a GPU");
}
// A function evaluated in double (guide bound b ulp of double) and rounded once to T.
Contract in_double(DType d, double f64_ulps) {
  return make(ContractKind::ulp, "", d == DType::f32 ? 1 : f64_ulps, Evidence::assumed, kGuide);
}
// Composite ops: budget (ulps + per_term * n) at max(|y|, floor, S), as for the fast backend.
Contract derived(double ulps, double per_term, double floor, bool scale) {
  Contract c = make(ContractKind::derived, "", ulps, Evidence::assumed, std::string("docs/contracts.md; ") + kGuide);
  c.ulps_per_term = per_term;
  c.magnitude_floor = floor;
  c.data_scale = scale;
  return c;
}
Contract sketched(double ulps, double per_term) {
  Contract c = make(ContractKind::empirical, "", ulps, Evidence::none,
                    "budget from a first-order sketch, not a derivation (docs/contracts.md)");
  c.ulps_per_term = per_term;
  c.data_scale = true;
  return c;
}

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
    case OpId::exp: case OpId::log: return in_double(d, 1);
    // guide: 1 ulp; glibc (emulated) documents 2 ulp and measured 2.04 in the oracle's measure
    // (reports/ulp-survey.md, "cuda").
    case OpId::tanh: return in_double(d, 2.5);
    case OpId::softplus: return in_double(d, 2.5);  // exp and log1p 1 ulp each, one add
    case OpId::sin: case OpId::cos: return in_double(d, 2);
    case OpId::rsqrt: return in_double(d, 1.5);     // 1.0/sqrt: two correctly rounded operations
    case OpId::sigmoid: return in_double(d, 2.5);   // exp, one add, one division
    // double: exp(z) of a z = 2u(x) rounded 5 times amplifies to 5|z| u, |z| <= 745 before underflow.
    case OpId::gelu: return in_double(d, 4096);
    // double: log(v) near v = 1 has no relative bound; absolute <= 4 ulp(1) (softplus 2.5, + eps, log).
    case OpId::safe_log: return d == DType::f32 ? in_double(d, 1) : derived(4, 0, 1, false);
    case OpId::sum: {
      Contract c = make(ContractKind::sum_bound, "", 0, Evidence::proved,
                        "fixed tree (cuda/tree_sum.h); Higham, Accuracy and Stability, (4.4): any order");
      c.order = "256 strided left folds from +0, then a binary tree";
      return c;
    }
    case OpId::reduce_sum: case OpId::reduce_mean: case OpId::matmul: case OpId::linear: case OpId::conv2d:
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
    case OpId::scale: case OpId::mul: case OpId::exp: case OpId::maximum: case OpId::minimum:
    case OpId::reduce_mean:
      return rounded_once();
    // g * f'(x) with f' in double rounded once: f' within 1 ulp (float) plus the product's rounding.
    // float64: the derivative's own roundings add up (docs/contracts.md, "cuda"); tanh' = sech^2 with
    // cosh within 2 ulp -> 2 (2 + 0.5) + 0.5.
    case OpId::sqrt: case OpId::softplus:
      return make(ContractKind::ulp, "", d == DType::f32 ? 1.5 : 3, Evidence::assumed, kGuide);
    // -(1/m)^2 g 2^-2e: three roundings, one more where the result is subnormal.
    case OpId::reciprocal: return make(ContractKind::ulp, "", d == DType::f32 ? 1.5 : 4, Evidence::assumed, kGuide);
    // sigmoid/(softplus + eps) (or q/(1+q) below w = -40): about 9 roundings' worth, times g.
    case OpId::safe_log: return make(ContractKind::ulp, "", d == DType::f32 ? 1.5 : 10, Evidence::assumed, kGuide);
    // e/((1+e)(1+e)): exp 2u relative, (1+e) twice, product, division, times g: 7u.
    case OpId::sigmoid: return make(ContractKind::ulp, "", d == DType::f32 ? 1.5 : 7, Evidence::assumed, kGuide);
    // -0.5 r^3 g 2^-3e/2, r = 1/sqrt(m) within 2u relative: 6u + two products + times g + subnormal.
    case OpId::rsqrt: return make(ContractKind::ulp, "", d == DType::f32 ? 1.5 : 10, Evidence::assumed, kGuide);
    case OpId::tanh: return make(ContractKind::ulp, "", d == DType::f32 ? 1.5 : 6, Evidence::assumed, kGuide);
    case OpId::sin: case OpId::cos: return make(ContractKind::ulp, "", d == DType::f32 ? 1.5 : 3.5, Evidence::assumed, kGuide);
    case OpId::gelu:
      if (d == DType::f32) return make(ContractKind::ulp, "", 1.5, Evidence::assumed, kGuide);
      // As gelu (exp of a 5-times-rounded z), measured at max(|y|, max|g|): near the root of gelu'
      // (x = -0.752) its two terms cancel and only an absolute bound ~ u |g| exists.
      return derived(4096, 0, 0, true);
    case OpId::log_softmax: return derived(3, 0, 0, true);
    case OpId::logsumexp: return derived(4, 0, 0, true);
    case OpId::cross_entropy: return derived(7, 2.5, 0, true);
    case OpId::bce_with_logits: return input == 0 ? derived(5, 0, 0, true) : derived(2, 0, 0, false);
    case OpId::layer_norm: case OpId::batch_norm: return sketched(2, 1);
  }
  throw_internal("bad OpId value");
}

// cuBLAS's GEMM (opt-in): matmul, and linear's product (its bias is still added after it, and its
// bias gradient is still the own left fold), in cuBLAS's undocumented order.
bool through_cublas(OpId op, Direction d) {
  if (op == OpId::matmul) return true;
  return op == OpId::linear && (d.forward() || d.input == 0 || d.input == 1);
}

Contract cublas_row() {
  Contract c = make(ContractKind::dot_bound, "", 0, Evidence::assumed,
                    "external trust boundary: cuBLAS gemm in CUBLAS_PEDANTIC_MATH (no TF32, no reduced-precision "
                    "tensor cores), its own summation order; Higham (3.5)'s bound holds for any order; "
                    "reproducible run to run only on the same GPU architecture, cuBLAS version and stream "
                    "(cuBLAS documentation, 'Results reproducibility'); not yet run on a GPU");
  c.policy = numerical_policy() + "; matmul/linear through cuBLAS";
  return c;
}

}  // namespace

std::string numerical_policy() {
  return "IEEE 754 round to nearest even; subnormals kept; nvcc without --use_fast_math and with "
         "-fmad=false (fma() only where an order declares it); transcendental and composite functions "
         "evaluated in double with CUDA's math library and rounded once; whole-tensor sums in a fixed tree";
}

Contract contract(OpId op, DType dtype, Direction direction, Gemm gemm) {
  if (gemm == Gemm::cublas && through_cublas(op, direction) &&
      (direction.forward() || op_input_gets_grad(op, direction.input))) {
    return cublas_row();
  }
  if (!direction.forward()) {
    if (!op_input_gets_grad(op, direction.input)) {
      return make(ContractKind::unsupported, "", 0, Evidence::none, "this input receives no gradient");
    }
    return vjp_contract(op, dtype, direction.input);
  }
  return forward_contract(op, dtype);
}

}  // namespace tl::cuda

// The contract table of the cuda backend (both engines: the GPU and the emulated build, which runs the
// same kernel bodies on the host). Arithmetic claims (exact, correctly rounded, strict orders) rest
// on IEEE 754 single operations in T: nvcc without --use_fast_math keeps +,-,*,/ and sqrt correctly
// rounded and subnormals, and -fmad=false forbids implicit FMA contraction. Transcendental claims are
// derived from the ulp bounds of the double-precision functions the kernels call
// (cuda/function_bounds.h): the CUDA C++ Programming Guide's (exp, log 1 ulp; sin, cos 2 ulp), raised
// for log1p and cosh (1.5) and tanh (2.5) where CUDA's own code compiled for the host, or glibc, was
// measured above the guide's number in the oracle's measure (the guide counts ulps to the correctly
// rounded value, so its k allows k + 1/2 of the exact value). They are `assumed` on the
// device until a GPU run measures them, and `sampled` on the emulated build. docs/contracts.md
// ("cuda") has the derivations.
#include "cuda/engine.h"

#include "cuda/function_bounds.h"
#include "spec/error.h"
#include "kernel_rules/kernel_contracts.h"

namespace tl::cuda {
namespace {

const char* kGuide =
    "assumed on the GPU (function bounds of cuda/function_bounds.h: the CUDA C++ Programming Guide's, log1p, "
    "cosh and tanh raised above what libdevice compiled for the host and glibc measured), not yet measured on "
    "hardware; sampled on the emulated build";

const KernelEvidence& evidence() {
  static const KernelEvidence e{numerical_policy(), Evidence::assumed,
                                "one IEEE 754 operation (no --use_fast_math); assumed on the GPU until measured",
                                "same order as reference/Strict; sampled on the emulated build, not yet on a GPU",
                                std::string("docs/contracts.md; ") + kGuide};
  return e;
}

// Budget (ulps + per_term * n) at max(|y|, floor, S): a bound derived in docs/contracts.md.
Contract derived(double ulps, double floor, bool scale, double per_term = 0) {
  Contract c = kernel_contract(ContractKind::derived, ulps, Evidence::assumed, evidence().derived_detail, evidence());
  c.ulps_per_term = per_term;
  c.magnitude_floor = floor;
  c.data_scale = scale;
  return c;
}

// float64 bce_with_logits: its term's softplus(-|x|) and its VJP's sigmoid are this table's double
// composites (6u and 5u), not the fast backend's (whose shared rows assume parts within about u).
// Forward: |d term| <= u(|x| + 8 term); fold and mean: u(S + (N + 8)|y|) -> 9 + 1.5n at
// max(|y|, 1, S). VJP d_x = (sigmoid(x) - t) s: u(5|s| + 3|d|) -> 8 at max(|d|, |s|).
std::optional<Contract> bce_f64_row(Direction direction) {
  if (direction.forward()) return derived(9, 1, true, 1.5);
  if (direction.input == 0) return derived(8, 0, true);
  return std::nullopt;  // d_t = (-x) s: the shared row
}

// The transcendental rows. float: the double function rounded once (ulp(1)); a VJP rounds g times
// the double f' once (ulp(1) too). float64: the function in double itself, the bounds derived in
// docs/contracts.md from cuda/function_bounds.h (exp, log 1 ulp; log1p, cosh 1.5; sin, cos 2) by
// one rule: a k-ulp function is within 2k u relatively (u = 2^-53), each operation adds u to its
// operands' relative errors, and a result within n u is within n ulps.
struct UlpRow {
  OpId op;
  double f64;
};
constexpr UlpRow kForwardF64[] = {
    {OpId::exp, derived_function_ulps("exp")}, {OpId::log, derived_function_ulps("log")},
    {OpId::softplus, 6},   // x + log1p(e^-x): e 2u, log1p 2u + 3u, one add
    {OpId::sin, derived_function_ulps("sin")}, {OpId::cos, derived_function_ulps("cos")},
    {OpId::rsqrt, 2},      // 1.0/sqrt: two correctly rounded operations, u each
    {OpId::sigmoid, 5},    // e/(1+e): e 2u, 1+e 2u, one division
    {OpId::gelu, 4096},    // exp(z) of a z = 2u(x) rounded 5 times: 5|z| u, |z| <= 745 before underflow
};
constexpr UlpRow kVjpF64[] = {
    {OpId::sqrt, 3},         // 0.5/sqrt(x), times g: three roundings
    {OpId::softplus, 6},     // sigmoid (5u), times g
    {OpId::reciprocal, 4.5}, // -(1/m)^2 g 2^-2e: 1/m u, square 3u, times g 4u; + 0.5 if subnormal
    {OpId::safe_log, 15},    // sigmoid (5u) / (softplus (6u) + eps) times g: 14u; q/(1+q) below w = -40: 15u
    {OpId::sigmoid, 9},      // e/((1+e)(1+e)): e 2u, 1+e 2u, its square 5u, division 8u, times g
    {OpId::rsqrt, 10},       // -0.5 r^3 g 2^-3e/2, r = 1/sqrt(m) 2u: r^3 8u, times g 9u; + 0.5 if subnormal
    {OpId::tanh, 10},        // sech = 1/cosh (cosh 3u) 4u, its square 9u, times g
    {OpId::sin, 5}, {OpId::cos, 5},  // cos/sin 2 ulp = 4u, times g
};

template <std::size_t N> double lookup(const UlpRow (&rows)[N], OpId op) {
  for (const UlpRow& r : rows)
    if (r.op == op) return r.f64;
  throw_internal("no cuda ulp bound for " + std::string(op_name(op)));
}

Contract ulp_row(double ulps) { return kernel_contract(ContractKind::ulp, ulps, Evidence::assumed, kGuide, evidence()); }

// The rows that are the cuda backend's own (kernel_rules/kernel_contracts.h has the rest).
Contract own_forward(OpId op, DType d) {
  if (op == OpId::sum) {
    Contract c = kernel_contract(ContractKind::sum_bound, 0, Evidence::proved,
                                 "fixed tree (cuda/tree_sum.h); Higham, Accuracy and Stability, (4.4): any order", evidence());
    c.order = "256 strided left folds from +0, then a binary tree";
    return c;
  }
  // log(v) near v = 1 has no relative bound: absolute, at max(|y|, 1). float: 0.5 + 2^24 (9u);
  // float64: v = softplus + eps within 7u, log's own 2u relative to |y| <= max(|y|, 1): 9 ulps.
  if (op == OpId::safe_log) return derived(d == DType::f32 ? 1 : 9, 1, false);
  if (d == DType::f32) return ulp_row(1);
  // Not derived: the guide says 1 ulp on the GPU; libdevice's tanh compiled for the host measured 1.43
  // and glibc's (the emulated build's where libdevice is not found) 2.04 in the oracle's measure; the
  // bound is the larger rounded up.
  if (op == OpId::tanh) {
    return kernel_contract(ContractKind::ulp, derived_function_ulps("tanh"), Evidence::sampled,
                           "libdevice tanh compiled for the host 1.43 ulp, glibc tanh 2.04 ulp, maxima over 10^6 samples "
                           "and more (reports/cuda/libdevice-host.md, reports/ulp-survey.md), rounded up; the GPU's tanh not yet measured",
                           evidence());
  }
  return ulp_row(lookup(kForwardF64, op));
}

Contract own_vjp(OpId op, DType d) {
  // gelu' has a root (x = -0.752) where its two terms cancel and only an absolute bound ~ u |g|
  // exists: measured at max(|y|, max|g|). float64: as gelu (exp of a 5-times-rounded z); float:
  // 0.5 + 2^24 times that absolute error.
  if (op == OpId::gelu) return derived(d == DType::f32 ? 1 : 4096, 0, true);
  // float: g * f' formed in double from f' within 15u (safe_log'; the others less), rounded once:
  // 0.5 + 2^24 * 15u < 0.5 + 2^-25.
  if (d == DType::f32) return ulp_row(1);
  return ulp_row(lookup(kVjpF64, op));
}

// cuBLAS's GEMM (opt-in): matmul, and linear's product (its bias is still added after it, and its
// bias gradient is still the own left fold), in cuBLAS's undocumented order.
bool through_cublas(OpId op, Direction d) {
  if (op == OpId::matmul) return true;
  return op == OpId::linear && (d.forward() || d.input == 0 || d.input == 1);
}

Contract cublas_row() {
  Contract c = kernel_contract(ContractKind::dot_bound, 0, Evidence::assumed,
                    "external trust boundary: cuBLAS gemm in CUBLAS_PEDANTIC_MATH (no TF32, no reduced-precision "
                    "tensor cores), its own summation order; Higham (3.5)'s bound holds for any order; "
                    "reproducible run to run only on the same GPU architecture, cuBLAS version and stream "
                    "(cuBLAS documentation, 'Results reproducibility'); not yet run on a GPU", evidence());
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
  bool gets_grad = direction.forward() || op_input_gets_grad(op, direction.input);
  if (gemm == Gemm::cublas && through_cublas(op, direction) && gets_grad) return cublas_row();
  if (!gets_grad) {
    return kernel_contract(ContractKind::unsupported, 0, Evidence::none, "this input receives no gradient", evidence());
  }
  if (op == OpId::bce_with_logits && dtype == DType::f64) {
    if (std::optional<Contract> own = bce_f64_row(direction)) return *own;
  }
  if (std::optional<Contract> shared = shared_kernel_row(op, direction, evidence())) return *shared;
  return direction.forward() ? own_forward(op, dtype) : own_vjp(op, dtype);
}

}  // namespace tl::cuda

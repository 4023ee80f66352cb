// The contract table of the fast backends. Forward ulp bounds: float32 from the exhaustive sweep of
// all 2^32 inputs (bench/ulp_exhaustive, reports/ulp-exhaustive.md), float64 the maxima sampled by
// bench/ulp_survey (reports/ulp-survey.md: 10^7 samples plus special values, against MPFR) rounded
// up to the next 0.5. VJPs g * f'(x): the product is formed in the wider type from the unrounded
// f'(x) and rounded once, so their bound is 0.5 ulp plus 2^p times the relative error of that f'
// (docs/contracts.md, "VJPs of the transcendental functions").
#include "fast/contracts.h"

#include "kernel_rules/elementwise_rules.h"
#include "spec/error.h"
#include "kernel_rules/kernel_contracts.h"

namespace tl::fast {
namespace {

const KernelEvidence& evidence() {
  static const KernelEvidence e{numerical_policy(), Evidence::proved, "one IEEE 754 operation",
                                "bit-identical to reference/Strict: tests/fast FastStrictAgreement",
                                "first-order derivation in docs/contracts.md; assumes glibc exp/log within 1 ulp"};
  return e;
}

struct UlpRow {
  OpId op;
  double f32, f64;
};

// Forward ulp bounds per function: the measured maxima rounded up to the next 0.5 (float32 0.500000x
// over all inputs; float64 sampled).
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

template <std::size_t N>
UlpRow lookup(const UlpRow (&rows)[N], OpId op) {
  for (const UlpRow& r : rows) {
    if (r.op == op) return r;
  }
  throw_internal("no ulp measurement for " + std::string(op_name(op)));
}

// The rows that are the fast backend's own (kernel_rules/kernel_contracts.h has the rest): `sum` a left fold,
// the transcendental functions' ulp bounds and their VJPs.
Contract own_forward(OpId op, DType d) {
  if (op == OpId::sum) return strict_kernel_row(op, {}, evidence());
  if (d == DType::f32)
    return kernel_contract(ContractKind::ulp, lookup(kForwardUlps, op).f32, Evidence::exhaustive,
                           "bench/ulp_exhaustive: all 2^32 float32 inputs against a long double reference "
                           "checked against MPFR (reports/ulp-exhaustive.md)", evidence());
  return kernel_contract(ContractKind::ulp, lookup(kForwardUlps, op).f64, Evidence::sampled,
                         "bench/ulp_survey: 10^7 samples + specials vs MPFR", evidence());
}

// g * f'(x) rounded once from f'(x) in the wider type: at most 0.5 + 2^p rho ulps, rho the relative
// error of the wide f'(x) — float32: 2^24 rho <= 2e-7 over all 2^32 inputs, 0.17 for gelu' at the
// float nearest its root (bench/ulp_exhaustive: every VJP bound <= 0.67);
// float64: 2^53 rho <= 0.0031 over 10^6 samples (bench/ulp_survey --wide). gelu' has a root
// (x ~ -0.7518) where no relative bound holds: its float64 VJP is measured at max(|y|, max|g|),
// where the long double f's absolute error (2^53 alpha <= 0.002, sampled) gives 0.5 + 0.002.
Contract own_vjp(OpId op, DType d) {
  if (!vjp_is_g_times_derivative(op)) throw_internal("no VJP row for " + std::string(op_name(op)));
  if (d == DType::f32)
    return kernel_contract(ContractKind::ulp, 1, Evidence::exhaustive,
                           "g*f'(x) from f' in double, rounded once: 0.5 + 2^24 rho, rho over all 2^32 "
                           "float32 inputs (bench/ulp_exhaustive)", evidence());
  if (op == OpId::gelu) {
    Contract c = kernel_contract(ContractKind::derived, 1, Evidence::sampled,
                                 "g*f'(x) from f' in long double, rounded once: 0.5 + 2^53 alpha at max|g| "
                                 "(alpha: f's absolute error, bench/ulp_survey --wide, 10^6 samples)", evidence());
    c.data_scale = true;
    return c;
  }
  return kernel_contract(ContractKind::ulp, 1, Evidence::sampled,
                         "g*f'(x) from f' in long double, rounded once: 0.5 + 2^53 rho "
                         "(rho: bench/ulp_survey --wide, 10^6 samples)", evidence());
}

}  // namespace

const char* numerical_policy() {
  return "IEEE 754 round to nearest even; subnormals kept; no implicit FMA contraction "
         "(-ffp-contract=off, std::fma where declared); float transcendentals evaluated in double "
         "(glibc, or the vectorised exp of fast/kernels/vmath.cpp for exp, sigmoid, tanh and gelu, vmath_log.cpp for log) and rounded once";
}

Contract contract(OpId op, DType dtype, Direction direction) {
  if (!direction.forward() && !op_input_gets_grad(op, direction.input)) {
    return kernel_contract(ContractKind::unsupported, 0, Evidence::none, "this input receives no gradient", evidence());
  }
  if (std::optional<Contract> shared = shared_kernel_row(op, direction, evidence())) return *shared;
  return direction.forward() ? own_forward(op, dtype) : own_vjp(op, dtype);
}

}  // namespace tl::fast

// The contract table of the fast backends. The ulp bounds are the maxima measured by
// bench/ulp_survey (reports/ulp-survey.md: 10^7 samples per forward function, 10^6 per derivative,
// plus special values, against MPFR through 192-bit MPFI enclosures), rounded up to the next 0.5;
// a VJP g·f'(x) adds the one rounding of the product (0.5 ulp).
#include "fast/contracts.h"

#include "spec/error.h"
#include "spec/kernel_contracts.h"

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

// The rows that are the fast backend's own (spec/kernel_contracts.h has the rest): `sum` a left fold,
// the transcendental functions' measured ulp bounds; a VJP g*f'(x) adds the product's rounding.
Contract own_forward(OpId op, DType d) {
  if (op == OpId::sum) return strict_kernel_row(op, {}, evidence());
  return kernel_contract(ContractKind::ulp, pick(lookup(kForwardUlps, op), d), Evidence::sampled,
                         "bench/ulp_survey: 10^7 samples + specials vs MPFR", evidence());
}

Contract own_vjp(OpId op, DType d) {
  return kernel_contract(ContractKind::ulp, pick(lookup(kDerivativeUlps, op), d) + 0.5, Evidence::sampled,
                         "g*f'(x): f' measured by bench/ulp_survey (10^6 samples), plus one rounding", evidence());
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

// Contracts (DESIGN §2): a backend's declared claim about one (op, dtype, direction) — what its
// result is relative to the real or strict meaning, under which numerical policy, on what evidence.
#pragma once

#include <string>
#include <string_view>

#include "spec/op.h"

namespace tl {

enum class ContractKind {
  exact,              // bit-identical to the correctly rounded real result
  correctly_rounded,  // within 0.5 ulp of the real result (one IEEE operation)
  strict,             // bit-identical to the strict meaning in the declared order
  ulp,                // within `ulps` ulp of the real result, per element
  sum_bound,          // |err| <= gamma_n * sum |x_i|, sound in any order
  dot_bound,          // |err| <= gamma_n * sum |a_i b_i|
  derived,            // a bound derived in docs/contracts.md
  empirical,          // a bound with no proof: measured, labelled as such everywhere
  unsupported,        // the backend does not implement it (shown in every report)
};

enum class Evidence { proved, exhaustive, sampled, assumed, none };

// Direction: the forward value, or the VJP with respect to input `input`.
struct Direction {
  int input = -1;  // -1: forward
  bool forward() const { return input < 0; }
};

struct Contract {
  ContractKind kind = ContractKind::unsupported;
  double ulps = 0;        // for ulp / empirical
  std::string order;      // for strict: the declared order, e.g. "FMA chain over k from +0"
  std::string policy;     // rounding, subnormals, contraction
  Evidence evidence = Evidence::none;
  std::string evidence_detail;  // e.g. "10^7 samples vs MPFR, 2026-11-25"
};

std::string_view contract_kind_name(ContractKind k);
std::string_view evidence_name(Evidence e);
// "strict(FMA chain over k from +0)", "ulp(2)", "empirical(4)", ...
std::string contract_text(const Contract& c);

}  // namespace tl

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
  // The ulp budget (ulp, derived, empirical): ulps + ulps_per_term * n, where n is the op's
  // reduction length (checking/terms.h), measured in ulps of the dtype at max(|y|, magnitude_floor)
  // (floor 0: plain ulps at the real value y). sum_bound/dot_bound use gamma_n instead.
  // data_scale: also at least the op's data-dependent scale S (checking/scales.h), so the budget is
  // measured at max(|y|, magnitude_floor, S).
  double ulps = 0;
  double ulps_per_term = 0;
  double magnitude_floor = 0;
  bool data_scale = false;
  std::string order;      // for strict: the declared order, e.g. "FMA chain over k from +0"
  std::string policy;     // rounding, subnormals, contraction
  Evidence evidence = Evidence::none;
  std::string evidence_detail;  // e.g. "10^7 samples vs MPFR, 2026-11-25"
};

// "forward" or "vjp[k]": how reports, records and replays name a direction.
std::string direction_text(Direction d);
// The inverse of direction_text ("forward", "vjp[k]"); UserError naming `what` otherwise.
Direction parse_direction(std::string_view text, std::string_view what);

std::string_view contract_kind_name(ContractKind k);
std::string_view evidence_name(Evidence e);
// "strict(FMA chain over k from +0)", "ulp(2)", "derived(3 + 0.75n ulp at max(|y|,1))", ...
std::string contract_text(const Contract& c);

}  // namespace tl

// Names and text of contracts.
#include "spec/contract.h"

#include <cstdio>

#include "spec/error.h"

namespace tl {

std::string_view contract_kind_name(ContractKind k) {
  switch (k) {
    case ContractKind::exact: return "exact";
    case ContractKind::correctly_rounded: return "correctly_rounded";
    case ContractKind::strict: return "strict";
    case ContractKind::ulp: return "ulp";
    case ContractKind::sum_bound: return "sum_bound";
    case ContractKind::dot_bound: return "dot_bound";
    case ContractKind::derived: return "derived";
    case ContractKind::empirical: return "empirical";
    case ContractKind::unsupported: return "unsupported";
  }
  throw_internal("bad ContractKind value");
}

std::string_view evidence_name(Evidence e) {
  switch (e) {
    case Evidence::proved: return "proved";
    case Evidence::exhaustive: return "exhaustive";
    case Evidence::sampled: return "sampled";
    case Evidence::assumed: return "assumed";
    case Evidence::none: return "none";
  }
  throw_internal("bad Evidence value");
}

std::string contract_text(const Contract& c) {
  std::string name(contract_kind_name(c.kind));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", c.ulps);
  switch (c.kind) {
    case ContractKind::strict: return name + "(" + c.order + ")";
    case ContractKind::ulp: case ContractKind::empirical: return name + "(" + buf + ")";
    case ContractKind::exact: case ContractKind::correctly_rounded: case ContractKind::sum_bound:
    case ContractKind::dot_bound: case ContractKind::derived: case ContractKind::unsupported:
      return name;
  }
  throw_internal("bad ContractKind value");
}

}  // namespace tl

// Names and text of contracts.
#include "spec/contract.h"

#include <charconv>
#include <cstdio>

#include "spec/error.h"

namespace tl {

std::string direction_text(Direction d) { return d.forward() ? "forward" : "vjp[" + std::to_string(d.input) + "]"; }

Direction parse_direction(std::string_view text, std::string_view what) {
  if (text == "forward") return {};
  if (text.size() > 5 && text.substr(0, 4) == "vjp[" && text.back() == ']') {
    std::string_view digits = text.substr(4, text.size() - 5);
    int k = -1;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), k);
    if (ec == std::errc() && end == digits.data() + digits.size() && k >= 0) return {k};
  }
  throw UserError(std::string(what) + ": '" + std::string(text) + "' is no direction (expected forward or vjp[k])");
}

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

namespace {

std::string budget_text(const Contract& c) {
  char buf[96];
  if (c.ulps_per_term != 0) std::snprintf(buf, sizeof buf, "%g + %gn", c.ulps, c.ulps_per_term);
  else std::snprintf(buf, sizeof buf, "%g", c.ulps);
  std::string text = buf;
  if (c.magnitude_floor != 0 || c.data_scale) {
    std::snprintf(buf, sizeof buf, "%g", c.magnitude_floor);
    text += std::string(" ulp at max(|y|") + (c.magnitude_floor != 0 ? std::string(",") + buf : "") +
            (c.data_scale ? ",S" : "") + ")";
  }
  return text;
}

}  // namespace

std::string contract_text(const Contract& c) {
  std::string name(contract_kind_name(c.kind));
  switch (c.kind) {
    case ContractKind::strict: return name + "(" + c.order + ")";
    case ContractKind::ulp: case ContractKind::empirical: case ContractKind::derived:
      return c.ulps == 0 && c.ulps_per_term == 0 ? name : name + "(" + budget_text(c) + ")";
    case ContractKind::sum_bound: case ContractKind::dot_bound: return name + "(gamma_n)";
    case ContractKind::exact: case ContractKind::correctly_rounded: case ContractKind::unsupported:
      return name;
  }
  throw_internal("bad ContractKind value");
}

}  // namespace tl

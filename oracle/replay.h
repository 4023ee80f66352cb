// Reading a discrepancy record (tl.discrepancy.v1) back for `tl-check --replay FILE`: the backend,
// the single-op case with its exact inputs, the upstream gradient and the direction.
#pragma once

#include <optional>
#include <string>

#include "cases/op_cases.h"

namespace tl::oracle {

struct ReplayCase {
  std::string backend;
  OpCase op_case;
  std::optional<HostTensor> upstream;
  std::string direction;  // "forward" or "vjp[k]"
  uint64_t case_seed = 0;
};

// UserError naming the file for unreadable or malformed records.
ReplayCase read_replay(const std::string& path);

}  // namespace tl::oracle

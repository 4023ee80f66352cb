// Shrinking a failing op case to a smaller reproducer: every non-index input element in turn is
// replaced by 0, then by 1, keeping the replacement while the same direction still FAILs. The shapes
// stay (they are the op's example shapes); what is left are the values the failure needs.
#pragma once

#include "checking/check_op.h"

namespace tl::oracle {

// Returns the shrunk case, or `c` itself when it does not fail on its own (e.g. a graph node whose
// failure needs the graph run). `upstream` fixes the VJP seed across attempts.
OpCase shrink_case(backend::Backend& backend, const OpCase& c, Direction direction, const HostTensor* upstream,
                   int max_checks = 4000);

// Re-checks a case and returns the record of `direction`'s first failing element, if it fails.
std::optional<Discrepancy> discrepancy_of(backend::Backend& backend, const OpCase& c, Direction direction,
                                          const HostTensor* upstream, uint64_t case_seed);

}  // namespace tl::oracle

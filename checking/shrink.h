// Shrinking a failing op case to a smaller reproducer: blocks of a large input (halves, quarters,
// ... down to 32 elements) are replaced by 0, then every non-index input element in turn by 0, then
// by 1, keeping each replacement while the same direction still FAILs, within a budget of checked
// elements. The shapes stay (they are the case list's shapes); what is left are the values the
// failure needs.
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

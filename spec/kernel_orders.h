// The declared orders of the kernels that follow the strict meaning's formulas and orders, shared by
// the fast backends (fast/ on the CPU, cuda/): the `order` text of their strict(order) contract rows.
// One text per (op, direction), so two backends that run the same order declare it in the same words.
#pragma once

#include <string_view>

#include "spec/contract.h"

namespace tl {

// "" where the op's row is not a strict order (exact, correctly rounded, ulp, derived, ...).
std::string_view strict_order(OpId op, Direction direction);

}  // namespace tl

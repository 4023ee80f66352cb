// The fast CPU backends' contract table (DESIGN §2): one row per op × dtype × direction (forward,
// or the VJP with respect to each input that receives a gradient). Eager and compiled share it:
// they run the same kernels. docs/contracts.md explains each row and its evidence.
#pragma once

#include "spec/contract.h"

namespace tl::fast {

Contract contract(OpId op, DType dtype, Direction direction);

// The numerical policy every fast kernel follows.
const char* numerical_policy();

}  // namespace tl::fast

// Data-dependent scales S of the composite ops' error bounds (docs/contracts.md derives each): a
// contract with data_scale measures its ulp budget at max(|y|, floor, S), so a bound of the form
// |err| <= K u max(|y|, S) is checked as "K ulps". S is one number per tensor (the maximum over its
// groups), computed in double from the op's inputs, output and upstream gradient and rounded up
// generously; 0 for ops without one.
#pragma once

#include <vector>

#include "spec/contract.h"
#include "spec/graph.h"

namespace tl::oracle {

double error_scale(const Node& node, const std::vector<const HostTensor*>& in, const HostTensor* g,
                   Direction direction);

// The derivations assume that no intermediate overflows. False when the data could make one
// overflow (docs/contracts.md states each op's test); the case is then outside the contract and is
// counted as such, not judged.
bool derivation_applies(const Node& node, const std::vector<const HostTensor*>& in, const HostTensor* g,
                        Direction direction);

}  // namespace tl::oracle

// Input values for exercising one op: the shapes of tests/spec/op_examples.cpp filled with seeded
// values — positive where the op's domain needs it, exact integers in range for index inputs —
// and a graph holding just that op, for the whole-graph entry points.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "spec/graph.h"
#include "spec/splitmix.h"

namespace tl::testing {

struct OpCase {
  Graph graph;                                // inputs p0, p1, ... then the op (output "out")
  std::map<std::string, HostTensor> inputs;   // values by input name, float64 or float32
  std::vector<NodeId> input_ids;
};

// `bits` random significant bits per value (small: exact in float32, so all meanings agree on the
// inputs). Values stay away from 0 by at least 2^-4 so that kinks are far from them.
OpCase make_op_case(OpId op, DType dtype, SplitMix64& rng, int bits = 20);

// True for inputs that carry indices or labels (no gradient, integer values).
bool is_index_input(OpId op, std::size_t input);

}  // namespace tl::testing

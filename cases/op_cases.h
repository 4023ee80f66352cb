// Inputs for exercising one op: the shapes of cases/op_examples.cpp filled with seeded values, and a
// graph holding just that op (inputs p0, p1, ... then the op, output "out").
// Values come from the generators of cases/values.h.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cases/op_examples.h"
#include "cases/values.h"
#include "spec/graph.h"
#include "spec/splitmix.h"

namespace tl::oracle {

struct OpCase {
  Graph graph;                                // inputs p0, p1, ... then the op (output "out")
  std::map<std::string, HostTensor> inputs;   // values by input name, float64 or float32
  std::vector<NodeId> input_ids;
};

// `bits` random significant bits per dyadic value (small: exact in float32, so all meanings agree
// on the inputs). Dyadic values stay away from 0 by at least 2^-4 so that kinks are far from them.
OpCase make_op_case(OpId op, DType dtype, SplitMix64& rng, int bits = 20);
OpCase make_op_case(OpId op, DType dtype, SplitMix64& rng, ValueKind kind);
// The same on one entry of the op's case list (cases/case_lists.h) instead of its valid example.
OpCase make_op_case(OpId op, DType dtype, SplitMix64& rng, ValueKind kind, const OpExample& example);

// The single-op graph of `op` with its parents replaced by inputs p0, p1, ... holding `inputs` (their
// dtypes and shapes), output "out"; validated. The unit every op check, shrink and replay works on.
OpCase single_op_case(Node op, std::vector<HostTensor> inputs, std::string name);

// Seeds of a run's cases, each a hash of (run seed, stream, index) — never an xor or sum of them — so
// two run seeds share no cases: for a fixed stream and index the map from run seed to case seed is a
// bijection (a chain of SplitMix64 finalisers), and distinct streams or indices collide only by
// chance (2^-64). Independent of sharding and thread count.
enum class SeedStream : uint64_t { op_case = 1, random_graph = 2, graph_file = 3 };
uint64_t derived_seed(uint64_t run_seed, SeedStream stream, uint64_t a, uint64_t b, int64_t index);
// Case `index` of (op, dtype).
uint64_t case_seed(uint64_t seed, OpId op, DType dtype, int64_t index);
// Random graph `index` of dtype, and the seeded inputs of graph file `index`.
uint64_t random_graph_seed(uint64_t seed, DType dtype, int64_t index);
uint64_t graph_file_seed(uint64_t seed, int64_t index);

// Seeded values for a tensor that `consumer` takes as its input `position` (`consumer_inputs`: the
// shapes of all its inputs): valid indices or labels for index inputs, bce targets in [0, 1],
// positive values where the op needs them, else draws of `kind`. For inputs of whole graphs.
void fill_consumed_input(const Node& consumer, std::size_t position, const std::vector<Shape>& consumer_inputs,
                         HostTensor& t, ValueKind kind, SplitMix64& rng);

// Elementwise ops with one input: the exhaustive tier sweeps every float32 bit pattern through them.
bool is_unary_elementwise(OpId op);
// A case of a unary elementwise op over the float32 bit patterns [first, first + count).
OpCase make_bit_sweep_case(OpId op, uint32_t first, uint32_t count);

}  // namespace tl::oracle

// Inputs for exercising one op: the shapes of cases/op_examples.cpp filled with seeded values, and a
// graph holding just that op (inputs p0, p1, ... then the op, output "out").
//
// Value generators (DESIGN §10; RapidCheck's own float generator never yields NaN, inf, subnormals
// or tiny values, so these are our own):
//   dyadic   small dyadics m·2^-k with few significant bits: every meaning agrees on the inputs and
//            sums of them are often exact (exactness-forcing);
//   binade   a random exponent in [-24, 24], then a random significand: stratified over binades;
//   bits     random bit patterns of the dtype (finite), so every binade incl. subnormals appears;
//   ties     values 2^e·(1 + j·2^(1-p)) mixed with 2^(e-p)·odd: sums and products land on or next to
//            rounding ties;
//   special  ±0, ±inf, NaN, ±smallest subnormal, ±largest subnormal, ±smallest normal, ±largest
//            finite, ±1, ±0.5, 1 ± ulp, mixed with dyadics.
// Domain constraints hold except under `special`: positive inputs where the op needs them (sqrt,
// rsqrt, log, reciprocal, div's divisor, running variances), integer indices in range, bce targets
// in [0, 1]. Index inputs are always valid (a bad index is a UserError, not a numeric case).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cases/op_examples.h"
#include "spec/graph.h"
#include "spec/splitmix.h"

namespace tl::oracle {

struct OpCase {
  Graph graph;                                // inputs p0, p1, ... then the op (output "out")
  std::map<std::string, HostTensor> inputs;   // values by input name, float64 or float32
  std::vector<NodeId> input_ids;
};

enum class ValueKind { dyadic, binade, bits, ties, special };
inline constexpr ValueKind kValueKinds[] = {ValueKind::dyadic, ValueKind::binade, ValueKind::bits, ValueKind::ties,
                                            ValueKind::special};
std::string_view value_kind_name(ValueKind k);

// `bits` random significant bits per dyadic value (small: exact in float32, so all meanings agree
// on the inputs). Dyadic values stay away from 0 by at least 2^-4 so that kinks are far from them.
OpCase make_op_case(OpId op, DType dtype, SplitMix64& rng, int bits = 20);
OpCase make_op_case(OpId op, DType dtype, SplitMix64& rng, ValueKind kind);
// The same on one entry of the op's case list (cases/case_lists.h) instead of its valid example.
OpCase make_op_case(OpId op, DType dtype, SplitMix64& rng, ValueKind kind, const OpExample& example);

// The single-op graph of `op` with its parents replaced by inputs p0, p1, ... holding `inputs` (their
// dtypes and shapes), output "out"; validated. The unit every op check, shrink and replay works on.
OpCase single_op_case(Node op, std::vector<HostTensor> inputs, std::string name);

// One value of the given kind (already representable in dtype), honouring `positive` except for
// `special`.
double draw_value(SplitMix64& rng, DType dtype, ValueKind kind, bool positive);

// The seed of case `index` of (op, dtype) in a run seeded `seed`: independent of sharding and thread
// count. Whole graphs use OpId::input with their own index ranges.
uint64_t case_seed(uint64_t seed, OpId op, DType dtype, int64_t index);

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

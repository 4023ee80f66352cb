// Builds single-op graphs with seeded inputs for the reference tests.
#include "op_inputs.h"

#include <cmath>

#include "../spec/op_examples.h"

namespace tl::testing {
namespace {

bool needs_positive(OpId op, std::size_t input) {
  switch (op) {
    case OpId::sqrt: case OpId::rsqrt: case OpId::log: case OpId::reciprocal: return true;
    case OpId::div: return input == 1;
    case OpId::batch_norm: return input == 4;  // running variance
    default: return false;
  }
}

// Index bound of an index input (rows of the table, classes of the scores).
int64_t index_bound(OpId op, const std::vector<Shape>& shapes) {
  switch (op) {
    case OpId::gather_rows: return shapes[0].dim(0);
    case OpId::scatter_add_rows: return 10;  // ScatterAttrs{10} in op_examples
    case OpId::cross_entropy: case OpId::nll: return shapes[0].dim(1);
    default: return 1;
  }
}

double random_value(SplitMix64& rng, int bits, bool positive) {
  // m / 2^(bits-2) with m in [2^(bits-6), 2^bits): magnitude in [2^-4, 4), `bits` significant bits.
  int64_t lo = int64_t{1} << (bits - 6), hi = int64_t{1} << bits;
  double mag = std::ldexp(static_cast<double>(lo + static_cast<int64_t>(rng.below(static_cast<uint64_t>(hi - lo)))), 2 - bits);
  if (positive) return mag;
  return rng.below(2) ? -mag : mag;
}

}  // namespace

bool is_index_input(OpId op, std::size_t input) {
  switch (op) {
    case OpId::gather_rows: case OpId::scatter_add_rows: case OpId::cross_entropy: case OpId::nll:
      return input == 1;
    default: return false;
  }
}

OpCase make_op_case(OpId op, DType dtype, SplitMix64& rng, int bits) {
  OpExample ex = valid_example(op);
  OpCase c;
  c.graph.name = "case_" + std::string(op_name(op));
  Node n;
  n.op = op;
  n.attrs = ex.attrs;
  round_float_attrs(op, n.attrs, dtype);
  n.dtype = dtype;
  n.shape = ex.expected;
  for (std::size_t i = 0; i < ex.inputs.size(); ++i) {
    std::string name = "p" + std::to_string(i);
    Node in;
    in.op = OpId::input;
    in.attrs = InputAttrs{name, InputRole::data};
    in.dtype = dtype;
    in.shape = ex.inputs[i];
    c.graph.nodes.push_back(in);
    c.input_ids.push_back(static_cast<NodeId>(i));
    n.parents.push_back(static_cast<NodeId>(i));
    HostTensor t(dtype, ex.inputs[i]);
    for (int64_t k = 0; k < t.numel(); ++k) {
      double v = is_index_input(op, i) ? static_cast<double>(rng.below(static_cast<uint64_t>(index_bound(op, ex.inputs))))
                                       : random_value(rng, bits, needs_positive(op, i));
      if (op == OpId::bce_with_logits && i == 1) v = std::ldexp(static_cast<double>(rng.below(9)), -3);
      if (dtype == DType::f32) t.values<float>()[static_cast<std::size_t>(k)] = static_cast<float>(v);
      else t.values<double>()[static_cast<std::size_t>(k)] = v;
    }
    c.inputs.emplace(name, std::move(t));
  }
  if (op == OpId::constant) {
    auto value = std::make_shared<HostTensor>(dtype, ex.expected);
    for (int64_t k = 0; k < value->numel(); ++k) {
      double v = random_value(rng, bits, false);
      if (dtype == DType::f32) value->values<float>()[static_cast<std::size_t>(k)] = static_cast<float>(v);
      else value->values<double>()[static_cast<std::size_t>(k)] = v;
    }
    n.value = value;
  }
  if (op == OpId::input) {
    // The op itself is an input: the graph is that one node.
    n.attrs = InputAttrs{"only", InputRole::data};
    n.shape = ex.declared;
    HostTensor t(dtype, ex.declared);
    c.inputs.emplace("only", std::move(t));
  }
  if (ex.inputs.empty()) n.shape = ex.declared;
  c.graph.nodes.push_back(n);
  c.graph.outputs.push_back({"out", static_cast<NodeId>(c.graph.nodes.size() - 1)});
  validate(c.graph);
  return c;
}

}  // namespace tl::testing

// Single-op graphs with seeded inputs drawn by the value generators of op_cases.h.
#include "cases/op_cases.h"

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>

#include "cases/op_examples.h"
#include "spec/error.h"

namespace tl::oracle {
namespace {

// Index bound of an index input of `consumer` (rows of the table or of the output, classes of the
// scores); `shapes` are the consumer's input shapes.
int64_t index_bound(const Node& consumer, const std::vector<Shape>& shapes) {
  if (consumer.op == OpId::gather_rows) return shapes[0].dim(0);
  if (consumer.op == OpId::scatter_add_rows) return std::get<ScatterAttrs>(consumer.attrs).rows;
  if (consumer.op == OpId::cross_entropy || consumer.op == OpId::nll) return shapes[0].dim(1);
  return 1;  // not an index input (ops.def's index_inputs say which are)
}

void fill_input(const Node& consumer, std::size_t i, const std::vector<Shape>& shapes, HostTensor& t,
                ValueSource& source, SplitMix64& rng) {
  const OpId op = consumer.op;
  const bool index = op_input_is_index(op, i);
  const int64_t bound = index ? index_bound(consumer, shapes) : 0;
  if (index && t.numel() > 0 && bound <= 0) {
    throw UserError("no valid index for input " + std::to_string(i) + " of " + std::string(op_name(op)) +
                    ": it indexes an axis of length 0");
  }
  source.start_tensor(t.shape());
  for (int64_t k = 0; k < t.numel(); ++k) {
    double v = index ? static_cast<double>(rng.below(static_cast<uint64_t>(bound))) : source.next(op_input_positive(op, i));
    if (op == OpId::bce_with_logits && i == 1) v = std::ldexp(static_cast<double>(rng.below(9)), -3);
    t.set_from_double(k, v);
  }
}

// `source` is made for the op's node (its regime edges) by `make_source`.
OpCase build_case(OpId op, DType dtype, SplitMix64& rng, const OpExample& ex,
                  const std::function<ValueSource(const Node&)>& make_source) {
  Node n;
  n.op = op;
  n.attrs = ex.attrs;
  round_float_attrs(op, n.attrs, dtype);
  n.dtype = dtype;
  n.shape = ex.inputs.empty() ? ex.declared : ex.expected;
  std::string name = "case_" + std::string(op_name(op));
  if (op == OpId::input) {  // the op itself is an input: the graph is that one node
    n.attrs = InputAttrs{"only", InputRole::data};
    OpCase c = single_op_case(std::move(n), {}, name);
    c.inputs.emplace("only", HostTensor(dtype, ex.declared));
    return c;
  }
  ValueSource source = make_source(n);
  std::vector<HostTensor> inputs;
  for (std::size_t i = 0; i < ex.inputs.size(); ++i) {
    inputs.emplace_back(dtype, ex.inputs[i]);
    fill_input(n, i, ex.inputs, inputs.back(), source, rng);
  }
  if (op == OpId::constant) {
    auto value = std::make_shared<HostTensor>(dtype, ex.expected);
    fill_input(n, 0, {}, *value, source, rng);
    n.value = value;
  }
  return single_op_case(std::move(n), std::move(inputs), name);
}

}  // namespace

void fill_consumed_input(const Node& consumer, std::size_t position, const std::vector<Shape>& consumer_inputs,
                         HostTensor& t, ValueKind kind, SplitMix64& rng) {
  ValueSource source(rng, t.dtype(), kind, consumer);
  fill_input(consumer, position, consumer_inputs, t, source, rng);
}

OpCase single_op_case(Node op, std::vector<HostTensor> inputs, std::string name) {
  OpCase c;
  c.graph.name = std::move(name);
  op.parents.clear();
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    std::string input = "p" + std::to_string(k);
    Node in;
    in.op = OpId::input;
    in.attrs = InputAttrs{input, InputRole::data};
    in.dtype = inputs[k].dtype();
    in.shape = inputs[k].shape();
    c.graph.nodes.push_back(in);
    c.input_ids.push_back(static_cast<NodeId>(k));
    op.parents.push_back(static_cast<NodeId>(k));
    c.inputs.emplace(input, std::move(inputs[k]));
  }
  c.graph.nodes.push_back(std::move(op));
  c.graph.outputs.push_back({"out", static_cast<NodeId>(c.graph.nodes.size() - 1)});
  validate(c.graph);
  return c;
}

uint64_t derived_seed(uint64_t run_seed, SeedStream stream, uint64_t a, uint64_t b, int64_t index) {
  // Each part enters through an xor with the hash so far, never with another part or a hash of one:
  // splitmix64(run) ^ splitmix64(stream) would cancel whenever run == stream (and collide for swapped
  // run and stream), which a test caught.
  uint64_t h = splitmix64(run_seed);
  for (uint64_t part : {static_cast<uint64_t>(stream), a, b, static_cast<uint64_t>(index)}) h = splitmix64(h ^ part);
  return h;
}

uint64_t case_seed(uint64_t seed, OpId op, DType dtype, int64_t index) {
  return derived_seed(seed, SeedStream::op_case, static_cast<uint64_t>(op), static_cast<uint64_t>(dtype), index);
}

uint64_t random_graph_seed(uint64_t seed, DType dtype, int64_t index) {
  return derived_seed(seed, SeedStream::random_graph, static_cast<uint64_t>(dtype), 0, index);
}

uint64_t graph_file_seed(uint64_t seed, int64_t index) { return derived_seed(seed, SeedStream::graph_file, 0, 0, index); }

OpCase make_op_case(OpId op, DType dtype, SplitMix64& rng, int bits) {
  return build_case(op, dtype, rng, valid_example(op), [&](const Node&) { return ValueSource::dyadic(rng, dtype, bits); });
}

OpCase make_op_case(OpId op, DType dtype, SplitMix64& rng, ValueKind kind) {
  return make_op_case(op, dtype, rng, kind, valid_example(op));
}

OpCase make_op_case(OpId op, DType dtype, SplitMix64& rng, ValueKind kind, const OpExample& example) {
  return build_case(op, dtype, rng, example, [&](const Node& n) { return ValueSource(rng, dtype, kind, n); });
}

bool is_unary_elementwise(OpId op) {
  const OpInfo& info = op_info(op);
  return (info.traits & kElementwise) && info.min_arity == 1 && info.max_arity == 1;
}

OpCase make_bit_sweep_case(OpId op, uint32_t first, uint32_t count) {
  TL_CHECK_INTERNAL(is_unary_elementwise(op), "bit sweeps are for unary elementwise ops");
  Node n;
  n.op = op;
  n.attrs = valid_example(op).attrs;
  round_float_attrs(op, n.attrs, DType::f32);
  n.dtype = DType::f32;
  n.shape = Shape{static_cast<int64_t>(count)};
  HostTensor t(DType::f32, n.shape);
  for (uint32_t k = 0; k < count; ++k) {
    uint32_t u = first + k;
    std::memcpy(&t.values<float>()[k], &u, 4);
  }
  std::vector<HostTensor> inputs;
  inputs.push_back(std::move(t));
  return single_op_case(std::move(n), std::move(inputs), "sweep_" + std::string(op_name(op)));
}

}  // namespace tl::oracle

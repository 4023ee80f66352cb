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

double dyadic_value(SplitMix64& rng, int bits, bool positive) {
  // m / 2^(bits-2) with m in [2^(bits-6), 2^bits): magnitude in [2^-4, 4), `bits` significant bits.
  int64_t lo = int64_t{1} << (bits - 6), hi = int64_t{1} << bits;
  double mag = std::ldexp(static_cast<double>(lo + static_cast<int64_t>(rng.below(static_cast<uint64_t>(hi - lo)))), 2 - bits);
  if (positive) return mag;
  return rng.below(2) ? -mag : mag;
}

double signed_value(SplitMix64& rng, double mag, bool positive) { return positive || rng.below(2) ? mag : -mag; }

template <class T> double special_value(SplitMix64& rng) {
  using L = std::numeric_limits<T>;
  const T one = 1;
  const double table[] = {0.0, -0.0, L::infinity(), -L::infinity(), L::quiet_NaN(), L::denorm_min(),
                          -L::denorm_min(), L::min() - L::denorm_min(), L::min(), -L::min(), L::max(),
                          -L::max(), 1.0, -1.0, 0.5, std::nextafter(one, T(2)), std::nextafter(one, T(0))};
  return table[rng.below(sizeof table / sizeof table[0])];
}

template <class T> double bits_value(SplitMix64& rng) {
  for (;;) {
    T x;
    if constexpr (sizeof(T) == 4) { uint32_t u = static_cast<uint32_t>(rng.next()); std::memcpy(&x, &u, 4); }
    else { uint64_t u = rng.next(); std::memcpy(&x, &u, 8); }
    if (std::isfinite(x)) return static_cast<double>(x);
  }
}

template <class T> double typed_value(SplitMix64& rng, ValueKind kind, bool positive) {
  constexpr int p = std::numeric_limits<T>::digits;
  switch (kind) {
    case ValueKind::dyadic: return dyadic_value(rng, 12, positive);
    case ValueKind::binade: {
      int e = static_cast<int>(rng.below(49)) - 24;
      double m = 1 + static_cast<double>(rng.next() >> (64 - (p - 1))) * std::ldexp(1.0, 1 - p);
      return signed_value(rng, std::ldexp(m, e), positive);
    }
    case ValueKind::bits: {
      double v = bits_value<T>(rng);
      return positive ? std::fabs(v) : v;
    }
    case ValueKind::ties: {
      int e = static_cast<int>(rng.below(7)) - 3;
      double mag = rng.below(2) ? std::ldexp(1 + static_cast<double>(rng.below(8)) * std::ldexp(1.0, 1 - p), e)
                                : std::ldexp(static_cast<double>(2 * rng.below(4) + 1), e - p);
      return signed_value(rng, mag, positive);
    }
    case ValueKind::special: return rng.below(2) ? special_value<T>(rng) : dyadic_value(rng, 12, positive);
  }
  throw_internal("bad ValueKind value");
}

void fill_input(const Node& consumer, std::size_t i, const std::vector<Shape>& shapes, HostTensor& t,
                const std::function<double(bool positive)>& draw, SplitMix64& rng) {
  const OpId op = consumer.op;
  const bool index = op_input_is_index(op, i);
  const int64_t bound = index ? index_bound(consumer, shapes) : 0;
  if (index && t.numel() > 0 && bound <= 0) {
    throw UserError("no valid index for input " + std::to_string(i) + " of " + std::string(op_name(op)) +
                    ": it indexes an axis of length 0");
  }
  for (int64_t k = 0; k < t.numel(); ++k) {
    double v = index ? static_cast<double>(rng.below(static_cast<uint64_t>(bound))) : draw(op_input_positive(op, i));
    if (op == OpId::bce_with_logits && i == 1) v = std::ldexp(static_cast<double>(rng.below(9)), -3);
    t.set_from_double(k, v);
  }
}

OpCase build_case(OpId op, DType dtype, SplitMix64& rng, const OpExample& ex,
                  const std::function<double(bool positive)>& draw) {
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
  std::vector<HostTensor> inputs;
  for (std::size_t i = 0; i < ex.inputs.size(); ++i) {
    inputs.emplace_back(dtype, ex.inputs[i]);
    fill_input(n, i, ex.inputs, inputs.back(), draw, rng);
  }
  if (op == OpId::constant) {
    auto value = std::make_shared<HostTensor>(dtype, ex.expected);
    fill_input(n, 0, {}, *value, draw, rng);
    n.value = value;
  }
  return single_op_case(std::move(n), std::move(inputs), name);
}

}  // namespace

void fill_consumed_input(const Node& consumer, std::size_t position, const std::vector<Shape>& consumer_inputs,
                         HostTensor& t, ValueKind kind, SplitMix64& rng) {
  auto draw = [&](bool positive) { return draw_value(rng, t.dtype(), kind, positive); };
  fill_input(consumer, position, consumer_inputs, t, draw, rng);
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

std::string_view value_kind_name(ValueKind k) {
  switch (k) {
    case ValueKind::dyadic: return "dyadic";
    case ValueKind::binade: return "binade";
    case ValueKind::bits: return "bits";
    case ValueKind::ties: return "ties";
    case ValueKind::special: return "special";
  }
  throw_internal("bad ValueKind value");
}

uint64_t case_seed(uint64_t seed, OpId op, DType dtype, int64_t index) {
  SplitMix64 mix(seed ^ (static_cast<uint64_t>(op) << 40) ^ (static_cast<uint64_t>(dtype) << 56) ^
                 static_cast<uint64_t>(index));
  return mix.next();
}

double draw_value(SplitMix64& rng, DType dtype, ValueKind kind, bool positive) {
  return dtype == DType::f32 ? typed_value<float>(rng, kind, positive) : typed_value<double>(rng, kind, positive);
}

OpCase make_op_case(OpId op, DType dtype, SplitMix64& rng, int bits) {
  return build_case(op, dtype, rng, valid_example(op), [&](bool positive) { return dyadic_value(rng, bits, positive); });
}

OpCase make_op_case(OpId op, DType dtype, SplitMix64& rng, ValueKind kind) {
  return make_op_case(op, dtype, rng, kind, valid_example(op));
}

OpCase make_op_case(OpId op, DType dtype, SplitMix64& rng, ValueKind kind, const OpExample& example) {
  return build_case(op, dtype, rng, example, [&](bool positive) { return draw_value(rng, dtype, kind, positive); });
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

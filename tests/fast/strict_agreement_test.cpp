// The fast kernels against the reference's strict meaning, op by op (local checking: both get the
// same inputs, and for VJPs the same forward output and upstream gradient). Ops whose fast kernel
// follows the strict order must agree bit for bit (any NaN matches any NaN), in float and double.
// Seeds are printed; TL_SEED=N replays.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

#include "fast/kernels/kernels.h"
#include "fast/kernels/parallel.h"
#include "reference/eval.h"
#include "../reference/op_inputs.h"

namespace tl {
namespace {

// Ops whose forward is the strict meaning in the fast kernels (docs/contracts.md).
bool forward_is_strict(OpId op) {
  switch (op) {
    case OpId::rsqrt: case OpId::exp: case OpId::log: case OpId::sin: case OpId::cos: case OpId::tanh:
    case OpId::sigmoid: case OpId::gelu: case OpId::softplus: case OpId::safe_log: case OpId::softmax:
    case OpId::log_softmax: case OpId::logsumexp: case OpId::layer_norm: case OpId::batch_norm:
    case OpId::cross_entropy: case OpId::bce_with_logits: case OpId::input:
      return false;
    default:
      return true;
  }
}

// Ops whose VJP, given the same x, y and g, is the strict meaning.
bool backward_is_strict(OpId op) {
  switch (op) {
    case OpId::sqrt: case OpId::rsqrt: case OpId::reciprocal: case OpId::sin: case OpId::cos:
    case OpId::tanh: case OpId::sigmoid: case OpId::gelu: case OpId::softplus: case OpId::safe_log:
    case OpId::log_softmax: case OpId::logsumexp: case OpId::layer_norm: case OpId::batch_norm:
    case OpId::cross_entropy: case OpId::bce_with_logits:
      return false;
    default:
      return true;
  }
}

template <class T>
HostTensor to_host(const ref::RefTensor<ref::Strict<T>>& t) {
  HostTensor h(dtype_of<T>(), t.shape);
  for (int64_t i = 0; i < t.numel(); ++i) h.values<T>()[static_cast<std::size_t>(i)] = t[i].v;
  return h;
}

template <class T>
bool same_bits(const HostTensor& a, const HostTensor& b, std::string& where) {
  if (!(a.shape() == b.shape())) { where = "shape " + a.shape().str() + " vs " + b.shape().str(); return false; }
  for (int64_t i = 0; i < a.numel(); ++i) {
    T x = a.values<T>()[static_cast<std::size_t>(i)], y = b.values<T>()[static_cast<std::size_t>(i)];
    if ((x != x && y != y) || std::memcmp(&x, &y, sizeof(T)) == 0) continue;
    where = "element " + std::to_string(i) + ": fast " + hex_float(x) + " strict " + hex_float(y);
    return false;
  }
  return true;
}

template <class T>
void check_all_ops(uint64_t seed, int rounds) {
  using S = ref::Strict<T>;
  SplitMix64 rng(seed);
  for (int round = 0; round < rounds; ++round) {
    for (const OpInfo& info : kOpInfo) {
      if (info.id == OpId::input) continue;
      SCOPED_TRACE(std::string(info.name) + " " + std::string(dtype_name(dtype_of<T>())) +
                   " seed " + std::to_string(seed) + " round " + std::to_string(round));
      testing::OpCase c = testing::make_op_case(info.id, dtype_of<T>(), rng, 22);
      const Node& node = c.graph.node(c.graph.outputs[0].node);
      std::vector<HostTensor> host;
      for (NodeId id : c.input_ids) host.push_back(c.inputs.at(std::string(node_name(c.graph.node(id)))));
      fast::HostInputs hin;
      for (const auto& t : host) hin.push_back(&t);
      std::vector<ref::RefTensor<S>> rin;
      for (const auto& t : host) rin.push_back(ref::from_host<S>(t));
      ref::Inputs<S> rptr;
      for (const auto& t : rin) rptr.push_back(&t);
      HostTensor y = fast::forward(node, hin, "fast");
      ref::RefTensor<S> ry = ref::forward_op<S>(node, rptr, "ref");
      std::string where;
      if (forward_is_strict(info.id)) EXPECT_TRUE(same_bits<T>(y, to_host(ry), where)) << "forward " << where;
      if (!op_differentiable(info.id) || !backward_is_strict(info.id)) continue;
      // Same y (the fast one) and g for both: local checking of the VJP.
      HostTensor g(dtype_of<T>(), node.shape);
      for (auto& v : g.values<T>()) v = static_cast<T>(std::ldexp(static_cast<double>(rng.below(1 << 12)), -11) - 1.0);
      ref::RefTensor<S> ry_fast = ref::from_host<S>(y), rg = ref::from_host<S>(g);
      fast::HostGrads fd = fast::backward(node, hin, y, g, "fast");
      ref::Grads<S> rd = ref::vjp_op<S>(node, rptr, ry_fast, rg, "ref");
      for (std::size_t k = 0; k < fd.size(); ++k) {
        ASSERT_EQ(fd[k].has_value(), rd[k].has_value()) << "input " << k;
        if (fd[k]) EXPECT_TRUE(same_bits<T>(*fd[k], to_host(*rd[k]), where)) << "vjp input " << k << ": " << where;
      }
    }
  }
}

uint64_t seed_from_env() {
  const char* env = std::getenv("TL_SEED");
  uint64_t s = env ? std::strtoull(env, nullptr, 10) : 20261125;
  std::printf("seed=%llu (replay: TL_SEED=%llu)\n", (unsigned long long)s, (unsigned long long)s);
  return s;
}

TEST(FastStrictAgreement, StrictOpsMatchTheStrictReferenceBitForBitInFloat32) {
  check_all_ops<float>(seed_from_env(), 5);
}

TEST(FastStrictAgreement, StrictOpsMatchTheStrictReferenceBitForBitInFloat64) {
  check_all_ops<double>(seed_from_env(), 5);
}

TEST(FastStrictAgreement, ResultsDoNotDependOnTheThreadCount) {
  SplitMix64 rng(seed_from_env());
  for (const OpInfo& info : kOpInfo) {
    if (info.id == OpId::input) continue;
    SCOPED_TRACE(std::string(info.name));
    testing::OpCase c = testing::make_op_case(info.id, DType::f32, rng, 22);
    const Node& node = c.graph.node(c.graph.outputs[0].node);
    std::vector<HostTensor> host;
    for (NodeId id : c.input_ids) host.push_back(c.inputs.at(std::string(node_name(c.graph.node(id)))));
    fast::HostInputs hin;
    for (const auto& t : host) hin.push_back(&t);
    fast::set_threads(1);
    HostTensor one = fast::forward(node, hin, "t1");
    fast::set_threads(2);
    HostTensor two = fast::forward(node, hin, "t2");
    fast::set_threads(1);
    EXPECT_TRUE(one.bit_equal(two));
  }
}

}  // namespace
}  // namespace tl

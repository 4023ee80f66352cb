// The fast kernels against the reference's strict meaning, op by op (local checking: both get the
// same inputs, and for VJPs the same forward output and upstream gradient). Every row of the
// contract table that says exact, correctly_rounded or strict(order) must agree bit for bit (any
// NaN matches any NaN), in float and double.
// Seeds are printed; TL_SEED=N replays.
#include <gtest/gtest.h>

#include "../common/bit_exact.h"
#include "../common/seed.h"

#include <cstdlib>
#include <cstring>

#include "fast/contracts.h"
#include "fast/kernels/kernels.h"
#include "reference/eval.h"
#include "cases/op_cases.h"
#include "spec/builder.h"

namespace tl {
namespace {

using testing::bit_exact_kind;
using testing::same_bits;

bool forward_is_strict(OpId op, DType d) { return op != OpId::input && bit_exact_kind(fast::contract(op, d, {})); }
bool backward_is_strict(OpId op, DType d, int input) { return bit_exact_kind(fast::contract(op, d, {input})); }

using ref::to_host;

template <class T>
void check_all_ops(uint64_t seed, int rounds) {
  using S = ref::Strict<T>;
  SplitMix64 rng(seed);
  for (int round = 0; round < rounds; ++round) {
    for (const OpInfo& info : kOpInfo) {
      if (info.id == OpId::input) continue;
      SCOPED_TRACE(std::string(info.name) + " " + std::string(dtype_name(dtype_of<T>())) +
                   " seed " + std::to_string(seed) + " round " + std::to_string(round));
      oracle::OpCase c = oracle::make_op_case(info.id, dtype_of<T>(), rng, 22);
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
      if (forward_is_strict(info.id, dtype_of<T>())) {
        EXPECT_TRUE(same_bits<T>(y, to_host(ry), where)) << "forward " << where;
      }
      if (!op_differentiable(info.id)) continue;
      // Same y (the fast one) and g for both: local checking of the VJP.
      HostTensor g(dtype_of<T>(), node.shape);
      for (auto& v : g.values<T>()) v = static_cast<T>(std::ldexp(static_cast<double>(rng.below(1 << 12)), -11) - 1.0);
      ref::RefTensor<S> ry_fast = ref::from_host<S>(y), rg = ref::from_host<S>(g);
      fast::HostGrads fd = fast::backward(node, hin, y, g, "fast");
      ref::Grads<S> rd = ref::vjp_op<S>(node, rptr, ry_fast, rg, "ref");
      for (std::size_t k = 0; k < fd.size(); ++k) {
        ASSERT_EQ(fd[k].has_value(), rd[k].has_value()) << "input " << k;
        if (fd[k] && backward_is_strict(info.id, dtype_of<T>(), static_cast<int>(k))) {
          EXPECT_TRUE(same_bits<T>(*fd[k], to_host(*rd[k]), where)) << "vjp input " << k << ": " << where;
        }
      }
    }
  }
}

// The weight VJPs at a size where the fast backend skips the zero terms of a ReLU-like operand
// (gemm_skipping_zero_a: linear's upstream gradient, matmul's first operand, half of them ±0): still
// the strict meaning bit for bit.
template <class T>
void check_sparse_weight_vjps(uint64_t seed) {
  using S = ref::Strict<T>;
  SplitMix64 rng(seed);
  auto values = [&](Shape s, double zeros) {
    HostTensor t(dtype_of<T>(), std::move(s));
    for (auto& v : t.values<T>())
      v = rng.uniform() < zeros ? T(0) : static_cast<T>(std::ldexp(static_cast<double>(rng.below(1 << 12)), -11) - 1.0);
    return t;
  };
  GraphBuilder b(dtype_of<T>(), "sparse_vjps");
  Ref x = b.input("x", {64, 100}), w = b.param("w", {40, 100}), bias = b.param("b", {40}), m = b.param("m", {100, 40});
  Ref lin = b.linear(x, w, bias), mm = b.matmul(x, m);
  b.output("l", lin);
  b.output("m", mm);
  Graph g = b.finish();
  for (Ref out : {lin, mm}) {
    const Node& node = g.node(out.id);
    bool is_linear = node.op == OpId::linear;
    std::vector<HostTensor> host = {values({64, 100}, is_linear ? 0.0 : 0.5)};
    if (is_linear) host.push_back(values({40, 100}, 0.0)), host.push_back(values({40}, 0.0));
    else host.push_back(values({100, 40}, 0.0));
    fast::HostInputs hin;
    std::vector<ref::RefTensor<S>> rin;
    for (const auto& t : host) hin.push_back(&t), rin.push_back(ref::from_host<S>(t));
    ref::Inputs<S> rptr;
    for (const auto& t : rin) rptr.push_back(&t);
    HostTensor y = fast::forward(node, hin, "fast");
    HostTensor up = values(node.shape, is_linear ? 0.5 : 0.0);
    fast::HostGrads fd = fast::backward(node, hin, y, up, "fast");
    ref::Grads<S> rd = ref::vjp_op<S>(node, rptr, ref::from_host<S>(y), ref::from_host<S>(up), "ref");
    std::string where;
    EXPECT_TRUE(same_bits<T>(*fd[1], to_host(*rd[1]), where)) << op_name(node.op) << " vjp input 1: " << where;
  }
}

TEST(FastStrictAgreement, WeightVjpsSkippingZeroTermsMatchTheStrictReference) {
  check_sparse_weight_vjps<float>(testing::test_seed());
  check_sparse_weight_vjps<double>(testing::test_seed());
}

TEST(FastStrictAgreement, StrictOpsMatchTheStrictReferenceBitForBitInFloat32) {
  check_all_ops<float>(testing::test_seed(), 5);
}

TEST(FastStrictAgreement, StrictOpsMatchTheStrictReferenceBitForBitInFloat64) {
  check_all_ops<double>(testing::test_seed(), 5);
}

}  // namespace
}  // namespace tl

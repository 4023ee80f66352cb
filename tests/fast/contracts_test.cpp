// The fast contract table: a row for every op × dtype × direction, and the ulp rows hold against
// the real meaning (128-bit interval enclosures) on random inputs — forward values and VJPs of the
// elementwise functions, with the same x and g given to both (local checking).
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

#include "../common/seed.h"

#include "cases/op_cases.h"
#include "checking/ulp.h"
#include "fast/contracts.h"
#include "fast/kernels/kernels.h"
#include "reference/eval.h"

namespace tl {
namespace {

TEST(FastContracts, EveryOpDtypeAndDirectionHasARow) {
  for (const OpInfo& info : kOpInfo) {
    for (DType d : {DType::f32, DType::f64}) {
      Contract f = fast::contract(info.id, d, {});
      EXPECT_NE(f.kind, ContractKind::unsupported) << info.name << " forward";
      EXPECT_FALSE(f.policy.empty()) << info.name;
      int inputs = info.max_arity == kVariadic ? 3 : info.max_arity;
      for (int k = 0; k < inputs; ++k) {
        Contract c = fast::contract(info.id, d, {k});
        EXPECT_EQ(c.kind == ContractKind::unsupported, !op_input_gets_grad(info.id, k)) << info.name << " vjp " << k;
      }
    }
  }
}

// Error of v in ulps of T at the real value enclosed by e (checking/ulp.h: the sound upper bound).
template <class T>
double ulp_error(T v, const ref::Interval& e) {
  if (e.has_nan()) return v != v ? 0.0 : INFINITY;
  return oracle::ulp_error(v, &e.raw()->left, &e.raw()->right, dtype_of<T>()).hi;
}

template <class T>
void check_ulp_rows(uint64_t seed) {
  SplitMix64 rng(seed);
  for (const OpInfo& info : kOpInfo) {
    if (!op_has(info.id, kElementwise) || info.min_arity != 1) continue;
    Contract fwd = fast::contract(info.id, dtype_of<T>(), {});
    Contract bwd = fast::contract(info.id, dtype_of<T>(), {0});
    SCOPED_TRACE(std::string(info.name) + " " + std::string(dtype_name(dtype_of<T>())) + " seed " + std::to_string(seed));
    for (int round = 0; round < 40; ++round) {
      oracle::OpCase c = oracle::make_op_case(info.id, dtype_of<T>(), rng, 22);
      const Node& node = c.graph.node(c.graph.outputs[0].node);
      const HostTensor& x = c.inputs.at("p0");
      HostTensor y = fast::forward(node, {&x}, "fast");
      HostTensor g(dtype_of<T>(), node.shape);
      for (auto& v : g.values<T>()) v = static_cast<T>(rng.uniform() * 2 - 1);
      fast::HostGrads dx = fast::backward(node, {&x}, y, g, "fast");
      ref::RefTensor<ref::Interval> xi = ref::from_host<ref::Interval>(x), gi = ref::from_host<ref::Interval>(g);
      ref::RefTensor<ref::Interval> yi = ref::forward_op<ref::Interval>(node, {&xi}, "ref");
      for (int64_t e = 0; e < x.numel(); ++e) {
        std::size_t k = static_cast<std::size_t>(e);
        if (fwd.kind == ContractKind::ulp) {
          EXPECT_LE(ulp_error(y.values<T>()[k], yi[e]), fwd.ulps) << "forward at " << hex_float(x.values<T>()[k]);
        }
      }
      if (bwd.kind != ContractKind::ulp || !dx[0]) continue;
      ref::Grads<ref::Interval> di = ref::vjp_op<ref::Interval>(node, {&xi}, yi, gi, "ref");
      for (int64_t e = 0; e < x.numel(); ++e) {
        std::size_t k = static_cast<std::size_t>(e);
        EXPECT_LE(ulp_error(dx[0]->values<T>()[k], (*di[0])[e]), bwd.ulps) << "vjp at " << hex_float(x.values<T>()[k]);
      }
    }
  }
}

TEST(FastContracts, UlpRowsHoldAgainstTheRealMeaningInFloat32) { check_ulp_rows<float>(20261125); }
TEST(FastContracts, UlpRowsHoldAgainstTheRealMeaningInFloat64) { check_ulp_rows<double>(20261125); }

}  // namespace
}  // namespace tl

#include "fast/kernels/vmath.h"

namespace tl {
namespace {

TEST(FastVectorMath, Float32ArrayAndScalarPathsGiveTheSameBits) {
  SplitMix64 rng(testing::test_seed());
  std::vector<float> x(4099), g(x.size()), y(x.size()), dx(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    uint32_t u = static_cast<uint32_t>(rng.next());
    float bits;
    std::memcpy(&bits, &u, 4);
    x[i] = i % 3 == 0 ? bits : static_cast<float>(rng.uniform() * 40 - 20);  // NaN, inf, subnormals too
    uint32_t v = static_cast<uint32_t>(rng.next());
    std::memcpy(&bits, &v, 4);
    g[i] = i % 5 == 0 ? bits : static_cast<float>(rng.uniform() * 2 - 1);  // any float g, huge ones too
  }
  int64_t n = static_cast<int64_t>(x.size());
  struct Pair {
    const char* name;
    void (*array)(const float*, float*, int64_t);
    float (*scalar)(float);
  };
  for (Pair f : {Pair{"tanh", fast::tanh_f32_array, fast::tanh_f32}, Pair{"exp", fast::exp_f32_array, fast::exp_f32},
                 Pair{"sigmoid", fast::sigmoid_f32_array, fast::sigmoid_f32}, Pair{"gelu", fast::gelu_f32_array, fast::gelu_f32},
                 Pair{"log", fast::log_f32_array, fast::log_f32}}) {
    f.array(x.data(), y.data(), n);
    for (std::size_t i = 0; i < x.size(); ++i) {
      float ys = f.scalar(x[i]);
      ASSERT_EQ(std::memcmp(&ys, &y[i], 4), 0) << f.name << " at " << hex_float(x[i]);
    }
  }
  struct GradPair {
    const char* name;
    void (*array)(const float*, const float*, float*, int64_t);
    double (*scalar)(float);  // f' in double: the VJP rounds g * f' once
  };
  for (GradPair f : {GradPair{"tanh'", fast::tanh_grad_f32_array, fast::tanh_grad_wide},
                     GradPair{"sigmoid'", fast::sigmoid_grad_f32_array, fast::sigmoid_grad_wide},
                     GradPair{"gelu'", fast::gelu_grad_f32_array, fast::gelu_grad_wide}}) {
    f.array(x.data(), g.data(), dx.data(), n);
    for (std::size_t i = 0; i < x.size(); ++i) {
      float ds = static_cast<float>(static_cast<double>(g[i]) * f.scalar(x[i]));
      ASSERT_EQ(std::memcmp(&ds, &dx[i], 4), 0) << f.name << " at " << hex_float(x[i]);
    }
  }
}

}  // namespace
}  // namespace tl

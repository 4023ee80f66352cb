// The cuda backend, on both engines: "cuda-emulated" (the kernel bodies as host loops; runs
// everywhere) and "cuda" (the GPU; skipped without a usable device). Every row of the cuda contract
// table that says exact, correctly_rounded or strict(order) must agree bit for bit with the strict
// meaning (any NaN matches any NaN), in float and double, forward and VJP (local checking: the VJP
// gets the backend's own y and a given g); the engine's input and index errors are user errors.
// Seeds are printed; TL_SEED=N replays.
#include <gtest/gtest.h>

#include "../common/bit_exact.h"
#include "../common/seed.h"

#include <cstring>

#include "cuda/engine.h"
#include "oracle/backend.h"
#include "oracle/op_cases.h"
#include "reference/eval.h"
#include "spec/builder.h"

namespace tl {
namespace {

using testing::bit_exact_kind;
using testing::same_bits;

class CudaEngines : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    backend_ = oracle::make_backend(GetParam());
    std::string why = backend_->unavailable_reason();
    if (!why.empty()) GTEST_SKIP() << GetParam() << ": " << why;
  }
  template <class T> void check_all_ops(uint64_t seed, int rounds);
  std::unique_ptr<oracle::Backend> backend_;
};

template <class T> void CudaEngines::check_all_ops(uint64_t seed, int rounds) {
  using S = ref::Strict<T>;
  const DType d = dtype_of<T>();
  SplitMix64 rng(seed);
  for (int round = 0; round < rounds; ++round) {
    for (const OpInfo& info : kOpInfo) {
      if (info.id == OpId::input) continue;
      SCOPED_TRACE(std::string(info.name) + " " + std::string(dtype_name(d)) + " round " + std::to_string(round));
      oracle::OpCase c = oracle::make_op_case(info.id, d, rng, 22);
      const Node& node = c.graph.node(c.graph.outputs[0].node);
      std::vector<ref::RefTensor<S>> rin;
      for (NodeId id : c.input_ids) rin.push_back(ref::from_host<S>(c.inputs.at(std::string(node_name(c.graph.node(id))))));
      ref::Inputs<S> rptr;
      for (const auto& t : rin) rptr.push_back(&t);
      HostTensor y = backend_->forward(c.graph, c.inputs);
      std::string where;
      if (bit_exact_kind(backend_->contract(info.id, d, {}))) {
        EXPECT_TRUE(same_bits<T>(y, ref::to_host(ref::forward_op<S>(node, rptr, "ref")), where)) << "forward " << where;
      }
      if (!op_differentiable(info.id)) continue;
      HostTensor g(d, node.shape);
      for (auto& v : g.values<T>()) v = static_cast<T>(std::ldexp(static_cast<double>(rng.below(1 << 12)), -11) - 1.0);
      oracle::MaybeTensors dx = backend_->backward(c.graph, c.inputs, g);
      ref::Grads<S> rd = ref::vjp_op<S>(node, rptr, ref::from_host<S>(y), ref::from_host<S>(g), "ref");
      for (std::size_t k = 0; k < dx.size(); ++k) {
        ASSERT_EQ(dx[k].has_value(), rd[k].has_value()) << "input " << k;
        if (dx[k] && bit_exact_kind(backend_->contract(info.id, d, {static_cast<int>(k)}))) {
          EXPECT_TRUE(same_bits<T>(*dx[k], ref::to_host(*rd[k]), where)) << "vjp input " << k << ": " << where;
        }
      }
    }
  }
}

TEST_P(CudaEngines, BitExactRowsMatchTheStrictMeaningInFloat32) { check_all_ops<float>(testing::test_seed(), 4); }
TEST_P(CudaEngines, BitExactRowsMatchTheStrictMeaningInFloat64) { check_all_ops<double>(testing::test_seed(), 4); }

// A two-layer graph with a loss: the engine's gradients against the eager backend's. Both run the
// same orders for linear, relu and mse (strict rows), so they agree bit for bit (not so through
// cuBLAS, whose order is its own: skipped there).
TEST_P(CudaEngines, GradientsOfATrainingGraphMatchTheEagerBackend) {
  if (backend_->contract(OpId::linear, DType::f32, {1}).kind != ContractKind::strict)
    GTEST_SKIP() << GetParam() << ": linear's VJP is not a strict order here";
  GraphBuilder b(DType::f32, "mlp");
  Ref x = b.input("x", {8, 3});
  Ref w1 = b.param("w1", {5, 3});
  Ref w2 = b.param("w2", {1, 5});
  Ref t = b.input("t", {8, 1});
  Ref loss = b.loss(OpId::mse_loss, b.linear(b.unary(OpId::relu, b.linear(x, w1)), w2), t, Reduction::mean);
  b.output("loss", loss);
  Graph g = b.finish();
  SplitMix64 rng(testing::test_seed());
  std::map<std::string, HostTensor> in;
  for (const auto& [name, shape] : std::vector<std::pair<std::string, Shape>>{
           {"x", Shape{8, 3}}, {"w1", Shape{5, 3}}, {"w2", Shape{1, 5}}, {"t", Shape{8, 1}}}) {
    HostTensor v(DType::f32, shape);
    for (auto& e : v.values<float>()) e = static_cast<float>(rng.below(1 << 10)) / 512.0f - 1.0f;
    in.emplace(name, v);
  }
  HostTensor seed(DType::f32, Shape{});
  seed.values<float>()[0] = 1;
  std::vector<NodeId> wrt = {w1.id, w2.id};
  auto mine = backend_->gradients(g, in, loss.id, seed, wrt);
  auto eager = oracle::make_backend("eager")->gradients(g, in, loss.id, seed, wrt);
  for (NodeId id : wrt) EXPECT_TRUE(mine.at(id).bit_equal(eager.at(id))) << "gradient of node " << id;
}

TEST_P(CudaEngines, UnknownOrMisshapenInputsAreUserErrors) {
  SplitMix64 rng(1);
  oracle::OpCase c = oracle::make_op_case(OpId::add, DType::f32, rng, 8);
  auto bad = c.inputs;
  bad.emplace("nope", HostTensor(DType::f32, Shape{1}));
  EXPECT_THROW(backend_->forward(c.graph, bad), UserError);
  auto wrong = c.inputs;
  wrong.begin()->second = HostTensor(DType::f32, Shape{7, 7, 7});
  EXPECT_THROW(backend_->forward(c.graph, wrong), UserError);
}

TEST_P(CudaEngines, AnOutOfRangeLabelIsAUserErrorNamingTheNode) {
  GraphBuilder b(DType::f64, "ce");
  Ref logits = b.input("logits", {2, 3});
  Ref labels = b.input("labels", {2});
  b.output("loss", b.loss(OpId::cross_entropy, logits, labels, Reduction::mean));
  Graph g = b.finish();
  std::map<std::string, HostTensor> in = {{"logits", HostTensor(DType::f64, Shape{2, 3})},
                                          {"labels", HostTensor::from_values<double>(Shape{2}, {0, 3})}};
  try {
    backend_->forward(g, in);
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("cross_entropy"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("not an integer in [0, 3)"), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, CudaEngines, ::testing::Values("cuda-emulated", "cuda", "cuda-cublas"),
                         [](const auto& info) {
                           return info.param == "cuda" ? std::string("device")
                                  : info.param == "cuda-cublas" ? std::string("device_cublas") : std::string("emulated");
                         });

}  // namespace
}  // namespace tl

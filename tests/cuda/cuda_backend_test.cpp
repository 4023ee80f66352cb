// The cuda backend, on both engines: "cuda-emulated" (the kernel bodies as host loops; runs
// everywhere) and "cuda" (the GPU; skipped without a usable device). Every row of the cuda contract
// table that says exact, correctly_rounded or strict(order) must agree bit for bit with the strict
// meaning (any NaN matches any NaN), in float and double, forward and VJP (local checking: the VJP
// gets the backend's own y and a given g); on the GPU, every row whose kernel uses no device math
// function must also equal the emulated engine bit for bit (same bodies, same orders: the tree sum,
// the GEMM tiles); the engine's input and index errors are user errors.
// Seeds are printed; TL_SEED=N replays.
#include <gtest/gtest.h>

#include "../common/bit_exact.h"
#include "../common/seed.h"

#include <array>
#include <cstring>

#include "cuda/engine.h"
#include "backend/backend.h"
#include "cases/op_cases.h"
#include "reference/eval.h"
#include "spec/builder.h"

namespace tl {
namespace {

using testing::bit_exact_kind;
using testing::same_bits;

class CudaEngines : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    backend_ = backend::make_backend(GetParam());
    std::string why = backend::unavailable_reason(GetParam());
    if (!why.empty()) GTEST_SKIP() << GetParam() << ": " << why;
  }
  template <class T> int check_case(const oracle::OpCase& c, SplitMix64& rng);
  template <class T>
  int check_same_as_emulated(const oracle::OpCase& c, const HostTensor& g, const HostTensor& y,
                             const backend::MaybeTensors& dx);
  template <class T> void check_all_ops(uint64_t seed, int rounds);
  std::unique_ptr<backend::Backend> backend_;
  int same_as_emulated_ = 0;  // rows check_same_as_emulated compared
};

// Compares one single-op case with the strict meaning wherever the contract row is bit-exact; returns
// how many rows it compared.
template <class T> int CudaEngines::check_case(const oracle::OpCase& c, SplitMix64& rng) {
  using S = ref::Strict<T>;
  const DType d = dtype_of<T>();
  const Node& node = c.graph.node(c.graph.outputs[0].node);
  std::vector<ref::RefTensor<S>> rin;
  for (NodeId id : c.input_ids) rin.push_back(ref::from_host<S>(c.inputs.at(std::string(node_name(c.graph.node(id))))));
  ref::Inputs<S> rptr;
  for (const auto& t : rin) rptr.push_back(&t);
  HostTensor y = backend_->forward(c.graph, c.inputs);
  std::string where;
  int compared = 0;
  if (bit_exact_kind(backend_->contract(node.op, d, {}))) {
    ++compared;
    EXPECT_TRUE(same_bits<T>(y, ref::to_host(ref::forward_op<S>(node, rptr, "ref")), where)) << "forward " << where;
  }
  HostTensor g(d, node.shape);
  for (auto& v : g.values<T>()) v = static_cast<T>(std::ldexp(static_cast<double>(rng.below(1 << 12)), -11) - 1.0);
  backend::MaybeTensors dx;
  if (op_differentiable(node.op)) dx = backend_->backward(c.graph, c.inputs, g);
  same_as_emulated_ += check_same_as_emulated<T>(c, g, y, dx);
  if (!op_differentiable(node.op)) return compared;
  ref::Grads<S> rd = ref::vjp_op<S>(node, rptr, ref::from_host<S>(y), ref::from_host<S>(g), "ref");
  for (std::size_t k = 0; k < dx.size(); ++k) {
    EXPECT_EQ(dx[k].has_value(), rd[k].has_value()) << "input " << k;
    if (dx[k] && rd[k] && bit_exact_kind(backend_->contract(node.op, d, {static_cast<int>(k)}))) {
      ++compared;
      EXPECT_TRUE(same_bits<T>(*dx[k], ref::to_host(*rd[k]), where)) << "vjp input " << k << ": " << where;
    }
  }
  return compared;
}

// Rows whose kernels use no device math function (exp, log, tanh, ...): both engines run the same
// bodies in the same order (the tree sum, the GEMM tiles), so the GPU must give the emulated engine's
// bits. Only on the "cuda" engine (cuBLAS's order is its own); `y` and `dx` are the GPU's forward and
// VJP (from upstream g) of case c, which check_case has already run. Returns how many rows it compared.
template <class T>
int CudaEngines::check_same_as_emulated(const oracle::OpCase& c, const HostTensor& g, const HostTensor& y,
                                        const backend::MaybeTensors& dx) {
  if (GetParam() != "cuda") return 0;
  auto same_order = [&](const Contract& k) {
    return bit_exact_kind(k) || k.kind == ContractKind::sum_bound || k.kind == ContractKind::dot_bound;
  };
  std::unique_ptr<backend::Backend> emulated = backend::make_backend("cuda-emulated");
  const OpId op = c.graph.node(c.graph.outputs[0].node).op;
  const DType d = dtype_of<T>();
  std::string where;
  int compared = 0;
  // A VJP may use the op's own output (exp's g*y, softmax's): compared only where the forward is too.
  if (!same_order(backend_->contract(op, d, {}))) return 0;
  ++compared;
  EXPECT_TRUE(same_bits<T>(y, emulated->forward(c.graph, c.inputs), where)) << "forward, GPU vs emulated: " << where;
  if (!op_differentiable(op)) return compared;
  backend::MaybeTensors theirs = emulated->backward(c.graph, c.inputs, g);
  for (std::size_t k = 0; k < dx.size(); ++k) {
    if (!dx[k] || !theirs[k] || !same_order(backend_->contract(op, d, {static_cast<int>(k)}))) continue;
    ++compared;
    EXPECT_TRUE(same_bits<T>(*dx[k], *theirs[k], where)) << "vjp input " << k << ", GPU vs emulated: " << where;
  }
  return compared;
}

template <class T> void CudaEngines::check_all_ops(uint64_t seed, int rounds) {
  SplitMix64 rng(seed);
  for (int round = 0; round < rounds; ++round) {
    for (const OpInfo& info : kOpInfo) {
      if (info.id == OpId::input) continue;
      SCOPED_TRACE(std::string(info.name) + " " + std::string(dtype_name(dtype_of<T>())) + " round " + std::to_string(round));
      check_case<T>(oracle::make_op_case(info.id, dtype_of<T>(), rng, 22), rng);
    }
  }
  if (GetParam() == "cuda") {
    EXPECT_GT(same_as_emulated_, 0) << "rows compared with the emulated engine";
  }
}

TEST_P(CudaEngines, BitExactRowsMatchTheStrictMeaningInFloat32) { check_all_ops<float>(testing::test_seed(), 4); }
TEST_P(CudaEngines, BitExactRowsMatchTheStrictMeaningInFloat64) { check_all_ops<double>(testing::test_seed(), 4); }

// Shapes at the edges of the launch geometry, where a GPU differs from the host loops: the tree sum's
// 256-thread block (n around 256, and a million elements: many strides per thread), the GEMM's 16 x 16
// tiles (M, N, K off multiples of 16; K = 1) and its grid rows capped at 65535 (linear with 1.1 million
// rows: 68 750 row tiles). matmul and linear are strict orders on the own GEMM and sum's VJP is exact,
// so those rows must equal the strict meaning bit for bit; sum's forward is a tree (sum_bound), so on
// the GPU it must equal the emulated engine's tree bit for bit, as must every row above.
TEST_P(CudaEngines, KernelsAtLaunchGeometryEdgesAgreeBitForBit) {
  SplitMix64 rng(testing::test_seed());
  auto filled = [&](Dims dims) {
    HostTensor t(DType::f32, Shape(std::move(dims)));
    for (float& v : t.values<float>()) v = static_cast<float>(oracle::draw_value(rng, DType::f32, oracle::ValueKind::binade, false));
    return t;
  };
  auto op_node = [](OpId op, Dims out) {
    Node n;
    n.op = op;
    n.attrs = NoAttrs{};
    n.dtype = DType::f32;
    n.shape = Shape(std::move(out));
    return n;
  };
  int compared = 0;
  for (int64_t n : {1, 255, 256, 257, 1000003}) {
    SCOPED_TRACE("sum of " + std::to_string(n));
    compared += check_case<float>(oracle::single_op_case(op_node(OpId::sum, {}), {filled({n})}, "sum"), rng);
  }
  for (auto [m, k, n] : std::vector<std::array<int64_t, 3>>{{1, 1, 1}, {17, 1, 15}, {15, 17, 33}, {16, 16, 16}, {33, 15, 17}}) {
    SCOPED_TRACE("matmul " + std::to_string(m) + "x" + std::to_string(k) + " by " + std::to_string(k) + "x" + std::to_string(n));
    compared += check_case<float>(oracle::single_op_case(op_node(OpId::matmul, {m, n}), {filled({m, k}), filled({k, n})}, "matmul"), rng);
  }
  SCOPED_TRACE("linear with 1100000 rows");
  compared += check_case<float>(oracle::single_op_case(op_node(OpId::linear, {1100000, 1}), {filled({1100000, 1}), filled({1, 1})}, "linear"), rng);
  // With the strict meaning: sum's VJP (its forward is a tree, sum_bound), and on the own GEMM every
  // matmul and linear row; against the emulated engine (the GPU only) sum's forward too.
  bool own_gemm = backend_->contract(OpId::matmul, DType::f32, {}).kind == ContractKind::strict;
  EXPECT_EQ(compared, own_gemm ? 5 + 5 * 3 + 3 : 5) << "rows compared with the strict meaning";
  EXPECT_EQ(same_as_emulated_, GetParam() == "cuda" ? 5 * 2 + 5 * 3 + 3 : 0) << "rows compared with the emulated engine";
}

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
  auto eager = backend::make_backend("eager")->gradients(g, in, loss.id, seed, wrt);
  for (NodeId id : wrt) EXPECT_TRUE(mine.at(id).bit_equal(eager.at(id))) << "gradient of node " << id;
}

// Where the emulated engine's math is CUDA's libdevice compiled for the host (cuda/libdevice/), the
// forward of every op whose kernel calls only exp, sin or cos (libdevice code of exact instructions
// only: exp, sin, cos, sigmoid, gelu, softmax) must give the emulated engine's bits on the GPU, in
// both dtypes: this checks the host compilation of libdevice, and that the device build runs the same
// code in the same order. The ops whose functions' libdevice code uses approximate instructions (log;
// tanh; softplus through log1p; log_softmax and logsumexp through log: rcp.approx, ex2.approx,
// modelled on the host) are compared too and their differing elements printed, not asserted.
TEST_P(CudaEngines, DeviceMathEqualsTheHostCompiledLibdevice) {
  if (GetParam() != "cuda") {
    GTEST_SKIP() << "compares the GPU with the emulated engine";
  }
  if (cuda::emulated_math_library().rfind("CUDA's libdevice", 0) != 0) {
    GTEST_SKIP() << "the emulated engine's math is " << cuda::emulated_math_library();
  }
  std::unique_ptr<backend::Backend> emulated = backend::make_backend("cuda-emulated");
  SplitMix64 rng(testing::test_seed());
  for (DType d : {DType::f32, DType::f64}) {
    for (OpId op : {OpId::exp, OpId::sin, OpId::cos, OpId::sigmoid, OpId::gelu, OpId::softmax, OpId::log, OpId::tanh,
                    OpId::softplus, OpId::log_softmax, OpId::logsumexp}) {
      const bool exact_instructions = op == OpId::exp || op == OpId::sin || op == OpId::cos || op == OpId::sigmoid ||
                                      op == OpId::gelu || op == OpId::softmax;
      int64_t differing = 0, total = 0;
      for (int round = 0; round < 50; ++round) {
        oracle::OpCase c = oracle::make_op_case(op, d, rng, 22);
        HostTensor mine = backend_->forward(c.graph, c.inputs), theirs = emulated->forward(c.graph, c.inputs);
        differing += d == DType::f32 ? testing::differing_elements<float>(mine, theirs)
                                      : testing::differing_elements<double>(mine, theirs);
        total += mine.numel();
      }
      std::printf("%s %s: %lld of %lld elements differ between the GPU and host-compiled libdevice\n",
                  std::string(op_name(op)).c_str(), std::string(dtype_name(d)).c_str(), static_cast<long long>(differing),
                  static_cast<long long>(total));
      if (exact_instructions) {
        EXPECT_EQ(differing, 0) << op_name(op) << " " << dtype_name(d);
      }
    }
  }
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

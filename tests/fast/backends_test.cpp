// Eager and compiled: bit-identical values, outputs and gradients on random graphs, in float and
// double, with 1 and 2 threads; fused chains equal op-by-op; buffers are reused; plans are cached;
// golden plan dumps of the example graphs (set TL_UPDATE_GOLDEN=1 to rewrite them, deliberately).
#include <gtest/gtest.h>

#include "../common/seed.h"

#include <cstdlib>
#include <fstream>

#include "fast/compiled/plan.h"
#include "fast/eager/tape.h"
#include "fast/kernels/parallel.h"
#include "cases/random_graphs.h"
#include "spec/file_io.h"
#include "spec/json_io.h"

namespace tl {
namespace {

HostTensor ones_like(const Node& n) {
  HostTensor t(n.dtype, n.shape);
  for (int64_t i = 0; i < t.numel(); ++i) {
    if (n.dtype == DType::f32) t.values<float>()[static_cast<std::size_t>(i)] = 1.0f;
    else t.values<double>()[static_cast<std::size_t>(i)] = 1.0;
  }
  return t;
}

void check_graph(const oracle::GraphCase& r, const std::string& trace) {
  const Graph& g = r.graph;
  eager::Tape tape = eager::run_graph(g, r.inputs);
  compiled::Plan keep = compiled::Plan::compile(g, {true});
  keep.run(r.inputs);
  for (NodeId i = 0; i < g.size(); ++i) {
    ASSERT_TRUE(tape.value(eager::Var{i}).bit_equal(keep.value(i))) << trace << " node " << i;
  }
  compiled::Plan reuse = compiled::Plan::compile(g);
  auto outs = reuse.run(r.inputs);
  for (const GraphOutput& o : g.outputs) {
    ASSERT_TRUE(outs.at(o.name).bit_equal(tape.value(eager::Var{o.node}))) << trace << " output " << o.name;
  }
  HostTensor seed = ones_like(g.node(r.loss));
  std::vector<eager::Var> wrt;
  for (NodeId p : r.params) wrt.push_back(eager::Var{p});
  auto ge = tape.gradients(eager::Var{r.loss}, seed, wrt);
  auto gc = keep.gradients(r.inputs, r.loss, seed, r.params);
  for (NodeId p : r.params) ASSERT_TRUE(ge.at(p).bit_equal(gc.at(p))) << trace << " gradient of node " << p;
}

TEST(FastBackends, EagerAndCompiledAreBitIdenticalOnRandomGraphs) {
  uint64_t seed = testing::test_seed();
  SplitMix64 rng(seed);
  for (int i = 0; i < 200; ++i) {
    DType dtype = i % 2 ? DType::f64 : DType::f32;
    oracle::GraphCase r = oracle::random_graph(rng, dtype);
    check_graph(r, "seed " + std::to_string(seed) + " graph " + std::to_string(i) + "\n" + graph_to_json(r.graph));
  }
}

// Big enough that the kernels really split work across the pool (checked with pool_regions()):
// linear, elementwise chains, layer_norm, softmax, conv2d, pooling, forward and backward.
TEST(FastBackends, ResultsAreBitIdenticalWithOneAndTwoThreads) {
  SplitMix64 rng(testing::test_seed());
  auto values = [&](const Dims& d, double scale) {
    HostTensor t(DType::f32, Shape(d));
    for (auto& v : t.values<float>()) v = static_cast<float>((rng.uniform() * 2 - 1) * scale);
    return t;
  };
  GraphBuilder b(DType::f32, "parallel");
  Ref img = b.input("img", {8, 4, 20, 20});
  Ref conv = b.unary(OpId::relu, b.conv2d(img, b.param("cw", {8, 4, 3, 3}), b.param("cb", {8}), Conv2dAttrs{1, 1, 1, 1}));
  Ref pooled = b.flatten(b.pool2d(OpId::max_pool2d, conv, Pool2dAttrs{}), 1);  // [8, 800]
  Ref h = b.unary(OpId::tanh, b.linear(pooled, b.param("w1", {600, 800}), b.param("b1", {600})));
  h = b.layer_norm(h, b.param("g", {600}), b.param("beta", {600}), 1);
  Ref loss = b.sum(b.reduce(OpId::softmax, b.unary(OpId::gelu, h), -1));
  b.output("loss", loss);
  Graph g = b.finish();
  std::map<std::string, HostTensor> in;
  for (NodeId id : g.inputs()) in.emplace(std::string(node_name(g.node(id))), values(g.node(id).shape.dims(), 0.5));
  std::vector<NodeId> params;
  for (NodeId id : g.inputs()) if (std::get<InputAttrs>(g.node(id).attrs).role == InputRole::param) params.push_back(id);
  compiled::Plan p = compiled::Plan::compile(g, {true});
  HostTensor seed = ones_like(g.node(loss.id));
  fast::set_threads(1);
  auto one = p.gradients(in, loss.id, seed, params);
  std::vector<HostTensor> one_values;
  for (NodeId i = 0; i < g.size(); ++i) one_values.push_back(p.value(i));
  fast::set_threads(2);
  int64_t regions = fast::pool_regions();
  auto two = p.gradients(in, loss.id, seed, params);
  EXPECT_GT(fast::pool_regions() - regions, 5) << "the 2-thread run did not split work";
  for (NodeId i = 0; i < g.size(); ++i) EXPECT_TRUE(one_values[static_cast<std::size_t>(i)].bit_equal(p.value(i))) << "node " << i;
  fast::set_threads(1);
  for (NodeId q : params) EXPECT_TRUE(one.at(q).bit_equal(two.at(q))) << "gradient of node " << q;
}

TEST(FastBackends, ElementwiseChainsAreFusedAndBuffersReused) {
  GraphBuilder b(DType::f32, "chain");
  Ref x = b.input("x", {4, 8});
  Ref h = b.unary(OpId::tanh, b.unary(OpId::exp, b.unary(OpId::neg, x)));
  Ref y = b.unary(OpId::relu, b.linear(h, b.param("w", {8, 8})));
  b.output("y", b.unary(OpId::sigmoid, b.unary(OpId::square, y)));
  Graph g = b.finish();
  compiled::Plan p = compiled::Plan::compile(g);
  std::string dump = p.dump();
  EXPECT_NE(dump.find("fused %1=neg(%0)->reg %2=exp(%1)->reg %3=tanh(%2)->b0"), std::string::npos) << dump;
  EXPECT_LT(p.buffer_count(), 4) << dump;  // 7 computed nodes, buffers reused
}

TEST(FastBackends, PlanCacheCompilesOncePerGraph) {
  Graph g = read_graph(std::string(TL_EXAMPLES_DIR) + "/graphs/mlp_2_8_1_mse.json");
  compiled::PlanCache cache;
  compiled::Plan& a = cache.get(g);
  compiled::Plan& b = cache.get(g);
  EXPECT_EQ(&a, &b);
  cache.get(g, {true});
  EXPECT_EQ(cache.size(), 2u);
}

TEST(FastBackends, GoldenPlanDumpsOfTheExampleGraphs) {
  bool update = std::getenv("TL_UPDATE_GOLDEN") != nullptr;
  for (const char* name : {"mlp_2_8_1_mse", "softmax_classifier_ce", "tiny_convnet", "residual_layernorm_gelu"}) {
    Graph g = read_graph(std::string(TL_EXAMPLES_DIR) + "/graphs/" + name + ".json");
    std::string dump = compiled::Plan::compile(g).dump();
    std::string path = std::string(TL_GOLDEN_DIR) + "/" + name + ".plan";
    if (update) write_file_atomic(path, dump);
    EXPECT_EQ(dump, read_file(path)) << "plan of " << name << " changed; if deliberate, rerun with "
                                     << "TL_UPDATE_GOLDEN=1 and commit the goldens separately";
  }
}

TEST(FastBackends, WrongInputsAreUserErrors) {
  Graph g = read_graph(std::string(TL_EXAMPLES_DIR) + "/graphs/mlp_2_8_1_mse.json");
  compiled::Plan p = compiled::Plan::compile(g);
  EXPECT_THROW(p.run({}), UserError);
  EXPECT_THROW(eager::run_graph(g, {{"x", HostTensor(DType::f32, Shape{1})}}), UserError);
}

}  // namespace
}  // namespace tl

namespace tl {
namespace {

TEST(EagerTape, PrintsAsTextAndExportsAsDotAndValidJson) {
  eager::Tape tape(DType::f32, "step");
  eager::Var x = tape.input("x", HostTensor::from_values(Shape{2}, std::vector<float>{1.5f, -2.0f}));
  eager::Var w = tape.param("w", HostTensor::from_values(Shape{2}, std::vector<float>{0.5f, 0.25f}));
  eager::Var y = tape.apply(OpId::sum, {tape.apply(OpId::mul, {x, w}, NoAttrs{})}, NoAttrs{});
  EXPECT_EQ(tape.value(y).values<float>()[0], 0.25f);  // 1.5*0.5 + (-2)*0.25, exact
  auto grads = tape.gradients(y, HostTensor::from_values(Shape{}, std::vector<float>{1.0f}), {w});
  EXPECT_EQ(grads.at(w.id).values<float>()[0], 1.5f);
  EXPECT_EQ(grads.at(w.id).values<float>()[1], -2.0f);
  std::string text = tape.to_text();
  EXPECT_NE(text.find("%3 = sum(%2)"), std::string::npos) << text;
  EXPECT_NE(text.find("0x1p-2"), std::string::npos) << text;  // the value 0.25, exactly
  EXPECT_NE(tape.to_dot().find("digraph"), std::string::npos);
  Graph back = graph_from_json(tape.to_json(), "tape");
  EXPECT_EQ(back.size(), 4);
}

TEST(EagerTape, ShapeErrorsAreUserErrorsNamingTheNode) {
  eager::Tape tape(DType::f64);
  eager::Var a = tape.input("a", HostTensor(DType::f64, Shape{2, 3}));
  eager::Var b = tape.input("b", HostTensor(DType::f64, Shape{4, 5}));
  try {
    tape.apply(OpId::matmul, {a, b}, NoAttrs{});
    FAIL();
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("node 2 (matmul)"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace tl

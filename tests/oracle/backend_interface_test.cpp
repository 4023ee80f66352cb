// The one backend interface (backend/backend.h, docs/backends.md): one run returns values and
// gradients together, equal to asking for each alone; checking mode returns every node's upstream
// gradient; availability, names and trust entries come from the backends themselves.
#include <gtest/gtest.h>

#include "../common/seed.h"
#include "backend/backend.h"
#include "cases/random_graphs.h"
#include "spec/error.h"

namespace tl {
namespace {

const char* const kHostBackends[] = {"eager", "compiled", "reference", "cuda-emulated"};

HostTensor one_for(const Graph& g, NodeId id) {
  HostTensor t(g.node(id).dtype, g.node(id).shape);
  t.set_from_double(0, 1);
  return t;
}

TEST(BackendInterface, OneRunGivesTheValuesAndGradientsOfSeparateRuns) {
  uint64_t seed = testing::test_seed();
  for (DType d : {DType::f32, DType::f64}) {
    SplitMix64 rng(seed + static_cast<uint64_t>(d));
    oracle::GraphCase gc = oracle::random_graph(rng, d);
    const Graph& g = gc.graph;
    for (const char* name : kHostBackends) {
      std::unique_ptr<backend::Backend> b = backend::make_backend(name);
      backend::Request both;
      both.every_value = true;
      both.output = gc.loss;
      both.wrt = gc.params;
      backend::Result r = b->run(g, gc.inputs, both);
      backend::Tensors values = b->run_keep_values(g, gc.inputs);
      std::map<NodeId, HostTensor> grads = b->gradients(g, gc.inputs, gc.loss, one_for(g, gc.loss), gc.params);
      ASSERT_EQ(r.values.size(), static_cast<std::size_t>(g.size())) << name;
      for (NodeId i = 0; i < g.size(); ++i)
        EXPECT_TRUE(r.values.at(i).bit_equal(values[static_cast<std::size_t>(i)])) << name << " node " << i;
      ASSERT_EQ(r.grads.size(), gc.params.size()) << name;
      for (NodeId p : gc.params) EXPECT_TRUE(r.grads.at(p).bit_equal(grads.at(p))) << name << " param " << p;
    }
  }
}

TEST(BackendInterface, CheckingModeReturnsTheUpstreamGradientOfEveryNode) {
  uint64_t seed = testing::test_seed();
  SplitMix64 rng(seed);
  oracle::GraphCase gc = oracle::random_graph(rng, DType::f64);
  const Graph& g = gc.graph;
  backend::Request all;
  all.output = gc.loss;
  all.every_upstream = true;
  std::map<std::string, std::map<NodeId, HostTensor>> upstream;
  for (const char* name : kHostBackends) {
    std::unique_ptr<backend::Backend> b = backend::make_backend(name);
    upstream[name] = b->run(g, gc.inputs, all).grads;
    const auto& u = upstream[name];
    ASSERT_EQ(u.size(), static_cast<std::size_t>(g.size())) << name << ": one upstream gradient per node";
    EXPECT_TRUE(u.at(gc.loss).bit_equal(one_for(g, gc.loss))) << name << ": the output's upstream is the seed";
    std::map<NodeId, HostTensor> params = b->gradients(g, gc.inputs, gc.loss, one_for(g, gc.loss), gc.params);
    for (NodeId p : gc.params) EXPECT_TRUE(u.at(p).bit_equal(params.at(p))) << name << " param " << p;
    for (NodeId i = 0; i < g.size(); ++i) EXPECT_EQ(u.at(i).shape(), g.node(i).shape) << name << " node " << i;
  }
  for (NodeId i = 0; i < g.size(); ++i)  // the same backward sweep and kernels: the same bits
    EXPECT_TRUE(upstream["eager"].at(i).bit_equal(upstream["compiled"].at(i))) << "node " << i;
}

TEST(BackendInterface, NamesAvailabilityAndTrustComeFromTheBackends) {
  for (const std::string& name : backend::backend_names()) {
    std::unique_ptr<backend::Backend> b = backend::make_backend(name);  // made even where it cannot run
    EXPECT_EQ(b->name(), name);
    EXPECT_EQ(b->device(), name == "cuda" || name == "cuda-cublas" ? "cuda" : "cpu") << name;
    EXPECT_FALSE(b->numerical_policy().empty()) << name;
  }
  for (const char* name : kHostBackends) EXPECT_EQ(backend::unavailable_reason(name), "") << name;
  EXPECT_THROW(backend::make_backend("eagre"), UserError);
  EXPECT_THROW(backend::unavailable_reason("eagre"), UserError);
  auto components = [](const std::string& name) {
    std::vector<std::string> out;
    for (const backend::TrustEntry& e : backend::make_backend(name)->trust()) out.push_back(e.what);
    return out;
  };
  std::vector<std::string> fast = components("compiled");
  EXPECT_NE(std::find(fast.begin(), fast.end(), "fast GEMM path"), fast.end());
  EXPECT_EQ(components("eager"), fast);
  EXPECT_EQ(components("cuda-emulated"), std::vector<std::string>{"cuda-emulated"});
  EXPECT_TRUE(components("reference").empty());
}

TEST(BackendInterface, AGradientOfAManyElementOutputNeedsASeed) {
  SplitMix64 rng(7);
  oracle::GraphCase gc = oracle::random_graph(rng, DType::f32);
  NodeId wide = -1;
  for (NodeId i = 0; i < gc.graph.size(); ++i)
    if (gc.graph.node(i).shape.numel() > 1) wide = i;
  ASSERT_GE(wide, 0);
  backend::Request r;
  r.output = wide;
  r.wrt = gc.params;
  EXPECT_THROW(backend::make_backend("eager")->run(gc.graph, gc.inputs, r), UserError);
}

}  // namespace
}  // namespace tl

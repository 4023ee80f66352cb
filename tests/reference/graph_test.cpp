// Whole graphs in every meaning: the example graphs evaluate forward and backward; for the rational
// MLP the Interval enclosures contain the exact Rational values and gradients, and the strict
// float64 meaning lies within the enclosure's float neighbourhood.
#include <gtest/gtest.h>

#include "reference/eval.h"
#include "spec/json_io.h"
#include "spec/splitmix.h"

namespace tl::ref {
namespace {

Graph example(const std::string& name) {
  return read_graph(std::string(TL_EXAMPLES_DIR) + "/graphs/" + name + ".json");
}

// Seeded input values for every input node (labels: integers below the class count).
std::map<std::string, HostTensor> inputs_for(const Graph& g, uint64_t seed) {
  SplitMix64 rng(seed);
  std::map<std::string, HostTensor> in;
  for (NodeId id : g.inputs()) {
    const Node& n = g.node(id);
    std::string name(node_name(n));
    HostTensor t(n.dtype, n.shape);
    for (int64_t i = 0; i < t.numel(); ++i) {
      double v = name == "labels" ? static_cast<double>(rng.below(3)) : std::ldexp(static_cast<double>(rng.below(1 << 16)), -15) - 1.0;
      t.set_from_double(i, v);
    }
    in.emplace(name, std::move(t));
  }
  return in;
}

std::vector<NodeId> params_of(const Graph& g) {
  std::vector<NodeId> ids;
  for (NodeId id : g.inputs()) {
    if (std::get<InputAttrs>(g.node(id).attrs).role == InputRole::param) ids.push_back(id);
  }
  return ids;
}

NodeId output_named(const Graph& g, const std::string& name) {
  for (const auto& o : g.outputs) if (o.name == name) return o.node;
  throw std::runtime_error("no output " + name);
}

template <class S>
std::map<NodeId, RefTensor<S>> loss_gradients(const Graph& g, const std::vector<RefTensor<S>>& v) {
  NodeId loss = output_named(g, "loss");
  RefTensor<S> seed(Shape{});
  seed[0] = S::from_int(1);
  return gradients<S>(g, v, loss, seed, params_of(g));
}

TEST(ReferenceGraphs, ExampleGraphsRunForwardAndBackwardInIntervalAndStrict) {
  for (const char* name : {"mlp_2_8_1_mse", "softmax_classifier_ce", "tiny_convnet", "residual_layernorm_gelu"}) {
    SCOPED_TRACE(name);
    Graph g = example(name);
    auto in = inputs_for(g, 7);
    auto vi = evaluate<Interval>(g, in);
    std::size_t strict_nodes = g.node(0).dtype == DType::f32 ? evaluate<Strict<float>>(g, in).size()
                                                              : evaluate<Strict<double>>(g, in).size();
    EXPECT_EQ(strict_nodes, static_cast<std::size_t>(g.size()));
    EXPECT_EQ(vi.size(), static_cast<std::size_t>(g.size()));
    if (std::any_of(g.outputs.begin(), g.outputs.end(), [](const GraphOutput& o) { return o.name == "loss"; })) {
      auto gi = loss_gradients<Interval>(g, vi);
      EXPECT_EQ(gi.size(), params_of(g).size());
    }
  }
}

TEST(ReferenceGraphs, StrictMeaningRejectsAGraphOfTheOtherDtype) {
  Graph g = example("softmax_classifier_ce");  // float64
  EXPECT_THROW(evaluate<Strict<float>>(g, inputs_for(g, 1)), UserError);
}

TEST(ReferenceGraphs, MlpIntervalEnclosesTheExactRationalLossAndGradients) {
  Graph g = example("mlp_2_8_1_mse");
  auto in = inputs_for(g, 11);
  auto vq = evaluate<Rational>(g, in);
  auto vi = evaluate<Interval>(g, in);
  auto contains = [](const Interval& x, const Rational& q) {
    return mpfr_cmp_q(&x.raw()->left, q.q.backend().data()) <= 0 &&
           mpfr_cmp_q(&x.raw()->right, q.q.backend().data()) >= 0;
  };
  for (NodeId i = 0; i < g.size(); ++i) {
    for (int64_t e = 0; e < vq[static_cast<std::size_t>(i)].numel(); ++e) {
      ASSERT_TRUE(contains(vi[static_cast<std::size_t>(i)][e], vq[static_cast<std::size_t>(i)][e])) << "node " << i;
    }
  }
  auto gq = loss_gradients<Rational>(g, vq);
  auto gi = loss_gradients<Interval>(g, vi);
  for (const auto& [id, t] : gq) {
    for (int64_t e = 0; e < t.numel(); ++e) ASSERT_TRUE(contains(gi.at(id)[e], t[e])) << "param " << id;
  }
}

}  // namespace
}  // namespace tl::ref

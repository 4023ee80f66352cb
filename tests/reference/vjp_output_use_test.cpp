// reference/vjp_output_use.h states which VJPs are given the forward output y. For every op it says
// takes none of, vjp_op must give the same enclosures with y reduced to its shape (no elements) as
// with the real y — reading it would step outside an empty vector, which the sanitizer build (`make
// sanitize`, label reference) reports; the release build sees a different result or a crash.
#include <gtest/gtest.h>

#include "cases/op_cases.h"
#include "reference/eval.h"
#include "reference/vjp_output_use.h"

namespace tl::ref {
namespace {

TEST(VjpOutputUse, OpsSaidToTakeNoOutputGiveTheSameVjpsWithoutIt) {
  int checked = 0;
  for (const OpInfo& info : kOpInfo) {
    if (vjp_takes_output(info.id) || !op_differentiable(info.id) || info.min_arity == 0) continue;
    SplitMix64 rng(20261125);
    oracle::OpCase c = oracle::make_op_case(info.id, DType::f64, rng);
    const Node& node = c.graph.nodes.back();
    std::vector<RefTensor<Interval>> in;
    for (NodeId p : node.parents) in.push_back(from_host<Interval>(c.inputs.at(std::string(node_name(c.graph.node(p))))));
    Inputs<Interval> ptrs;
    for (const auto& t : in) ptrs.push_back(&t);
    RefTensor<Interval> y = forward_op<Interval>(node, ptrs, "test"), no_y, g(node.shape);
    no_y.shape = node.shape;
    for (int64_t i = 0; i < g.numel(); ++i) g[i] = Interval::from_double(0.5 + static_cast<double>(i % 3));
    Grads<Interval> with = vjp_op<Interval>(node, ptrs, y, g, "test"), without = vjp_op<Interval>(node, ptrs, no_y, g, "test");
    ASSERT_EQ(with.size(), without.size()) << info.name;
    for (std::size_t k = 0; k < with.size(); ++k) {
      ASSERT_EQ(with[k].has_value(), without[k].has_value()) << info.name;
      if (!with[k]) continue;
      for (int64_t i = 0; i < with[k]->numel(); ++i) {
        EXPECT_EQ((*with[k])[i].lower(), (*without[k])[i].lower()) << info.name << " input " << k << " element " << i;
        EXPECT_EQ((*with[k])[i].upper(), (*without[k])[i].upper()) << info.name << " input " << k << " element " << i;
      }
    }
    ++checked;
  }
  EXPECT_GT(checked, 20) << "binary, reductions, linalg, norms, conv, moves, indexing and losses";
}

}  // namespace
}  // namespace tl::ref

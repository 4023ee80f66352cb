// Reduction lengths (checking/terms.h) of ops whose sums are counted by hand.
#include <gtest/gtest.h>

#include "checking/terms.h"
#include "spec/builder.h"

namespace tl::oracle {
namespace {

Node node_of(const Graph& g) { return g.node(g.outputs.at(0).node); }

TEST(ReductionTerms, LinearWeightGradientOfRankThreeInputSumsOverEveryLeadingRow) {
  GraphBuilder b(DType::f32, "t");
  Ref x = b.input("x", {6, 4, 3});
  Ref w = b.param("w", {8, 3});
  b.output("y", b.linear(x, w));
  Graph g = b.finish();
  std::vector<Shape> in = {Shape{6, 4, 3}, Shape{8, 3}};
  EXPECT_EQ(reduction_terms(node_of(g), in), 3);       // y[m, j]: 3 products
  EXPECT_EQ(vjp_reduction_terms(node_of(g), in), 24);  // dW[o, k]: a sum over 6 * 4 rows
}

TEST(ReductionTerms, MatmulGradientSumsOverTheLongerOuterAxis) {
  GraphBuilder b(DType::f64, "t");
  Ref a = b.input("a", {5, 2});
  Ref c = b.input("c", {2, 7});
  b.output("y", b.matmul(a, c));
  Graph g = b.finish();
  std::vector<Shape> in = {Shape{5, 2}, Shape{2, 7}};
  EXPECT_EQ(reduction_terms(node_of(g), in), 2);
  EXPECT_EQ(vjp_reduction_terms(node_of(g), in), 7);  // da sums over the 7 columns of g
}

}  // namespace
}  // namespace tl::oracle

// GraphBuilder: explicit broadcast insertion, errors at the call that made them, attribute
// rounding, and the example graphs (hand-written JSON) agreeing with the same graphs built in C++.
#include <gtest/gtest.h>

#include "spec/builder.h"
#include "spec/json_io.h"

namespace tl {
namespace {

TEST(GraphBuilder, InsertsBroadcastToWhereOperandShapesDiffer) {
  GraphBuilder b(DType::f32, "bias_add");
  Ref x = b.input("x", {4, 3});
  Ref bias = b.param("bias", {3});
  Ref y = b.add(x, bias);
  b.output("y", y);
  Graph g = b.finish();
  ASSERT_EQ(g.size(), 4);
  EXPECT_EQ(g.node(2).op, OpId::broadcast_to);
  EXPECT_EQ(g.node(2).parents, std::vector<NodeId>{1});
  EXPECT_EQ(g.node(2).shape.str(), "[4,3]");
  EXPECT_EQ(g.node(3).parents, (std::vector<NodeId>{0, 2}));
}

TEST(GraphBuilder, BroadcastsBothOperandsToTheirCommonShape) {
  GraphBuilder b(DType::f64);
  Ref col = b.input("col", {3, 1});
  Ref row = b.input("row", {1, 4});
  Ref m = b.mul(col, row);
  EXPECT_EQ(b.shape(m).str(), "[3,4]");
  b.output("m", m);
  Graph g = b.finish();
  EXPECT_EQ(g.node(2).op, OpId::broadcast_to);
  EXPECT_EQ(g.node(3).op, OpId::broadcast_to);
}

TEST(GraphBuilder, IncompatibleBroadcastIsAUserErrorNamingTheShapes) {
  GraphBuilder b(DType::f32);
  Ref x = b.input("x", {4, 3});
  Ref y = b.input("y", {2});
  try {
    b.add(x, y);
    FAIL();
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot broadcast [4,3] with [2]"), std::string::npos);
  }
}

TEST(GraphBuilder, ShapeErrorsAreReportedAtTheCallNamingTheNode) {
  GraphBuilder b(DType::f32);
  Ref x = b.input("x", {4, 3});
  Ref w = b.param("w", {8, 2});
  try {
    b.linear(x, w);
    FAIL();
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("node 2 (linear)"), std::string::npos) << e.what();
  }
}

TEST(GraphBuilder, RoundsFloatAttributesToTheGraphDtype) {
  GraphBuilder b(DType::f32);
  Ref x = b.input("x", {2});
  b.output("y", b.scale(x, 0.1));
  Graph g = b.finish();
  EXPECT_EQ(std::get<ScaleAttrs>(g.node(1).attrs).c, static_cast<double>(0.1f));
}

TEST(GraphBuilder, NegativeAxesCountFromTheEnd) {
  GraphBuilder b(DType::f64);
  Ref x = b.input("x", {2, 3, 4});
  Ref r = b.reduce(OpId::reduce_sum, x, -1);
  EXPECT_EQ(b.shape(r).str(), "[2,3]");
  Ref t = b.transpose(x);
  EXPECT_EQ(b.shape(t).str(), "[2,4,3]");
}

TEST(GraphBuilder, FinishRejectsAGraphWithoutOutputs) {
  GraphBuilder b(DType::f32);
  b.input("x", {1});
  EXPECT_THROW(b.finish(), UserError);
}

TEST(ExampleGraphs, MlpJsonEqualsTheSameGraphBuiltInCxx) {
  GraphBuilder b(DType::f32, "mlp_2_8_1_mse");
  Ref x = b.input("x", {4, 2});
  Ref y = b.input("y", {4, 1});
  Ref w1 = b.param("w1", {8, 2});
  Ref b1 = b.param("b1", {8});
  Ref w2 = b.param("w2", {1, 8});
  Ref b2 = b.param("b2", {1});
  Ref h = b.unary(OpId::relu, b.linear(x, w1, b1));
  Ref p = b.linear(h, w2, b2);
  b.output("prediction", p);
  b.output("loss", b.loss(OpId::mse_loss, p, y));
  Graph built = b.finish();
  Graph read = read_graph(std::string(TL_EXAMPLES_DIR) + "/graphs/mlp_2_8_1_mse.json");
  EXPECT_TRUE(graphs_equal(built, read)) << graph_to_json(built);
}

TEST(ExampleGraphs, AllExampleGraphsValidateAndRoundTrip) {
  for (const char* name : {"mlp_2_8_1_mse", "softmax_classifier_ce", "tiny_convnet",
                           "residual_layernorm_gelu"}) {
    SCOPED_TRACE(name);
    Graph g = read_graph(std::string(TL_EXAMPLES_DIR) + "/graphs/" + name + ".json");
    EXPECT_EQ(g.name, name);
    EXPECT_TRUE(graphs_equal(g, graph_from_json(graph_to_json(g), "rt")));
  }
}

}  // namespace
}  // namespace tl

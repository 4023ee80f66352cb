// tl.ir.v1 round trips: every op, both dtypes; payloads as hex and base64 (including NaN payload
// bits and signed zeros); the writer's text is a fixed point of read-then-write.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "cases/op_examples.h"
#include "spec/json_io.h"

namespace tl {
// ctest names show the dtype, not its bytes.
void PrintTo(DType d, std::ostream* os) { *os << dtype_name(d); }

namespace {

// A graph with named inputs for the op's parents, then the op itself as the output.
Graph single_op_graph(OpId op, DType dtype) {
  auto ex = oracle::valid_example(op);
  Graph g;
  g.name = "single_" + std::string(op_name(op));
  for (std::size_t i = 0; i < ex.inputs.size(); ++i) {
    Node in;
    in.op = OpId::input;
    in.attrs = InputAttrs{"p" + std::to_string(i), i % 2 ? InputRole::param : InputRole::data};
    in.dtype = dtype;
    in.shape = ex.inputs[i];
    g.nodes.push_back(in);
    g.nodes.back().parents = {};
  }
  Node n;
  n.op = op;
  n.attrs = ex.attrs;
  n.dtype = dtype;
  n.shape = ex.expected;
  for (std::size_t i = 0; i < ex.inputs.size(); ++i) n.parents.push_back(static_cast<NodeId>(i));
  if (op == OpId::constant) {
    auto value = std::make_shared<HostTensor>(dtype, ex.expected);
    for (int64_t i = 0; i < value->numel(); ++i) {
      double x = -1.5 + static_cast<double>(i) * 0x1p-3;
      value->set_from_double(i, x);
    }
    n.value = value;
  }
  g.nodes.push_back(n);
  g.outputs.push_back({"out", static_cast<NodeId>(g.nodes.size() - 1)});
  return g;
}

class RoundTrip : public ::testing::TestWithParam<DType> {};

TEST_P(RoundTrip, EveryOpReadsBackEqualAndRewritesIdentically) {
  for (const OpInfo& info : kOpInfo) {
    SCOPED_TRACE(std::string(info.name));
    Graph g = single_op_graph(info.id, GetParam());
    ASSERT_NO_THROW(validate(g));
    std::string text = graph_to_json(g);
    Graph back = graph_from_json(text, "roundtrip");
    EXPECT_TRUE(graphs_equal(g, back)) << text;
    EXPECT_EQ(graph_to_json(back), text);
  }
}

INSTANTIATE_TEST_SUITE_P(BothDTypes, RoundTrip, ::testing::Values(DType::f32, DType::f64),
                         [](const auto& info) { return std::string(dtype_name(info.param)); });

Graph const_graph(HostTensor value) {
  Graph g;
  g.name = "payload";
  Node n;
  n.op = OpId::constant;
  n.attrs = ConstAttrs{"c"};
  n.dtype = value.dtype();
  n.shape = value.shape();
  n.value = std::make_shared<HostTensor>(std::move(value));
  g.nodes.push_back(n);
  g.outputs.push_back({"c", 0});
  return g;
}

TEST(RoundTripPayload, SpecialValuesSurviveBitForBitInHex) {
  std::vector<float> v = {0.0f, -0.0f, INFINITY, -INFINITY, std::nanf(""), -std::nanf(""),
                          0x1p-149f, -0x1.fffffep+127f, 0.1f};
  Graph g = const_graph(HostTensor::from_values(Shape{9}, v));
  std::string text = graph_to_json(g);
  EXPECT_NE(text.find("\"hex\""), std::string::npos);
  EXPECT_NE(text.find("\"-0x0p+0\""), std::string::npos);
  EXPECT_NE(text.find("\"0x1p-149\""), std::string::npos);
  EXPECT_TRUE(graphs_equal(g, graph_from_json(text, "t")));
}

TEST(RoundTripPayload, NanPayloadBitsAreKeptThroughBase64) {
  uint32_t signalling = 0x7F800001u;  // a NaN with payload that hex text cannot carry
  float x;
  std::memcpy(&x, &signalling, 4);
  Graph g = const_graph(HostTensor::from_values(Shape{2}, std::vector<float>{x, 1.0f}));
  std::string text = graph_to_json(g);
  EXPECT_NE(text.find("\"base64\""), std::string::npos);
  Graph back = graph_from_json(text, "t");
  EXPECT_TRUE(graphs_equal(g, back));
}

TEST(RoundTripPayload, LargePayloadsUseBase64AndRoundTrip) {
  std::vector<double> v(1000);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = std::sin(static_cast<double>(i));
  Graph g = const_graph(HostTensor::from_values(Shape{10, 100}, v));
  std::string text = graph_to_json(g);
  EXPECT_NE(text.find("\"base64\""), std::string::npos);
  EXPECT_TRUE(graphs_equal(g, graph_from_json(text, "t")));
}

TEST(ReadDefaults, AbsentAttributesTakeDefaultsRoundedToTheDtype) {
  std::string text = R"({"format":"tl.ir.v1","nodes":[
    {"id":0,"op":"input","dtype":"float32","shape":[4,3],"attrs":{"name":"x"}},
    {"id":1,"op":"input","dtype":"float32","shape":[3],"attrs":{"name":"g","role":"param"}},
    {"id":2,"op":"input","dtype":"float32","shape":[3],"attrs":{"name":"b","role":"param"}},
    {"id":3,"op":"batch_norm","parents":[0,1,2],"dtype":"float32","shape":[4,3]}],
    "outputs":[{"name":"y","node":3}]})";
  Graph g = graph_from_json(text, "t");
  const auto& a = std::get<BatchNormAttrs>(g.node(3).attrs);
  EXPECT_TRUE(a.training);
  EXPECT_EQ(a.eps, static_cast<double>(1e-6f));
  EXPECT_EQ(a.momentum, static_cast<double>(0.1f));
}

}  // namespace
}  // namespace tl

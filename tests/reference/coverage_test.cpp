// Every op of spec/ops.def has a forward and a VJP in every scalar of the reference: each op's
// example graph evaluates, and each differentiable op returns a gradient of the right shape for
// exactly the inputs that spec/ops.def says receive one. Rational evaluates the rational ops and
// rejects the others with a UserError naming the node.
#include <gtest/gtest.h>

#include "cases/op_cases.h"
#include "reference/eval.h"

namespace tl::ref {
namespace {

template <class S>
void check_every_op(DType dtype) {
  SplitMix64 rng(20261125);
  for (const OpInfo& info : kOpInfo) {
    SCOPED_TRACE(std::string(scalar_name<S>()) + " " + std::string(info.name));
    oracle::OpCase c = oracle::make_op_case(info.id, dtype, rng);
    NodeId out = c.graph.outputs[0].node;
    if (std::is_same_v<S, Rational> && !op_has(info.id, kRational)) {
      try {
        evaluate<S>(c.graph, c.inputs);
        ADD_FAILURE() << "Rational evaluated a non-rational op";
      } catch (const UserError& e) {
        EXPECT_NE(std::string(e.what()).find("is not a rational op"), std::string::npos) << e.what();
      }
      continue;
    }
    std::vector<RefTensor<S>> values = evaluate<S>(c.graph, c.inputs);
    ASSERT_EQ(values.back().shape, c.graph.node(out).shape);
    ASSERT_EQ(static_cast<int64_t>(values.back().v.size()), values.back().shape.numel());
    if (!op_differentiable(info.id)) continue;
    RefTensor<S> seed(c.graph.node(out).shape);
    for (auto& s : seed.v) s = S::from_double(0.75);
    auto grads = gradients<S>(c.graph, values, out, seed, c.input_ids);
    Inputs<S> in;
    for (NodeId p : c.graph.node(out).parents) in.push_back(&values[static_cast<std::size_t>(p)]);
    Grads<S> dx = vjp_op<S>(c.graph.node(out), in, values.back(), seed, "t");
    for (std::size_t k = 0; k < dx.size(); ++k) {
      EXPECT_EQ(dx[k].has_value(), op_input_gets_grad(info.id, static_cast<int>(k))) << "input " << k;
      if (dx[k]) {
        EXPECT_EQ(dx[k]->shape, in[k]->shape) << "input " << k;
      }
    }
  }
}

TEST(ReferenceCoverage, EveryOpHasForwardAndVjpInInterval) { check_every_op<Interval>(DType::f64); }
TEST(ReferenceCoverage, EveryRationalOpHasForwardAndVjpInRational) { check_every_op<Rational>(DType::f64); }
TEST(ReferenceCoverage, EveryOpHasForwardAndVjpInStrictFloat32) { check_every_op<Strict<float>>(DType::f32); }
TEST(ReferenceCoverage, EveryOpHasForwardAndVjpInStrictFloat64) { check_every_op<Strict<double>>(DType::f64); }

TEST(ReferenceGraphs, MissingOrMismatchedInputsAreUserErrors) {
  SplitMix64 rng(1);
  oracle::OpCase c = oracle::make_op_case(OpId::add, DType::f64, rng);
  auto inputs = c.inputs;
  inputs.erase("p1");
  EXPECT_THROW(evaluate<Interval>(c.graph, inputs), UserError);
  inputs = c.inputs;
  inputs.emplace("extra", HostTensor(DType::f64, Shape{1}));
  EXPECT_THROW(evaluate<Interval>(c.graph, inputs), UserError);
  inputs = c.inputs;
  inputs.at("p0") = HostTensor(DType::f32, inputs.at("p0").shape());
  EXPECT_THROW(evaluate<Interval>(c.graph, inputs), UserError);
}

TEST(ReferenceGraphs, OutOfRangeLabelsAreUserErrorsNamingTheNode) {
  SplitMix64 rng(2);
  oracle::OpCase c = oracle::make_op_case(OpId::cross_entropy, DType::f64, rng);
  c.inputs.at("p1").values<double>()[0] = 10;  // 10 classes: labels must be < 10
  try {
    evaluate<Strict<double>>(c.graph, c.inputs);
    FAIL();
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("cross_entropy"), std::string::npos) << e.what();
  }
  c.inputs.at("p1").values<double>()[0] = 0.5;
  EXPECT_THROW(evaluate<Rational>(c.graph, c.inputs), UserError);  // non-rational op anyway
  EXPECT_THROW(evaluate<Interval>(c.graph, c.inputs), UserError);
}

TEST(ReferenceGraphs, RationalRejectsNonFiniteInputs) {
  SplitMix64 rng(3);
  oracle::OpCase c = oracle::make_op_case(OpId::add, DType::f64, rng);
  c.inputs.at("p0").values<double>()[0] = INFINITY;
  EXPECT_THROW(evaluate<Rational>(c.graph, c.inputs), UserError);
}

}  // namespace
}  // namespace tl::ref

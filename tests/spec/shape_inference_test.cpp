// Shape inference: every op on a valid example gives the hand-derived shape; every op rejects a
// wrong arity; op-specific invalid cases are UserErrors naming the op, the node and the problem.
#include <gtest/gtest.h>

#include "cases/op_examples.h"
#include "spec/error.h"
#include "spec/infer.h"

namespace tl {
namespace {

using oracle::valid_example;

std::string where_of(OpId op) { return "node 3 (" + std::string(op_json_name(op)) + ")"; }

TEST(ShapeInference, EveryOpInfersTheHandDerivedShape) {
  for (const OpInfo& info : kOpInfo) {
    SCOPED_TRACE(std::string(info.name));
    auto ex = valid_example(info.id);
    Shape got = infer_shape(info.id, ex.attrs, ex.inputs, ex.declared, where_of(info.id));
    EXPECT_EQ(got.str(), ex.expected.str());
  }
}

TEST(ShapeInference, EveryOpRejectsWrongArityNamingTheNode) {
  for (const OpInfo& info : kOpInfo) {
    SCOPED_TRACE(std::string(info.name));
    auto ex = valid_example(info.id);
    // No inputs for ops that need some; one input for sources.
    std::vector<Shape> wrong;
    if (info.min_arity == 0) wrong.push_back(Shape{1});
    try {
      infer_shape(info.id, ex.attrs, wrong, ex.declared, where_of(info.id));
      ADD_FAILURE() << "accepted " << wrong.size() << " inputs";
    } catch (const UserError& e) {
      EXPECT_NE(std::string(e.what()).find(where_of(info.id) + ": takes"), std::string::npos)
          << e.what();
    }
  }
}

TEST(ShapeInference, EveryOpRejectsAttributesOfAnotherOp) {
  for (const OpInfo& info : kOpInfo) {
    if (std::holds_alternative<NoAttrs>(default_attrs(info.id))) continue;
    auto ex = valid_example(info.id);
    EXPECT_THROW(infer_shape(info.id, NoAttrs{}, ex.inputs, ex.declared, where_of(info.id)),
                 UserError)
        << info.name;
  }
}

TEST(ShapeInference, InvalidCasesAreUserErrorsNamingTheProblem) {
  for (const auto& bad : oracle::invalid_examples()) {
    SCOPED_TRACE(std::string(op_name(bad.op)) + " expecting '" + bad.message_part + "'");
    try {
      infer_shape(bad.op, bad.attrs, bad.inputs, Shape{2, 2}, where_of(bad.op));
      ADD_FAILURE() << "accepted";
    } catch (const UserError& e) {
      std::string msg = e.what();
      EXPECT_NE(msg.find(where_of(bad.op)), std::string::npos) << msg;
      EXPECT_NE(msg.find(bad.message_part), std::string::npos) << msg;
    }
  }
}

TEST(ShapeInference, InvalidCasesCoverEveryOpWithAttributesOrSeveralInputs) {
  std::vector<bool> covered(kNumOps, false);
  for (const auto& bad : oracle::invalid_examples()) covered[static_cast<int>(bad.op)] = true;
  for (const OpInfo& info : kOpInfo) {
    bool needs_case = info.min_arity >= 2 || !std::holds_alternative<NoAttrs>(default_attrs(info.id));
    bool exempt = info.id == OpId::input || info.id == OpId::constant ||
                  info.id == OpId::rand_uniform;  // no attribute can be out of range
    // Binary elementwise ops share one rule (same_shape); one of them stands for all.
    bool shares_rule = op_has(info.id, kElementwise) && info.min_arity == 2;
    if (needs_case && !exempt && !shares_rule) {
      EXPECT_TRUE(covered[static_cast<int>(info.id)]) << info.name;
    }
  }
}

TEST(Shape, NegativeDimensionIsAUserErrorNamingTheDimension) {
  try {
    Shape(Dims{2, -3}, "input 'x'");
    FAIL();
  } catch (const UserError& e) {
    EXPECT_STREQ(e.what(), "input 'x': dimension 1 is -3 (must be >= 0) in shape [2,-3]");
  }
}

TEST(Shape, OverflowingElementCountIsAUserError) {
  EXPECT_THROW(Shape(Dims{int64_t{1} << 40, int64_t{1} << 40}), UserError);
}

TEST(Shape, ZeroDimensionMakesAnEmptyShapeEvenWhenOtherDimsAreHuge) {
  EXPECT_EQ(Shape(Dims{int64_t{1} << 62, 0, int64_t{1} << 62}).numel(), 0);
}

TEST(Shape, CountAboveTheConfiguredLimitIsAUserError) {
  int64_t old = max_elements();
  set_max_elements(100);
  EXPECT_THROW(Shape(Dims{11, 10}), UserError);
  EXPECT_EQ(Shape(Dims{10, 10}).numel(), 100);
  set_max_elements(old);
}

TEST(Shape, ScalarHasOneElementAndRowMajorStrides) {
  EXPECT_EQ(Shape{}.numel(), 1);
  EXPECT_EQ(row_major_strides(Shape{2, 3, 4}), (Dims{12, 4, 1}));
}

}  // namespace
}  // namespace tl

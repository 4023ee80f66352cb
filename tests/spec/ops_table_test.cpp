// The op table: every row has a name, a unique JSON name that maps back to it, an attribute struct
// and a shape rule; traits are consistent with arity.
#include <gtest/gtest.h>

#include <set>

#include "cases/op_examples.h"
#include "spec/contract.h"
#include "spec/infer.h"
#include "spec/op_family.h"

namespace tl {
namespace {

TEST(OpsTable, CoversEveryOpOfTheDesignInventory) {
  // DESIGN §6 lists 56 ops; the table must have them all, and hardtanh (added after, through
  // docs/adding-an-op.md).
  EXPECT_EQ(kNumOps, 57);
  for (const char* name : {"input", "const", "detach", "bernoulli_mask", "rand_uniform", "neg",
                           "safe_log", "maximum", "reduce_max", "linear", "logsumexp",
                           "layer_norm", "batch_norm", "conv2d", "avg_pool2d", "slice",
                           "scatter_add_rows", "bce_with_logits", "nll", "hardtanh"}) {
    EXPECT_TRUE(op_from_json_name(name).has_value()) << name;
  }
}

TEST(OpsTable, EveryRowHasAUniqueJsonNameThatMapsBack) {
  std::set<std::string_view> seen;
  for (const OpInfo& info : kOpInfo) {
    EXPECT_FALSE(info.name.empty());
    EXPECT_FALSE(info.json_name.empty()) << info.name << " has no JSON name";
    EXPECT_TRUE(seen.insert(info.json_name).second) << info.json_name << " is used twice";
    EXPECT_EQ(op_from_json_name(info.json_name), info.id) << info.name;
    EXPECT_EQ(op_info(info.id).id, info.id);
  }
  EXPECT_FALSE(op_from_json_name("no_such_op").has_value());
}

TEST(OpsTable, EveryRowHasAShapeRule) {
  for (const OpInfo& info : kOpInfo) {
    auto ex = oracle::valid_example(info.id);
    EXPECT_NO_THROW(infer_shape(info.id, ex.attrs, ex.inputs, ex.declared, "node 0"))
        << info.name << " has no working shape rule";
    EXPECT_TRUE(attrs_match_op(info.id, ex.attrs)) << info.name;
  }
}

TEST(OpsTable, TraitsAreConsistentWithArity) {
  for (const OpInfo& info : kOpInfo) {
    if (op_has(info.id, kCommutative)) {
      EXPECT_EQ(info.max_arity, 2) << info.name;
    }
    if (info.max_arity == 0) {
      EXPECT_FALSE(op_differentiable(info.id)) << info.name;
    }
    if (info.max_arity != kVariadic && info.grad_inputs != kAllInputs) {
      EXPECT_LT(info.grad_inputs, 1u << info.max_arity) << info.name;
    }
    EXPECT_LE(info.min_arity, info.max_arity == kVariadic ? 1000 : info.max_arity) << info.name;
  }
}

TEST(OpsTable, RoundFloatAttrsRoundsToFloat32ExceptKeepProb) {
  Attrs bn = default_attrs(OpId::batch_norm);
  round_float_attrs(OpId::batch_norm, bn, DType::f32);
  EXPECT_EQ(std::get<BatchNormAttrs>(bn).eps, static_cast<double>(1e-6f));
  EXPECT_EQ(std::get<BatchNormAttrs>(bn).momentum, static_cast<double>(0.1f));
  Attrs f64 = default_attrs(OpId::batch_norm);
  round_float_attrs(OpId::batch_norm, f64, DType::f64);
  EXPECT_EQ(std::get<BatchNormAttrs>(f64).eps, 1e-6);
  Attrs mask = BernoulliMaskAttrs{0.1, 3};
  round_float_attrs(OpId::bernoulli_mask, mask, DType::f32);
  EXPECT_EQ(std::get<BernoulliMaskAttrs>(mask).keep_prob, 0.1);
}

TEST(OpsTable, LabelAndIndexInputsGetNoGradient) {
  EXPECT_TRUE(op_input_gets_grad(OpId::cross_entropy, 0));
  EXPECT_FALSE(op_input_gets_grad(OpId::cross_entropy, 1));
  EXPECT_FALSE(op_input_gets_grad(OpId::gather_rows, 1));
  EXPECT_FALSE(op_input_gets_grad(OpId::scatter_add_rows, 1));
  EXPECT_FALSE(op_differentiable(OpId::detach));
  EXPECT_TRUE(op_input_gets_grad(OpId::concat, 7));
  for (const OpInfo& info : kOpInfo) {
    for (std::size_t k = 0; k < 32; ++k) {
      if (op_input_is_index(info.id, k)) {
        EXPECT_FALSE(op_input_gets_grad(info.id, static_cast<int>(k))) << info.name << " input " << k;
      }
    }
  }
}

TEST(OpsTable, IndexAndPositiveInputsAreTheOnesTheOpsDefine) {
  std::set<std::pair<std::string_view, int>> index, positive;
  for (const OpInfo& info : kOpInfo) {
    for (int k = 0; k < 32; ++k) {
      if (op_input_is_index(info.id, static_cast<std::size_t>(k))) index.insert({info.name, k});
      if (op_input_positive(info.id, static_cast<std::size_t>(k))) positive.insert({info.name, k});
    }
  }
  // Labels and row indices (ops.def's comments and docs/ir-format.md).
  EXPECT_EQ(index, (std::set<std::pair<std::string_view, int>>{
                       {"gather_rows", 1}, {"scatter_add_rows", 1}, {"cross_entropy", 1}, {"nll", 1}}));
  // Real domains (sqrt, rsqrt, log), one side of a pole (reciprocal, div's divisor), a variance.
  EXPECT_EQ(positive, (std::set<std::pair<std::string_view, int>>{
                          {"sqrt", 0}, {"rsqrt", 0}, {"log", 0}, {"reciprocal", 0}, {"div", 1}, {"batch_norm", 4}}));
}

TEST(OpsTable, FamiliesAgreeWithTraitsAndArity) {
  for (const OpInfo& info : kOpInfo) {
    const bool elementwise = op_has(info.id, kElementwise);
    switch (info.family) {
      case OpFamily::source: EXPECT_EQ(info.max_arity, 0) << info.name; break;
      case OpFamily::unary:
        EXPECT_TRUE(elementwise && info.min_arity == 1 && info.max_arity == 1) << info.name;
        EXPECT_EQ(op_of(*unary_of(info.id)), info.id);
        break;
      case OpFamily::binary:
        EXPECT_TRUE(elementwise && info.min_arity == 2 && info.max_arity == 2) << info.name;
        EXPECT_EQ(op_of(*binary_of(info.id)), info.id);
        break;
      case OpFamily::full_reduce: case OpFamily::axis_reduce: case OpFamily::linalg: case OpFamily::softmax:
      case OpFamily::norm: case OpFamily::conv: case OpFamily::pool: case OpFamily::move:
      case OpFamily::indexing: case OpFamily::loss:
        EXPECT_FALSE(elementwise) << info.name << " is elementwise but not in the unary or binary family";
        EXPECT_GE(info.min_arity, 1) << info.name;
        break;
    }
    if (info.max_arity != kVariadic) {
      EXPECT_LT(info.positive_inputs | info.index_inputs, 1u << info.max_arity) << info.name;
    }
    EXPECT_EQ(info.positive_inputs & info.index_inputs, 0u) << info.name;
  }
  // Every family has ops, and a member's value is its position among its family's rows.
  std::array<int, kNumOpFamilies> count{};
  for (const OpInfo& info : kOpInfo) {
    EXPECT_EQ(family_position(info.id), count[static_cast<std::size_t>(info.family)]++) << info.name;
  }
  for (int c : count) EXPECT_GT(c, 0);
  EXPECT_EQ(as_member<Move>(OpId::flatten), Move::flatten);
  EXPECT_EQ(as_member<Move>(OpId::relu), std::nullopt);
  EXPECT_EQ(op_of(AxisReduce::logsumexp), OpId::logsumexp);
  EXPECT_THROW(member_of<Pool>(OpId::conv2d), InternalError);
}

}  // namespace
}  // namespace tl

namespace tl {
namespace {

TEST(OpsTable, OpNamesAndDirectionsReadBackAsWritten) {
  for (const OpInfo& info : kOpInfo) EXPECT_EQ(op_from_name(info.name), info.id) << info.name;
  EXPECT_EQ(op_from_name("const"), std::nullopt);  // the JSON name, not the C++ name
  for (int k = -1; k < 12; ++k) EXPECT_EQ(parse_direction(direction_text({k}), "test").input, k);
  for (const char* bad : {"", "vjp", "vjp[]", "vjp[-1]", "vjp[1x]", "vjp[1", "forwards", "vjp[99999999999]"})
    EXPECT_THROW(parse_direction(bad, "test"), UserError) << bad;
}

}  // namespace
}  // namespace tl

// The op table: every row has a name, a unique JSON name that maps back to it, an attribute struct
// and a shape rule; traits are consistent with arity.
#include <gtest/gtest.h>

#include <set>

#include "oracle/op_examples.h"
#include "spec/infer.h"

namespace tl {
namespace {

TEST(OpsTable, CoversEveryOpOfTheDesignInventory) {
  // DESIGN §6 lists 56 ops; the table must have them all.
  EXPECT_EQ(kNumOps, 56);
  for (const char* name : {"input", "const", "detach", "bernoulli_mask", "rand_uniform", "neg",
                           "safe_log", "maximum", "reduce_max", "linear", "logsumexp",
                           "layer_norm", "batch_norm", "conv2d", "avg_pool2d", "slice",
                           "scatter_add_rows", "bce_with_logits", "nll"}) {
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
}

}  // namespace
}  // namespace tl

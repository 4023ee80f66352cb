// OpId, OpFamily and op traits, generated from spec/ops.def (the family enums: spec/op_family.h).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>

#include "spec/attrs.h"
#include "spec/dtype.h"

namespace tl {

enum class OpId : uint8_t {
#define TL_OP(family, name, ...) name,
#include "spec/ops.def"
};

inline constexpr int kNumOps = 0
#define TL_OP(family, name, ...) +1
#include "spec/ops.def"
    ;

// The op families (the row macros of spec/ops.def) as (member, family enum of spec/op_family.h).
#define TL_OP_FAMILIES(X)                                                                   \
  X(source, Source) X(unary, Unary) X(binary, Binary) X(full_reduce, FullReduce)             \
  X(axis_reduce, AxisReduce) X(linalg, Linalg) X(softmax, Softmax) X(norm, Norm) X(conv, Conv) \
  X(pool, Pool) X(move, Move) X(indexing, Indexing) X(loss, Loss)
enum class OpFamily : uint8_t {
#define TL_FAMILY(family, Enum) family,
  TL_OP_FAMILIES(TL_FAMILY)
#undef TL_FAMILY
};
inline constexpr int kNumOpFamilies = 0
#define TL_FAMILY(family, Enum) +1
    TL_OP_FAMILIES(TL_FAMILY)
#undef TL_FAMILY
    ;
constexpr std::string_view family_name(OpFamily f) {
  switch (f) {
#define TL_FAMILY(family, Enum) \
  case OpFamily::family: return #family;
    TL_OP_FAMILIES(TL_FAMILY)
#undef TL_FAMILY
  }
  return "?";
}

// Trait bits (see the header of spec/ops.def).
enum OpTrait : uint32_t {
  kElementwise = 1u << 0,
  kCommutative = 1u << 1,
  kLinear = 1u << 2,
  kRational = 1u << 3,
  kStructural = 1u << 4,
};
inline constexpr int kVariadic = -1;
inline constexpr uint32_t kAllInputs = ~0u;

struct OpInfo {
  OpId id;
  OpFamily family;
  std::string_view name;       // C++ name
  std::string_view json_name;  // tl.ir.v1 "op" string
  int min_arity;
  int max_arity;         // kVariadic for "no upper bound"
  uint32_t grad_inputs;  // bit i: input i receives a gradient
  uint32_t traits;
  uint32_t positive_inputs;  // bit i: case generators draw input i from positive values
  uint32_t index_inputs;     // bit i: input i holds indices (exact non-negative integers)
};

inline constexpr std::array<OpInfo, kNumOps> kOpInfo = {{
#define TL_OP(family, name, json, Attrs, min_ar, max_ar, grads, traits, positive, index) \
  {OpId::name, OpFamily::family, #name, json, min_ar, max_ar, grads, traits, positive, index},
#include "spec/ops.def"
}};

constexpr const OpInfo& op_info(OpId op) { return kOpInfo[static_cast<std::size_t>(op)]; }
constexpr std::string_view op_name(OpId op) { return op_info(op).name; }
constexpr OpFamily op_family(OpId op) { return op_info(op).family; }
constexpr std::string_view op_json_name(OpId op) { return op_info(op).json_name; }
constexpr bool op_has(OpId op, OpTrait t) { return (op_info(op).traits & t) != 0; }
constexpr bool op_differentiable(OpId op) { return op_info(op).grad_inputs != 0; }
constexpr bool op_input_gets_grad(OpId op, int input) {
  return input < 32 && ((op_info(op).grad_inputs >> input) & 1u) != 0;
}
constexpr bool op_input_positive(OpId op, std::size_t input) {
  return input < 32 && ((op_info(op).positive_inputs >> input) & 1u) != 0;
}
constexpr bool op_input_is_index(OpId op, std::size_t input) {
  return input < 32 && ((op_info(op).index_inputs >> input) & 1u) != 0;
}
// Looks up an op by its JSON name, or by its C++ name (op_name: reports).
std::optional<OpId> op_from_json_name(std::string_view json_name);
std::optional<OpId> op_from_name(std::string_view name);

// All attribute structs as one variant; a node's alternative is the one its op names in ops.def.
using Attrs = std::variant<NoAttrs, InputAttrs, ConstAttrs, RandUniformAttrs, BernoulliMaskAttrs,
                           ScaleAttrs, ClampAttrs, SafeLogAttrs, AxisAttrs, LayerNormAttrs,
                           BatchNormAttrs, Conv2dAttrs, Pool2dAttrs, ShapeAttrs, FlattenAttrs,
                           PermuteAttrs, TransposeAttrs, SliceAttrs, ScatterAttrs, LossAttrs>;

template <OpId op> struct OpAttrs;
#define TL_OP(family, name, json, AttrsT, ...) \
  template <> struct OpAttrs<OpId::name> { using type = AttrsT; };
#include "spec/ops.def"
template <OpId op> using attrs_t = typename OpAttrs<op>::type;

// Default-constructed attributes of the struct that `op` uses.
Attrs default_attrs(OpId op);
// Rounds the floating attributes of `a` to `dtype` (nearest, ties to even), except bernoulli_mask's
// keep_prob, which is a probability compared in float64.
void round_float_attrs(OpId op, Attrs& a, DType dtype);
// True when `a` holds the struct that `op` uses.
bool attrs_match_op(OpId op, const Attrs& a);

}  // namespace tl

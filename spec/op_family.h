// Op families as data, generated from spec/ops.def: one enum per family (OpFamily, spec/op.h)
// whose members are that family's ops under their OpId names, and the conversions between them.
// A backend switches over op_family() once and over a family's enum inside that family's kernels,
// all with no `default:`, so a new row in ops.def fails the build exactly where its family needs a
// case.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "spec/error.h"
#include "spec/op.h"

namespace tl {

// One enum per family; the members follow ops.def's row order.
#define TL_FAMILY_MEMBER(name, ...) name,
enum class Source : uint8_t {
#define TL_SOURCE TL_FAMILY_MEMBER
#include "spec/ops.def"
};
enum class Unary : uint8_t {
#define TL_UNARY TL_FAMILY_MEMBER
#include "spec/ops.def"
};
enum class Binary : uint8_t {
#define TL_BINARY TL_FAMILY_MEMBER
#include "spec/ops.def"
};
enum class FullReduce : uint8_t {
#define TL_FULL_REDUCE TL_FAMILY_MEMBER
#include "spec/ops.def"
};
enum class AxisReduce : uint8_t {
#define TL_AXIS_REDUCE TL_FAMILY_MEMBER
#include "spec/ops.def"
};
enum class Linalg : uint8_t {
#define TL_LINALG TL_FAMILY_MEMBER
#include "spec/ops.def"
};
enum class Softmax : uint8_t {
#define TL_SOFTMAX TL_FAMILY_MEMBER
#include "spec/ops.def"
};
enum class Norm : uint8_t {
#define TL_NORM TL_FAMILY_MEMBER
#include "spec/ops.def"
};
enum class Conv : uint8_t {
#define TL_CONV TL_FAMILY_MEMBER
#include "spec/ops.def"
};
enum class Pool : uint8_t {
#define TL_POOL TL_FAMILY_MEMBER
#include "spec/ops.def"
};
enum class Move : uint8_t {
#define TL_MOVE TL_FAMILY_MEMBER
#include "spec/ops.def"
};
enum class Indexing : uint8_t {
#define TL_INDEXING TL_FAMILY_MEMBER
#include "spec/ops.def"
};
enum class Loss : uint8_t {
#define TL_LOSS TL_FAMILY_MEMBER
#include "spec/ops.def"
};
#undef TL_FAMILY_MEMBER

// The enum of each family, and back.
template <OpFamily F> struct FamilyEnum;
template <class E> struct FamilyOf;
#define TL_FAMILY(family, Enum)                                           \
  template <> struct FamilyEnum<OpFamily::family> { using type = Enum; }; \
  template <> struct FamilyOf<Enum> { static constexpr OpFamily value = OpFamily::family; };
TL_OP_FAMILIES(TL_FAMILY)
#undef TL_FAMILY

// Position of each op among the ops of its family in row order: the value of its member (a table
// built at compile time, so dispatching costs one lookup).
inline constexpr std::array<uint8_t, kNumOps> kFamilyPosition = [] {
  std::array<uint8_t, kNumOps> position{};
  std::array<uint8_t, kNumOpFamilies> next{};
  for (const OpInfo& info : kOpInfo)
    position[static_cast<std::size_t>(info.id)] = next[static_cast<std::size_t>(info.family)]++;
  return position;
}();
constexpr int family_position(OpId op) { return kFamilyPosition[static_cast<std::size_t>(op)]; }

// The member of family enum E that `op` is; nullopt when `op` belongs to another family.
template <class E> constexpr std::optional<E> as_member(OpId op) {
  if (op_family(op) != FamilyOf<E>::value) return std::nullopt;
  return static_cast<E>(family_position(op));
}

// The op that member `e` is.
template <class E> constexpr OpId op_of(E e) {
  int k = 0;
  for (const OpInfo& info : kOpInfo) {
    if (info.family != FamilyOf<E>::value) continue;
    if (k++ == static_cast<int>(e)) return info.id;
  }
  return OpId::input;  // no such member: the static_asserts below rule it out for every member
}

// The member of E that `op` is, for a dispatcher that has switched over op_family(op) already.
template <class E> E member_of(OpId op) {
  std::optional<E> e = as_member<E>(op);
  if (!e) throw_internal(std::string("op '") + std::string(op_name(op)) + "' dispatched to the family '" +
                         std::string(family_name(FamilyOf<E>::value)) + "'");
  return *e;
}

// reshape and flatten keep every element where it is in memory: only the shape changes.
constexpr bool keeps_memory_order(Move m) {
  switch (m) {
    case Move::reshape: case Move::flatten: return true;
    case Move::permute: case Move::transpose: case Move::broadcast_to: case Move::concat: case Move::slice:
      return false;
  }
  return false;
}

constexpr std::optional<Unary> unary_of(OpId op) { return as_member<Unary>(op); }
constexpr std::optional<Binary> binary_of(OpId op) { return as_member<Binary>(op); }

// Each member is the op of its name, both ways.
#define TL_OP(family, name, ...)                                                          \
  static_assert(op_of(FamilyEnum<OpFamily::family>::type::name) == OpId::name);           \
  static_assert(as_member<FamilyEnum<OpFamily::family>::type>(OpId::name) ==              \
                FamilyEnum<OpFamily::family>::type::name);
#include "spec/ops.def"

}  // namespace tl

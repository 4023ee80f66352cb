// Op lookups that are not constexpr: by JSON name, default attributes.
#include "spec/op.h"

#include "spec/error.h"

namespace tl {

std::optional<OpId> op_from_json_name(std::string_view json_name) {
  for (const OpInfo& info : kOpInfo) {
    if (info.json_name == json_name) return info.id;
  }
  return std::nullopt;
}

std::optional<OpId> op_from_name(std::string_view name) {
  for (const OpInfo& info : kOpInfo) {
    if (info.name == name) return info.id;
  }
  return std::nullopt;
}

Attrs default_attrs(OpId op) {
  switch (op) {
#define TL_OP(family, name, json, AttrsT, ...) \
  case OpId::name: return Attrs{AttrsT{}};
#include "spec/ops.def"
  }
  throw_internal("bad OpId value");
}

namespace {
struct RoundFloatAttrs {
  DType dtype;
  void operator()(std::string_view, double& x) const {
    if (dtype != DType::f32) return;
    // g++ 12.2 -O2 deleted the plain `x = double(float(x))` store here (the whole visit became a
    // no-op; reproduced outside the project, not fixed by -fno-strict-aliasing). The volatile
    // narrowing forces the rounding; OpsTable.RoundFloatAttrsRoundsToFloat32 guards it.
    volatile float narrowed = static_cast<float>(x);
    x = narrowed;
  }
  template <class T> void operator()(std::string_view, T&) const {}
};
}  // namespace

void round_float_attrs(OpId op, Attrs& a, DType dtype) {
  if (op == OpId::bernoulli_mask) return;
  RoundFloatAttrs round{dtype};
  std::visit([&](auto& attrs) { attrs.visit_fields(round); }, a);
}

bool attrs_match_op(OpId op, const Attrs& a) {
  return a.index() == default_attrs(op).index();
}

std::string_view reduction_name(Reduction r) {
  switch (r) {
    case Reduction::mean: return "mean";
    case Reduction::sum: return "sum";
  }
  throw_internal("bad Reduction value");
}

std::string_view input_role_name(InputRole r) {
  switch (r) {
    case InputRole::data: return "data";
    case InputRole::param: return "param";
  }
  throw_internal("bad InputRole value");
}

}  // namespace tl

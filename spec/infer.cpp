// infer_shape: arity check plus one case per op, delegating to the family rules.
#include "spec/infer.h"

#include <cmath>

#include "spec/error.h"
#include "spec/infer_rules.h"

namespace tl {
namespace {

void check_arity(OpId op, std::size_t n, const infer::Ctx& c) {
  const OpInfo& info = op_info(op);
  bool ok = static_cast<int>(n) >= info.min_arity &&
            (info.max_arity == kVariadic || static_cast<int>(n) <= info.max_arity);
  if (ok) return;
  std::string expected = std::to_string(info.min_arity);
  if (info.max_arity == kVariadic) expected += " or more";
  else if (info.max_arity != info.min_arity) expected += " to " + std::to_string(info.max_arity);
  c.fail("takes " + expected + " inputs but has " + std::to_string(n));
}

template <class T>
const T& attrs_as(const Attrs& a, const infer::Ctx& c) {
  const T* p = std::get_if<T>(&a);
  if (!p) c.fail("attributes are of the wrong kind for this op");
  return *p;
}

Shape source_shape(const Shape& declared) { return declared; }

}  // namespace

Shape infer_shape(OpId op, const Attrs& attrs, std::span<const Shape> in, const Shape& declared,
                  std::string_view where) {
  infer::Ctx c{where, in};
  check_arity(op, in.size(), c);
  if (!attrs_match_op(op, attrs)) c.fail("attributes are of the wrong kind for this op");
  switch (op) {
    case OpId::input:
    case OpId::constant:
    case OpId::rand_uniform:
      return source_shape(declared);
    case OpId::bernoulli_mask: {
      double p = attrs_as<BernoulliMaskAttrs>(attrs, c).keep_prob;
      if (!(p >= 0.0 && p <= 1.0)) c.fail("keep_prob " + std::to_string(p) + " is not in [0, 1]");
      return source_shape(declared);
    }
    case OpId::detach: case OpId::neg: case OpId::abs: case OpId::square: case OpId::sqrt:
    case OpId::rsqrt: case OpId::reciprocal: case OpId::exp: case OpId::log: case OpId::sin:
    case OpId::cos: case OpId::tanh: case OpId::sigmoid: case OpId::relu: case OpId::gelu:
    case OpId::softplus: case OpId::hardtanh:
      return in[0];
    case OpId::scale:
      if (!std::isfinite(attrs_as<ScaleAttrs>(attrs, c).c)) c.fail("attribute c is not finite");
      return in[0];
    case OpId::clamp: {
      const auto& a = attrs_as<ClampAttrs>(attrs, c);
      if (std::isnan(a.lo) || std::isnan(a.hi) || a.lo > a.hi) {
        c.fail("clamp bounds lo=" + std::to_string(a.lo) + " hi=" + std::to_string(a.hi) +
               " are not ordered numbers (need lo <= hi)");
      }
      return in[0];
    }
    case OpId::safe_log:
      c.check_positive(attrs_as<SafeLogAttrs>(attrs, c).eps, "eps");
      return in[0];
    case OpId::add: case OpId::sub: case OpId::mul: case OpId::div: case OpId::maximum:
    case OpId::minimum:
      return infer::same_shape(c);
    case OpId::sum:
      return Shape{};
    case OpId::reduce_sum: case OpId::reduce_mean: case OpId::logsumexp:
      return infer::reduce_axis(c, attrs_as<AxisAttrs>(attrs, c).axis);
    case OpId::reduce_max: {
      int64_t axis = attrs_as<AxisAttrs>(attrs, c).axis;
      Shape out = infer::reduce_axis(c, axis);
      if (in[0].dim(axis) == 0) c.fail("reduces axis " + std::to_string(axis) + " of " + in[0].str() + ", which is empty (the max of nothing is undefined)");
      return out;
    }
    case OpId::matmul: return infer::matmul(c);
    case OpId::linear: return infer::linear(c);
    case OpId::softmax: case OpId::log_softmax:
      c.check_axis(attrs_as<AxisAttrs>(attrs, c).axis, in[0].rank(), "axis");
      return in[0];
    case OpId::layer_norm: return infer::layer_norm(c, attrs_as<LayerNormAttrs>(attrs, c));
    case OpId::batch_norm: return infer::batch_norm(c, attrs_as<BatchNormAttrs>(attrs, c));
    case OpId::conv2d: return infer::conv2d(c, attrs_as<Conv2dAttrs>(attrs, c));
    case OpId::max_pool2d: case OpId::avg_pool2d:
      return infer::pool2d(c, attrs_as<Pool2dAttrs>(attrs, c));
    case OpId::reshape: return infer::reshape(c, attrs_as<ShapeAttrs>(attrs, c));
    case OpId::flatten: return infer::flatten(c, attrs_as<FlattenAttrs>(attrs, c));
    case OpId::permute: return infer::permute(c, attrs_as<PermuteAttrs>(attrs, c));
    case OpId::transpose: return infer::transpose(c, attrs_as<TransposeAttrs>(attrs, c));
    case OpId::broadcast_to: return infer::broadcast_to(c, attrs_as<ShapeAttrs>(attrs, c));
    case OpId::concat: return infer::concat(c, attrs_as<AxisAttrs>(attrs, c));
    case OpId::slice: return infer::slice(c, attrs_as<SliceAttrs>(attrs, c));
    case OpId::gather_rows: return infer::gather_rows(c);
    case OpId::scatter_add_rows:
      return infer::scatter_add_rows(c, attrs_as<ScatterAttrs>(attrs, c));
    case OpId::mse_loss: case OpId::bce_with_logits: return infer::pairwise_loss(c);
    case OpId::cross_entropy: case OpId::nll: return infer::labelled_loss(c);
  }
  throw_internal("bad OpId value");
}

}  // namespace tl

// Shape rules by op family, used by infer_shape's switch (spec/infer.cpp). Internal to spec/.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "spec/op.h"

namespace tl::infer {

// Context of one inference: names the node in every message.
struct Ctx {
  std::string_view where;
  std::span<const Shape> in;

  [[noreturn]] void fail(const std::string& problem) const;
  const Shape& input(std::size_t i) const { return in[i]; }
  // Checks 0 <= axis < rank of input i (or of `rank` when given).
  void check_axis(int64_t axis, int64_t rank, std::string_view field) const;
  void check_positive(double x, std::string_view field) const;
};

Shape same_shape(const Ctx& c);  // elementwise binary, losses' pairs
Shape reduce_axis(const Ctx& c, int64_t axis);
Shape matmul(const Ctx& c);
Shape linear(const Ctx& c);
Shape layer_norm(const Ctx& c, const LayerNormAttrs& a);
Shape batch_norm(const Ctx& c, const BatchNormAttrs& a);
Shape conv2d(const Ctx& c, const Conv2dAttrs& a);
Shape pool2d(const Ctx& c, const Pool2dAttrs& a);
Shape reshape(const Ctx& c, const ShapeAttrs& a);
Shape flatten(const Ctx& c, const FlattenAttrs& a);
Shape permute(const Ctx& c, const PermuteAttrs& a);
Shape transpose(const Ctx& c, const TransposeAttrs& a);
Shape broadcast_to(const Ctx& c, const ShapeAttrs& a);
Shape concat(const Ctx& c, const AxisAttrs& a);
Shape slice(const Ctx& c, const SliceAttrs& a);
Shape gather_rows(const Ctx& c);
Shape scatter_add_rows(const Ctx& c, const ScatterAttrs& a);
Shape pairwise_loss(const Ctx& c);   // mse_loss, bce_with_logits
Shape labelled_loss(const Ctx& c);   // cross_entropy, nll

}  // namespace tl::infer

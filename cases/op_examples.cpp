// Shape examples for every op. Expected shapes are worked out by hand from each op's definition in
// spec/ops.def and spec/attrs.h, not produced by infer_shape.
#include "cases/op_examples.h"

#include <cmath>

namespace tl::oracle {
namespace {

OpExample ex(std::vector<Shape> in, Attrs attrs, Shape expected) {
  return OpExample{std::move(in), std::move(attrs), Shape{}, std::move(expected)};
}

OpExample source(Attrs attrs, Shape shape) { return OpExample{{}, std::move(attrs), shape, shape}; }

}  // namespace

OpExample valid_example(OpId op) {
  const Shape s23{2, 3};
  switch (op) {
    case OpId::input: return source(InputAttrs{"x", InputRole::data}, Shape{4, 2});
    case OpId::constant: return source(ConstAttrs{"c"}, Shape{3});
    case OpId::bernoulli_mask: return source(BernoulliMaskAttrs{0.75, 7}, Shape{2, 2});
    case OpId::rand_uniform: return source(RandUniformAttrs{42}, Shape{5});
    case OpId::detach: case OpId::neg: case OpId::abs: case OpId::square: case OpId::sqrt:
    case OpId::rsqrt: case OpId::reciprocal: case OpId::exp: case OpId::log: case OpId::sin:
    case OpId::cos: case OpId::tanh: case OpId::sigmoid: case OpId::relu: case OpId::gelu:
    case OpId::softplus: case OpId::hardtanh:
      return ex({s23}, NoAttrs{}, s23);
    case OpId::scale: return ex({s23}, ScaleAttrs{0.5}, s23);
    case OpId::clamp: return ex({s23}, ClampAttrs{-1.0, 2.0}, s23);
    case OpId::safe_log: return ex({s23}, SafeLogAttrs{0x1p-20}, s23);
    case OpId::add: case OpId::sub: case OpId::mul: case OpId::div: case OpId::maximum:
    case OpId::minimum:
      return ex({s23, s23}, NoAttrs{}, s23);
    case OpId::sum: return ex({s23}, NoAttrs{}, Shape{});
    case OpId::reduce_sum: return ex({Shape{2, 3, 4}}, AxisAttrs{1}, Shape{2, 4});
    case OpId::reduce_mean: return ex({Shape{2, 3, 4}}, AxisAttrs{0}, Shape{3, 4});
    case OpId::reduce_max: return ex({Shape{2, 3, 4}}, AxisAttrs{2}, Shape{2, 3});
    case OpId::matmul: return ex({Shape{5, 2, 3}, Shape{5, 3, 7}}, NoAttrs{}, Shape{5, 2, 7});
    case OpId::linear: return ex({Shape{6, 4, 3}, Shape{8, 3}, Shape{8}}, NoAttrs{}, Shape{6, 4, 8});
    case OpId::softmax: return ex({s23}, AxisAttrs{1}, s23);
    case OpId::log_softmax: return ex({s23}, AxisAttrs{0}, s23);
    case OpId::logsumexp: return ex({s23}, AxisAttrs{1}, Shape{2});
    case OpId::layer_norm:
      return ex({Shape{2, 3, 4}, Shape{3, 4}, Shape{3, 4}}, LayerNormAttrs{1, 0x1p-16}, Shape{2, 3, 4});
    case OpId::batch_norm: {
      BatchNormAttrs eval{false, 0x1p-16, 0.25};
      return ex({Shape{8, 3, 5, 5}, Shape{3}, Shape{3}, Shape{3}, Shape{3}}, eval, Shape{8, 3, 5, 5});
    }
    case OpId::conv2d:
      // H: (7 + 2 - 3)/2 + 1 = 4; W: (6 + 0 - 2)/1 + 1 = 5.
      return ex({Shape{2, 3, 7, 6}, Shape{4, 3, 3, 2}, Shape{4}}, Conv2dAttrs{2, 1, 1, 0},
                Shape{2, 4, 4, 5});
    case OpId::max_pool2d:
      // H: (5 + 2 - 3)/2 + 1 = 3; W: (4 - 2)/2 + 1 = 2.
      return ex({Shape{1, 2, 5, 4}}, Pool2dAttrs{3, 2, 2, 2, 1, 0}, Shape{1, 2, 3, 2});
    case OpId::avg_pool2d: return ex({Shape{1, 2, 4, 4}}, Pool2dAttrs{}, Shape{1, 2, 2, 2});
    case OpId::reshape: return ex({Shape{2, 3, 4}}, ShapeAttrs{{6, 4}}, Shape{6, 4});
    case OpId::flatten: return ex({Shape{2, 3, 4}}, FlattenAttrs{1}, Shape{2, 12});
    case OpId::permute: return ex({Shape{2, 3, 4}}, PermuteAttrs{{2, 0, 1}}, Shape{4, 2, 3});
    case OpId::transpose: return ex({Shape{2, 3, 4}}, TransposeAttrs{0, 2}, Shape{4, 3, 2});
    case OpId::broadcast_to: return ex({Shape{3, 1}}, ShapeAttrs{{2, 3, 4}}, Shape{2, 3, 4});
    case OpId::concat: return ex({Shape{2, 3}, Shape{2, 5}, Shape{2, 1}}, AxisAttrs{1}, Shape{2, 9});
    case OpId::slice: return ex({Shape{4, 6}}, SliceAttrs{1, 2, 5}, Shape{4, 3});
    case OpId::gather_rows: return ex({Shape{10, 4}, Shape{2, 3}}, NoAttrs{}, Shape{2, 3, 4});
    case OpId::scatter_add_rows:
      return ex({Shape{2, 3, 4}, Shape{2, 3}}, ScatterAttrs{10}, Shape{10, 4});
    case OpId::mse_loss: case OpId::bce_with_logits:
      return ex({s23, s23}, LossAttrs{Reduction::sum}, Shape{});
    case OpId::cross_entropy: case OpId::nll:
      return ex({Shape{4, 10}, Shape{4}}, LossAttrs{Reduction::mean}, Shape{});
  }
  return {};
}

std::vector<InvalidOpExample> invalid_examples() {
  const Shape s23{2, 3};
  return {
      {OpId::add, {s23, Shape{3}}, NoAttrs{}, "differ (broadcasting must be explicit"},
      {OpId::bernoulli_mask, {}, BernoulliMaskAttrs{1.5, 0}, "keep_prob"},
      {OpId::scale, {s23}, ScaleAttrs{INFINITY}, "not finite"},
      {OpId::clamp, {s23}, ClampAttrs{2.0, 1.0}, "lo <= hi"},
      {OpId::safe_log, {s23}, SafeLogAttrs{0.0}, "eps"},
      {OpId::reduce_sum, {s23}, AxisAttrs{2}, "axis = 2 is out of range"},
      {OpId::reduce_max, {s23}, AxisAttrs{-1}, "axis = -1 is out of range"},
      {OpId::reduce_max, {Shape{2, 0}}, AxisAttrs{1}, "which is empty"},
      {OpId::matmul, {Shape{2, 3}, Shape{4, 5}}, NoAttrs{}, "inner dim 1 of a [2,3] (3) != dim 0 of b [4,5] (4)"},
      {OpId::matmul, {Shape{2, 2, 3}, Shape{3, 3, 5}}, NoAttrs{}, "batch dim 0"},
      {OpId::matmul, {Shape{3}, Shape{3}}, NoAttrs{}, "rank 1"},
      {OpId::linear, {Shape{4, 3}, Shape{8, 2}}, NoAttrs{}, "dim 1 of x [4,3] (3) != dim 1 of W [8,2] (2)"},
      {OpId::linear, {Shape{4, 3}, Shape{8, 3}, Shape{7}}, NoAttrs{}, "b (input 2) has shape [7], expected [8]"},
      {OpId::reduce_mean, {Shape{}}, AxisAttrs{0}, "out of range for rank 0"},
      {OpId::softmax, {s23}, AxisAttrs{5}, "out of range"},
      {OpId::log_softmax, {s23}, AxisAttrs{-2}, "out of range"},
      {OpId::logsumexp, {Shape{3}}, AxisAttrs{1}, "axis = 1 is out of range"},
      {OpId::bce_with_logits, {Shape{3}, Shape{1}}, LossAttrs{}, "differ"},
      {OpId::layer_norm, {s23, Shape{2}, Shape{3}}, LayerNormAttrs{1, 1e-5}, "gamma has shape [2]"},
      {OpId::batch_norm, {Shape{4, 3}, Shape{3}, Shape{3}}, BatchNormAttrs{false, 1e-5, 0.1}, "eval form takes 5 inputs"},
      {OpId::batch_norm, {Shape{4, 3, 2}, Shape{3}, Shape{3}}, BatchNormAttrs{}, "expected [N,C] or [N,C,H,W]"},
      {OpId::conv2d, {Shape{1, 3, 5, 5}, Shape{2, 4, 3, 3}}, Conv2dAttrs{}, "channels"},
      {OpId::conv2d, {Shape{1, 3, 2, 5}, Shape{2, 3, 3, 3}}, Conv2dAttrs{}, "larger than padded height"},
      {OpId::conv2d, {Shape{1, 3, 5, 5}, Shape{2, 3, 3, 3}}, Conv2dAttrs{0, 1, 0, 0}, "stride_h is 0"},
      {OpId::max_pool2d, {Shape{1, 1, 4, 4}}, Pool2dAttrs{2, 2, 2, 2, 2, 0}, "at most half the kernel"},
      {OpId::avg_pool2d, {Shape{1, 4, 4}}, Pool2dAttrs{}, "rank 3"},
      {OpId::reshape, {s23}, ShapeAttrs{{5}}, "cannot reshape [2,3] (6 elements) to [5]"},
      {OpId::reshape, {s23}, ShapeAttrs{{-6}}, "must be >= 0"},
      {OpId::flatten, {s23}, FlattenAttrs{3}, "out of range"},
      {OpId::permute, {s23}, PermuteAttrs{{0, 0}}, "repeated"},
      {OpId::permute, {s23}, PermuteAttrs{{0}}, "perm has 1 entries"},
      {OpId::transpose, {s23}, TransposeAttrs{0, 2}, "axis1 = 2"},
      {OpId::broadcast_to, {Shape{3, 2}}, ShapeAttrs{{3, 3}}, "cannot broadcast dim 1"},
      {OpId::broadcast_to, {Shape{3, 2}}, ShapeAttrs{{2}}, "lower-rank"},
      {OpId::concat, {Shape{2, 3}, Shape{3, 3}}, AxisAttrs{1}, "dim 0 of input 1"},
      {OpId::slice, {s23}, SliceAttrs{1, 2, 4}, "slice [2, 4) is not within dim 1"},
      {OpId::gather_rows, {Shape{}, Shape{2}}, NoAttrs{}, "table has rank 0"},
      {OpId::scatter_add_rows, {Shape{3, 4}, Shape{2}}, ScatterAttrs{5}, "must start with the index shape"},
      {OpId::mse_loss, {s23, Shape{3, 2}}, LossAttrs{}, "differ"},
      {OpId::cross_entropy, {Shape{4, 10}, Shape{3}}, LossAttrs{}, "labels [3] must be [4]"},
      {OpId::nll, {Shape{4, 0}, Shape{4}}, LossAttrs{}, "no classes"},
  };
}

}  // namespace tl::oracle

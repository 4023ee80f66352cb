// GraphBuilder: writing graphs in C++.
//
// Each call appends one node, infers its shape at once (so a mistake is reported at the call that
// made it) and returns a handle. Elementwise binary ops broadcast like NumPy: where the operands'
// shapes differ the builder inserts explicit broadcast_to nodes, since the IR itself never
// broadcasts implicitly. Floating attributes are rounded to the graph's dtype. Negative axes count
// from the end. finish() validates and returns the graph.
#pragma once

#include <string>
#include <vector>

#include "spec/graph.h"

namespace tl {

struct Ref {
  NodeId id = -1;
};

class GraphBuilder {
 public:
  explicit GraphBuilder(DType dtype, std::string name = "");

  // Generic form: any op, inputs and attributes (attrs must be the op's struct).
  Ref apply(OpId op, const std::vector<Ref>& inputs, Attrs attrs);
  const Shape& shape(Ref r) const { return graph_.node(r.id).shape; }
  DType dtype() const { return dtype_; }

  // Sources.
  Ref input(std::string name, Dims shape) { return source_input(std::move(name), std::move(shape), InputRole::data); }
  Ref param(std::string name, Dims shape) { return source_input(std::move(name), std::move(shape), InputRole::param); }
  Ref constant(std::string name, HostTensor value);
  Ref scalar(double c);  // an unnamed-by-the-user scalar constant, rounded to the dtype
  Ref rand_uniform(Dims shape, uint64_t seed);
  Ref bernoulli_mask(Dims shape, double keep_prob, uint64_t seed);

  // Elementwise.
  Ref unary(OpId op, Ref x) { return apply(op, {x}, NoAttrs{}); }
  Ref scale(Ref x, double c) { return apply(OpId::scale, {x}, ScaleAttrs{c}); }
  Ref clamp(Ref x, double lo, double hi) { return apply(OpId::clamp, {x}, ClampAttrs{lo, hi}); }
  Ref safe_log(Ref x, double eps = 1e-6) { return apply(OpId::safe_log, {x}, SafeLogAttrs{eps}); }
  Ref binary(OpId op, Ref a, Ref b);  // broadcasts
  Ref add(Ref a, Ref b) { return binary(OpId::add, a, b); }
  Ref sub(Ref a, Ref b) { return binary(OpId::sub, a, b); }
  Ref mul(Ref a, Ref b) { return binary(OpId::mul, a, b); }
  Ref div(Ref a, Ref b) { return binary(OpId::div, a, b); }

  // Reductions and softmax family (axis may be negative).
  Ref sum(Ref x) { return apply(OpId::sum, {x}, NoAttrs{}); }
  Ref reduce(OpId op, Ref x, int64_t axis) { return apply(op, {x}, AxisAttrs{axis_of(x, axis)}); }

  // Linear algebra, normalisation, convolution.
  Ref matmul(Ref a, Ref b) { return apply(OpId::matmul, {a, b}, NoAttrs{}); }
  Ref linear(Ref x, Ref w) { return apply(OpId::linear, {x, w}, NoAttrs{}); }
  Ref linear(Ref x, Ref w, Ref b) { return apply(OpId::linear, {x, w, b}, NoAttrs{}); }
  Ref layer_norm(Ref x, Ref gamma, Ref beta, int64_t axis, double eps = 1e-5);
  Ref conv2d(Ref x, Ref w, Conv2dAttrs a) { return apply(OpId::conv2d, {x, w}, a); }
  Ref conv2d(Ref x, Ref w, Ref b, Conv2dAttrs a) { return apply(OpId::conv2d, {x, w, b}, a); }
  Ref pool2d(OpId op, Ref x, Pool2dAttrs a) { return apply(op, {x}, a); }

  // Shape.
  Ref reshape(Ref x, Dims shape) { return apply(OpId::reshape, {x}, ShapeAttrs{std::move(shape)}); }
  Ref flatten(Ref x, int64_t axis) { return apply(OpId::flatten, {x}, FlattenAttrs{axis}); }
  Ref transpose(Ref x, int64_t a0 = -2, int64_t a1 = -1);
  Ref broadcast_to(Ref x, Dims shape) { return apply(OpId::broadcast_to, {x}, ShapeAttrs{std::move(shape)}); }

  // Losses.
  Ref loss(OpId op, Ref a, Ref b, Reduction r = Reduction::mean) { return apply(op, {a, b}, LossAttrs{r}); }

  void output(std::string name, Ref r);
  // Validates and returns the graph; the builder is left empty.
  Graph finish();

 private:
  Ref source_input(std::string name, Dims shape, InputRole role);
  Ref push(Node n);
  int64_t axis_of(Ref x, int64_t axis) const;

  DType dtype_;
  Graph graph_;
  int scalar_count_ = 0;
};

// NumPy broadcast of two shapes; UserError naming `where` when they are incompatible.
Shape broadcast_shapes(const Shape& a, const Shape& b, std::string_view where);

}  // namespace tl

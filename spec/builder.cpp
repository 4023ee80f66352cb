// GraphBuilder: node creation with immediate shape inference and explicit broadcasting.
#include "spec/builder.h"

#include "spec/error.h"
#include "spec/infer.h"

namespace tl {

GraphBuilder::GraphBuilder(DType dtype, std::string name) : dtype_(dtype) {
  graph_.name = std::move(name);
}

Ref GraphBuilder::push(Node n) {
  NodeId id = graph_.size();
  std::vector<Shape> in;
  for (NodeId p : n.parents) {
    TL_CHECK_USER(p >= 0 && p < id, "GraphBuilder: handle " + std::to_string(p) +
                                        " does not belong to this builder");
    in.push_back(graph_.node(p).shape);
  }
  n.dtype = dtype_;
  n.shape = infer_shape(n.op, n.attrs, in, n.shape, node_label(id, n.op));
  graph_.nodes.push_back(std::move(n));
  return Ref{id};
}

Ref GraphBuilder::apply(OpId op, const std::vector<Ref>& inputs, Attrs attrs) {
  TL_CHECK_USER(attrs_match_op(op, attrs),
                "GraphBuilder: attributes of the wrong kind for op " + std::string(op_json_name(op)));
  round_float_attrs(op, attrs, dtype_);
  Node n;
  n.op = op;
  n.attrs = std::move(attrs);
  for (Ref r : inputs) n.parents.push_back(r.id);
  return push(std::move(n));
}

Ref GraphBuilder::source_input(std::string name, Dims shape, InputRole role) {
  Node n;
  n.op = OpId::input;
  n.attrs = InputAttrs{name, role};
  n.shape = Shape(std::move(shape), "input '" + name + "'");
  return push(std::move(n));
}

Ref GraphBuilder::constant(std::string name, HostTensor value) {
  TL_CHECK_USER(value.dtype() == dtype_, "GraphBuilder: constant '" + name + "' is " +
                                             std::string(dtype_name(value.dtype())) +
                                             " in a " + std::string(dtype_name(dtype_)) + " graph");
  Node n;
  n.op = OpId::constant;
  n.attrs = ConstAttrs{std::move(name)};
  n.shape = value.shape();
  n.value = std::make_shared<const HostTensor>(std::move(value));
  return push(std::move(n));
}

Ref GraphBuilder::scalar(double c) {
  HostTensor t(dtype_, Shape{});
  if (dtype_ == DType::f32) t.values<float>()[0] = static_cast<float>(c);
  else t.values<double>()[0] = c;
  return constant("scalar" + std::to_string(scalar_count_++), std::move(t));
}

Ref GraphBuilder::rand_uniform(Dims shape, uint64_t seed) {
  Node n;
  n.op = OpId::rand_uniform;
  n.attrs = RandUniformAttrs{seed};
  n.shape = Shape(std::move(shape), "rand_uniform");
  return push(std::move(n));
}

Ref GraphBuilder::bernoulli_mask(Dims shape, double keep_prob, uint64_t seed) {
  Node n;
  n.op = OpId::bernoulli_mask;
  n.attrs = BernoulliMaskAttrs{keep_prob, seed};
  n.shape = Shape(std::move(shape), "bernoulli_mask");
  return push(std::move(n));
}

Ref GraphBuilder::binary(OpId op, Ref a, Ref b) {
  TL_CHECK_USER(op_info(op).min_arity == 2 && op_has(op, kElementwise),
                "GraphBuilder::binary: " + std::string(op_json_name(op)) +
                    " is not an elementwise binary op");
  Shape target = broadcast_shapes(shape(a), shape(b), op_json_name(op));
  if (!(shape(a) == target)) a = broadcast_to(a, target.dims());
  if (!(shape(b) == target)) b = broadcast_to(b, target.dims());
  return apply(op, {a, b}, NoAttrs{});
}

Ref GraphBuilder::layer_norm(Ref x, Ref gamma, Ref beta, int64_t axis, double eps) {
  return apply(OpId::layer_norm, {x, gamma, beta}, LayerNormAttrs{axis_of(x, axis), eps});
}

Ref GraphBuilder::transpose(Ref x, int64_t a0, int64_t a1) {
  return apply(OpId::transpose, {x}, TransposeAttrs{axis_of(x, a0), axis_of(x, a1)});
}

int64_t GraphBuilder::axis_of(Ref x, int64_t axis) const {
  return axis < 0 ? axis + shape(x).rank() : axis;
}

void GraphBuilder::output(std::string name, Ref r) {
  graph_.outputs.push_back({std::move(name), r.id});
}

Graph GraphBuilder::finish() {
  validate(graph_);
  Graph out = std::move(graph_);
  graph_ = Graph{};
  return out;
}

Shape broadcast_shapes(const Shape& a, const Shape& b, std::string_view where) {
  int64_t rank = std::max(a.rank(), b.rank());
  Dims out(static_cast<std::size_t>(rank));
  for (int64_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.rank() ? 1 : a.dim(i - (rank - a.rank()));
    int64_t db = i < rank - b.rank() ? 1 : b.dim(i - (rank - b.rank()));
    TL_CHECK_USER(da == db || da == 1 || db == 1,
                  std::string(where) + ": cannot broadcast " + a.str() + " with " + b.str() +
                      " (aligned dim " + std::to_string(i) + ": " + std::to_string(da) +
                      " vs " + std::to_string(db) + ")");
    out[static_cast<std::size_t>(i)] = da == 1 ? db : da;
  }
  return Shape(out, where);
}

}  // namespace tl

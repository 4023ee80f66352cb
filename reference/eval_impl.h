// The reference's dispatch: one switch over the op's family (spec/op_family.h; no default) for forward
// and one for VJP, and the whole-graph sweeps. Included only by the eval_<scalar>.cpp files that instantiate it.
#pragma once

#include "reference/eval.h"
#include "reference/ops_conv.h"
#include "reference/ops_linalg.h"
#include "reference/ops_loss.h"
#include "reference/ops_norm.h"
#include "reference/ops_shape.h"
#include "spec/splitmix.h"

namespace tl::ref {

// u[i] = low32(splitmix64(key + i)) / 2^32, key = splitmix64(seed); exact dyadics in every scalar.
template <class S>
RefTensor<S> uniform_value(const Node& node, uint64_t seed, std::optional<double> keep_prob) {
  RefTensor<S> y(node.shape);
  uint64_t key = splitmix_key(seed);
  for (int64_t i = 0; i < y.numel(); ++i) {
    double u = splitmix_uniform(key, static_cast<uint64_t>(i));
    y[i] = keep_prob ? S::from_int(u < *keep_prob ? 1 : 0) : S::from_double(u);
  }
  return y;
}

template <class S>
RefTensor<S> fwd_source(const Node& node, Source op) {
  switch (op) {
    case Source::input: throw_internal("graph inputs are bound by evaluate(), not forward_op()");
    case Source::constant: return from_host<S>(*node.value);
    case Source::rand_uniform: return uniform_value<S>(node, std::get<RandUniformAttrs>(node.attrs).seed, std::nullopt);
    case Source::bernoulli_mask: {
      const auto& a = std::get<BernoulliMaskAttrs>(node.attrs);
      return uniform_value<S>(node, a.seed, a.keep_prob);
    }
  }
  throw_internal("bad Source value");
}

template <class S>
RefTensor<S> forward_op(const Node& node, const Inputs<S>& in, const std::string& where) {
  OpCtx c{node.op, node.attrs, node.shape, where};
  const OpId op = node.op;
  switch (op_family(op)) {
    case OpFamily::source: return fwd_source<S>(node, member_of<Source>(op));
    case OpFamily::unary: return fwd_unary(c, member_of<Unary>(op), in);
    case OpFamily::binary: return fwd_binary(member_of<Binary>(op), in);
    case OpFamily::full_reduce: return fwd_sum(in);
    case OpFamily::axis_reduce: return fwd_axis_reduce(c, member_of<AxisReduce>(op), in);
    case OpFamily::linalg:
      switch (member_of<Linalg>(op)) {
        case Linalg::matmul: return fwd_matmul(c, in);
        case Linalg::linear: return fwd_linear(c, in);
      }
      break;
    case OpFamily::softmax:
      switch (member_of<Softmax>(op)) {
        case Softmax::softmax: return fwd_softmax(c, false, in);
        case Softmax::log_softmax: return fwd_softmax(c, true, in);
      }
      break;
    case OpFamily::norm: return fwd_norm(c, in);
    case OpFamily::conv: return fwd_conv2d(c, in);
    case OpFamily::pool:
      switch (member_of<Pool>(op)) {
        case Pool::max_pool2d: return fwd_pool(c, true, in);
        case Pool::avg_pool2d: return fwd_pool(c, false, in);
      }
      break;
    case OpFamily::move: return fwd_move(c, member_of<Move>(op), in);
    case OpFamily::indexing: return fwd_rows(c, in);
    case OpFamily::loss: return fwd_loss(c, in);
  }
  throw_internal("bad OpFamily value");
}

template <class S>
Grads<S> vjp_op(const Node& node, const Inputs<S>& in, const RefTensor<S>& y, const RefTensor<S>& g,
                const std::string& where, const std::vector<bool>& wanted_in) {
  OpCtx c{node.op, node.attrs, node.shape, where};
  const OpId op = node.op;
  Grads<S> dx(in.size());
  if (!op_differentiable(op)) return dx;  // sources and the gradient stop (detach): no input gets one
  std::vector<bool> wanted = wanted_in.empty() ? std::vector<bool>(in.size(), true) : wanted_in;
  // Which cases are given y is stated in reference/vjp_output_use.h: keep the two in step.
  switch (op_family(op)) {
    case OpFamily::source: throw_internal("a source has no VJP");
    case OpFamily::unary: vjp_unary(c, member_of<Unary>(op), in, y, g, dx); break;
    case OpFamily::binary: vjp_binary(member_of<Binary>(op), in, g, dx); break;
    case OpFamily::full_reduce: vjp_sum(in, g, dx); break;
    case OpFamily::axis_reduce: vjp_axis_reduce(c, member_of<AxisReduce>(op), in, y, g, dx); break;
    case OpFamily::linalg:
      switch (member_of<Linalg>(op)) {
        case Linalg::matmul: vjp_matmul(in, g, dx, wanted); break;
        case Linalg::linear: vjp_linear(in, g, dx, wanted); break;
      }
      break;
    case OpFamily::softmax:
      switch (member_of<Softmax>(op)) {
        case Softmax::softmax: vjp_softmax(c, false, in, y, g, dx); break;
        case Softmax::log_softmax: vjp_softmax(c, true, in, y, g, dx); break;
      }
      break;
    case OpFamily::norm: vjp_norm(c, in, g, dx); break;
    case OpFamily::conv: vjp_conv2d(c, in, g, dx, wanted); break;
    case OpFamily::pool:
      switch (member_of<Pool>(op)) {
        case Pool::max_pool2d: vjp_pool(c, true, in, y, g, dx); break;
        case Pool::avg_pool2d: vjp_pool(c, false, in, y, g, dx); break;
      }
      break;
    case OpFamily::move: vjp_move(c, member_of<Move>(op), in, g, dx); break;
    case OpFamily::indexing: vjp_rows(c, in, g, dx); break;
    case OpFamily::loss: vjp_loss(c, in, g, dx); break;
  }
  for (std::size_t k = 0; k < dx.size(); ++k) {
    if (!op_input_gets_grad(node.op, static_cast<int>(k)) || !wanted[k]) dx[k].reset();
  }
  return dx;
}

}  // namespace tl::ref

#include "reference/eval_graph.h"

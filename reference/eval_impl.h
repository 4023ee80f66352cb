// The reference's dispatch: one switch over OpId (no default) for forward and one for VJP, and the
// whole-graph sweeps. Included only by the eval_<scalar>.cpp files that instantiate it.
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
RefTensor<S> forward_op(const Node& node, const Inputs<S>& in, const std::string& where) {
  OpCtx c{node.op, node.attrs, node.shape, where};
  switch (node.op) {
    case OpId::input: throw_internal("graph inputs are bound by evaluate(), not forward_op()");
    case OpId::constant: return from_host<S>(*node.value);
    case OpId::rand_uniform:
      return uniform_value<S>(node, std::get<RandUniformAttrs>(node.attrs).seed, std::nullopt);
    case OpId::bernoulli_mask: {
      const auto& a = std::get<BernoulliMaskAttrs>(node.attrs);
      return uniform_value<S>(node, a.seed, a.keep_prob);
    }
    case OpId::detach: return fwd_unary(c, Unary::detach, in);
    case OpId::neg: return fwd_unary(c, Unary::neg, in);
    case OpId::abs: return fwd_unary(c, Unary::abs, in);
    case OpId::square: return fwd_unary(c, Unary::square, in);
    case OpId::sqrt: return fwd_unary(c, Unary::sqrt, in);
    case OpId::rsqrt: return fwd_unary(c, Unary::rsqrt, in);
    case OpId::reciprocal: return fwd_unary(c, Unary::reciprocal, in);
    case OpId::exp: return fwd_unary(c, Unary::exp, in);
    case OpId::log: return fwd_unary(c, Unary::log, in);
    case OpId::sin: return fwd_unary(c, Unary::sin, in);
    case OpId::cos: return fwd_unary(c, Unary::cos, in);
    case OpId::tanh: return fwd_unary(c, Unary::tanh, in);
    case OpId::sigmoid: return fwd_unary(c, Unary::sigmoid, in);
    case OpId::relu: return fwd_unary(c, Unary::relu, in);
    case OpId::gelu: return fwd_unary(c, Unary::gelu, in);
    case OpId::softplus: return fwd_unary(c, Unary::softplus, in);
    case OpId::scale: return fwd_unary(c, Unary::scale, in);
    case OpId::clamp: return fwd_unary(c, Unary::clamp, in);
    case OpId::safe_log: return fwd_unary(c, Unary::safe_log, in);
    case OpId::add: return fwd_binary(Binary::add, in);
    case OpId::sub: return fwd_binary(Binary::sub, in);
    case OpId::mul: return fwd_binary(Binary::mul, in);
    case OpId::div: return fwd_binary(Binary::div, in);
    case OpId::maximum: return fwd_binary(Binary::maximum, in);
    case OpId::minimum: return fwd_binary(Binary::minimum, in);
    case OpId::sum: return fwd_sum(in);
    case OpId::reduce_sum: return fwd_axis_reduce(c, AxisReduce::sum, in);
    case OpId::reduce_mean: return fwd_axis_reduce(c, AxisReduce::mean, in);
    case OpId::reduce_max: return fwd_axis_reduce(c, AxisReduce::max, in);
    case OpId::logsumexp: return fwd_axis_reduce(c, AxisReduce::logsumexp, in);
    case OpId::matmul: return fwd_matmul(c, in);
    case OpId::linear: return fwd_linear(c, in);
    case OpId::softmax: return fwd_softmax(c, false, in);
    case OpId::log_softmax: return fwd_softmax(c, true, in);
    case OpId::layer_norm: case OpId::batch_norm: return fwd_norm(c, in);
    case OpId::conv2d: return fwd_conv2d(c, in);
    case OpId::max_pool2d: return fwd_pool(c, true, in);
    case OpId::avg_pool2d: return fwd_pool(c, false, in);
    case OpId::reshape: case OpId::flatten: return fwd_move(c, Move::reshape, in);
    case OpId::permute: return fwd_move(c, Move::permute, in);
    case OpId::transpose: return fwd_move(c, Move::transpose, in);
    case OpId::broadcast_to: return fwd_move(c, Move::broadcast_to, in);
    case OpId::concat: return fwd_move(c, Move::concat, in);
    case OpId::slice: return fwd_move(c, Move::slice, in);
    case OpId::gather_rows: case OpId::scatter_add_rows: return fwd_rows(c, in);
    case OpId::mse_loss: case OpId::cross_entropy: case OpId::bce_with_logits: case OpId::nll:
      return fwd_loss(c, in);
  }
  throw_internal("bad OpId value");
}

template <class S>
Grads<S> vjp_op(const Node& node, const Inputs<S>& in, const RefTensor<S>& y, const RefTensor<S>& g,
                const std::string& where, const std::vector<bool>& wanted_in) {
  OpCtx c{node.op, node.attrs, node.shape, where};
  Grads<S> dx(in.size());
  std::vector<bool> wanted = wanted_in.empty() ? std::vector<bool>(in.size(), true) : wanted_in;
  switch (node.op) {
    case OpId::input: case OpId::constant: case OpId::rand_uniform: case OpId::bernoulli_mask:
    case OpId::detach:
      break;  // sources and the gradient stop: no input gets a gradient
    case OpId::neg: vjp_unary(c, Unary::neg, in, y, g, dx); break;
    case OpId::abs: vjp_unary(c, Unary::abs, in, y, g, dx); break;
    case OpId::square: vjp_unary(c, Unary::square, in, y, g, dx); break;
    case OpId::sqrt: vjp_unary(c, Unary::sqrt, in, y, g, dx); break;
    case OpId::rsqrt: vjp_unary(c, Unary::rsqrt, in, y, g, dx); break;
    case OpId::reciprocal: vjp_unary(c, Unary::reciprocal, in, y, g, dx); break;
    case OpId::exp: vjp_unary(c, Unary::exp, in, y, g, dx); break;
    case OpId::log: vjp_unary(c, Unary::log, in, y, g, dx); break;
    case OpId::sin: vjp_unary(c, Unary::sin, in, y, g, dx); break;
    case OpId::cos: vjp_unary(c, Unary::cos, in, y, g, dx); break;
    case OpId::tanh: vjp_unary(c, Unary::tanh, in, y, g, dx); break;
    case OpId::sigmoid: vjp_unary(c, Unary::sigmoid, in, y, g, dx); break;
    case OpId::relu: vjp_unary(c, Unary::relu, in, y, g, dx); break;
    case OpId::gelu: vjp_unary(c, Unary::gelu, in, y, g, dx); break;
    case OpId::softplus: vjp_unary(c, Unary::softplus, in, y, g, dx); break;
    case OpId::scale: vjp_unary(c, Unary::scale, in, y, g, dx); break;
    case OpId::clamp: vjp_unary(c, Unary::clamp, in, y, g, dx); break;
    case OpId::safe_log: vjp_unary(c, Unary::safe_log, in, y, g, dx); break;
    case OpId::add: vjp_binary(Binary::add, in, g, dx); break;
    case OpId::sub: vjp_binary(Binary::sub, in, g, dx); break;
    case OpId::mul: vjp_binary(Binary::mul, in, g, dx); break;
    case OpId::div: vjp_binary(Binary::div, in, g, dx); break;
    case OpId::maximum: vjp_binary(Binary::maximum, in, g, dx); break;
    case OpId::minimum: vjp_binary(Binary::minimum, in, g, dx); break;
    case OpId::sum: vjp_sum(in, g, dx); break;
    case OpId::reduce_sum: vjp_axis_reduce(c, AxisReduce::sum, in, y, g, dx); break;
    case OpId::reduce_mean: vjp_axis_reduce(c, AxisReduce::mean, in, y, g, dx); break;
    case OpId::reduce_max: vjp_axis_reduce(c, AxisReduce::max, in, y, g, dx); break;
    case OpId::logsumexp: vjp_axis_reduce(c, AxisReduce::logsumexp, in, y, g, dx); break;
    case OpId::matmul: vjp_matmul(in, g, dx, wanted); break;
    case OpId::linear: vjp_linear(in, g, dx, wanted); break;
    case OpId::softmax: vjp_softmax(c, false, in, y, g, dx); break;
    case OpId::log_softmax: vjp_softmax(c, true, in, y, g, dx); break;
    case OpId::layer_norm: case OpId::batch_norm: vjp_norm(c, in, g, dx); break;
    case OpId::conv2d: vjp_conv2d(c, in, g, dx, wanted); break;
    case OpId::max_pool2d: vjp_pool(c, true, in, y, g, dx); break;
    case OpId::avg_pool2d: vjp_pool(c, false, in, y, g, dx); break;
    case OpId::reshape: case OpId::flatten: vjp_move(c, Move::reshape, in, g, dx); break;
    case OpId::permute: vjp_move(c, Move::permute, in, g, dx); break;
    case OpId::transpose: vjp_move(c, Move::transpose, in, g, dx); break;
    case OpId::broadcast_to: vjp_move(c, Move::broadcast_to, in, g, dx); break;
    case OpId::concat: vjp_move(c, Move::concat, in, g, dx); break;
    case OpId::slice: vjp_move(c, Move::slice, in, g, dx); break;
    case OpId::gather_rows: case OpId::scatter_add_rows: vjp_rows(c, in, g, dx); break;
    case OpId::mse_loss: case OpId::cross_entropy: case OpId::bce_with_logits: case OpId::nll:
      vjp_loss(c, in, g, dx);
      break;
  }
  for (std::size_t k = 0; k < dx.size(); ++k) {
    if (!op_input_gets_grad(node.op, static_cast<int>(k)) || !wanted[k]) dx[k].reset();
  }
  return dx;
}

}  // namespace tl::ref

#include "reference/eval_graph.h"

// The shared strict orders (spec/kernel_orders.h).
#include "spec/kernel_orders.h"

namespace tl {
namespace {

std::string_view forward_order(OpId op) {
  switch (op) {
    case OpId::sum: case OpId::reduce_sum: case OpId::scatter_add_rows: return "left fold from +0 in index order";
    case OpId::reduce_mean: return "left fold from +0, then one division by n";
    case OpId::matmul: return "FMA chain over k from +0, ascending";
    case OpId::linear: return "FMA chain over k from +0, ascending, then + bias";
    case OpId::conv2d: return "FMA chain over (c, kh, kw) from +0, out-of-bounds cells skipped, then + bias";
    case OpId::avg_pool2d: return "left fold over in-bounds window cells, then one division by kh*kw";
    case OpId::mse_loss: return "left fold of (p-t)*(p-t) from +0, then one division for mean";
    case OpId::nll: return "left fold of -lp[i, y_i] from +0, then one division for mean";
    case OpId::input: case OpId::constant: case OpId::detach: case OpId::bernoulli_mask: case OpId::rand_uniform:
    case OpId::neg: case OpId::abs: case OpId::square: case OpId::sqrt: case OpId::rsqrt: case OpId::reciprocal:
    case OpId::exp: case OpId::log: case OpId::sin: case OpId::cos: case OpId::tanh: case OpId::sigmoid:
    case OpId::relu: case OpId::gelu: case OpId::softplus: case OpId::scale: case OpId::clamp: case OpId::safe_log:
    case OpId::add: case OpId::sub: case OpId::mul: case OpId::div: case OpId::maximum: case OpId::minimum:
    case OpId::reduce_max: case OpId::softmax: case OpId::log_softmax: case OpId::logsumexp: case OpId::layer_norm:
    case OpId::batch_norm: case OpId::max_pool2d: case OpId::reshape: case OpId::flatten: case OpId::permute:
    case OpId::transpose: case OpId::broadcast_to: case OpId::concat: case OpId::slice: case OpId::gather_rows:
    case OpId::cross_entropy: case OpId::bce_with_logits:
      return "";
  }
  return "";
}

std::string_view vjp_order(OpId op) {
  switch (op) {
    case OpId::square: return "g * (x + x)";  // x + x may overflow where g*2x does not
    case OpId::log: return "g * (1/x)";
    case OpId::div: return "da = g/b; db = ((-g)*a)/(b*b)";
    case OpId::reduce_max: return "g / (number of tied maxima) to each maximum";
    case OpId::matmul: return "da = FMA chain over j, db = FMA chain over i, from +0";
    case OpId::linear: return "dx = FMA chain over o, dW = FMA chain over m, from +0; db = left fold over m";
    case OpId::conv2d: return "FMA chains from +0: dx over (o, kh, kw), dw over (n, i, j); db left fold";
    case OpId::max_pool2d: return "g to the first maximal cell, windows added in order from +0";
    case OpId::avg_pool2d: return "g/(kh*kw) added window by window from +0";
    case OpId::broadcast_to: case OpId::gather_rows: return "left fold from +0 in output order";
    case OpId::softmax: return "y * (g - FMA chain over k of g*y from +0)";
    case OpId::mse_loss: return "s = g/n (mean); dp = s*(d+d); dt = -dp";
    case OpId::nll: return "s = g/N (mean); -s at the label, +0 elsewhere";
    case OpId::input: case OpId::constant: case OpId::detach: case OpId::bernoulli_mask: case OpId::rand_uniform:
    case OpId::neg: case OpId::abs: case OpId::sqrt: case OpId::rsqrt: case OpId::reciprocal: case OpId::exp:
    case OpId::sin: case OpId::cos: case OpId::tanh: case OpId::sigmoid: case OpId::relu: case OpId::gelu:
    case OpId::softplus: case OpId::scale: case OpId::clamp: case OpId::safe_log: case OpId::add: case OpId::sub:
    case OpId::mul: case OpId::maximum: case OpId::minimum: case OpId::sum: case OpId::reduce_sum:
    case OpId::reduce_mean: case OpId::log_softmax: case OpId::logsumexp: case OpId::layer_norm:
    case OpId::batch_norm: case OpId::reshape: case OpId::flatten: case OpId::permute: case OpId::transpose:
    case OpId::concat: case OpId::slice: case OpId::scatter_add_rows: case OpId::cross_entropy:
    case OpId::bce_with_logits:
      return "";
  }
  return "";
}

}  // namespace

std::string_view strict_order(OpId op, Direction direction) {
  return direction.forward() ? forward_order(op) : vjp_order(op);
}

}  // namespace tl

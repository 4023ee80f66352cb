// The fast backend's dispatch: one switch over OpId for forward and one for backward (no default),
// each instantiated for float and double. Both eager and compiled call these; there are no other
// kernel copies.
#include "fast/kernels/conv.h"
#include "fast/kernels/elementwise.h"
#include "fast/kernels/linalg.h"
#include "fast/kernels/loss.h"
#include "fast/kernels/norm.h"
#include "fast/kernels/reduce.h"
#include "fast/kernels/shape.h"
#include "spec/splitmix.h"

namespace tl::fast {
namespace {

template <class T> UnaryParams<T> unary_params(const Node& n) {
  UnaryParams<T> p;
  if (const auto* a = std::get_if<ScaleAttrs>(&n.attrs)) p.c = static_cast<T>(a->c);
  if (const auto* a = std::get_if<ClampAttrs>(&n.attrs)) { p.lo = static_cast<T>(a->lo); p.hi = static_cast<T>(a->hi); }
  if (const auto* a = std::get_if<SafeLogAttrs>(&n.attrs)) p.eps = static_cast<T>(a->eps);
  return p;
}

template <class T> void unary_kernel(const Node& n, Unary op, const HostInputs& in, HostTensor& y) {
  const T* x = data<T>(in[0]);
  T* out = data<T>(y);
  UnaryParams<T> p = unary_params<T>(n);
  parallel_for(y.numel(), 4096, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) out[i] = unary_forward(op, x[i], p);
  });
}

template <class T> void binary_kernel(Binary op, const HostInputs& in, HostTensor& y) {
  const T* a = data<T>(in[0]);
  const T* b = data<T>(in[1]);
  T* out = data<T>(y);
  parallel_for(y.numel(), 4096, [&](int64_t s, int64_t e) {
    for (int64_t i = s; i < e; ++i) out[i] = binary_forward(op, a[i], b[i]);
  });
}

template <class T> void uniform_kernel(uint64_t seed, const double* keep_prob, HostTensor& y) {
  uint64_t key = splitmix_key(seed);
  T* out = data<T>(y);
  for (int64_t i = 0; i < y.numel(); ++i) {
    double u = splitmix_uniform(key, static_cast<uint64_t>(i));
    out[i] = keep_prob ? (u < *keep_prob ? T(1) : T(0)) : static_cast<T>(u);
  }
}

template <class T> void forward_t(const Node& n, const HostInputs& in, HostTensor& y, const std::string& where) {
  switch (n.op) {
    case OpId::input: throw_internal("graph inputs are bound by the backend, not forward()");
    case OpId::constant: std::copy_n(data<T>(n.value.get()), y.numel(), data<T>(y)); return;
    case OpId::rand_uniform: uniform_kernel<T>(std::get<RandUniformAttrs>(n.attrs).seed, nullptr, y); return;
    case OpId::bernoulli_mask: {
      const auto& a = std::get<BernoulliMaskAttrs>(n.attrs);
      uniform_kernel<T>(a.seed, &a.keep_prob, y);
      return;
    }
    case OpId::detach: return unary_kernel<T>(n, Unary::detach, in, y);
    case OpId::neg: return unary_kernel<T>(n, Unary::neg, in, y);
    case OpId::abs: return unary_kernel<T>(n, Unary::abs, in, y);
    case OpId::square: return unary_kernel<T>(n, Unary::square, in, y);
    case OpId::sqrt: return unary_kernel<T>(n, Unary::sqrt, in, y);
    case OpId::rsqrt: return unary_kernel<T>(n, Unary::rsqrt, in, y);
    case OpId::reciprocal: return unary_kernel<T>(n, Unary::reciprocal, in, y);
    case OpId::exp: return unary_kernel<T>(n, Unary::exp, in, y);
    case OpId::log: return unary_kernel<T>(n, Unary::log, in, y);
    case OpId::sin: return unary_kernel<T>(n, Unary::sin, in, y);
    case OpId::cos: return unary_kernel<T>(n, Unary::cos, in, y);
    case OpId::tanh: return unary_kernel<T>(n, Unary::tanh, in, y);
    case OpId::sigmoid: return unary_kernel<T>(n, Unary::sigmoid, in, y);
    case OpId::relu: return unary_kernel<T>(n, Unary::relu, in, y);
    case OpId::gelu: return unary_kernel<T>(n, Unary::gelu, in, y);
    case OpId::softplus: return unary_kernel<T>(n, Unary::softplus, in, y);
    case OpId::scale: return unary_kernel<T>(n, Unary::scale, in, y);
    case OpId::clamp: return unary_kernel<T>(n, Unary::clamp, in, y);
    case OpId::safe_log: return unary_kernel<T>(n, Unary::safe_log, in, y);
    case OpId::add: return binary_kernel<T>(Binary::add, in, y);
    case OpId::sub: return binary_kernel<T>(Binary::sub, in, y);
    case OpId::mul: return binary_kernel<T>(Binary::mul, in, y);
    case OpId::div: return binary_kernel<T>(Binary::div, in, y);
    case OpId::maximum: return binary_kernel<T>(Binary::maximum, in, y);
    case OpId::minimum: return binary_kernel<T>(Binary::minimum, in, y);
    case OpId::sum: return sum_forward<T>(in, y);
    case OpId::reduce_sum: return axis_reduce_forward<T>(AxisReduce::sum, std::get<AxisAttrs>(n.attrs).axis, in, y);
    case OpId::reduce_mean: return axis_reduce_forward<T>(AxisReduce::mean, std::get<AxisAttrs>(n.attrs).axis, in, y);
    case OpId::reduce_max: return axis_reduce_forward<T>(AxisReduce::max, std::get<AxisAttrs>(n.attrs).axis, in, y);
    case OpId::logsumexp: return axis_reduce_forward<T>(AxisReduce::logsumexp, std::get<AxisAttrs>(n.attrs).axis, in, y);
    case OpId::matmul: return matmul_forward<T>(in, y);
    case OpId::linear: return linear_forward<T>(in, y);
    case OpId::softmax: return softmax_forward<T>(false, std::get<AxisAttrs>(n.attrs).axis, in, y);
    case OpId::log_softmax: return softmax_forward<T>(true, std::get<AxisAttrs>(n.attrs).axis, in, y);
    case OpId::layer_norm: case OpId::batch_norm: return norm_forward<T>(n, in, y);
    case OpId::conv2d: return conv2d_forward<T>(n, in, y);
    case OpId::max_pool2d: return pool_forward<T>(n, true, in, y);
    case OpId::avg_pool2d: return pool_forward<T>(n, false, in, y);
    case OpId::reshape: case OpId::flatten: return move_forward<T>(n, Move::reshape, in, y);
    case OpId::permute: return move_forward<T>(n, Move::permute, in, y);
    case OpId::transpose: return move_forward<T>(n, Move::transpose, in, y);
    case OpId::broadcast_to: return move_forward<T>(n, Move::broadcast_to, in, y);
    case OpId::concat: return move_forward<T>(n, Move::concat, in, y);
    case OpId::slice: return move_forward<T>(n, Move::slice, in, y);
    case OpId::gather_rows: case OpId::scatter_add_rows: return rows_forward<T>(n, in, y, where);
    case OpId::mse_loss: case OpId::cross_entropy: case OpId::bce_with_logits: case OpId::nll:
      return loss_forward<T>(n, in, y, where);
  }
  throw_internal("bad OpId value");
}

}  // namespace

HostTensor forward(const Node& node, const HostInputs& in, const std::string& where) {
  HostTensor y(node.dtype, node.shape);
  switch (node.dtype) {
    case DType::f32: forward_t<float>(node, in, y, where); break;
    case DType::f64: forward_t<double>(node, in, y, where); break;
  }
  return y;
}

}  // namespace tl::fast

// The fast backend's backward dispatch: one switch over OpId (no default), float and double.
#include "fast/kernels/conv.h"
#include "fast/kernels/elementwise.h"
#include "fast/kernels/linalg.h"
#include "fast/kernels/loss.h"
#include "fast/kernels/norm.h"
#include "fast/kernels/reduce.h"
#include "fast/kernels/shape.h"

namespace tl::fast {
namespace {

template <class T> void unary_grad(const Node& n, Unary op, const HostInputs& in, const HostTensor& y,
                                   const HostTensor& g, HostGrads& dx) {
  HostTensor d(in[0]->dtype(), in[0]->shape());
  const T* x = data<T>(in[0]);
  const T* yv = data<T>(&y);
  const T* gv = data<T>(&g);
  T* out = data<T>(d);
  UnaryParams<T> p = unary_params<T>(n);
  if constexpr (std::is_same_v<T, float>) {
    // Vectorised; the same bits as the scalar path.
    void (*array)(const float*, const float*, float*, int64_t) =
        op == Unary::tanh ? tanh_grad_f32_array : op == Unary::sigmoid ? sigmoid_grad_f32_array
                          : op == Unary::gelu ? gelu_grad_f32_array : nullptr;
    if (TL_PLANTED("tanh_grad_sign") && op == Unary::tanh) array = nullptr;
    if (array) {
      parallel_for(d.numel(), 4096, [&](int64_t b, int64_t e) { array(x + b, gv + b, out + b, e - b); });
      dx[0] = std::move(d);
      return;
    }
  }
  for_unary(op, [&](auto c) {
    parallel_for(d.numel(), 4096, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) out[i] = unary_backward(decltype(c)::value, x[i], yv[i], gv[i], p);
    });
  });
  dx[0] = std::move(d);
}

template <class T> void binary_grad(Binary op, const HostInputs& in, const HostTensor& g, HostGrads& dx) {
  HostTensor da(in[0]->dtype(), in[0]->shape()), db(in[1]->dtype(), in[1]->shape());
  const T* a = data<T>(in[0]);
  const T* b = data<T>(in[1]);
  const T* gv = data<T>(&g);
  T* pa = data<T>(da);
  T* pb = data<T>(db);
  for_binary(op, [&](auto c) {
    parallel_for(g.numel(), 4096, [&](int64_t s, int64_t e) {
      for (int64_t i = s; i < e; ++i) binary_backward(decltype(c)::value, a[i], b[i], gv[i], pa[i], pb[i]);
    });
  });
  dx[0] = std::move(da);
  dx[1] = std::move(db);
}

template <class T> void sum_grad(const HostInputs& in, const HostTensor& g, HostGrads& dx) {
  HostTensor d(in[0]->dtype(), in[0]->shape());
  std::fill_n(data<T>(d), d.numel(), data<T>(&g)[0]);
  dx[0] = std::move(d);
}

template <class T> void axis_grad(const Node& n, AxisReduce kind, const HostInputs& in, const HostTensor& y,
                                  const HostTensor& g, HostGrads& dx) {
  HostTensor d(in[0]->dtype(), in[0]->shape());
  axis_reduce_backward<T>(kind, std::get<AxisAttrs>(n.attrs).axis, in, y, g, d);
  dx[0] = std::move(d);
}

template <class T> void softmax_grad(const Node& n, bool log_form, const HostInputs& in, const HostTensor& y,
                                     const HostTensor& g, HostGrads& dx) {
  HostTensor d(in[0]->dtype(), in[0]->shape());
  softmax_backward<T>(log_form, std::get<AxisAttrs>(n.attrs).axis, y, g, d);
  dx[0] = std::move(d);
}

template <class T> void backward_t(const Node& n, const HostInputs& in, const HostTensor& y, const HostTensor& g,
                                   HostGrads& dx, const std::vector<bool>& wanted, const std::string& where) {
  switch (n.op) {
    case OpId::input: case OpId::constant: case OpId::rand_uniform: case OpId::bernoulli_mask:
    case OpId::detach:
      return;  // sources and the gradient stop
    case OpId::neg: return unary_grad<T>(n, Unary::neg, in, y, g, dx);
    case OpId::abs: return unary_grad<T>(n, Unary::abs, in, y, g, dx);
    case OpId::square: return unary_grad<T>(n, Unary::square, in, y, g, dx);
    case OpId::sqrt: return unary_grad<T>(n, Unary::sqrt, in, y, g, dx);
    case OpId::rsqrt: return unary_grad<T>(n, Unary::rsqrt, in, y, g, dx);
    case OpId::reciprocal: return unary_grad<T>(n, Unary::reciprocal, in, y, g, dx);
    case OpId::exp: return unary_grad<T>(n, Unary::exp, in, y, g, dx);
    case OpId::log: return unary_grad<T>(n, Unary::log, in, y, g, dx);
    case OpId::sin: return unary_grad<T>(n, Unary::sin, in, y, g, dx);
    case OpId::cos: return unary_grad<T>(n, Unary::cos, in, y, g, dx);
    case OpId::tanh: return unary_grad<T>(n, Unary::tanh, in, y, g, dx);
    case OpId::sigmoid: return unary_grad<T>(n, Unary::sigmoid, in, y, g, dx);
    case OpId::relu: return unary_grad<T>(n, Unary::relu, in, y, g, dx);
    case OpId::gelu: return unary_grad<T>(n, Unary::gelu, in, y, g, dx);
    case OpId::softplus: return unary_grad<T>(n, Unary::softplus, in, y, g, dx);
    case OpId::scale: return unary_grad<T>(n, Unary::scale, in, y, g, dx);
    case OpId::clamp: return unary_grad<T>(n, Unary::clamp, in, y, g, dx);
    case OpId::safe_log: return unary_grad<T>(n, Unary::safe_log, in, y, g, dx);
    case OpId::add: return binary_grad<T>(Binary::add, in, g, dx);
    case OpId::sub: return binary_grad<T>(Binary::sub, in, g, dx);
    case OpId::mul: return binary_grad<T>(Binary::mul, in, g, dx);
    case OpId::div: return binary_grad<T>(Binary::div, in, g, dx);
    case OpId::maximum: return binary_grad<T>(Binary::maximum, in, g, dx);
    case OpId::minimum: return binary_grad<T>(Binary::minimum, in, g, dx);
    case OpId::sum: return sum_grad<T>(in, g, dx);
    case OpId::reduce_sum: return axis_grad<T>(n, AxisReduce::sum, in, y, g, dx);
    case OpId::reduce_mean: return axis_grad<T>(n, AxisReduce::mean, in, y, g, dx);
    case OpId::reduce_max: return axis_grad<T>(n, AxisReduce::max, in, y, g, dx);
    case OpId::logsumexp: return axis_grad<T>(n, AxisReduce::logsumexp, in, y, g, dx);
    case OpId::matmul: return matmul_backward<T>(in, g, dx, wanted);
    case OpId::linear: return linear_backward<T>(in, g, dx, wanted);
    case OpId::softmax: return softmax_grad<T>(n, false, in, y, g, dx);
    case OpId::log_softmax: return softmax_grad<T>(n, true, in, y, g, dx);
    case OpId::layer_norm: case OpId::batch_norm: return norm_backward<T>(n, in, g, dx);
    case OpId::conv2d: return conv2d_backward<T>(n, in, g, dx, wanted);
    case OpId::max_pool2d: return pool_backward<T>(n, true, in, y, g, dx);
    case OpId::avg_pool2d: return pool_backward<T>(n, false, in, y, g, dx);
    case OpId::reshape: case OpId::flatten: return move_backward<T>(n, Move::reshape, in, g, dx);
    case OpId::permute: return move_backward<T>(n, Move::permute, in, g, dx);
    case OpId::transpose: return move_backward<T>(n, Move::transpose, in, g, dx);
    case OpId::broadcast_to: return move_backward<T>(n, Move::broadcast_to, in, g, dx);
    case OpId::concat: return move_backward<T>(n, Move::concat, in, g, dx);
    case OpId::slice: return move_backward<T>(n, Move::slice, in, g, dx);
    case OpId::gather_rows: case OpId::scatter_add_rows: return rows_backward<T>(n, in, g, dx, where);
    case OpId::mse_loss: case OpId::cross_entropy: case OpId::bce_with_logits: case OpId::nll:
      return loss_backward<T>(n, in, g, dx, where);
  }
  throw_internal("bad OpId value");
}

}  // namespace

HostGrads backward(const Node& node, const HostInputs& in, const HostTensor& y, const HostTensor& g,
                   const std::string& where, const std::vector<bool>& wanted_in) {
  std::vector<bool> wanted = wanted_in.empty() ? std::vector<bool>(in.size(), true) : wanted_in;
  HostGrads dx(in.size());
  switch (node.dtype) {
    case DType::f32: backward_t<float>(node, in, y, g, dx, wanted, where); break;
    case DType::f64: backward_t<double>(node, in, y, g, dx, wanted, where); break;
  }
  for (std::size_t k = 0; k < dx.size(); ++k) {
    if (!op_input_gets_grad(node.op, static_cast<int>(k)) || !wanted[k]) dx[k].reset();
  }
  return dx;
}

}  // namespace tl::fast

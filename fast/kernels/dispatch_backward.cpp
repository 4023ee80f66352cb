// The fast backend's backward dispatch: one switch over the op's family (spec/op_family.h; no
// default), float and double.
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
      parallel_for(d.numel(), kElementwiseGrain, [&](int64_t b, int64_t e) { array(x + b, gv + b, out + b, e - b); });
      dx[0] = std::move(d);
      return;
    }
  }
  for_unary(op, [&](auto c) {
    parallel_for(d.numel(), kElementwiseGrain, [&](int64_t b, int64_t e) {
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
    parallel_for(g.numel(), kElementwiseGrain, [&](int64_t s, int64_t e) {
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
  const OpId op = n.op;
  if (!op_differentiable(op)) return;  // sources and the gradient stop (detach)
  switch (op_family(op)) {
    case OpFamily::source: throw_internal("a source has no VJP");
    case OpFamily::unary: return unary_grad<T>(n, member_of<Unary>(op), in, y, g, dx);
    case OpFamily::binary: return binary_grad<T>(member_of<Binary>(op), in, g, dx);
    case OpFamily::full_reduce: return sum_grad<T>(in, g, dx);
    case OpFamily::axis_reduce: return axis_grad<T>(n, member_of<AxisReduce>(op), in, y, g, dx);
    case OpFamily::linalg:
      switch (member_of<Linalg>(op)) {
        case Linalg::matmul: return matmul_backward<T>(in, g, dx, wanted);
        case Linalg::linear: return linear_backward<T>(in, g, dx, wanted);
      }
      break;
    case OpFamily::softmax:
      switch (member_of<Softmax>(op)) {
        case Softmax::softmax: return softmax_grad<T>(n, false, in, y, g, dx);
        case Softmax::log_softmax: return softmax_grad<T>(n, true, in, y, g, dx);
      }
      break;
    case OpFamily::norm: return norm_backward<T>(n, in, g, dx);
    case OpFamily::conv: return conv2d_backward<T>(n, in, g, dx, wanted);
    case OpFamily::pool:
      switch (member_of<Pool>(op)) {
        case Pool::max_pool2d: return pool_backward<T>(n, true, in, y, g, dx);
        case Pool::avg_pool2d: return pool_backward<T>(n, false, in, y, g, dx);
      }
      break;
    case OpFamily::move: return move_backward<T>(n, member_of<Move>(op), in, g, dx);
    case OpFamily::indexing: return rows_backward<T>(n, in, g, dx, where);
    case OpFamily::loss: return loss_backward<T>(n, in, g, dx, where);
  }
  throw_internal("bad OpFamily value");
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

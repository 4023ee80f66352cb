// The fast backend's forward dispatch: one switch over the op's family (spec/op_family.h; no
// default), instantiated for float and double. Both eager and compiled call these; there are no other
// kernel copies.
#include "fast/kernels/conv.h"
#include "fast/kernels/elementwise.h"
#include "fast/kernels/linalg.h"
#include "fast/kernels/loss.h"
#include "fast/kernels/norm.h"
#include "fast/kernels/reduce.h"
#include "fast/kernels/shape.h"
#include "spec/splitmix.h"

#include <cstring>

namespace tl::fast {
namespace {

template <class T> void unary_kernel(const Node& n, Unary op, const HostInputs& in, HostTensor& y) {
  const T* x = data<T>(in[0]);
  T* out = data<T>(y);
  UnaryParams<T> p = unary_params<T>(n);
  if constexpr (std::is_same_v<T, float>) {
    // Vectorised; the same bits as the scalar functions that fused loops apply.
    void (*array)(const float*, float*, int64_t) = op == Unary::tanh ? tanh_f32_array
                                                 : op == Unary::exp ? exp_f32_array
                                                 : op == Unary::sigmoid ? sigmoid_f32_array
                                                 : op == Unary::gelu ? gelu_f32_array
                                                 : op == Unary::log ? log_f32_array : nullptr;
    if (TL_PLANTED("fast_math_exp") && op == Unary::exp) array = nullptr;
    if (array) {
      parallel_for(y.numel(), kElementwiseGrain, [&](int64_t b, int64_t e) { array(x + b, out + b, e - b); });
      return;
    }
  }
  for_unary(op, [&](auto c) {
    parallel_for(y.numel(), kElementwiseGrain, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) out[i] = unary_forward(decltype(c)::value, x[i], p);
    });
  });
}

template <class T> void binary_kernel(Binary op, const HostInputs& in, HostTensor& y) {
  const T* a = data<T>(in[0]);
  const T* b = data<T>(in[1]);
  T* out = data<T>(y);
  for_binary(op, [&](auto c) {
    parallel_for(y.numel(), kElementwiseGrain, [&](int64_t s, int64_t e) {
      for (int64_t i = s; i < e; ++i) out[i] = binary_forward(decltype(c)::value, a[i], b[i]);
    });
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

template <class T> void source_kernel(const Node& n, Source op, HostTensor& y) {
  switch (op) {
    case Source::input: throw_internal("graph inputs are bound by the backend, not forward()");
    case Source::constant: std::copy_n(data<T>(n.value.get()), y.numel(), data<T>(y)); return;
    case Source::rand_uniform: uniform_kernel<T>(std::get<RandUniformAttrs>(n.attrs).seed, nullptr, y); return;
    case Source::bernoulli_mask: {
      const auto& a = std::get<BernoulliMaskAttrs>(n.attrs);
      uniform_kernel<T>(a.seed, &a.keep_prob, y);
      return;
    }
  }
}

template <class T> void move_kernel(const Node& n, Move op, const HostInputs& in, HostTensor& y) {
  if (TL_PLANTED("transpose_stride") && op == Move::transpose) {  // strength-check build only: a plain copy
    std::copy(in[0]->values<T>().begin(), in[0]->values<T>().end(), data<T>(y));
    return;
  }
  move_forward<T>(n, op, in, y);
}

template <class T> void forward_t(const Node& n, const HostInputs& in, HostTensor& y, const std::string& where) {
  const OpId op = n.op;
  switch (op_family(op)) {
    case OpFamily::source: return source_kernel<T>(n, member_of<Source>(op), y);
    case OpFamily::unary: return unary_kernel<T>(n, member_of<Unary>(op), in, y);
    case OpFamily::binary: return binary_kernel<T>(member_of<Binary>(op), in, y);
    case OpFamily::full_reduce: return sum_forward<T>(in, y);
    case OpFamily::axis_reduce:
      return axis_reduce_forward<T>(member_of<AxisReduce>(op), std::get<AxisAttrs>(n.attrs).axis, in, y);
    case OpFamily::linalg:
      switch (member_of<Linalg>(op)) {
        case Linalg::matmul: return matmul_forward<T>(in, y);
        case Linalg::linear: return linear_forward<T>(in, y);
      }
      break;
    case OpFamily::softmax:
      switch (member_of<Softmax>(op)) {
        case Softmax::softmax: return softmax_forward<T>(false, std::get<AxisAttrs>(n.attrs).axis, in, y);
        case Softmax::log_softmax: return softmax_forward<T>(true, std::get<AxisAttrs>(n.attrs).axis, in, y);
      }
      break;
    case OpFamily::norm: return norm_forward<T>(n, in, y);
    case OpFamily::conv: return conv2d_forward<T>(n, in, y);
    case OpFamily::pool:
      switch (member_of<Pool>(op)) {
        case Pool::max_pool2d: return pool_forward<T>(n, true, in, y);
        case Pool::avg_pool2d: return pool_forward<T>(n, false, in, y);
      }
      break;
    case OpFamily::move: return move_kernel<T>(n, member_of<Move>(op), in, y);
    case OpFamily::indexing: return rows_forward<T>(n, in, y, where);
    case OpFamily::loss: return loss_forward<T>(n, in, y, where);
  }
  throw_internal("bad OpFamily value");
}

template <class T>
void unary_chain(const std::vector<const Node*>& chain, const HostTensor& x, const std::vector<HostTensor*>& outs) {
  std::vector<Unary> ops;
  std::vector<UnaryParams<T>> params;
  std::vector<T*> dst;
  for (std::size_t j = 0; j < chain.size(); ++j) {
    ops.push_back(*unary_of(chain[j]->op));
    params.push_back(unary_params<T>(*chain[j]));
    dst.push_back(outs[j] ? data<T>(*outs[j]) : nullptr);
  }
  const T* src = data<T>(&x);
  parallel_for(x.numel(), kElementwiseGrain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      T v = src[i];
      for (std::size_t j = 0; j < ops.size(); ++j) {
        v = unary_forward(ops[j], v, params[j]);
        if (dst[j]) dst[j][i] = v;
      }
    }
  });
}

}  // namespace

HostTensor forward(const Node& node, const HostInputs& in, const std::string& where) {
  HostTensor y(node.dtype, node.shape);
  forward_into(node, in, y, where);
  return y;
}

void forward_into(const Node& node, const HostInputs& in, HostTensor& y, const std::string& where) {
  TL_CHECK_INTERNAL(y.dtype() == node.dtype && y.shape() == node.shape, "forward_into: wrong output buffer");
  if (node.op == OpId::scatter_add_rows && y.nbytes()) std::memset(y.bytes(), 0, y.nbytes());  // it accumulates
  switch (node.dtype) {
    case DType::f32: forward_t<float>(node, in, y, where); break;
    case DType::f64: forward_t<double>(node, in, y, where); break;
  }
}

bool is_fusable_unary(OpId op) { return unary_of(op).has_value(); }

void run_unary_chain(const std::vector<const Node*>& chain, const HostTensor& x, const std::vector<HostTensor*>& outs) {
  TL_CHECK_INTERNAL(!chain.empty() && outs.size() == chain.size() && outs.back(), "bad unary chain");
  switch (x.dtype()) {
    case DType::f32: unary_chain<float>(chain, x, outs); break;
    case DType::f64: unary_chain<double>(chain, x, outs); break;
  }
}

}  // namespace tl::fast

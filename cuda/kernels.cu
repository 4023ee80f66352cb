// The cuda backend's dispatch: one switch over OpId for forward and one for backward (no default),
// each instantiated for float and double; the sources (const, rand_uniform, bernoulli_mask) are here.
#include "cuda/kernels.h"

#include "spec/error.h"
#include "spec/splitmix.h"

namespace tl::cuda::TL_CUDA_NS {
namespace {

// rand_uniform / bernoulli_mask: element i is splitmix_uniform(key, i) (spec/splitmix.h), the same
// stream as every backend, computed on the device.
template <class T> void uniform_kernel(uint64_t seed, bool mask, double keep_prob, DeviceTensor& y, const std::string& where) {
  uint64_t key = splitmix_key(seed);
  T* out = y.data<T>();
  for_each_index(y.numel(), TL_BODY(int64_t i) {
    double u = splitmix_uniform(key, static_cast<uint64_t>(i));
    out[i] = mask ? (u < keep_prob ? T(1) : T(0)) : static_cast<T>(u);
  }, where);
}

template <class T> void forward_t(const Node& n, const DevInputs& in, DeviceTensor& y, const std::string& where) {
  switch (n.op) {
    case OpId::input: throw_internal("graph inputs are bound by the engine, not forward()");
    case OpId::constant: y = upload(*n.value, where); return;
    case OpId::rand_uniform: return uniform_kernel<T>(std::get<RandUniformAttrs>(n.attrs).seed, false, 0, y, where);
    case OpId::bernoulli_mask: {
      const auto& a = std::get<BernoulliMaskAttrs>(n.attrs);
      return uniform_kernel<T>(a.seed, true, a.keep_prob, y, where);
    }
    case OpId::detach: case OpId::neg: case OpId::abs: case OpId::square: case OpId::sqrt: case OpId::rsqrt:
    case OpId::reciprocal: case OpId::exp: case OpId::log: case OpId::sin: case OpId::cos: case OpId::tanh:
    case OpId::sigmoid: case OpId::relu: case OpId::gelu: case OpId::softplus: case OpId::scale:
    case OpId::clamp: case OpId::safe_log: case OpId::add: case OpId::sub: case OpId::mul: case OpId::div:
    case OpId::maximum: case OpId::minimum:
      return elementwise_forward<T>(n, in, y, where);
    case OpId::sum: case OpId::reduce_sum: case OpId::reduce_mean: case OpId::reduce_max:
    case OpId::softmax: case OpId::log_softmax: case OpId::logsumexp:
      return reduce_forward<T>(n, in, y, where);
    case OpId::matmul: case OpId::linear: return linalg_forward<T>(n, in, y, where);
    case OpId::conv2d: case OpId::max_pool2d: case OpId::avg_pool2d: return conv_forward<T>(n, in, y, where);
    case OpId::layer_norm: case OpId::batch_norm: return norm_forward<T>(n, in, y, where);
    case OpId::reshape: case OpId::flatten: case OpId::permute: case OpId::transpose: case OpId::broadcast_to:
    case OpId::concat: case OpId::slice: case OpId::gather_rows: case OpId::scatter_add_rows:
      return shape_forward<T>(n, in, y, where);
    case OpId::mse_loss: case OpId::cross_entropy: case OpId::bce_with_logits: case OpId::nll:
      return loss_forward<T>(n, in, y, where);
  }
  throw_internal("bad OpId value");
}

template <class T> void backward_t(const Node& n, const DevInputs& in, const DeviceTensor& y, const DeviceTensor& g,
                                   DevGrads& dx, const std::vector<bool>& wanted, const std::string& where) {
  switch (n.op) {
    case OpId::input: case OpId::constant: case OpId::rand_uniform: case OpId::bernoulli_mask:
    case OpId::detach:
      return;  // no gradient flows through these (ops.def)
    case OpId::neg: case OpId::abs: case OpId::square: case OpId::sqrt: case OpId::rsqrt:
    case OpId::reciprocal: case OpId::exp: case OpId::log: case OpId::sin: case OpId::cos: case OpId::tanh:
    case OpId::sigmoid: case OpId::relu: case OpId::gelu: case OpId::softplus: case OpId::scale:
    case OpId::clamp: case OpId::safe_log: case OpId::add: case OpId::sub: case OpId::mul: case OpId::div:
    case OpId::maximum: case OpId::minimum:
      return elementwise_backward<T>(n, in, y, g, dx, wanted, where);
    case OpId::sum: case OpId::reduce_sum: case OpId::reduce_mean: case OpId::reduce_max:
    case OpId::softmax: case OpId::log_softmax: case OpId::logsumexp:
      return reduce_backward<T>(n, in, y, g, dx, wanted, where);
    case OpId::matmul: case OpId::linear: return linalg_backward<T>(n, in, y, g, dx, wanted, where);
    case OpId::conv2d: case OpId::max_pool2d: case OpId::avg_pool2d:
      return conv_backward<T>(n, in, y, g, dx, wanted, where);
    case OpId::layer_norm: case OpId::batch_norm: return norm_backward<T>(n, in, y, g, dx, wanted, where);
    case OpId::reshape: case OpId::flatten: case OpId::permute: case OpId::transpose: case OpId::broadcast_to:
    case OpId::concat: case OpId::slice: case OpId::gather_rows: case OpId::scatter_add_rows:
      return shape_backward<T>(n, in, y, g, dx, wanted, where);
    case OpId::mse_loss: case OpId::cross_entropy: case OpId::bce_with_logits: case OpId::nll:
      return loss_backward<T>(n, in, y, g, dx, wanted, where);
  }
  throw_internal("bad OpId value");
}

}  // namespace

DeviceTensor forward(const Node& node, const DevInputs& in, const std::string& where) {
  DeviceTensor y = empty_tensor(node.dtype, node.shape, where);
  switch (node.dtype) {
    case DType::f32: forward_t<float>(node, in, y, where); break;
    case DType::f64: forward_t<double>(node, in, y, where); break;
  }
  return y;
}

DevGrads backward(const Node& node, const DevInputs& in, const DeviceTensor& y, const DeviceTensor& g,
                  const std::string& where, const std::vector<bool>& wanted) {
  DevGrads dx(node.parents.size());
  std::vector<bool> want = wanted.empty() ? std::vector<bool>(node.parents.size(), true) : wanted;
  for (std::size_t k = 0; k < want.size(); ++k) want[k] = want[k] && op_input_gets_grad(node.op, static_cast<int>(k));
  switch (node.dtype) {
    case DType::f32: backward_t<float>(node, in, y, g, dx, want, where); break;
    case DType::f64: backward_t<double>(node, in, y, g, dx, want, where); break;
  }
  return dx;
}

}  // namespace tl::cuda::TL_CUDA_NS

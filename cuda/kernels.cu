// The cuda backend's dispatch: one switch over the op's family (spec/op_family.h) for forward and one
// for backward (no default), each instantiated for float and double; the sources (const,
// rand_uniform, bernoulli_mask) are here.
#include "cuda/kernels.h"

#include "spec/error.h"
#include "spec/op_family.h"
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

template <class T> void source_forward(const Node& n, Source op, DeviceTensor& y, const std::string& where) {
  switch (op) {
    case Source::input: throw_internal("graph inputs are bound by the engine, not forward()");
    case Source::constant: y = upload(*n.value, where); return;
    case Source::rand_uniform: return uniform_kernel<T>(std::get<RandUniformAttrs>(n.attrs).seed, false, 0, y, where);
    case Source::bernoulli_mask: {
      const auto& a = std::get<BernoulliMaskAttrs>(n.attrs);
      return uniform_kernel<T>(a.seed, true, a.keep_prob, y, where);
    }
  }
}

template <class T> void forward_t(const Node& n, const DevInputs& in, DeviceTensor& y, const std::string& where) {
  switch (op_family(n.op)) {
    case OpFamily::source: return source_forward<T>(n, member_of<Source>(n.op), y, where);
    case OpFamily::unary: case OpFamily::binary: return elementwise_forward<T>(n, in, y, where);
    case OpFamily::full_reduce: case OpFamily::axis_reduce: case OpFamily::softmax:
      return reduce_forward<T>(n, in, y, where);
    case OpFamily::linalg: return linalg_forward<T>(n, in, y, where);
    case OpFamily::conv: case OpFamily::pool: return conv_forward<T>(n, in, y, where);
    case OpFamily::norm: return norm_forward<T>(n, in, y, where);
    case OpFamily::move: case OpFamily::indexing: return shape_forward<T>(n, in, y, where);
    case OpFamily::loss: return loss_forward<T>(n, in, y, where);
  }
  throw_internal("bad OpFamily value");
}

template <class T> void backward_t(const Node& n, const DevInputs& in, const DeviceTensor& y, const DeviceTensor& g,
                                   DevGrads& dx, const std::vector<bool>& wanted, const std::string& where) {
  if (!op_differentiable(n.op)) return;  // sources and the gradient stop (detach): ops.def
  switch (op_family(n.op)) {
    case OpFamily::source: throw_internal("a source has no VJP");
    case OpFamily::unary: case OpFamily::binary: return elementwise_backward<T>(n, in, y, g, dx, wanted, where);
    case OpFamily::full_reduce: case OpFamily::axis_reduce: case OpFamily::softmax:
      return reduce_backward<T>(n, in, y, g, dx, wanted, where);
    case OpFamily::linalg: return linalg_backward<T>(n, in, y, g, dx, wanted, where);
    case OpFamily::conv: case OpFamily::pool: return conv_backward<T>(n, in, y, g, dx, wanted, where);
    case OpFamily::norm: return norm_backward<T>(n, in, y, g, dx, wanted, where);
    case OpFamily::move: case OpFamily::indexing: return shape_backward<T>(n, in, y, g, dx, wanted, where);
    case OpFamily::loss: return loss_backward<T>(n, in, y, g, dx, wanted, where);
  }
  throw_internal("bad OpFamily value");
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

// The elementwise family on the device: one body per element applying elementwise_math.h's scalar
// definitions (forward y[i] = f(x[i]); backward dx[i] = g[i] f'(x[i]); binary ops both ways).
// No reductions, so no order to declare beyond each scalar formula.
#include <variant>

#include "cuda/elementwise_math.h"
#include "cuda/kernels.h"
#include "spec/error.h"

namespace tl::cuda::TL_CUDA_NS {
namespace {

Binary binary_op(OpId op) {
  std::optional<Binary> b = binary_of(op);
  if (!b) throw_internal(std::string("cuda elementwise: not an elementwise op: ") + std::string(op_name(op)));
  return *b;
}

}  // namespace

template <class T>
void elementwise_forward(const Node& n, const DevInputs& in, DeviceTensor& y, const std::string& where) {
  T* out = y.data<T>();
  const T* x = in[0]->data<T>();
  if (std::optional<Unary> op = unary_of(n.op)) {
    Unary u = *op;
    UnaryParams<T> p = unary_params<T>(n);
    for_each_index(y.numel(), TL_BODY(int64_t i) { out[i] = unary_forward(u, x[i], p); }, where);
    return;
  }
  Binary b = binary_op(n.op);
  const T* x2 = in[1]->data<T>();
  for_each_index(y.numel(), TL_BODY(int64_t i) { out[i] = binary_forward(b, x[i], x2[i]); }, where);
}

template <class T>
void elementwise_backward(const Node& n, const DevInputs& in, const DeviceTensor& y, const DeviceTensor& g,
                          DevGrads& dx, const std::vector<bool>& wanted, const std::string& where) {
  const T* x = in[0]->data<T>();
  const T* gv = g.data<T>();
  if (std::optional<Unary> op = unary_of(n.op)) {
    if (!wanted[0]) return;
    Unary u = *op;
    DeviceTensor d = empty_tensor(in[0]->dtype, in[0]->shape, where);
    T* out = d.data<T>();
    const T* yv = y.data<T>();
    UnaryParams<T> p = unary_params<T>(n);
    for_each_index(d.numel(), TL_BODY(int64_t i) { out[i] = unary_backward(u, x[i], yv[i], gv[i], p); }, where);
    dx[0] = std::move(d);
    return;
  }
  Binary b = binary_op(n.op);
  const T* x2 = in[1]->data<T>();
  DeviceTensor da = empty_tensor(in[0]->dtype, in[0]->shape, where);
  DeviceTensor db = empty_tensor(in[1]->dtype, in[1]->shape, where);
  T* pa = da.data<T>();
  T* pb = db.data<T>();
  for_each_index(g.numel(), TL_BODY(int64_t i) { binary_backward(b, x[i], x2[i], gv[i], pa[i], pb[i]); }, where);
  if (wanted[0]) dx[0] = std::move(da);
  if (wanted[1]) dx[1] = std::move(db);
}

TL_CUDA_INSTANTIATE_FAMILY(elementwise)

}  // namespace tl::cuda::TL_CUDA_NS

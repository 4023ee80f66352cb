// Fast kernels: matmul and linear, all through gemm(): every output element is an FMA chain from +0
// over the contracted index in ascending order (the strict meaning's order), so results match
// reference/Strict bit for bit.
#pragma once

#include "fast/kernels/common.h"
#include "fast/kernels/gemm.h"

namespace tl::fast {

template <class T> void matmul_forward(const HostInputs& in, HostTensor& y) {
  MatmulDims d(in[0]->shape(), in[1]->shape());
  const T* a = data<T>(in[0]);
  const T* b = data<T>(in[1]);
  T* out = data<T>(y);
  for (int64_t t = 0; t < d.batch; ++t) {  // y[i,j] = chain_k a[i,k] b[k,j]
    gemm(d.m, d.p, d.n, a + t * d.m * d.n, d.n, 1, b + t * d.n * d.p, 1, d.p, out + t * d.m * d.p, d.p);
  }
}

template <class T> void matmul_backward(const HostInputs& in, const HostTensor& g, HostGrads& dx,
                                        const std::vector<bool>& wanted) {
  MatmulDims d(in[0]->shape(), in[1]->shape());
  const T* a = data<T>(in[0]);
  const T* b = data<T>(in[1]);
  const T* gv = data<T>(&g);
  // Written whole by the GEMMs below (when wanted), so not zeroed first.
  HostTensor da = HostTensor::uninitialized(in[0]->dtype(), in[0]->shape());
  HostTensor db = HostTensor::uninitialized(in[1]->dtype(), in[1]->shape());
  for (int64_t t = 0; t < d.batch; ++t) {
    const T* at = a + t * d.m * d.n;
    const T* bt = b + t * d.n * d.p;
    const T* gt = gv + t * d.m * d.p;
    // da[i,k] = chain_j g[i,j] b[k,j];  db[k,j] = chain_i a[i,k] g[i,j]
    if (wanted[0]) gemm(d.m, d.n, d.p, gt, d.p, 1, bt, d.p, 1, data<T>(da) + t * d.m * d.n, d.n);
    if (wanted[1]) gemm_skipping_zero_a(d.n, d.p, d.m, at, 1, d.n, gt, 1, d.p, data<T>(db) + t * d.n * d.p, d.p);
  }
  if (wanted[0]) dx[0] = std::move(da);
  if (wanted[1]) dx[1] = std::move(db);
}

template <class T> void linear_forward(const HostInputs& in, HostTensor& y) {
  const Shape& ws = in[1]->shape();
  int64_t out = ws.dim(0), k_in = ws.dim(1), rows = leading_rows(in[0]->shape());
  T* o = data<T>(y);
  // y[m,j] = chain_k x[m,k] w[j,k], then + b[j]
  gemm(rows, out, k_in, data<T>(in[0]), k_in, 1, data<T>(in[1]), k_in, 1, o, out);
  if (in.size() == 3) {
    const T* bias = data<T>(in[2]);
    parallel_for(rows, kLinearBiasGrain, [&](int64_t r0, int64_t r1) {
      for (int64_t m = r0; m < r1; ++m)
        for (int64_t j = 0; j < out; ++j) o[m * out + j] += bias[j];
    });
  }
}

template <class T> void linear_backward(const HostInputs& in, const HostTensor& g, HostGrads& dx,
                                        const std::vector<bool>& wanted) {
  const Shape& ws = in[1]->shape();
  int64_t out = ws.dim(0), k_in = ws.dim(1), rows = leading_rows(in[0]->shape());
  const T* x = data<T>(in[0]);
  const T* w = data<T>(in[1]);
  const T* gv = data<T>(&g);
  if (wanted[0]) {  // dx[m,k] = chain_o g[m,o] w[o,k]
    HostTensor d = HostTensor::uninitialized(in[0]->dtype(), in[0]->shape());  // written whole by the GEMM
    gemm(rows, k_in, out, gv, out, 1, w, 1, k_in, data<T>(d), k_in);
    dx[0] = std::move(d);
  }
  if (wanted[1]) {  // dw[o,k] = chain_m g[m,o] x[m,k] (a ReLU's zeros in g skipped, same bits)
    HostTensor d = HostTensor::uninitialized(in[1]->dtype(), ws);  // written whole by the GEMM
    gemm_skipping_zero_a(out, k_in, rows, gv, 1, out, x, 1, k_in, data<T>(d), k_in);
    dx[1] = std::move(d);
  }
  if (in.size() == 3 && wanted[2]) {  // db[o] = left fold over m of g[m,o], from +0
    HostTensor d(in[2]->dtype(), in[2]->shape());  // zero-filled: +0
    T* o = data<T>(d);
    for (int64_t m = 0; m < rows; ++m)  // m outermost: every o[j] still adds its terms in m order
      for (int64_t j = 0; j < out; ++j) o[j] += gv[m * out + j];
    dx[2] = std::move(d);
  }
}

}  // namespace tl::fast

// The linalg family of the cuda backend: gemm, matmul, linear (forward and backward).
//
// Declared order (the fast backend's, so every result is bit-identical to fast and reference/Strict):
//  gemm      C[i,j] = FMA chain from +0 over k = 0, 1, ..., K-1 (ascending) of A[i,k] * B[k,j], one
//            chain per output element, nothing added for k >= K. The device build runs a tiled
//            kernel (cuda/gemm_tiled.h: 16x16 threads, 16x16 tiles of A and B staged in shared
//            memory); each thread continues its one chain across the tiles in ascending k, so its
//            order is the emulated build's one-body-per-element chain exactly
//            (tests/cuda/block_kernel_test.cpp runs that kernel under the block emulator).
//  matmul    y[t,i,j] = chain_k a[t,i,k] b[t,k,j]; da[t,i,k] = chain_j g[t,i,j] b[t,k,j];
//            db[t,k,j] = chain_i a[t,i,k] g[t,i,j] (one gemm per batch slice t).
//  linear    y[m,j] = (chain_k x[m,k] w[j,k]) + b[j]   (the bias added once, after the chain);
//            dx[m,k] = chain_o g[m,o] w[o,k]; dw[o,k] = chain_m g[m,o] x[m,k];
//            db[o] = left fold from +0 over m = 0..rows-1 of g[m,o] (plain additions).
//  (m ranges over the leading rows of x, i.e. the product of all its axes but the last.)
// An engine made with Gemm::cublas runs every gemm whose operands have unit strides through cuBLAS
// instead (cuda/blas.h): its order is cuBLAS's own, declared as dot_bound in cuda/contracts.cpp.
#include "cuda/kernels.h"
#include "cuda/math.h"
#include "cuda/gemm_tiled.h"
#ifndef TL_CUDA_EMULATE
#include "cuda/blas.h"
#endif
#include "spec/error.h"
#include "kernel_rules/kernel_shapes.h"

namespace tl::cuda::TL_CUDA_NS {

#ifdef TL_CUDA_EMULATE
template <class T>
void gemm(int64_t M, int64_t N, int64_t K, const T* A, int64_t a_row, int64_t a_k, const T* B, int64_t b_col,
          int64_t b_k, T* C, int64_t c_row, const std::string& op) {
  for_each_index(M * N, TL_BODY(int64_t e) {
    int64_t i = e / N, j = e % N;
    T acc = T(0);
    for (int64_t k = 0; k < K; ++k) acc = m_fma(A[i * a_row + k * a_k], B[j * b_col + k * b_k], acc);
    C[i * c_row + j] = acc;
  }, op);
}
#else
template <class T>
void gemm(int64_t M, int64_t N, int64_t K, const T* A, int64_t a_row, int64_t a_k, const T* B, int64_t b_col,
          int64_t b_k, T* C, int64_t c_row, const std::string& op) {
  if (M <= 0 || N <= 0) return;
  if (cublas_gemm<T>(M, N, K, A, a_row, a_k, B, b_col, b_k, C, c_row, op)) return;  // opt-in (cuda/blas.h)
  launch_blocks(gemm_tiled_grid(M, N), Dim3(kGemmTile, kGemmTile), op, gemm_tiled_kernel<T>, M, N, K, A, a_row,
                a_k, B, b_col, b_k, C, c_row);
}
#endif

template void gemm<float>(int64_t, int64_t, int64_t, const float*, int64_t, int64_t, const float*, int64_t,
                          int64_t, float*, int64_t, const std::string&);
template void gemm<double>(int64_t, int64_t, int64_t, const double*, int64_t, int64_t, const double*, int64_t,
                           int64_t, double*, int64_t, const std::string&);

namespace {

template <class T> void matmul_fwd(const DevInputs& in, DeviceTensor& y, const std::string& where) {
  MatmulDims d(in[0]->shape, in[1]->shape);
  const T* a = in[0]->data<T>();
  const T* b = in[1]->data<T>();
  T* out = y.data<T>();
  for (int64_t t = 0; t < d.batch; ++t)  // y[i,j] = chain_k a[i,k] b[k,j]
    gemm<T>(d.m, d.p, d.n, a + t * d.m * d.n, d.n, 1, b + t * d.n * d.p, 1, d.p, out + t * d.m * d.p, d.p, where);
}

template <class T>
void matmul_bwd(const DevInputs& in, const DeviceTensor& g, DevGrads& dx,
                const std::vector<bool>& wanted, const std::string& where) {
  MatmulDims d(in[0]->shape, in[1]->shape);
  const T* a = in[0]->data<T>();
  const T* b = in[1]->data<T>();
  const T* gv = g.data<T>();
  if (wanted[0]) {  // da[i,k] = chain_j g[i,j] b[k,j]
    DeviceTensor da = empty_tensor(in[0]->dtype, in[0]->shape, where);
    for (int64_t t = 0; t < d.batch; ++t)
      gemm<T>(d.m, d.n, d.p, gv + t * d.m * d.p, d.p, 1, b + t * d.n * d.p, d.p, 1, da.data<T>() + t * d.m * d.n,
              d.n, where);
    dx[0] = std::move(da);
  }
  if (wanted[1]) {  // db[k,j] = chain_i a[i,k] g[i,j]
    DeviceTensor db = empty_tensor(in[1]->dtype, in[1]->shape, where);
    for (int64_t t = 0; t < d.batch; ++t)
      gemm<T>(d.n, d.p, d.m, a + t * d.m * d.n, 1, d.n, gv + t * d.m * d.p, 1, d.p, db.data<T>() + t * d.n * d.p,
              d.p, where);
    dx[1] = std::move(db);
  }
}

template <class T> void linear_fwd(const DevInputs& in, DeviceTensor& y, const std::string& where) {
  const int64_t out = in[1]->shape.dim(0), k_in = in[1]->shape.dim(1), rows = leading_rows(in[0]->shape);
  T* o = y.data<T>();
  // y[m,j] = chain_k x[m,k] w[j,k], then + b[j]
  gemm<T>(rows, out, k_in, in[0]->data<T>(), k_in, 1, in[1]->data<T>(), k_in, 1, o, out, where);
  if (in.size() == 3) {
    const T* bias = in[2]->data<T>();
    for_each_index(rows * out, TL_BODY(int64_t e) { o[e] = o[e] + bias[e % out]; }, where);
  }
}

template <class T>
void linear_bwd(const DevInputs& in, const DeviceTensor& g, DevGrads& dx,
                const std::vector<bool>& wanted, const std::string& where) {
  const int64_t out = in[1]->shape.dim(0), k_in = in[1]->shape.dim(1), rows = leading_rows(in[0]->shape);
  const T* x = in[0]->data<T>();
  const T* w = in[1]->data<T>();
  const T* gv = g.data<T>();
  if (wanted[0]) {  // dx[m,k] = chain_o g[m,o] w[o,k]
    DeviceTensor d = empty_tensor(in[0]->dtype, in[0]->shape, where);
    gemm<T>(rows, k_in, out, gv, out, 1, w, 1, k_in, d.data<T>(), k_in, where);
    dx[0] = std::move(d);
  }
  if (wanted[1]) {  // dw[o,k] = chain_m g[m,o] x[m,k]
    DeviceTensor d = empty_tensor(in[1]->dtype, in[1]->shape, where);
    gemm<T>(out, k_in, rows, gv, 1, out, x, 1, k_in, d.data<T>(), k_in, where);
    dx[1] = std::move(d);
  }
  if (in.size() == 3 && wanted[2]) {  // db[o] = left fold from +0 over m of g[m,o]
    DeviceTensor d = empty_tensor(in[2]->dtype, in[2]->shape, where);
    T* dv = d.data<T>();
    for_each_index(out, TL_BODY(int64_t j) {
      T acc = T(0);
      for (int64_t m = 0; m < rows; ++m) acc = acc + gv[m * out + j];
      dv[j] = acc;
    }, where);
    dx[2] = std::move(d);
  }
}

}  // namespace

template <class T> void linalg_forward(const Node& n, const DevInputs& in, DeviceTensor& y, const std::string& where) {
  if (n.op == OpId::matmul) return matmul_fwd<T>(in, y, where);
  if (n.op == OpId::linear) return linear_fwd<T>(in, y, where);
  throw_internal("linalg_forward: op " + std::string(op_name(n.op)) + " is not of the linalg family");
}

template <class T>
void linalg_backward(const Node& n, const DevInputs& in, const DeviceTensor& /*y*/, const DeviceTensor& g,
                     DevGrads& dx, const std::vector<bool>& wanted, const std::string& where) {
  if (n.op == OpId::matmul) return matmul_bwd<T>(in, g, dx, wanted, where);
  if (n.op == OpId::linear) return linear_bwd<T>(in, g, dx, wanted, where);
  throw_internal("linalg_backward: op " + std::string(op_name(n.op)) + " is not of the linalg family");
}

TL_CUDA_INSTANTIATE_FAMILY(linalg)

}  // namespace tl::cuda::TL_CUDA_NS

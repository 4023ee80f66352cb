// How a strided GEMM of the cuda backend maps onto cuBLAS's column-major gemm (plain C++, so the
// mapping is tested on every machine: tests/cuda/blas_layout_test.cpp). The GEMM is
// C[i*c_row + j] = sum_k A[i*a_row + k*a_k] B[j*b_col + k*b_k] (row-major C, M x N); cuBLAS sees the
// column-major C^T (N x M, ld c_row) = op(X) op(Y) with X(j,k) = B(j,k) (N x K) and Y(k,i) = A(i,k)
// (K x M). Each of X and Y is a plain or a transposed column-major matrix when one of its strides is
// 1; any other layout is not something cuBLAS can read (ok = false: the own kernel runs).
#pragma once

#include <algorithm>
#include <cstdint>

namespace tl::cuda {

struct BlasLayout {
  bool ok = false;
  bool x_transposed = false, y_transposed = false;  // CUBLAS_OP_T for the first / second operand
  int64_t m = 0, n = 0, k = 0;                      // cuBLAS's m, n, k: N, M, K
  int64_t ldx = 0, ldy = 0, ldc = 0;
};

inline BlasLayout blas_layout(int64_t M, int64_t N, int64_t K, int64_t a_row, int64_t a_k, int64_t b_col,
                              int64_t b_k, int64_t c_row) {
  BlasLayout l;
  if (M <= 0 || N <= 0 || K <= 0) return l;
  if (b_col == 1) l.ldx = b_k;
  else if (b_k == 1) { l.x_transposed = true; l.ldx = b_col; }
  else return l;
  if (a_k == 1) l.ldy = a_row;
  else if (a_row == 1) { l.y_transposed = true; l.ldy = a_k; }
  else return l;
  // cuBLAS requires ld >= the stored matrix's rows; a one-column operand's ld is never used, so it
  // is raised; any other layout with a smaller ld is not a dense matrix.
  int64_t x_rows = l.x_transposed ? K : N, x_cols = l.x_transposed ? N : K;
  int64_t y_rows = l.y_transposed ? M : K, y_cols = l.y_transposed ? K : M;
  if ((l.ldx < x_rows && x_cols > 1) || (l.ldy < y_rows && y_cols > 1) || (c_row < N && M > 1)) return l;
  l.ldx = std::max(l.ldx, x_rows);
  l.ldy = std::max(l.ldy, y_rows);
  l.ldc = std::max(c_row, N);
  const int64_t kIntMax = 2147483647;
  for (int64_t v : {N, M, K, l.ldx, l.ldy, l.ldc})
    if (v > kIntMax) return l;
  l.m = N;
  l.n = M;
  l.k = K;
  l.ok = true;
  return l;
}

}  // namespace tl::cuda

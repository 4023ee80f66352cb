// The cuBLAS layout mapping (cuda/blas_layout.h) on the host: for every operand layout the cuda
// backend's GEMMs use (matmul and linear, forward and both gradients), a column-major gemm that reads
// its operands exactly as cuBLAS does (op, ld) computes the same C as the definition
// C[i*c_row + j] = sum_k A[i*a_row + k*a_k] B[j*b_col + k*b_k]. Integer data: sums are exact.
// Seeds are printed; TL_SEED=N replays.
#include <gtest/gtest.h>

#include "../common/seed.h"

#include <vector>

#include "cuda/blas_layout.h"
#include "spec/splitmix.h"

namespace tl::cuda {
namespace {

struct Strides {
  int64_t a_row, a_k, b_col, b_k, c_row;
};

// cuBLAS's gemm with alpha 1, beta 0, as its documentation defines it (column-major, op = N or T).
std::vector<double> column_major_gemm(const BlasLayout& l, const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<double> c(static_cast<std::size_t>(l.ldc * l.n), -1);
  for (int64_t col = 0; col < l.n; ++col)
    for (int64_t row = 0; row < l.m; ++row) {
      double acc = 0;
      for (int64_t k = 0; k < l.k; ++k) {
        double xv = l.x_transposed ? x[static_cast<std::size_t>(k + row * l.ldx)] : x[static_cast<std::size_t>(row + k * l.ldx)];
        double yv = l.y_transposed ? y[static_cast<std::size_t>(col + k * l.ldy)] : y[static_cast<std::size_t>(k + col * l.ldy)];
        acc += xv * yv;
      }
      c[static_cast<std::size_t>(row + col * l.ldc)] = acc;
    }
  return c;
}

void check_layout(int64_t M, int64_t N, int64_t K, Strides s, SplitMix64& rng) {
  SCOPED_TRACE("M=" + std::to_string(M) + " N=" + std::to_string(N) + " K=" + std::to_string(K));
  std::vector<double> a(static_cast<std::size_t>(M * K)), b(static_cast<std::size_t>(N * K));
  for (auto& v : a) v = static_cast<double>(rng.below(17)) - 8;
  for (auto& v : b) v = static_cast<double>(rng.below(17)) - 8;
  BlasLayout l = blas_layout(M, N, K, s.a_row, s.a_k, s.b_col, s.b_k, s.c_row);
  ASSERT_TRUE(l.ok);
  std::vector<double> c = column_major_gemm(l, b, a);  // X reads B, Y reads A
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) {
      double want = 0;
      for (int64_t k = 0; k < K; ++k) want += a[static_cast<std::size_t>(i * s.a_row + k * s.a_k)] * b[static_cast<std::size_t>(j * s.b_col + k * s.b_k)];
      ASSERT_EQ(c[static_cast<std::size_t>(i * s.c_row + j)], want) << "C[" << i << "," << j << "]";
    }
}

TEST(CublasLayout, EveryGemmOfMatmulAndLinearMapsToTheSameProduct) {
  SplitMix64 rng(testing::test_seed());
  for (int round = 0; round < 40; ++round) {
    int64_t m = 1 + static_cast<int64_t>(rng.below(6)), n = 1 + static_cast<int64_t>(rng.below(6));
    int64_t p = 1 + static_cast<int64_t>(rng.below(6));
    // kernels_linalg.cu's calls, with matmul a[m,n] b[n,p] g[m,p] and linear x[m,n] w[p,n] g[m,p]:
    check_layout(m, p, n, {n, 1, 1, p, p}, rng);  // matmul y = a b
    check_layout(m, n, p, {p, 1, p, 1, n}, rng);  // matmul da = g b^T
    check_layout(n, p, m, {1, n, 1, p, p}, rng);  // matmul db = a^T g
    check_layout(m, p, n, {n, 1, n, 1, p}, rng);  // linear y = x w^T
    check_layout(m, n, p, {p, 1, 1, n, n}, rng);  // linear dx = g w
    check_layout(p, n, m, {1, p, 1, n, n}, rng);  // linear dw = g^T x
  }
}

TEST(CublasLayout, OperandsWithoutAUnitStrideAreLeftToTheOwnKernel) {
  EXPECT_FALSE(blas_layout(4, 4, 4, 8, 2, 1, 4, 4).ok);  // A strided both ways
  EXPECT_FALSE(blas_layout(4, 4, 4, 4, 1, 2, 8, 4).ok);  // B strided both ways
  EXPECT_FALSE(blas_layout(4, 4, 0, 4, 1, 1, 4, 4).ok);  // K = 0: nothing for cuBLAS to add
}

}  // namespace
}  // namespace tl::cuda

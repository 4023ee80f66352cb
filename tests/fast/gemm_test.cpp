// The GEMM on shapes that cross every blocking edge (row groups, 6-row blocks, panels, chunks of
// panels, k blocks),
// with row-major and transposed operands, against the declared order written out directly: each
// C[i][j] is the FMA chain over k = 0, 1, ..., K-1 from +0 (std::fma, one rounding per step). Every
// path (TL_GEMM=portable|avx2 in the extra ctest entries) must give these bits.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "../common/seed.h"
#include "fast/kernels/gemm.h"
#include "spec/splitmix.h"

namespace tl::fast {
namespace {

template <class T>
void check_shape(int64_t M, int64_t N, int64_t K, bool a_transposed, bool b_transposed, SplitMix64& rng) {
  std::vector<T> A(static_cast<std::size_t>(M * K)), B(static_cast<std::size_t>(K * N));
  for (T& v : A) v = static_cast<T>(rng.uniform() * 2 - 1);
  for (T& v : B) v = static_cast<T>(rng.uniform() * 2 - 1);
  // A[i][k] at i*a_row + k*a_k; B[j][k] (column j of the product) at j*b_col + k*b_k.
  int64_t a_row = a_transposed ? 1 : K, a_k = a_transposed ? M : 1;
  int64_t b_col = b_transposed ? K : 1, b_k = b_transposed ? 1 : N;
  std::vector<T> C(static_cast<std::size_t>(M * N), T(7));
  gemm<T>(M, N, K, A.data(), a_row, a_k, B.data(), b_col, b_k, C.data(), N);
  for (int64_t i = 0; i < M; ++i) {
    for (int64_t j = 0; j < N; ++j) {
      T acc = 0;
      for (int64_t k = 0; k < K; ++k) acc = std::fma(A[static_cast<std::size_t>(i * a_row + k * a_k)], B[static_cast<std::size_t>(j * b_col + k * b_k)], acc);
      T got = C[static_cast<std::size_t>(i * N + j)];
      ASSERT_EQ(std::memcmp(&acc, &got, sizeof(T)), 0)
          << "C[" << i << "][" << j << "] of " << M << "x" << N << "x" << K << " on " << gemm_path() << ": " << got << " vs " << acc;
    }
  }
}

template <class T>
void check_all(uint64_t seed) {
  SplitMix64 rng(seed);
  const int64_t shapes[][3] = {{1, 1, 1}, {7, 33, 5}, {97, 70, 600}, {13, 200, 257}, {192, 17, 513}, {6, 32, 256},
                               {64, 40, 300}, {10, 33, 7}, {101, 65, 270}, {4, 16, 3},
                               {256, 600, 300}};  // not transposed; 600 columns: 2 chunks of float panels, 3 of double
  for (const auto& s : shapes) {
    for (bool at : {false, true}) {
      for (bool bt : {false, true}) check_shape<T>(s[0], s[1], s[2], at, bt, rng);
    }
  }
}

TEST(FastGemm, EveryElementIsTheDeclaredFmaChainInFloat32) { check_all<float>(testing::test_seed()); }
TEST(FastGemm, EveryElementIsTheDeclaredFmaChainInFloat64) { check_all<double>(testing::test_seed()); }

}  // namespace
}  // namespace tl::fast

// The GEMM on shapes that cross every blocking edge (row groups, 6-row blocks, panels, chunks of
// panels, k blocks),
// with row-major and transposed operands, against the declared order written out directly: each
// C[i][j] is the FMA chain over k = 0, 1, ..., K-1 from +0 (std::fma, one rounding per step). Every
// path (TL_GEMM=portable|avx2 in the extra ctest entries) must give these bits.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
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
                               {256, 600, 300},   // not transposed; 600 columns: 2 chunks of float panels, 3 of double
                               {37, 260, 300}};   // computed as C^T, written back in 16 x 16 blocks and ragged edges
  for (const auto& s : shapes) {
    for (bool at : {false, true}) {
      for (bool bt : {false, true}) check_shape<T>(s[0], s[1], s[2], at, bt, rng);
    }
  }
}

// gemm_skipping_zero_a against the declared chain, bit for bit: A with a given fraction of ±0 (rows
// of zeros included), then the cases where skipping a zero is not exact by itself: an underflow that
// leaves -0 which a later skipped +0 term would turn into +0, and an infinite B (0 * inf = NaN).
template <class T>
void check_skipping(int64_t M, int64_t N, int64_t K, double zeros, SplitMix64& rng, const std::vector<T>& B_override = {}) {
  std::vector<T> A(static_cast<std::size_t>(M * K)), B(static_cast<std::size_t>(K * N));
  for (T& v : A) v = rng.uniform() < zeros ? (rng.uniform() < 0.5 ? T(0) : -T(0)) : static_cast<T>(rng.uniform() * 2 - 1);
  for (int64_t k = 0; M > 3 && k < K; ++k) A[static_cast<std::size_t>(3 * K + k)] = 0;  // a dead unit: row 3 all zero
  for (T& v : B) v = static_cast<T>(rng.uniform() * 2 - 1);
  if (!B_override.empty()) B = B_override;
  std::vector<T> C(static_cast<std::size_t>(M * N), T(7));
  // A is stored transposed (a_row = 1, a_k = M), as the linear VJP passes its upstream gradient.
  std::vector<T> At(A.size());
  for (int64_t i = 0; i < M; ++i)
    for (int64_t k = 0; k < K; ++k) At[static_cast<std::size_t>(k * M + i)] = A[static_cast<std::size_t>(i * K + k)];
  // B's rows read in place (64-byte aligned, as a HostTensor's with N * sizeof(T) a multiple of 64)
  // and, where they are not aligned, through an aligned copy.
  std::vector<T> storage(B.size() + 64);
  T* aligned_b = storage.data();
  while (reinterpret_cast<std::uintptr_t>(aligned_b) % 64 != 0) ++aligned_b;
  std::copy(B.begin(), B.end(), aligned_b);
  gemm_skipping_zero_a<T>(M, N, K, At.data(), 1, M, aligned_b, 1, N, C.data(), N);
  std::vector<T> C_shifted(C.size());
  std::copy(B.begin(), B.end(), aligned_b + 1);  // every row off the boundary
  gemm_skipping_zero_a<T>(M, N, K, At.data(), 1, M, aligned_b + 1, 1, N, C_shifted.data(), N);
  ASSERT_EQ(std::memcmp(C.data(), C_shifted.data(), sizeof(T) * C.size()), 0) << "aligned and unaligned B differ";
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) {
      T acc = 0;
      for (int64_t k = 0; k < K; ++k) acc = std::fma(A[static_cast<std::size_t>(i * K + k)], B[static_cast<std::size_t>(k * N + j)], acc);
      T got = C[static_cast<std::size_t>(i * N + j)];
      ASSERT_EQ(std::memcmp(&acc, &got, sizeof(T)), 0) << "C[" << i << "][" << j << "] of " << M << "x" << N << "x" << K
                                                      << " with " << zeros << " zeros on " << gemm_path() << ": " << got << " vs " << acc;
    }
}

template <class T> void check_skipping_all(uint64_t seed) {
  SplitMix64 rng(seed);
  for (double zeros : {0.0, 0.3, 0.5, 0.9, 1.0})
    for (const auto& s : {std::array<int64_t, 3>{256, 784, 64}, {37, 203, 41}, {64, 40, 300}}) check_skipping<T>(s[0], s[1], s[2], zeros, rng);
}

TEST(FastGemm, SkippingZeroTermsGivesTheDeclaredChainInFloat32) { check_skipping_all<float>(testing::test_seed()); }
TEST(FastGemm, SkippingZeroTermsGivesTheDeclaredChainInFloat64) { check_skipping_all<double>(testing::test_seed()); }

// Row 0 of A is (2^-80, 0, ...) and column 0 of B is (-2^-80, 1, ...): the first product underflows
// to -0, the skipped terms would make it +0 in the full chain. An infinite B makes a skipped zero
// term NaN. Both must come out as the declared chain gives them.
TEST(FastGemm, SkippingZeroTermsKeepsTheSignOfAZeroAndTheNanOfZeroTimesInfinity) {
  SplitMix64 rng(testing::test_seed());
  const int64_t M = 64, N = 64, K = 32;
  std::vector<float> B(static_cast<std::size_t>(K * N), 1.0f);
  B[0] = -std::ldexp(1.0f, -80);
  check_skipping<float>(M, N, K, 0.6, rng, B);
  std::vector<float> A_first_row_tiny(static_cast<std::size_t>(M * K));
  for (int64_t k = 0; k < K; ++k) A_first_row_tiny[static_cast<std::size_t>(k)] = k == 0 ? std::ldexp(1.0f, -80) : 0.0f;
  std::vector<float> C(static_cast<std::size_t>(M * N));
  std::vector<float> At(A_first_row_tiny.size());
  for (int64_t i = 0; i < M; ++i)
    for (int64_t k = 0; k < K; ++k) At[static_cast<std::size_t>(k * M + i)] = A_first_row_tiny[static_cast<std::size_t>(i * K + k)];
  gemm_skipping_zero_a<float>(M, N, K, At.data(), 1, M, B.data(), 1, N, C.data(), N);
  EXPECT_FALSE(std::signbit(C[0])) << "fma(0, 1, -0) = +0 in the declared chain";
  B[5 * N + 7] = INFINITY;
  check_skipping<float>(M, N, K, 0.6, rng, B);
}

TEST(FastGemm, EveryElementIsTheDeclaredFmaChainInFloat32) { check_all<float>(testing::test_seed()); }
TEST(FastGemm, EveryElementIsTheDeclaredFmaChainInFloat64) { check_all<double>(testing::test_seed()); }

}  // namespace
}  // namespace tl::fast

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
#include <functional>
#include <vector>

#include "../common/seed.h"
#include "fast/kernels/gemm.h"
#include "fast/kernels/parallel.h"
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

// gemm_skipping_zero_a against the declared chain, bit for bit (any NaN matching any NaN): A with a
// given fraction of ±0 (row 3 all zero: a dead unit), B random; `edit` may change both first.
template <class T>
void check_skipping(int64_t M, int64_t N, int64_t K, double zeros, SplitMix64& rng,
                    const std::function<void(std::vector<T>& A, std::vector<T>& B)>& edit = nullptr) {
  std::vector<T> A(static_cast<std::size_t>(M * K)), B(static_cast<std::size_t>(K * N));
  for (T& v : A) v = rng.uniform() < zeros ? (rng.uniform() < 0.5 ? T(0) : -T(0)) : static_cast<T>(rng.uniform() * 2 - 1);
  for (int64_t k = 0; M > 3 && k < K; ++k) A[static_cast<std::size_t>(3 * K + k)] = 0;
  for (T& v : B) v = static_cast<T>(rng.uniform() * 2 - 1);
  if (edit) edit(A, B);
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
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) {
      T acc = 0;
      for (int64_t k = 0; k < K; ++k) acc = std::fma(A[static_cast<std::size_t>(i * K + k)], B[static_cast<std::size_t>(k * N + j)], acc);
      for (T got : {C[static_cast<std::size_t>(i * N + j)], C_shifted[static_cast<std::size_t>(i * N + j)]}) {
        bool same = std::memcmp(&acc, &got, sizeof(T)) == 0 || (std::isnan(acc) && std::isnan(got));
        ASSERT_TRUE(same) << "C[" << i << "][" << j << "] of " << M << "x" << N << "x" << K << " with " << zeros
                          << " zeros on " << gemm_path() << ": " << got << " vs " << acc;
      }
    }
}

template <class T> void check_skipping_all(uint64_t seed) {
  SplitMix64 rng(seed);
  for (double zeros : {0.0, 0.3, 0.5, 0.9, 1.0})
    for (const auto& s : {std::array<int64_t, 3>{256, 784, 64}, {37, 203, 41}, {64, 40, 300}}) check_skipping<T>(s[0], s[1], s[2], zeros, rng);
  set_threads(2);  // rows split across the pool; the compacted terms are the calling thread's
  check_skipping<T>(256, 784, 64, 0.5, rng);
  set_threads(1);
}

TEST(FastGemm, SkippingZeroTermsGivesTheDeclaredChainInFloat32) { check_skipping_all<float>(testing::test_seed()); }
TEST(FastGemm, SkippingZeroTermsGivesTheDeclaredChainInFloat64) { check_skipping_all<double>(testing::test_seed()); }

// The cases where skipping is not exact by itself. Row 0 of A is (2^-80, 0, ..., 0) and B's row 0
// holds -2^-80 in columns 5, 130 and 147 (a full chunk, a single-vector chunk and the scalar tail
// of N = 150): the first product underflows to -0, which the skipped terms' fma(0, 1, -0) turn into
// +0 in the declared chain. A NaN in A is a term like any other. An infinite B makes a skipped term
// 0 * inf = NaN.
TEST(FastGemm, SkippingZeroTermsKeepsTheSignOfAZeroAndTheNans) {
  SplitMix64 rng(testing::test_seed());
  const int64_t M = 64, N = 150, K = 32;
  for (int64_t column : {5, 130, 147}) {
    check_skipping<float>(M, N, K, 0.6, rng, [&](std::vector<float>& A, std::vector<float>& B) {
      for (int64_t k = 0; k < K; ++k) A[static_cast<std::size_t>(k)] = k == 0 ? std::ldexp(1.0f, -80) : 0.0f;
      B[static_cast<std::size_t>(column)] = -std::ldexp(1.0f, -80);
    });
  }
  check_skipping<float>(M, N, K, 0.6, rng, [](std::vector<float>& A, std::vector<float>&) { A[9 * 32 + 4] = NAN; });
  check_skipping<float>(M, N, K, 0.6, rng, [](std::vector<float>&, std::vector<float>& B) { B[5 * 150 + 7] = INFINITY; });
}

// The lemma the skipping rests on (gemm_sparse.cpp): for every chain of up to 3 terms over values
// that underflow, cancel and carry signed zeros, the chain with its a = ±0 terms skipped equals the
// full chain bit for bit unless it ends at -0.
TEST(FastGemm, SkippingZeroTermsChangesNothingButAMinusZeroOnEveryShortChain) {
  const float a_values[] = {0.0f, -0.0f, std::ldexp(1.0f, -80), -std::ldexp(1.0f, -80), 1.0f, -1.0f, std::ldexp(1.0f, -70),
                            std::ldexp(1.0f, -149)};
  const float b_values[] = {0.0f, -0.0f, std::ldexp(1.0f, -80), -std::ldexp(1.0f, -80), 1.0f, -1.0f, std::ldexp(1.0f, -79),
                            -std::ldexp(1.0f, -149)};
  constexpr int kTerms = 64;  // every (a, b) pair
  int64_t minus_zero = 0;
  for (int length = 1; length <= 3; ++length) {
    int64_t chains = 1;
    for (int t = 0; t < length; ++t) chains *= kTerms;
    for (int64_t code = 0; code < chains; ++code) {
      float full = 0.0f, skipping = 0.0f;
      for (int64_t c = code, t = 0; t < length; ++t, c /= kTerms) {
        float a = a_values[c % kTerms / 8], b = b_values[c % 8];
        full = std::fma(a, b, full);
        if (a != 0.0f) skipping = std::fma(a, b, skipping);
      }
      if (skipping == 0.0f && std::signbit(skipping)) {
        ++minus_zero;
        continue;
      }
      ASSERT_EQ(std::memcmp(&full, &skipping, sizeof full), 0) << "chain " << code << " of length " << length;
    }
  }
  EXPECT_GT(minus_zero, 0) << "the alphabet must reach the -0 case";
}

TEST(FastGemm, EveryElementIsTheDeclaredFmaChainInFloat32) { check_all<float>(testing::test_seed()); }
TEST(FastGemm, EveryElementIsTheDeclaredFmaChainInFloat64) { check_all<double>(testing::test_seed()); }

}  // namespace
}  // namespace tl::fast

// Packed GEMM with per-element FMA chains in ascending k (see gemm.h), AVX-512 / AVX2 / portable.
#include "fast/kernels/gemm.h"

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "fast/kernels/parallel.h"

namespace tl::fast {
namespace {

enum class Path { portable, avx2, avx512 };

Path detect_path() {
  const char* force = std::getenv("TL_GEMM");
  bool allow512 = !force || std::strcmp(force, "avx512") == 0;
  bool allow2 = !force || std::strcmp(force, "portable") != 0;
  __builtin_cpu_init();
  if (allow512 && __builtin_cpu_supports("avx512f")) return Path::avx512;
  if (allow2 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return Path::avx2;
  return Path::portable;
}

Path path() {
  static const Path p = detect_path();
  return p;
}

// Packs B into panels of W columns: panel p holds, for each k, columns [p*W, p*W + W) contiguously
// (zero-padded past N; padded lanes are computed and discarded, never stored).
template <class T>
std::vector<T> pack_b(int64_t N, int64_t K, const T* B, int64_t b_col, int64_t b_k, int64_t W) {
  int64_t panels = (N + W - 1) / W;
  std::vector<T> packed(static_cast<std::size_t>(panels * K * W), T(0));
  for (int64_t p = 0; p < panels; ++p)
    for (int64_t k = 0; k < K; ++k)
      for (int64_t l = 0; l < W && p * W + l < N; ++l)
        packed[static_cast<std::size_t>((p * K + k) * W + l)] = B[(p * W + l) * b_col + k * b_k];
  return packed;
}

template <class T>
void portable_rows(int64_t i0, int64_t i1, int64_t N, int64_t K, const T* A, int64_t a_row, int64_t a_k,
                   const T* B, int64_t b_col, int64_t b_k, T* C, int64_t c_row) {
  for (int64_t i = i0; i < i1; ++i)
    for (int64_t j = 0; j < N; ++j) {
      T acc = 0;
      for (int64_t k = 0; k < K; ++k) acc = std::fma(A[i * a_row + k * a_k], B[j * b_col + k * b_k], acc);
      C[i * c_row + j] = acc;
    }
}

// Rows of C against packed panels of 2*L columns (two vectors of L lanes). Blocking: rows in groups
// of MB; for each panel, k in blocks of KC, so one block of the panel (KC x 2L) stays in L1 while
// every 6-row block of the group uses it. Within a k block, 6 rows x 2 vectors = 12 independent
// chains. Between k blocks the chains are parked in a small tile at full precision and resumed, so
// each lane is exactly one output's FMA chain over k = 0, 1, ..., K-1 from +0.
#define TL_PANEL_KERNEL(NAME, TARGET, T, VEC, SET1, LOAD, FMA, STORE, ZERO, L)                        \
  __attribute__((target(TARGET))) void NAME(int64_t i0, int64_t i1, int64_t N, int64_t K, const T* A, \
                                            int64_t a_row, int64_t a_k, const T* packed, T* C,        \
                                            int64_t c_row) {                                            \
    constexpr int64_t W = 2 * L, MB = 96, KC = 256;                                                     \
    alignas(64) T tile[MB * W];                                                                         \
    int64_t panels = (N + W - 1) / W;                                                                   \
    for (int64_t g0 = i0; g0 < i1; g0 += MB) {                                                          \
      int64_t rows = std::min(i1 - g0, MB);                                                             \
      for (int64_t p = 0; p < panels; ++p) {                                                            \
        const T* bp = packed + p * K * W;                                                               \
        std::fill(tile, tile + rows * W, T(0));                                                         \
        for (int64_t k0 = 0; k0 < K; k0 += KC) {                                                        \
          int64_t k1 = std::min(K, k0 + KC);                                                            \
          int64_t r = 0;                                                                                \
          for (; r + 6 <= rows; r += 6) {                                                               \
            T* t = tile + r * W;                                                                        \
            VEC c00 = LOAD(t), c01 = LOAD(t + L), c10 = LOAD(t + W), c11 = LOAD(t + W + L);             \
            VEC c20 = LOAD(t + 2 * W), c21 = LOAD(t + 2 * W + L), c30 = LOAD(t + 3 * W);                \
            VEC c31 = LOAD(t + 3 * W + L), c40 = LOAD(t + 4 * W), c41 = LOAD(t + 4 * W + L);            \
            VEC c50 = LOAD(t + 5 * W), c51 = LOAD(t + 5 * W + L);                                       \
            const T* a0 = A + (g0 + r) * a_row;                                                         \
            for (int64_t k = k0; k < k1; ++k) {                                                         \
              VEC b0 = LOAD(bp + k * W), b1 = LOAD(bp + k * W + L);                                     \
              const T* ak = a0 + k * a_k;                                                               \
              VEC x = SET1(ak[0]);                                                                      \
              c00 = FMA(x, b0, c00); c01 = FMA(x, b1, c01);                                             \
              x = SET1(ak[a_row]);                                                                      \
              c10 = FMA(x, b0, c10); c11 = FMA(x, b1, c11);                                             \
              x = SET1(ak[2 * a_row]);                                                                  \
              c20 = FMA(x, b0, c20); c21 = FMA(x, b1, c21);                                             \
              x = SET1(ak[3 * a_row]);                                                                  \
              c30 = FMA(x, b0, c30); c31 = FMA(x, b1, c31);                                             \
              x = SET1(ak[4 * a_row]);                                                                  \
              c40 = FMA(x, b0, c40); c41 = FMA(x, b1, c41);                                             \
              x = SET1(ak[5 * a_row]);                                                                  \
              c50 = FMA(x, b0, c50); c51 = FMA(x, b1, c51);                                             \
            }                                                                                           \
            STORE(t, c00); STORE(t + L, c01); STORE(t + W, c10); STORE(t + W + L, c11);                 \
            STORE(t + 2 * W, c20); STORE(t + 2 * W + L, c21); STORE(t + 3 * W, c30);                    \
            STORE(t + 3 * W + L, c31); STORE(t + 4 * W, c40); STORE(t + 4 * W + L, c41);                \
            STORE(t + 5 * W, c50); STORE(t + 5 * W + L, c51);                                           \
          }                                                                                             \
          for (; r < rows; ++r) {                                                                       \
            T* t = tile + r * W;                                                                        \
            VEC c0 = LOAD(t), c1 = LOAD(t + L);                                                         \
            for (int64_t k = k0; k < k1; ++k) {                                                         \
              VEC x = SET1(A[(g0 + r) * a_row + k * a_k]);                                              \
              c0 = FMA(x, LOAD(bp + k * W), c0);                                                        \
              c1 = FMA(x, LOAD(bp + k * W + L), c1);                                                    \
            }                                                                                           \
            STORE(t, c0);                                                                               \
            STORE(t + L, c1);                                                                           \
          }                                                                                             \
        }                                                                                               \
        int64_t width = std::min<int64_t>(W, N - p * W);                                                \
        for (int64_t r = 0; r < rows; ++r)                                                              \
          std::memcpy(C + (g0 + r) * c_row + p * W, tile + r * W, sizeof(T) * static_cast<std::size_t>(width)); \
      }                                                                                                 \
    }                                                                                                   \
  }

TL_PANEL_KERNEL(panel_avx512_f32, "avx512f", float, __m512, _mm512_set1_ps, _mm512_loadu_ps, _mm512_fmadd_ps, _mm512_store_ps, _mm512_setzero_ps, 16)
TL_PANEL_KERNEL(panel_avx512_f64, "avx512f", double, __m512d, _mm512_set1_pd, _mm512_loadu_pd, _mm512_fmadd_pd, _mm512_store_pd, _mm512_setzero_pd, 8)
TL_PANEL_KERNEL(panel_avx2_f32, "avx2,fma", float, __m256, _mm256_set1_ps, _mm256_loadu_ps, _mm256_fmadd_ps, _mm256_store_ps, _mm256_setzero_ps, 8)
TL_PANEL_KERNEL(panel_avx2_f64, "avx2,fma", double, __m256d, _mm256_set1_pd, _mm256_loadu_pd, _mm256_fmadd_pd, _mm256_store_pd, _mm256_setzero_pd, 4)
#undef TL_PANEL_KERNEL

// Columns per packed panel: two vectors.
template <class T> int64_t panel_width(Path p) {
  bool single = sizeof(T) == 4;
  switch (p) {
    case Path::avx512: return single ? 32 : 16;
    case Path::avx2: return single ? 16 : 8;
    case Path::portable: return 1;
  }
  return 1;
}

template <class T>
void run_panels(Path p, int64_t i0, int64_t i1, int64_t N, int64_t K, const T* A, int64_t a_row, int64_t a_k,
                const T* packed, T* C, int64_t c_row) {
  if constexpr (sizeof(T) == 4) {
    if (p == Path::avx512) panel_avx512_f32(i0, i1, N, K, A, a_row, a_k, packed, C, c_row);
    else panel_avx2_f32(i0, i1, N, K, A, a_row, a_k, packed, C, c_row);
  } else {
    if (p == Path::avx512) panel_avx512_f64(i0, i1, N, K, A, a_row, a_k, packed, C, c_row);
    else panel_avx2_f64(i0, i1, N, K, A, a_row, a_k, packed, C, c_row);
  }
}

}  // namespace

// Rows per parallel chunk: at least ~256k multiply-adds each, so waking the pool pays for itself.
int64_t row_grain(int64_t n, int64_t k) { return std::max<int64_t>(8, (int64_t{1} << 18) / std::max<int64_t>(1, n * k)); }

template <class T>
void gemm(int64_t M, int64_t N, int64_t K, const T* A, int64_t a_row, int64_t a_k, const T* B,
          int64_t b_col, int64_t b_k, T* C, int64_t c_row) {
  if (M <= 0 || N <= 0) return;
  Path p = path();
  if (p == Path::portable || K == 0) {
    parallel_for(M, row_grain(N, K), [&](int64_t i0, int64_t i1) { portable_rows(i0, i1, N, K, A, a_row, a_k, B, b_col, b_k, C, c_row); });
    return;
  }
  // Packing gathers B; when A is much smaller, compute C^T = B^T A^T instead (packing A) and
  // transpose the result. Each element is still the same chain: fma(b, a, acc) = fma(a, b, acc).
  if (M * K + M * N < N * K) {
    std::vector<T> packed = pack_b(M, K, A, a_row, a_k, panel_width<T>(p));
    std::vector<T> ct(static_cast<std::size_t>(N * M));
    parallel_for(N, row_grain(M, K), [&](int64_t j0, int64_t j1) {
      run_panels(p, j0, j1, M, K, B, b_col, b_k, packed.data(), ct.data(), M);
    });
    parallel_for(M, row_grain(N, 1), [&](int64_t i0, int64_t i1) {
      for (int64_t i = i0; i < i1; ++i)
        for (int64_t j = 0; j < N; ++j) C[i * c_row + j] = ct[static_cast<std::size_t>(j * M + i)];
    });
    return;
  }
  std::vector<T> packed = pack_b(N, K, B, b_col, b_k, panel_width<T>(p));
  parallel_for(M, row_grain(N, K), [&](int64_t i0, int64_t i1) { run_panels(p, i0, i1, N, K, A, a_row, a_k, packed.data(), C, c_row); });
}

std::string gemm_path() {
  switch (path()) {
    case Path::avx512: return "avx512";
    case Path::avx2: return "avx2";
    case Path::portable: return "portable";
  }
  return "?";
}

template void gemm<float>(int64_t, int64_t, int64_t, const float*, int64_t, int64_t, const float*, int64_t, int64_t, float*, int64_t);
template void gemm<double>(int64_t, int64_t, int64_t, const double*, int64_t, int64_t, const double*, int64_t, int64_t, double*, int64_t);

}  // namespace tl::fast

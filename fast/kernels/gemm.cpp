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

// Rows of C against packed panels of 2*L columns (two vectors of L lanes). Blocking: k in blocks of
// KC (outermost, so one k block of B, KC x N, stays in L2 for every row group), rows in groups of
// MB; each (k block, group) of A is packed once into 6-row micro-panels
// (the six values a 6x2 block needs at step k lie next to each other), then every panel of B is run
// against it: one block of the panel (KC x 2L) stays in L1 while the group's 6-row blocks use it.
// Within a k block, 6 rows x 2 vectors = 12 independent chains; between k blocks each chain is parked
// in C itself at full precision and resumed, so each lane is exactly one output's FMA chain over
// k = 0, 1, ..., K-1 from +0. A last, narrower panel parks its chains in an edge buffer instead.
#define TL_PANEL_KERNEL(NAME, TARGET, T, VEC, SET1, LOAD, FMA, STORE, ZERO, L)                        \
  __attribute__((target(TARGET))) void NAME(int64_t i0, int64_t i1, int64_t N, int64_t K, const T* A, \
                                            int64_t a_row, int64_t a_k, const T* packed, T* C,        \
                                            int64_t c_row) {                                            \
    constexpr int64_t W = 2 * L, MB = 96, KC = 256;                                                     \
    /* Per-thread scratch, grown once and reused: no allocation or zeroing per call. */                \
    static thread_local std::vector<T> apack, edge_rows;                                                \
    std::size_t need_a = static_cast<std::size_t>(std::min<int64_t>(MB, i1 - i0) * std::min<int64_t>(KC, K)); \
    if (apack.size() < need_a) apack.resize(need_a);                                                    \
    if (N % W && edge_rows.size() < static_cast<std::size_t>((i1 - i0) * W))                            \
      edge_rows.resize(static_cast<std::size_t>((i1 - i0) * W));                                       \
    int64_t panels = (N + W - 1) / W;                                                                   \
    for (int64_t k0 = 0; k0 < K; k0 += KC) {                                                            \
      int64_t k1 = std::min(K, k0 + KC), kb = k1 - k0;                                                  \
      for (int64_t g0 = i0; g0 < i1; g0 += MB) {                                                        \
        int64_t rows = std::min(i1 - g0, MB), blocks = rows / 6;                                        \
        for (int64_t b = 0; b < blocks; ++b)                                                            \
          for (int64_t k = 0; k < kb; ++k)                                                              \
            for (int64_t r = 0; r < 6; ++r)                                                             \
              apack[static_cast<std::size_t>((b * kb + k) * 6 + r)] = A[(g0 + b * 6 + r) * a_row + (k0 + k) * a_k]; \
        for (int64_t p = 0; p < panels; ++p) {                                                          \
          const T* bp = packed + p * K * W;                                                             \
          int64_t width = std::min<int64_t>(W, N - p * W);                                              \
          bool full = width == W;                                                                       \
          T* edge = full ? nullptr : edge_rows.data() + (g0 - i0) * W;                                  \
          T* c = full ? C + g0 * c_row + p * W : edge;                                                  \
          int64_t ldc = full ? c_row : W;                                                               \
          if (!full && k0 == 0) std::fill(edge, edge + rows * W, T(0));                                 \
          int64_t r = 0;                                                                                \
          for (; r + 6 <= rows; r += 6) {                                                               \
            T* t = c + r * ldc;                                                                         \
            VEC c00 = ZERO(), c01 = ZERO(), c10 = ZERO(), c11 = ZERO(), c20 = ZERO(), c21 = ZERO();     \
            VEC c30 = ZERO(), c31 = ZERO(), c40 = ZERO(), c41 = ZERO(), c50 = ZERO(), c51 = ZERO();     \
            if (k0 > 0 || !full) {                                                                      \
              c00 = LOAD(t); c01 = LOAD(t + L); c10 = LOAD(t + ldc); c11 = LOAD(t + ldc + L);           \
              c20 = LOAD(t + 2 * ldc); c21 = LOAD(t + 2 * ldc + L); c30 = LOAD(t + 3 * ldc);            \
              c31 = LOAD(t + 3 * ldc + L); c40 = LOAD(t + 4 * ldc); c41 = LOAD(t + 4 * ldc + L);        \
              c50 = LOAD(t + 5 * ldc); c51 = LOAD(t + 5 * ldc + L);                                     \
            }                                                                                           \
            const T* ap = apack.data() + (r / 6) * kb * 6;                                              \
            const T* bk = bp + k0 * W;                                                                  \
            for (int64_t k = 0; k < kb; ++k, ap += 6, bk += W) {                                        \
              VEC b0 = LOAD(bk), b1 = LOAD(bk + L);                                                     \
              VEC x = SET1(ap[0]);                                                                      \
              c00 = FMA(x, b0, c00); c01 = FMA(x, b1, c01);                                             \
              x = SET1(ap[1]);                                                                          \
              c10 = FMA(x, b0, c10); c11 = FMA(x, b1, c11);                                             \
              x = SET1(ap[2]);                                                                          \
              c20 = FMA(x, b0, c20); c21 = FMA(x, b1, c21);                                             \
              x = SET1(ap[3]);                                                                          \
              c30 = FMA(x, b0, c30); c31 = FMA(x, b1, c31);                                             \
              x = SET1(ap[4]);                                                                          \
              c40 = FMA(x, b0, c40); c41 = FMA(x, b1, c41);                                             \
              x = SET1(ap[5]);                                                                          \
              c50 = FMA(x, b0, c50); c51 = FMA(x, b1, c51);                                             \
            }                                                                                           \
            STORE(t, c00); STORE(t + L, c01); STORE(t + ldc, c10); STORE(t + ldc + L, c11);             \
            STORE(t + 2 * ldc, c20); STORE(t + 2 * ldc + L, c21); STORE(t + 3 * ldc, c30);              \
            STORE(t + 3 * ldc + L, c31); STORE(t + 4 * ldc, c40); STORE(t + 4 * ldc + L, c41);          \
            STORE(t + 5 * ldc, c50); STORE(t + 5 * ldc + L, c51);                                       \
          }                                                                                             \
          for (; r + 4 <= rows; r += 4) { /* a 4-row block (e.g. 64 = 10 x 6 + 4), A read in place */ \
            T* t = c + r * ldc;                                                                         \
            VEC c00 = ZERO(), c01 = ZERO(), c10 = ZERO(), c11 = ZERO();                                 \
            VEC c20 = ZERO(), c21 = ZERO(), c30 = ZERO(), c31 = ZERO();                                 \
            if (k0 > 0 || !full) {                                                                      \
              c00 = LOAD(t); c01 = LOAD(t + L); c10 = LOAD(t + ldc); c11 = LOAD(t + ldc + L);           \
              c20 = LOAD(t + 2 * ldc); c21 = LOAD(t + 2 * ldc + L); c30 = LOAD(t + 3 * ldc);            \
              c31 = LOAD(t + 3 * ldc + L);                                                              \
            }                                                                                           \
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
            }                                                                                           \
            STORE(t, c00); STORE(t + L, c01); STORE(t + ldc, c10); STORE(t + ldc + L, c11);             \
            STORE(t + 2 * ldc, c20); STORE(t + 2 * ldc + L, c21); STORE(t + 3 * ldc, c30);              \
            STORE(t + 3 * ldc + L, c31);                                                                \
          }                                                                                             \
          for (; r < rows; ++r) {                                                                       \
            T* t = c + r * ldc;                                                                         \
            VEC c0 = k0 > 0 || !full ? LOAD(t) : ZERO(), c1 = k0 > 0 || !full ? LOAD(t + L) : ZERO();  \
            for (int64_t k = k0; k < k1; ++k) {                                                         \
              VEC x = SET1(A[(g0 + r) * a_row + k * a_k]);                                              \
              c0 = FMA(x, LOAD(bp + k * W), c0);                                                        \
              c1 = FMA(x, LOAD(bp + k * W + L), c1);                                                    \
            }                                                                                           \
            STORE(t, c0);                                                                               \
            STORE(t + L, c1);                                                                           \
          }                                                                                             \
          if (!full && k1 == K)                                                                         \
            for (int64_t rr = 0; rr < rows; ++rr)                                                       \
              std::memcpy(C + (g0 + rr) * c_row + p * W, edge + rr * W, sizeof(T) * static_cast<std::size_t>(width)); \
        }                                                                                               \
      }                                                                                                 \
    }                                                                                                   \
  }

TL_PANEL_KERNEL(panel_avx512_f32, "avx512f", float, __m512, _mm512_set1_ps, _mm512_loadu_ps, _mm512_fmadd_ps, _mm512_storeu_ps, _mm512_setzero_ps, 16)
TL_PANEL_KERNEL(panel_avx512_f64, "avx512f", double, __m512d, _mm512_set1_pd, _mm512_loadu_pd, _mm512_fmadd_pd, _mm512_storeu_pd, _mm512_setzero_pd, 8)
TL_PANEL_KERNEL(panel_avx2_f32, "avx2,fma", float, __m256, _mm256_set1_ps, _mm256_loadu_ps, _mm256_fmadd_ps, _mm256_storeu_ps, _mm256_setzero_ps, 8)
TL_PANEL_KERNEL(panel_avx2_f64, "avx2,fma", double, __m256d, _mm256_set1_pd, _mm256_loadu_pd, _mm256_fmadd_pd, _mm256_storeu_pd, _mm256_setzero_pd, 4)
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

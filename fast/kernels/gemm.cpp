// Packed GEMM with per-element FMA chains in ascending k (see gemm.h), AVX-512 / AVX2 / portable.
#include "fast/kernels/gemm.h"

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <type_traits>
#include <vector>

#include "fast/kernels/parallel.h"
#include "fast/kernels/simd.h"

namespace tl::fast {
namespace {

using namespace simd;

using Path = GemmPath;

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

// Per-thread scratch for one GEMM call (packed panels, the transposed result): grown when needed,
// never shrunk or cleared, so a training step allocates and zeroes nothing here.
template <class T> std::vector<T>& scratch(int which) {
  static thread_local std::vector<T> buffers[2];
  return buffers[which];
}

// dst[j * dst_stride + i] = src[i * src_stride + j] for i, j < 16: a 16 x 16 float block transposed
// in registers (unpack pairs of rows, then groups of 4, then 128-bit lanes twice). GCC 12's unpack
// intrinsics pass an undefined mask operand, which -Wuninitialized reports in every caller.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
__attribute__((target("avx512f"))) void transpose_16x16(const float* src, int64_t src_stride, float* dst,
                                                        int64_t dst_stride) {
  __m512 r[16], t[16];
  for (int i = 0; i < 16; ++i) r[i] = _mm512_loadu_ps(src + i * src_stride);
  for (int i = 0; i < 16; i += 2) {
    t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
  }
  for (int i = 0; i < 16; i += 4) {
    r[i] = _mm512_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(1, 0, 1, 0));
    r[i + 1] = _mm512_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(3, 2, 3, 2));
    r[i + 2] = _mm512_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(1, 0, 1, 0));
    r[i + 3] = _mm512_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(3, 2, 3, 2));
  }
  for (int h = 0; h < 16; h += 8)
    for (int i = 0; i < 4; ++i) {
      t[h + i] = _mm512_shuffle_f32x4(r[h + i], r[h + i + 4], 0x88);
      t[h + i + 4] = _mm512_shuffle_f32x4(r[h + i], r[h + i + 4], 0xdd);
    }
  for (int i = 0; i < 8; ++i) {
    _mm512_storeu_ps(dst + i * dst_stride, _mm512_shuffle_f32x4(t[i], t[i + 8], 0x88));
    _mm512_storeu_ps(dst + (i + 8) * dst_stride, _mm512_shuffle_f32x4(t[i], t[i + 8], 0xdd));
  }
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

// Packs B into panels of W columns: panel p holds, for each k, columns [p*W, p*W + W) contiguously
// (zero-padded past N; padded lanes are computed and discarded, never stored). Float columns stored
// along k (b_k = 1, a linear layer's input read as C^T = W x^T) move in 16 x 16 blocks on AVX-512.
template <class T>
const T* pack_b(int64_t N, int64_t K, const T* B, int64_t b_col, int64_t b_k, int64_t W) {
  int64_t panels = (N + W - 1) / W;
  std::vector<T>& packed = scratch<T>(0);
  if (packed.size() < static_cast<std::size_t>(panels * K * W)) packed.resize(static_cast<std::size_t>(panels * K * W));
  T* out = packed.data();
  bool blocks = sizeof(T) == 4 && b_k == 1 && W % 16 == 0 && path() == Path::avx512;
  for (int64_t p = 0; p < panels; ++p) {
    int64_t width = std::min(W, N - p * W);
    T* panel = out + p * K * W;
    int64_t l_blocks = blocks ? width / 16 * 16 : 0, k_blocks = blocks ? K / 16 * 16 : 0;
    if constexpr (sizeof(T) == 4)
      for (int64_t l = 0; l < l_blocks; l += 16)
        for (int64_t k = 0; k < k_blocks; k += 16) transpose_16x16(B + (p * W + l) * b_col + k, b_col, panel + k * W + l, W);
    for (int64_t k = 0; k < K; ++k)  // the rest; writes stay contiguous, the W source rows stay in L1
      for (int64_t l = k < k_blocks ? l_blocks : 0; l < width; ++l) panel[k * W + l] = B[(p * W + l) * b_col + k * b_k];
    for (int64_t k = 0; width < W && k < K; ++k)
      for (int64_t l = width; l < W; ++l) panel[k * W + l] = T(0);
  }
  return out;
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

// Rows of C against packed panels of NV*L columns (NV vectors of L lanes). Blocking: panels in chunks
// (outermost, run_panels), then k in blocks of KC (so one k block of the chunk stays in L2 for every
// row group), rows in groups of MB; each (k block, group) of A is packed once into MR-row
// micro-panels (the MR values a tile needs at step k lie next to each other), then every panel of
// the chunk is run against it: one block of the panel (KC x NV*L) stays in L1 while the group's
// tiles use it. An R x NV tile of vectors holds R*NV
// independent chains; between k blocks each chain is parked in C itself at full precision and
// resumed, so each lane is exactly one output's FMA chain over k = 0, 1, ..., K-1 from +0. Leftover
// rows use tiles of 4 rows and then single rows (A read in place); a last, narrower panel parks its
// chains in an edge buffer instead of C.

// Panels of B below which A is read in place instead of packed (each packed value would serve too
// few tiles to repay the copy: the forward pass of a linear layer with a 64-row batch has 2).
constexpr int64_t kPackAPanels = 4;

// k block length, and the bytes of packed B (one k block of a chunk of panels) that stay in L2 while
// every row group of A runs against them: panels are taken in chunks of this size, outermost (half
// of a 1 MiB L2; SGEMM 1024 x 4096 x 1024 here: 95 -> 97-101 GFLOP/s, square shapes unchanged).
constexpr int64_t kKc = 256, kBlockBytesB = int64_t{1} << 19;

// TILE: one R x NV tile over a k block; A value of tile row i at step k is a[k * ak + i * ar].
// PANELS: panels [p0, p1) and every row group of C rows [i0, i1), with MR-row packed tiles.
#define TL_KERNELS(TILE, PANELS, TARGET)                                                                \
  template <class I, int R, int NV>                                                                     \
  __attribute__((target(TARGET), always_inline)) inline void TILE(                                      \
      const typename I::T* a, int64_t ak, int64_t ar, const typename I::T* bk, typename I::T* t,        \
      int64_t ldc, int64_t kb, bool resume) {                                                           \
    constexpr int64_t W = NV * I::L;                                                                    \
    typename I::V acc[R][NV];                                                                           \
    _Pragma("GCC unroll 8") for (int i = 0; i < R; ++i)                                                 \
      _Pragma("GCC unroll 4") for (int v = 0; v < NV; ++v)                                              \
        acc[i][v] = resume ? I::load(t + i * ldc + v * I::L) : I::zero();                               \
    for (int64_t k = 0; k < kb; ++k, a += ak, bk += W) {                                                \
      typename I::V b[NV];                                                                              \
      _Pragma("GCC unroll 4") for (int v = 0; v < NV; ++v) b[v] = I::load(bk + v * I::L);              \
      _Pragma("GCC unroll 8") for (int i = 0; i < R; ++i) {                                             \
        typename I::V x = I::set1(a[i * ar]);                                                           \
        _Pragma("GCC unroll 4") for (int v = 0; v < NV; ++v) acc[i][v] = I::fma(x, b[v], acc[i][v]);   \
      }                                                                                                 \
    }                                                                                                   \
    _Pragma("GCC unroll 8") for (int i = 0; i < R; ++i)                                                 \
      _Pragma("GCC unroll 4") for (int v = 0; v < NV; ++v) I::store(t + i * ldc + v * I::L, acc[i][v]); \
  }                                                                                                     \
  template <class I, int MR, int NV>                                                                    \
  __attribute__((target(TARGET))) void PANELS(int64_t i0, int64_t i1, int64_t p0, int64_t p1, int64_t N, int64_t K, \
                                              const typename I::T* A, int64_t a_row, int64_t a_k,       \
                                              const typename I::T* packed, typename I::T* C, int64_t c_row) { \
    using T = typename I::T;                                                                            \
    constexpr int64_t W = NV * I::L, MB = 16 * MR;                                                      \
    int64_t blocks_k = (K + kKc - 1) / kKc, KC = (K + blocks_k - 1) / blocks_k; /* equal: 784 = 4 x 196 */ \
    static thread_local std::vector<T> apack, edge_rows; /* per-thread scratch, reused */               \
    std::size_t need_a = static_cast<std::size_t>(std::min<int64_t>(MB, i1 - i0) * std::min<int64_t>(KC, K)); \
    if (apack.size() < need_a) apack.resize(need_a);                                                    \
    if (N % W && edge_rows.size() < static_cast<std::size_t>((i1 - i0) * W))                            \
      edge_rows.resize(static_cast<std::size_t>((i1 - i0) * W));                                       \
    /* Packing A pays only when its tiles are reused across several panels; with few, read in place. */ \
    bool pack_a = p1 - p0 >= kPackAPanels;                                                              \
    for (int64_t k0 = 0; k0 < K; k0 += KC) {                                                            \
      int64_t k1 = std::min(K, k0 + KC), kb = k1 - k0;                                                  \
      for (int64_t g0 = i0; g0 < i1; g0 += MB) {                                                        \
        int64_t rows = std::min(i1 - g0, MB), blocks = rows / MR;                                       \
        for (int64_t b = 0; pack_a && b < blocks; ++b)                                                  \
          for (int64_t k = 0; k < kb; ++k)                                                              \
            for (int64_t r = 0; r < MR; ++r)                                                            \
              apack[static_cast<std::size_t>((b * kb + k) * MR + r)] = A[(g0 + b * MR + r) * a_row + (k0 + k) * a_k]; \
        for (int64_t p = p0; p < p1; ++p) {                                                             \
          const T* bk = packed + p * K * W + k0 * W;                                                    \
          int64_t width = std::min<int64_t>(W, N - p * W);                                              \
          bool full = width == W;                                                                       \
          T* edge = full ? nullptr : edge_rows.data() + (g0 - i0) * W;                                  \
          T* c = full ? C + g0 * c_row + p * W : edge;                                                  \
          int64_t ldc = full ? c_row : W;                                                               \
          if (!full && k0 == 0) std::fill(edge, edge + rows * W, T(0));                                 \
          bool resume = k0 > 0 || !full;                                                                \
          int64_t r = 0;                                                                                \
          for (; r + MR <= rows; r += MR)                                                               \
            if (pack_a) TILE<I, MR, NV>(apack.data() + (r / MR) * kb * MR, MR, 1, bk, c + r * ldc, ldc, kb, resume); \
            else TILE<I, MR, NV>(A + (g0 + r) * a_row + k0 * a_k, a_k, a_row, bk, c + r * ldc, ldc, kb, resume); \
          const T* arow = A + k0 * a_k;                                                                 \
          for (; r + 4 <= rows; r += 4)                                                                 \
            TILE<I, 4, NV>(arow + (g0 + r) * a_row, a_k, a_row, bk, c + r * ldc, ldc, kb, resume);       \
          for (; r < rows; ++r)                                                                         \
            TILE<I, 1, NV>(arow + (g0 + r) * a_row, a_k, a_row, bk, c + r * ldc, ldc, kb, resume);       \
          if (!full && k1 == K)                                                                         \
            for (int64_t rr = 0; rr < rows; ++rr)                                                       \
              std::memcpy(C + (g0 + rr) * c_row + p * W, edge + rr * W, sizeof(T) * static_cast<std::size_t>(width)); \
        }                                                                                               \
      }                                                                                                 \
    }                                                                                                   \
  }
TL_KERNELS(tile_avx512, panels_avx512, "avx512f")
TL_KERNELS(tile_avx2, panels_avx2, "avx2,fma")
#undef TL_KERNELS

// Register tiles per path, MR x NV: 6 x 2 (12 chains) on both. An 8 x 3 AVX-512 tile (24 chains, 32
// registers) was measured slower here (SGEMM 1024^3 about 123 against 126 GFLOP/s, KC 128 or 256).
constexpr int kMr512 = 6, kNv512 = 2, kMr256 = 6, kNv256 = 2;

// Columns per packed panel: NV vectors.
template <class T> int64_t panel_width(Path p) {
  bool single = sizeof(T) == 4;
  switch (p) {
    case Path::avx512: return (single ? 16 : 8) * kNv512;
    case Path::avx2: return (single ? 8 : 4) * kNv256;
    case Path::portable: return 1;
  }
  return 1;
}

// Rows [i0, i1) of C against every panel, in chunks of panels whose k blocks fit kBlockBytesB (the
// chunks only change when each output is computed, never the order of its chain).
template <class T>
void run_panels(Path p, int64_t i0, int64_t i1, int64_t N, int64_t K, const T* A, int64_t a_row, int64_t a_k,
                const T* packed, T* C, int64_t c_row) {
  int64_t W = panel_width<T>(p), panels = (N + W - 1) / W;
  int64_t chunk = std::max<int64_t>(1, kBlockBytesB / (kKc * W * static_cast<int64_t>(sizeof(T))));
  for (int64_t p0 = 0; p0 < panels; p0 += chunk) {
    int64_t p1 = std::min(panels, p0 + chunk);
    using Wide = std::conditional_t<sizeof(T) == 4, Avx512F32, Avx512F64>;
    using Narrow = std::conditional_t<sizeof(T) == 4, Avx2F32, Avx2F64>;
    if (p == Path::avx512) panels_avx512<Wide, kMr512, kNv512>(i0, i1, p0, p1, N, K, A, a_row, a_k, packed, C, c_row);
    else panels_avx2<Narrow, kMr256, kNv256>(i0, i1, p0, p1, N, K, A, a_row, a_k, packed, C, c_row);
  }
}

}  // namespace

int64_t row_grain(int64_t n, int64_t k, int64_t min_rows) {
  return std::max<int64_t>(min_rows, (int64_t{1} << 18) / std::max<int64_t>(1, n * k));
}

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
    const T* packed = pack_b(M, K, A, a_row, a_k, panel_width<T>(p));
    std::vector<T>& ct = scratch<T>(1);
    if (ct.size() < static_cast<std::size_t>(N * M)) ct.resize(static_cast<std::size_t>(N * M));
    parallel_for(N, row_grain(M, K), [&](int64_t j0, int64_t j1) {
      run_panels(p, j0, j1, M, K, B, b_col, b_k, packed, ct.data(), M);
    });
    parallel_for(M, row_grain(N, 1), [&](int64_t i0, int64_t i1) {
      int64_t i_blocks = i0, j_blocks = 0;  // [i0, i_blocks) x [0, j_blocks) moves in 16 x 16 blocks
      if constexpr (sizeof(T) == 4) {
        if (p == Path::avx512) {
          i_blocks = i0 + (i1 - i0) / 16 * 16, j_blocks = N / 16 * 16;
          for (int64_t i = i0; i < i_blocks; i += 16)
            for (int64_t j = 0; j < j_blocks; j += 16) transpose_16x16(ct.data() + j * M + i, M, C + i * c_row + j, c_row);
        }
      }
      for (int64_t i = i0; i < i1; ++i)
        for (int64_t j = i < i_blocks ? j_blocks : 0; j < N; ++j) C[i * c_row + j] = ct[static_cast<std::size_t>(j * M + i)];
    });
    return;
  }
  const T* packed = pack_b(N, K, B, b_col, b_k, panel_width<T>(p));
  parallel_for(M, row_grain(N, K), [&](int64_t i0, int64_t i1) { run_panels(p, i0, i1, N, K, A, a_row, a_k, packed, C, c_row); });
}

GemmPath gemm_isa() { return path(); }

template <class T> CodePaths gemm_code_paths() {
  const Path p = path();
  const int64_t mr = p == Path::avx2 ? kMr256 : kMr512, w = panel_width<T>(p);
  const int64_t split_rows = row_grain(int64_t{1} << 15, 1) + 1;  // N * K >= 2^15: the 8-row minimum
  CodePaths out = {
      {"GEMM rows: single-row tiles below 4, 4-row tiles", PathAxis::gemm_m, 4},
      {"GEMM rows: " + std::to_string(mr) + "-row register tiles", PathAxis::gemm_m, mr},
      {"GEMM rows: a second row group of 16 tiles", PathAxis::gemm_m, 16 * mr + 1},
      {"GEMM rows split across threads (N*K >= 2^15)", PathAxis::gemm_m, split_rows},
      {"GEMM k blocks of " + std::to_string(kKc) + ": a second block", PathAxis::gemm_k, kKc + 1},
      {"GEMM skipping zero terms: K >= 8", PathAxis::gemm_k, 8},
  };
  if (p != Path::portable) {
    out.push_back({"GEMM panels of " + std::to_string(w) + " columns: a second, ragged panel", PathAxis::gemm_n, w});
    out.push_back({"GEMM: A packed from " + std::to_string(kPackAPanels) + " panels", PathAxis::gemm_n, kPackAPanels * w});
  }
  if (p == Path::avx512 && sizeof(T) == 4)
    out.push_back({"GEMM transposed result moved in 16 x 16 blocks", PathAxis::gemm_m, 16});
  return out;
}
template CodePaths gemm_code_paths<float>();
template CodePaths gemm_code_paths<double>();

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

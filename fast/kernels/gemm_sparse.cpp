// GEMM that skips the zero terms of A (gemm.h, gemm_skipping_zero_a): the same bits as gemm().
//
// Why skipping is exact. Each output is the chain acc <- fma(a_k, b_k, acc) from +0 over k ascending.
// A term with a_k = ±0 and b_k finite adds an exact ±0: it leaves a nonzero acc unchanged and a zero
// acc zero; a kept term gives the same result from +0 as from -0 unless its exact sum is 0. So the
// skipping chain (s) and the full chain (f) are equal or both zero at every step. More: they can
// differ only when s ends at -0. A -0 arises only from an underflow (a tiny negative exact sum),
// which happens at the same kept step in both chains; and the state s = +0, f = -0 is unreachable
// from +0, +0 (a kept zero product p gives p + s = +0 whenever s = +0, and f can stay -0 only if
// p = -0 and f = -0 already; skipped steps leave s alone). Checked exhaustively in gemm_test for
// every chain of up to 3 terms over values that underflow, cancel and carry signed zeros. Hence:
// B must be finite (0 * inf is NaN), and a -0 result is recomputed by the full chain — rare, as it
// needs an underflow. A row with no kept term is +0 either way.
//
// Layout: a bit mask of each row's nonzero terms (k ascending); a row's outputs run in chunks of NV
// vectors, one FMA chain per lane, reading B's rows in place (its columns contiguous).
#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#include "fast/kernels/gemm.h"
#include "fast/kernels/parallel.h"
#include "fast/kernels/simd.h"

namespace tl::fast {
namespace {

using namespace simd;

// Below this fraction of zero terms in A, the dense kernel is faster (256 x 784 x 64 with zeros at
// random, on the AMD EPYC VM: on the AVX-512 path equal at 0.3, 0.72x the time at 0.5, 0.48x at 0.7;
// on the AVX2 path 0.93x at 0.5, 0.62x at 0.7 — bench/fast_bench, TL_GEMM=avx2).
double min_zero_fraction(GemmPath path) { return path == GemmPath::avx512 ? 0.35 : 0.45; }
// B's rows are read in place only when they start on this boundary: a vector load that straddles
// two cache lines made the kernel 30% slower; otherwise B is copied to rows that do.
constexpr int64_t kAlignBytes = 64;
constexpr int kChunkVectors = 8;

// Which terms of each row of A are nonzero: bit k % 64 of word bits[i * words + k / 64]. Built in
// one pass that vectorizes (no branch on data); the kernels walk the set bits in ascending k.
struct NonzeroBits {
  std::vector<uint64_t> bits;
  int64_t words = 0;
  bool any(int64_t i) const {
    for (int64_t w = 0; w < words; ++w)
      if (bits[static_cast<std::size_t>(i * words + w)]) return true;
    return false;
  }
};

// The marking pass for float rows with A's rows contiguous (a_row = 1, as the linear VJP passes its
// upstream gradient) and K <= 64, 16 rows per instruction; returns the number of nonzero terms.
// NaN compares unordered, so NEQ_UQ keeps its terms.
__attribute__((target("avx512f,popcnt"))) int64_t mark_avx512(int64_t M, int64_t K, const float* A, int64_t a_k,
                                                              uint64_t* bits) {
  int64_t nonzero = 0, i = 0;
  for (; i + 16 <= M; i += 16) {
    __m512i lo = _mm512_setzero_si512(), hi = _mm512_setzero_si512();
    for (int64_t k = 0; k < K; ++k) {
      __mmask16 m = _mm512_cmp_ps_mask(_mm512_loadu_ps(A + k * a_k + i), _mm512_setzero_ps(), _CMP_NEQ_UQ);
      __m512i bit = _mm512_set1_epi64(static_cast<long long>(uint64_t{1} << k));
      lo = _mm512_mask_or_epi64(lo, static_cast<__mmask8>(m), lo, bit);
      hi = _mm512_mask_or_epi64(hi, static_cast<__mmask8>(m >> 8), hi, bit);
      nonzero += _mm_popcnt_u32(m);
    }
    _mm512_storeu_si512(bits + i, lo);
    _mm512_storeu_si512(bits + i + 8, hi);
  }
  for (; i < M; ++i)
    for (int64_t k = 0; k < K; ++k) {
      bool kept = A[k * a_k + i] != 0.0f;
      bits[i] |= static_cast<uint64_t>(kept) << k;
      nonzero += kept;
    }
  return nonzero;
}

// Whether the first terms of A (up to 8 columns of k, every row) have at least `fraction` zeros: a
// cheap look before the full marking pass, so a dense gradient costs little more than gemm().
template <class T> bool looks_sparse(int64_t M, int64_t K, const T* A, int64_t a_row, int64_t a_k, double fraction) {
  int64_t zeros = 0, seen = 0;
  for (int64_t k = 0; k < std::min<int64_t>(K, 8); ++k)
    for (int64_t i = 0; i < M; ++i, ++seen) zeros += A[i * a_row + k * a_k] == T(0);
  return static_cast<double>(zeros) >= fraction * static_cast<double>(seen);
}

// Marks each row's nonzero terms; false when fewer than `fraction` of A's terms are zero.
template <class T>
bool mark_nonzeros(int64_t M, int64_t K, const T* A, int64_t a_row, int64_t a_k, double fraction, NonzeroBits& nz) {
  if (!looks_sparse(M, K, A, a_row, a_k, fraction - 0.1)) return false;
  nz.words = (K + 63) / 64;
  nz.bits.assign(static_cast<std::size_t>(M * nz.words), 0);
  uint64_t* bits = nz.bits.data();
  int64_t nonzero = 0;  // NaN is not zero: its terms are kept
  bool marked = false;
  if constexpr (sizeof(T) == 4) {
    marked = a_row == 1 && K <= 64 && gemm_isa() == GemmPath::avx512;
    if (marked) nonzero = mark_avx512(M, K, A, a_k, bits);
  }
  if (!marked) {
    for (int64_t k = 0; k < K; ++k) {
      uint64_t* word = bits + k / 64;
      int shift = static_cast<int>(k % 64);
      for (int64_t i = 0; i < M; ++i) {
        bool kept = A[i * a_row + k * a_k] != T(0);
        word[i * nz.words] |= static_cast<uint64_t>(kept) << shift;
        nonzero += kept;
      }
    }
  }
  return static_cast<double>(M * K - nonzero) >= fraction * static_cast<double>(M * K);
}

// Whether every value of B (K rows of N contiguous columns) is finite: the exponent bits of each
// value are tested as integers, which vectorizes.
template <class T> bool all_finite(int64_t K, int64_t N, const T* B, int64_t b_k) {
  using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  constexpr Bits kExponent = static_cast<Bits>(sizeof(T) == 4 ? 0x7f800000ull : 0x7ff0000000000000ull);
  for (int64_t k = 0; k < K; ++k) {
    Bits worst = 0;
    for (int64_t j = 0; j < N; ++j) {
      Bits bits;
      std::memcpy(&bits, B + k * b_k + j, sizeof bits);
      worst |= (bits & kExponent) == kExponent ? Bits{1} : Bits{0};
    }
    if (worst) return false;
  }
  return true;
}

// B itself when each of its K rows (N values, row stride b_k) starts on a kAlignBytes boundary, else
// a copy whose rows do (b_k is updated to the copy's stride).
template <class T> const T* aligned_rows(int64_t K, int64_t N, const T* B, int64_t& b_k) {
  auto aligned = [](const void* p) { return reinterpret_cast<std::uintptr_t>(p) % kAlignBytes == 0; };
  if (aligned(B) && (b_k * static_cast<int64_t>(sizeof(T))) % kAlignBytes == 0) return B;
  constexpr int64_t per_line = kAlignBytes / static_cast<int64_t>(sizeof(T));
  int64_t stride = (N + per_line - 1) / per_line * per_line;
  static thread_local std::vector<T> copy;
  if (copy.size() < static_cast<std::size_t>(K * stride + per_line)) copy.resize(static_cast<std::size_t>(K * stride + per_line));
  T* base = copy.data();
  while (!aligned(base)) ++base;  // std::vector's storage is aligned to the element at least
  for (int64_t k = 0; k < K; ++k) std::memcpy(base + k * stride, B + k * b_k, sizeof(T) * static_cast<std::size_t>(N));
  b_k = stride;
  return base;
}

template <class T>
T full_chain(int64_t K, const T* A, int64_t a_row, int64_t a_k, const T* B, int64_t b_k, int64_t i, int64_t j) {
  T acc = 0;
  for (int64_t k = 0; k < K; ++k) acc = std::fma(A[i * a_row + k * a_k], B[k * b_k + j], acc);
  return acc;
}

// The problem one call works on, and what each row's chunks need from it.
template <class T> struct Problem {
  int64_t N, K;
  const T* A;
  int64_t a_row, a_k;
  const T* B;
  int64_t b_k;
  T* C;
  int64_t c_row;
  const NonzeroBits* nonzero;

  // Recomputes the -0 outputs of row i in columns [j0, j1) by the full chain (see the top).
  void restore_zero_signs(int64_t i, int64_t j0, int64_t j1) const {
    if (!nonzero->any(i)) return;  // no kept term: every output is the chain's +0 (skips the column scan)
    for (int64_t j = j0; j < j1; ++j) {
      T& c = C[i * c_row + j];
      if (c == T(0) && std::signbit(c)) c = full_chain(K, A, a_row, a_k, B, b_k, i, j);
    }
  }
};

// Calls f(k) for each nonzero term of row i, k ascending.
template <class F> inline __attribute__((always_inline)) void for_nonzero(const NonzeroBits& nz, int64_t i, F f) {
  for (int64_t w = 0; w < nz.words; ++w)
    for (uint64_t m = nz.bits[static_cast<std::size_t>(i * nz.words + w)]; m; m &= m - 1) f(w * 64 + __builtin_ctzll(m));
}

// Row i, columns [j0, N) (fewer than a vector): scalar chains.
template <class T> void row_tail(const Problem<T>& p, int64_t i, int64_t j0) {
  for (int64_t j = j0; j < p.N; ++j) {
    T acc = 0;
    for_nonzero(*p.nonzero, i, [&](int64_t k) { acc = std::fma(p.A[i * p.a_row + k * p.a_k], p.B[k * p.b_k + j], acc); });
    p.C[i * p.c_row + j] = acc;
  }
  p.restore_zero_signs(i, j0, p.N);
}

// CHUNK: row i, columns [j0, j0 + NV*L), one chain per lane over the row's nonzero terms. ROWS: rows
// [i0, i1), chunk by chunk (so a chunk's rows of B stay in L1 across the rows of C), then single
// vectors, then a scalar tail. One pair per instruction set (the target attribute cannot be a
// template parameter).
#define TL_SPARSE_KERNELS(CHUNK, ROWS, TARGET)                                                          \
  template <class I, int NV>                                                                            \
  __attribute__((target(TARGET), always_inline)) inline void CHUNK(const Problem<typename I::T>& p,     \
                                                                   int64_t i, int64_t j0) {             \
    using T = typename I::T;                                                                            \
    typename I::V acc[NV];                                                                              \
    for (int v = 0; v < NV; ++v) acc[v] = I::zero();                                                    \
    const T* arow = p.A + i * p.a_row;                                                                  \
    /* for_nonzero's walk, written out: a lambda called here would not inline into the target code */  \
    for (int64_t w = 0; w < p.nonzero->words; ++w)                                                      \
      for (uint64_t m = p.nonzero->bits[static_cast<std::size_t>(i * p.nonzero->words + w)]; m; m &= m - 1) { \
        int64_t k = w * 64 + __builtin_ctzll(m);                                                        \
        typename I::V a = I::set1(arow[k * p.a_k]);                                                     \
        const T* b = p.B + k * p.b_k + j0;                                                              \
        _Pragma("GCC unroll 16") for (int v = 0; v < NV; ++v) acc[v] = I::fma(a, I::load(b + v * I::L), acc[v]); \
      }                                                                                                 \
    bool zero = false;                                                                                  \
    for (int v = 0; v < NV; ++v) {                                                                      \
      I::store(p.C + i * p.c_row + j0 + v * I::L, acc[v]);                                              \
      zero |= I::any_negative_zero(acc[v]);                                                             \
    }                                                                                                   \
    if (zero) p.restore_zero_signs(i, j0, j0 + NV * I::L);                                              \
  }                                                                                                     \
  template <class I>                                                                                    \
  __attribute__((target(TARGET))) void ROWS(const Problem<typename I::T>& p, int64_t i0, int64_t i1) {  \
    constexpr int64_t W = kChunkVectors * I::L;                                                         \
    int64_t j = 0;                                                                                      \
    for (; j + W <= p.N; j += W)                                                                        \
      for (int64_t i = i0; i < i1; ++i) CHUNK<I, kChunkVectors>(p, i, j);                               \
    for (; j + I::L <= p.N; j += I::L)                                                                  \
      for (int64_t i = i0; i < i1; ++i) CHUNK<I, 1>(p, i, j);                                           \
    if (j < p.N)                                                                                        \
      for (int64_t i = i0; i < i1; ++i) row_tail(p, i, j);                                              \
  }
TL_SPARSE_KERNELS(chunk_avx512, rows_avx512, "avx512f")
TL_SPARSE_KERNELS(chunk_avx2, rows_avx2, "avx2,fma")
#undef TL_SPARSE_KERNELS

std::atomic<bool> skip_zero_terms{true};

}  // namespace

void set_skip_zero_terms(bool on) { skip_zero_terms = on; }

template <class T>
void gemm_skipping_zero_a(int64_t M, int64_t N, int64_t K, const T* A, int64_t a_row, int64_t a_k, const T* B,
                          int64_t b_col, int64_t b_k, T* C, int64_t c_row) {
  GemmPath path = gemm_isa();
  static thread_local NonzeroBits nonzero;
  if (!skip_zero_terms || M <= 0 || N <= 0 || K < 8 || b_col != 1 || path == GemmPath::portable || M * N * K < (int64_t{1} << 16) ||
      !mark_nonzeros(M, K, A, a_row, a_k, min_zero_fraction(path), nonzero) || !all_finite(K, N, B, b_k)) {
    gemm(M, N, K, A, a_row, a_k, B, b_col, b_k, C, c_row);
    return;
  }
  const T* rows_of_b = aligned_rows(K, N, B, b_k);
  Problem<T> p{N, K, A, a_row, a_k, rows_of_b, b_k, C, c_row, &nonzero};
  bool wide = path == GemmPath::avx512;
  // Rows as few as one per chunk: the weight gradients have few rows (10 to 256) of long work each.
  parallel_for(M, row_grain(N, K, 1), [&](int64_t i0, int64_t i1) {
    if constexpr (sizeof(T) == 4) wide ? rows_avx512<Avx512F32>(p, i0, i1) : rows_avx2<Avx2F32>(p, i0, i1);
    else wide ? rows_avx512<Avx512F64>(p, i0, i1) : rows_avx2<Avx2F64>(p, i0, i1);
  });
}

template void gemm_skipping_zero_a<float>(int64_t, int64_t, int64_t, const float*, int64_t, int64_t, const float*, int64_t,
                                          int64_t, float*, int64_t);
template void gemm_skipping_zero_a<double>(int64_t, int64_t, int64_t, const double*, int64_t, int64_t, const double*,
                                           int64_t, int64_t, double*, int64_t);

}  // namespace tl::fast

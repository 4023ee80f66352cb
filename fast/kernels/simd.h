// The vector operations of the GEMM kernels (gemm.cpp, gemm_sparse.cpp), one struct per instruction
// set and element type: set1, load, store, fma (one rounding), zero, and any_negative_zero (some
// lane holds -0, compared as bits). Each function carries its target attribute, so callers compile for the baseline ISA and are
// chosen at run time (gemm_isa()).
#pragma once

#include <immintrin.h>

#include <cstdint>

namespace tl::fast::simd {

#define TL_ISA(NAME, TARGET, TYPE, VEC, SET1, LOAD, FMA, STORE, ZERO, LANES, ANY_NEG_ZERO)                \
  struct NAME {                                                                                         \
    using T = TYPE;                                                                                     \
    using V = VEC;                                                                                      \
    static constexpr int64_t L = LANES;                                                                 \
    __attribute__((target(TARGET), always_inline)) static V set1(T x) { return SET1(x); }               \
    __attribute__((target(TARGET), always_inline)) static V load(const T* p) { return LOAD(p); }        \
    __attribute__((target(TARGET), always_inline)) static void store(T* p, V v) { STORE(p, v); }       \
    __attribute__((target(TARGET), always_inline)) static V fma(V a, V b, V c) { return FMA(a, b, c); } \
    __attribute__((target(TARGET), always_inline)) static V zero() { return ZERO(); }                  \
    __attribute__((target(TARGET), always_inline)) static bool any_negative_zero(V v) { return ANY_NEG_ZERO; }\
  };
TL_ISA(Avx512F32, "avx512f", float, __m512, _mm512_set1_ps, _mm512_loadu_ps, _mm512_fmadd_ps, _mm512_storeu_ps,
       _mm512_setzero_ps, 16, (_mm512_cmpeq_epi32_mask(_mm512_castps_si512(v), _mm512_set1_epi32(INT32_MIN)) != 0))
TL_ISA(Avx512F64, "avx512f", double, __m512d, _mm512_set1_pd, _mm512_loadu_pd, _mm512_fmadd_pd, _mm512_storeu_pd,
       _mm512_setzero_pd, 8, (_mm512_cmpeq_epi64_mask(_mm512_castpd_si512(v), _mm512_set1_epi64(INT64_MIN)) != 0))
TL_ISA(Avx2F32, "avx2,fma", float, __m256, _mm256_set1_ps, _mm256_loadu_ps, _mm256_fmadd_ps, _mm256_storeu_ps,
       _mm256_setzero_ps, 8, (_mm256_movemask_epi8(_mm256_cmpeq_epi32(_mm256_castps_si256(v), _mm256_set1_epi32(INT32_MIN))) != 0))
TL_ISA(Avx2F64, "avx2,fma", double, __m256d, _mm256_set1_pd, _mm256_loadu_pd, _mm256_fmadd_pd, _mm256_storeu_pd,
       _mm256_setzero_pd, 4, (_mm256_movemask_epi8(_mm256_cmpeq_epi64(_mm256_castpd_si256(v), _mm256_set1_epi64x(INT64_MIN))) != 0))
#undef TL_ISA

}  // namespace tl::fast::simd

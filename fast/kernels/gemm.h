// GEMM with a declared order: C[i, j] = FMA chain over k = 0, 1, ..., K-1 from +0 of
// A[i, k] * B[k, j] — the strict meaning's order for matmul, linear and their VJPs. B is packed into
// contiguous panels; the microkernels (AVX-512 or AVX2+FMA, chosen at run time by CPUID, or a
// portable loop) keep one FMA chain per output element in vector lanes, so every path gives the same
// bits. Threads split the rows of C.
#pragma once

#include <cstdint>
#include <string>

#include "spec/code_paths.h"

namespace tl::fast {

// Element (i, k) of A is A[i * a_row + k * a_k]; element (k, j) of B is B[j * b_col + k * b_k];
// C[i * c_row + j] is written.
template <class T>
void gemm(int64_t M, int64_t N, int64_t K, const T* A, int64_t a_row, int64_t a_k, const T* B,
          int64_t b_col, int64_t b_k, T* C, int64_t c_row);

// The same bits as gemm(), faster when many A[i, k] are ±0 (a ReLU's gradient, or a ReLU's output
// as matmul's first operand): the zero terms are skipped where that is exact — B finite, and a -0
// result recomputed by the full chain, since skipping can change nothing else (gemm_sparse.cpp) —
// and gemm() runs instead when B's columns are not contiguous (b_col != 1), fewer than 35% of A's
// terms are zero (45% on the AVX2 path), B holds inf or NaN, K < 8 or M*N*K < 2^16, or no vector
// path is available.
template <class T>
void gemm_skipping_zero_a(int64_t M, int64_t N, int64_t K, const T* A, int64_t a_row, int64_t a_k, const T* B,
                          int64_t b_col, int64_t b_k, T* C, int64_t c_row);

// Whether gemm_skipping_zero_a may skip (default true); false makes it run gemm(), the same bits,
// so a benchmark can time both in one run (bench/fast_bench).
void set_skip_zero_terms(bool on);

// Rows of C per parallel chunk for rows of n outputs over k terms: at least ~256k multiply-adds
// each, so waking the pool pays for itself, and at least `min_rows`.
int64_t row_grain(int64_t n, int64_t k, int64_t min_rows = 8);

// The microkernel this CPU uses (TL_GEMM=portable|avx2 forces a narrower one, for tests), and its
// name: "avx512", "avx2" or "portable".
enum class GemmPath { portable, avx2, avx512 };
GemmPath gemm_isa();

// The sizes at which gemm() and gemm_skipping_zero_a() change path on this CPU for element type T
// (float or double), from the constants they use: tile rows, row groups, panel widths, A packing, the
// k blocks, the thread split of rows and the zero-skipping path's minimum K (tl-check's case lists
// cross each one).
template <class T> CodePaths gemm_code_paths();
std::string gemm_path();

}  // namespace tl::fast

// Fast sound enclosures of many dot products of exact doubles, for the real meaning's large
// contractions (matmul and linear, forward and VJPs): a 512×512×512 matmul is 1.3e8 products, too
// many for MPFI's one-multiply-one-add per term. Each dot is summed by error-free transformations —
// TwoProduct by fma (a·b = p + q exactly while the product stays clear of underflow) and TwoSum
// (s + p = t + e exactly) — so a·b = s + Σ(e_k + q_k) exactly; the correction Σ(e_k + q_k) is summed in
// double, whose recursive-summation error is at most γ_(2n−1)·Σ(|e_k| + |q_k|) (Higham, Thm 4.4;
// additions with subnormal results are exact, so there is no underflow term). The enclosure is
// s + c ± that bound, about 2n²u² of the partial sums wide (u = 2^-53): ample to decide roundings to
// float32 and float64 except under extreme cancellation, where the checker's Ziv loop asks for more
// bits and the exact MPFI chain runs instead. A dot with a non-finite term, a product near underflow
// (|p| < 2^-969, where q may be inexact) or near overflow is done by the MPFI chain (IntervalDot)
// from the start. tests/reference/dot_enclosure_test.cpp checks every enclosure against MPFI.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "reference/scalar_interval.h"

namespace tl::ref {

// The precision up to which the fast path is used (the checker's first precision); above it the
// MPFI chain runs, so a raised precision really narrows the enclosure.
inline constexpr mpfr_prec_t kFastEnclosureMaxPrecision = 128;

// The elements as doubles when every one is a point equal to a double (inputs and upstream gradients
// are; computed intervals usually are not).
std::optional<std::vector<double>> exact_doubles(const std::vector<Interval>& v);

// A(i, k) = base[i * row + k * col].
struct Strided {
  const double* base;
  int64_t row, col;
};

// out[offset + i * out_row + j * out_col] = Σ_k A(i, k)·B(j, k) enclosed, for i < m, j < p, k < n.
void enclose_dots(Strided a, Strided b, int64_t m, int64_t p, int64_t n, std::vector<Interval>& out, int64_t offset,
                  int64_t out_row, int64_t out_col);

// The strict meaning of the same contraction in T (float or double): out[i * out_row + j * out_col] =
// the FMA chain fma(A(i, k), B(j, k), acc) from +0 over ascending k — the reference's declared order
// for matmul and linear, one correctly rounded fma per term (an FMA instruction where the CPU has one,
// libm's fma otherwise).
template <class T>
void strict_dots(const T* a, int64_t a_row, int64_t a_col, const T* b, int64_t b_row, int64_t b_col, int64_t m, int64_t p,
                 int64_t n, T* out, int64_t out_row, int64_t out_col);

// One dot product of contiguous a[0..n) and b[0..n) by the fast path; nullopt where it declines (see
// above). For the tests.
std::optional<Interval> enclose_dot(const double* a, const double* b, int64_t n);

}  // namespace tl::ref

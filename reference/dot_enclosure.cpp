// Dot-product enclosures by error-free transformations, and the strict FMA chains of the same dots
// (dot_enclosure.h).
#include "reference/dot_enclosure.h"

#include <algorithm>
#include <cmath>
#include <thread>

namespace tl::ref {
namespace {

constexpr double kUnit = 0x1p-53;
constexpr double kSmallestExactProduct = 0x1p-969;  // 2^(emin + p - 1): the product's error is exact above it
constexpr double kLargestSafe = 0x1p995;            // Veltkamp's split and TwoSum stay clear of overflow
constexpr double kSplitter = 134217729.0;           // 2^27 + 1

// s + c and the computed magnitude Σ(|e_k| + |q_k|) of one dot.
struct DotSum {
  double s = 0, c = 0, magnitude = 0;
};

// What the exactness conditions need to know of one packed row: all finite, its largest magnitude
// and its smallest nonzero one.
struct RowRange {
  bool finite = true;
  double max_abs = 0, min_nonzero = INFINITY;
};

RowRange range_of(const double* r, int64_t n) {
  RowRange out;
  for (int64_t k = 0; k < n; ++k) {
    const double x = std::fabs(r[k]);
    out.finite = out.finite && std::isfinite(x);
    out.max_abs = std::max(out.max_abs, x);
    if (x > 0) out.min_nonzero = std::min(out.min_nonzero, x);
  }
  return out;
}

// Every product of the two rows is exact as p + q (no nonzero product below 2^-969, where the error
// term could underflow) and no product, split or partial sum comes near overflow — checked once per
// pair of rows from their ranges, so the loops below test nothing per term.
bool exact_pair(const RowRange& a, const RowRange& b, int64_t n) {
  if (!a.finite || !b.finite || a.max_abs > kLargestSafe || b.max_abs > kLargestSafe) return false;
  if (a.max_abs * b.max_abs * static_cast<double>(n + 1) > kLargestSafe) return false;
  return a.min_nonzero == INFINITY || b.min_nonzero == INFINITY || a.min_nonzero * b.min_nonzero >= kSmallestExactProduct;
}

// TwoSum (Knuth): s + p = t + e exactly, barring overflow.
inline void accumulate(DotSum& d, double p, double q) {
  const double t = d.s + p, z = t - d.s, e = (d.s - (t - z)) + (p - z);
  d.s = t;
  d.c = (d.c + e) + q;
  d.magnitude = (d.magnitude + std::fabs(e)) + std::fabs(q);
}

// Dekker's TwoProduct with Veltkamp's split: x·y = p + q exactly under exact_pair (plain IEEE double,
// no fma needed; the reference is built with -ffp-contract=off).
inline double product_error(double x, double y, double p) {
  const double cx = kSplitter * x, xh = cx - (cx - x), xl = x - xh;
  const double cy = kSplitter * y, yh = cy - (cy - y), yl = y - yh;
  return (((xh * yh - p) + xh * yl) + xl * yh) + xl * yl;
}

// Four dots of row a with rows b[0..4) at once (independent chains overlap their latencies). With
// `float_operands` every product is exact in double (24 + 24 < 53 bits) and q = 0.
template <bool float_operands>
void dot_sums4(const double* a, const double* const* b, int64_t n, DotSum* d) {
  for (int64_t k = 0; k < n; ++k) {
    const double x = a[k];
    for (int r = 0; r < 4; ++r) {
      const double y = b[r][k], p = x * y;
      accumulate(d[r], p, float_operands ? 0.0 : product_error(x, y, p));
    }
  }
}

// Sets `out` (at its own precision, no allocation) to s + c ± the bound; false where the fast path
// declines.
bool set_enclosure(const DotSum& d, int64_t n, Interval& out) {
  if (!(std::fabs(d.s) <= kLargestSafe) || !std::isfinite(d.magnitude)) return false;
  const double terms = 2 * static_cast<double>(n);
  if (terms * kUnit > 0x1p-8) return false;  // keep γ far from 1
  // |c − Σ(e_k + q_k)| <= γ_(2n−1)·Σ(|e_k| + |q_k|) <= γ/(1 − γ)·magnitude; the slack covers the few
  // roundings of this bound itself.
  const double gamma = (terms * kUnit) / (1 - terms * kUnit);
  const double bound = gamma / (1 - gamma) / (1 - gamma) * d.magnitude * (1 + 0x1p-30);
  mpfi_ptr r = out.raw();
  mpfr_set_d(&r->left, d.s, MPFR_RNDD);
  mpfr_add_d(&r->left, &r->left, d.c, MPFR_RNDD);
  mpfr_sub_d(&r->left, &r->left, bound, MPFR_RNDD);
  mpfr_set_d(&r->right, d.s, MPFR_RNDU);
  mpfr_add_d(&r->right, &r->right, d.c, MPFR_RNDU);
  mpfr_add_d(&r->right, &r->right, bound, MPFR_RNDU);
  return true;
}

Interval mpfi_dot(const double* a, const double* b, int64_t n) {
  IntervalDot dot;
  for (int64_t k = 0; k < n; ++k) dot.add(Interval::from_double(a[k]), Interval::from_double(b[k]));
  return dot.result();
}

template <class T> bool all_float(const std::vector<T>& v) {
  for (T x : v)
    if (static_cast<double>(static_cast<float>(x)) != static_cast<double>(x) && !std::isnan(static_cast<double>(x))) return false;
  return true;
}

// A packed with k contiguous: out[i * n + k] = A(i, k).
template <class T> std::vector<T> packed(const T* base, int64_t row, int64_t col, int64_t rows, int64_t n) {
  std::vector<T> out(static_cast<std::size_t>(rows * n));
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t k = 0; k < n; ++k) out[static_cast<std::size_t>(i * n + k)] = base[i * row + k * col];
  return out;
}

// body(i) for i < m, on two threads when the work is large (a 512³ contraction is 1.3e8 terms). The
// checker's own workers may be busy too; the split only shortens one large case.
void for_rows(int64_t m, int64_t work, const std::function<void(int64_t)>& body) {
  const unsigned threads = work >= (int64_t{1} << 22) ? std::min(2u, std::max(1u, std::thread::hardware_concurrency())) : 1u;
  if (threads == 1 || m < 2) {
    for (int64_t i = 0; i < m; ++i) body(i);
    return;
  }
  const mpfr_prec_t precision = Interval::precision();
  std::thread second([&] {
    IntervalPrecision guard(precision);  // the working precision is per thread
    for (int64_t i = 1; i < m; i += 2) body(i);
  });
  for (int64_t i = 0; i < m; i += 2) body(i);
  second.join();
}

// The strict FMA chains acc_j = fma(a_k, b_jk, acc_j) from +0 over k, in T, for four rows b_j at once
// (independent chains, so the FMA latency overlaps; each chain's order is unchanged). Cloned for FMA
// hardware (one instruction per term) and the default target (libm's correctly rounded fma): the same
// IEEE results.
template <class T> inline void chains4(const T* a, const T* b0, const T* b1, const T* b2, const T* b3, int64_t n, T* out) {
  T c0 = 0, c1 = 0, c2 = 0, c3 = 0;
  for (int64_t k = 0; k < n; ++k) {
    const T x = a[k];
    c0 = std::fma(x, b0[k], c0);
    c1 = std::fma(x, b1[k], c1);
    c2 = std::fma(x, b2[k], c2);
    c3 = std::fma(x, b3[k], c3);
  }
  out[0] = c0, out[1] = c1, out[2] = c2, out[3] = c3;
}
__attribute__((target_clones("fma", "default"))) void chains4_f32(const float* a, const float* b0, const float* b1,
                                                                  const float* b2, const float* b3, int64_t n, float* out) {
  chains4(a, b0, b1, b2, b3, n, out);
}
__attribute__((target_clones("fma", "default"))) void chains4_f64(const double* a, const double* b0, const double* b1,
                                                                  const double* b2, const double* b3, int64_t n, double* out) {
  chains4(a, b0, b1, b2, b3, n, out);
}
inline void chains(const float* a, const float* b0, const float* b1, const float* b2, const float* b3, int64_t n, float* out) {
  chains4_f32(a, b0, b1, b2, b3, n, out);
}
inline void chains(const double* a, const double* b0, const double* b1, const double* b2, const double* b3, int64_t n,
                   double* out) {
  chains4_f64(a, b0, b1, b2, b3, n, out);
}

}  // namespace

std::optional<std::vector<double>> exact_doubles(const std::vector<Interval>& v) {
  std::vector<double> out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    mpfi_srcptr x = v[i].raw();
    if (!mpfr_equal_p(&x->left, &x->right)) return std::nullopt;
    out[i] = mpfr_get_d(&x->left, MPFR_RNDN);
    if (mpfr_cmp_d(&x->left, out[i]) != 0) return std::nullopt;  // a point, but no double
  }
  return out;
}

std::optional<Interval> enclose_dot(const double* a, const double* b, int64_t n) {
  if (!exact_pair(range_of(a, n), range_of(b, n), n)) return std::nullopt;
  const double* rows[4] = {b, b, b, b};
  DotSum d[4];
  dot_sums4<false>(a, rows, n, d);
  Interval out;
  if (!set_enclosure(d[0], n, out)) return std::nullopt;
  return out;
}

void enclose_dots(Strided a, Strided b, int64_t m, int64_t p, int64_t n, std::vector<Interval>& out, int64_t offset,
                  int64_t out_row, int64_t out_col) {
  const std::vector<double> pa = packed(a.base, a.row, a.col, m, n), pb = packed(b.base, b.row, b.col, p, n);
  const bool float_operands = all_float(pa) && all_float(pb);
  std::vector<RowRange> ra, rb;
  for (int64_t i = 0; i < m; ++i) ra.push_back(range_of(pa.data() + i * n, n));
  for (int64_t j = 0; j < p; ++j) rb.push_back(range_of(pb.data() + j * n, n));
  for_rows(m, m * p * n, [&](int64_t i) {
    const double* ai = pa.data() + i * n;
    for (int64_t j = 0; j < p; j += 4) {  // the last group repeats row p - 1 where fewer than four are left
      const double* b4[4];
      for (int64_t r = 0; r < 4; ++r) b4[r] = pb.data() + std::min(j + r, p - 1) * n;
      DotSum d[4];
      if (float_operands) dot_sums4<true>(ai, b4, n, d);
      else dot_sums4<false>(ai, b4, n, d);
      for (int64_t r = 0; r < 4 && j + r < p; ++r) {
        Interval& target = out[static_cast<std::size_t>(offset + i * out_row + (j + r) * out_col)];
        if (!exact_pair(ra[static_cast<std::size_t>(i)], rb[static_cast<std::size_t>(j + r)], n) || !set_enclosure(d[r], n, target))
          target = mpfi_dot(ai, b4[r], n);
      }
    }
  });
}

template <class T>
void strict_dots(const T* a, int64_t a_row, int64_t a_col, const T* b, int64_t b_row, int64_t b_col, int64_t m, int64_t p,
                 int64_t n, T* out, int64_t out_row, int64_t out_col) {
  const std::vector<T> pa = packed(a, a_row, a_col, m, n), pb = packed(b, b_row, b_col, p, n);
  for_rows(m, m * p * n, [&](int64_t i) {
    const T* ai = pa.data() + i * n;
    T four[4];
    for (int64_t j = 0; j < p; j += 4) {  // the last group repeats row p - 1 where fewer than four are left
      const T* b[4];
      for (int64_t r = 0; r < 4; ++r) b[r] = pb.data() + std::min(j + r, p - 1) * n;
      chains(ai, b[0], b[1], b[2], b[3], n, four);
      for (int64_t r = 0; r < 4 && j + r < p; ++r) out[i * out_row + (j + r) * out_col] = four[r];
    }
  });
}

template void strict_dots<float>(const float*, int64_t, int64_t, const float*, int64_t, int64_t, int64_t, int64_t,
                                 int64_t, float*, int64_t, int64_t);
template void strict_dots<double>(const double*, int64_t, int64_t, const double*, int64_t, int64_t, int64_t, int64_t,
                                  int64_t, double*, int64_t, int64_t);

}  // namespace tl::ref

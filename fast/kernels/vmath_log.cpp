// float log, scalar and AVX-512 with identical operations in the same order (so both give the same
// bits), evaluated in double and rounded once:
//   x = m 2^k with m in [0.75, 1.5) (frexp / getmant+getexp),  s = (m - 1) / (m + 1),  z = s s,
//   log m = 2 atanh s = 2s + 2s z P(z),  P(z) = sum_{j=0..8} z^j / (2j + 3)  (|s| <= 0.2: the first
//   omitted term is below 2^-44 relative),  log x = k ln2_hi + (k ln2_lo + log m).
// Special values as the reference's table: log(+0) = log(-0) = -inf, x < 0 -> NaN, log(+inf) = +inf,
// NaN -> NaN (quieted).
#include <cmath>
#include <limits>

#include "fast/kernels/vmath.h"
#include "fast/kernels/vmath_internal.h"

namespace tl::fast {
namespace {

constexpr double kLn2Hi = 0.693147180369123816490;   // high bits of ln 2 (k * kLn2Hi exact for |k| < 2^10)
constexpr double kLn2Lo = 1.90821492927058770002e-10;
// 1 / (2j + 3) for j = 8 .. 0 (Horner from the highest degree).
constexpr double kOdd[9] = {1.0 / 19, 1.0 / 17, 1.0 / 15, 1.0 / 13, 1.0 / 11, 1.0 / 9, 1.0 / 7, 1.0 / 5, 1.0 / 3};

double log_reduced(double m, double k) {
  double s = (m - 1.0) / (m + 1.0), z = s * s, p = kOdd[0];
  for (int j = 1; j < 9; ++j) p = std::fma(p, z, kOdd[j]);
  double two_s = 2.0 * s;
  double lm = std::fma(two_s * z, p, two_s);
  return std::fma(k, kLn2Hi, std::fma(k, kLn2Lo, lm));
}

__attribute__((target("avx512f,avx512dq"))) void log_block(const float* x, float* out) {
  __m512d xd = _mm512_cvtps_pd(_mm256_loadu_ps(x));
  __mmask8 nan = _mm512_cmp_pd_mask(xd, xd, _CMP_UNORD_Q);
  __mmask8 zero = _mm512_cmp_pd_mask(xd, _mm512_setzero_pd(), _CMP_EQ_OQ);
  __mmask8 negative = _mm512_cmp_pd_mask(xd, _mm512_setzero_pd(), _CMP_LT_OQ);
  __mmask8 inf = _mm512_cmp_pd_mask(xd, _mm512_set1_pd(std::numeric_limits<double>::infinity()), _CMP_EQ_OQ);
  __m512d m = _mm512_getmant_pd(xd, _MM_MANT_NORM_p75_1p5, _MM_MANT_SIGN_zero);
  __m512d e = _mm512_getexp_pd(xd);
  __mmask8 below_one = _mm512_cmp_pd_mask(m, _mm512_set1_pd(1.0), _CMP_LT_OQ);
  __m512d k = _mm512_mask_add_pd(e, below_one, e, _mm512_set1_pd(1.0));
  __m512d one = _mm512_set1_pd(1.0);
  __m512d s = _mm512_div_pd(_mm512_sub_pd(m, one), _mm512_add_pd(m, one));
  __m512d z = _mm512_mul_pd(s, s), p = _mm512_set1_pd(kOdd[0]);
  for (int j = 1; j < 9; ++j) p = _mm512_fmadd_pd(p, z, _mm512_set1_pd(kOdd[j]));
  __m512d two_s = _mm512_mul_pd(_mm512_set1_pd(2.0), s);
  __m512d lm = _mm512_fmadd_pd(_mm512_mul_pd(two_s, z), p, two_s);
  __m512d res = _mm512_fmadd_pd(k, _mm512_set1_pd(kLn2Hi), _mm512_fmadd_pd(k, _mm512_set1_pd(kLn2Lo), lm));
  res = _mm512_mask_blend_pd(zero, res, _mm512_set1_pd(-std::numeric_limits<double>::infinity()));
  res = _mm512_mask_blend_pd(negative, res, _mm512_set1_pd(std::numeric_limits<double>::quiet_NaN()));
  res = _mm512_mask_blend_pd(inf, res, xd);
  res = _mm512_mask_blend_pd(nan, res, xd);
  _mm256_storeu_ps(out, _mm512_cvtpd_ps(res));
}

}  // namespace

float log_f32(float x) {
  if (x != x) return quiet(x);
  if (x == 0) return -std::numeric_limits<float>::infinity();
  if (x < 0) return std::numeric_limits<float>::quiet_NaN();
  if (std::isinf(x)) return x;
  int exponent = 0;
  double f = std::frexp(static_cast<double>(x), &exponent);  // x = f 2^exponent, f in [0.5, 1)
  double m = f < 0.75 ? 2.0 * f : f;
  double k = static_cast<double>(f < 0.75 ? exponent - 1 : exponent);
  return static_cast<float>(log_reduced(m, k));
}

void log_f32_array(const float* x, float* y, int64_t n) {
  int64_t i = 0;
  if (has_avx512()) for (; i + kVmathBlock <= n; i += kVmathBlock) log_block(x + i, y + i);
  for (; i < n; ++i) y[i] = log_f32(x[i]);
}

}  // namespace tl::fast

// float gelu (tanh form) and its derivative on exp_poly, scalar and AVX-512 with identical
// operations in the same order (so both give the same bits):
//   z = 2 (c (x + ((a x) x) x)),  c = sqrt(2/pi), a = 0.044715,  e = exp(-min(|z|, 400)),
//   s = (z >= 0 ? 1 : e) / (1 + e) = sigmoid(z),  gelu = x s,
//   gelu' = s + (2 x) (c (1 + ((3 a) x) x)) e / ((1 + e)(1 + e)),
// evaluated in double; gelu is rounded once to float, gelu' stays in double and its VJP rounds
// g * gelu' once. Beyond |x| = 1e4 the results are the limits (gelu(-x) = -0, gelu' = 1 or -0),
// which also covers the infinities.
#include <cmath>

#include "fast/kernels/vmath.h"
#include "fast/kernels/vmath_internal.h"

namespace tl::fast {
namespace {

constexpr double kC = 0.79788456080286535587989211986876373;  // sqrt(2/pi)
constexpr double kA = 0.044715;
constexpr float kFar = 1e4f;
// |z| is clamped to 400: for |x| <= 1e4, x e^-400 and even 2e12 e^-400 (the largest factor gelu'
// puts on sigmoid'(z)) times the largest float g are far below half the smallest float subnormal,
// as the exact values are. (A clamp of 110 left gelu(-9582) = -12 subnormal ulps instead of -0:
// found by bench/ulp_survey; 200 sufficed until the VJP's product moved into double.)
constexpr double kClamp = 400.0;

double gelu_z(double x) { return 2.0 * (kC * (x + kA * x * x * x)); }

__attribute__((target("avx512f,avx512dq"))) void gelu_block(const float* x, const float* g, float* out, bool grad) {
  __m512d xd = _mm512_cvtps_pd(_mm256_loadu_ps(x));
  __mmask8 nan = _mm512_cmp_pd_mask(xd, xd, _CMP_UNORD_Q);
  __mmask8 far_neg = _mm512_cmp_pd_mask(xd, _mm512_set1_pd(-kFar), _CMP_LT_OQ);
  __mmask8 far_pos = _mm512_cmp_pd_mask(xd, _mm512_set1_pd(kFar), _CMP_GT_OQ);
  __m512d one = _mm512_set1_pd(1.0);
  __m512d cube = _mm512_mul_pd(_mm512_mul_pd(_mm512_mul_pd(_mm512_set1_pd(kA), xd), xd), xd);
  __m512d z = _mm512_mul_pd(_mm512_set1_pd(2.0), _mm512_mul_pd(_mm512_set1_pd(kC), _mm512_add_pd(xd, cube)));
  __m512d e = exp_poly_v(_mm512_sub_pd(_mm512_setzero_pd(), _mm512_min_pd(_mm512_abs_pd(z), _mm512_set1_pd(kClamp))));
  __m512d d = _mm512_add_pd(one, e);
  __mmask8 nonneg = _mm512_cmp_pd_mask(z, _mm512_setzero_pd(), _CMP_GE_OQ);
  __m512d s = _mm512_div_pd(_mm512_mask_blend_pd(nonneg, e, one), d);
  __m512d res;
  if (grad) {
    __m512d ds = _mm512_div_pd(e, _mm512_mul_pd(d, d));
    __m512d q = _mm512_add_pd(one, _mm512_mul_pd(_mm512_mul_pd(_mm512_set1_pd(3.0 * kA), xd), xd));
    __m512d t = _mm512_mul_pd(_mm512_mul_pd(_mm512_set1_pd(2.0), xd), _mm512_mul_pd(_mm512_set1_pd(kC), q));
    res = _mm512_add_pd(s, _mm512_mul_pd(t, ds));
    res = _mm512_mask_blend_pd(far_pos, res, one);
  } else {
    res = _mm512_mul_pd(xd, s);
    res = _mm512_mask_blend_pd(far_pos, res, xd);
  }
  res = _mm512_mask_blend_pd(far_neg, res, _mm512_set1_pd(-0.0));
  res = _mm512_mask_blend_pd(nan, res, xd);
  if (grad) res = _mm512_mul_pd(_mm512_cvtps_pd(_mm256_loadu_ps(g)), res);
  _mm256_storeu_ps(out, _mm512_cvtpd_ps(res));
}

}  // namespace

float gelu_f32(float x) {
  if (x != x) return quiet(x);
  if (x < -kFar) return -0.0f;
  if (x > kFar) return x;
  double xd = x, z = gelu_z(xd);
  double e = exp_poly(-std::fmin(std::fabs(z), kClamp));
  double s = (z >= 0 ? 1.0 : e) / (1.0 + e);
  return static_cast<float>(xd * s);
}

double gelu_grad_wide(float x) {
  if (x != x) return quiet(x);
  if (x < -kFar) return -0.0;
  if (x > kFar) return 1.0;
  double xd = x, z = gelu_z(xd);
  double e = exp_poly(-std::fmin(std::fabs(z), kClamp)), d = 1.0 + e;
  double s = (z >= 0 ? 1.0 : e) / d, ds = e / (d * d);
  double t = (2.0 * xd) * (kC * (1.0 + (3.0 * kA) * xd * xd));
  return s + t * ds;
}

void gelu_f32_array(const float* x, float* y, int64_t n) {
  int64_t i = 0;
  if (has_avx512()) for (; i + kVmathBlock <= n; i += kVmathBlock) gelu_block(x + i, nullptr, y + i, false);
  for (; i < n; ++i) y[i] = gelu_f32(x[i]);
}

void gelu_grad_f32_array(const float* x, const float* g, float* dx, int64_t n) {
  int64_t i = 0;
  if (has_avx512()) for (; i + kVmathBlock <= n; i += kVmathBlock) gelu_block(x + i, g + i, dx + i, true);
  for (; i < n; ++i) dx[i] = static_cast<float>(static_cast<double>(g[i]) * gelu_grad_wide(x[i]));
}

}  // namespace tl::fast

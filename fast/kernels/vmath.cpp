// exp_poly and the float tanh built on it, scalar and AVX-512 (identical operations).
#include "fast/kernels/vmath.h"
#include "fast/kernels/vmath_internal.h"
#include "fast/planted.h"

#include <cmath>
#include <cstring>

namespace tl::fast {
namespace {

constexpr double kLog2e = 1.4426950408889634;
constexpr double kLn2Hi = 0.693147180369123816490;   // high bits of ln 2 (exact product with n)
constexpr double kLn2Lo = 1.90821492927058770002e-10;  // ln 2 - kLn2Hi
// 1/k! for k = 11 .. 0 (Horner from the highest degree).
constexpr double kInvFact[12] = {2.505210838544172e-08, 2.755731922398589e-07, 2.755731922398589e-06,
                                 2.48015873015873e-05, 0.0001984126984126984, 0.001388888888888889,
                                 0.008333333333333333, 0.041666666666666664, 0.16666666666666666,
                                 0.5, 1.0, 1.0};

// Clamps of |x| (see tanh_grad_wide and sigmoid_f32): far enough that g f'(x) rounds to 0 for every
// float g beyond them, as the exact value does.
constexpr double kGradClamp = 120.0;
constexpr double kSigmoidClamp = 200.0;

// tanh(x) = s * (1 - u) / (1 + u) with u = e^{-2|x|}, s = sign(x); tiny |x| use x directly.
double tanh_from_u(double ax, double u) { return ax < 0x1p-13 ? ax : (1.0 - u) / (1.0 + u); }

}  // namespace

bool has_avx512() {
  static const bool yes = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
  }();
  return yes;
}

double exp_poly(double x) {
  double n = std::nearbyint(x * kLog2e);
  double r = std::fma(-n, kLn2Lo, std::fma(-n, kLn2Hi, x));
  double p = kInvFact[0];
  for (int i = 1; i < 12; ++i) p = std::fma(p, r, kInvFact[i]);
  int64_t bits = (static_cast<int64_t>(n) + 1023) << 52;
  double scale;
  std::memcpy(&scale, &bits, 8);
  return p * scale;
}

// A NaN comes back quieted with its payload, as the vector path's float -> double -> float
// conversions return it (the compiler may drop a scalar round trip, so set the quiet bit by hand).
float quiet(float x) {
  uint32_t bits;
  std::memcpy(&bits, &x, 4);
  bits |= 0x00400000u;
  std::memcpy(&x, &bits, 4);
  return x;
}

float tanh_f32(float x) {
  if (x != x) return quiet(x);
  double ax = std::fmin(std::fabs(static_cast<double>(x)), 20.0);
  double t = tanh_from_u(ax, exp_poly(-2.0 * ax));
  return static_cast<float>(std::copysign(t, static_cast<double>(x)));
}

// |x| is clamped to 120: sech^2(120) = 4e^-240 times the largest float g is still far below half
// the smallest float subnormal, as g sech^2(x) is beyond it (a clamp of 60 sufficed while f' was
// rounded to float before the product: sech^2(60) rounds to +0).
double tanh_grad_wide(float x) {
  if (x != x) return quiet(x);
  double ax = std::fmin(std::fabs(static_cast<double>(x)), kGradClamp);
  double u = exp_poly(-2.0 * ax);  // sech^2 = 4u / (1 + u)^2
  return 4.0 * u / ((1.0 + u) * (1.0 + u));
}

// exp: arguments clamped to [-110, 100], where the double result already rounds to 0 or inf in
// float, so the conversion produces the right limits.
float exp_f32(float x) {
  if (x != x) return quiet(x);
  return static_cast<float>(exp_poly(std::fmax(std::fmin(static_cast<double>(x), 100.0), -110.0)));
}

// sigmoid: e = exp(-|x|), x >= 0: 1/(1+e), x < 0: e/(1+e). |x| is clamped to 200: beyond, the
// float result is 0 or 1 anyway, and e^-200 times the largest float g (sigmoid') is still far below
// half the smallest float subnormal.
float sigmoid_f32(float x) {
  if (x != x) return quiet(x);
  double e = exp_poly(-std::fmin(std::fabs(static_cast<double>(x)), kSigmoidClamp));
  return static_cast<float>((x >= 0 ? 1.0 : e) / (1.0 + e));
}

double sigmoid_grad_wide(float x) {
  if (x != x) return quiet(x);
  double e = exp_poly(-std::fmin(std::fabs(static_cast<double>(x)), kSigmoidClamp));
  return e / ((1.0 + e) * (1.0 + e));
}

__attribute__((target("avx512f,avx512dq"))) __m512d exp_poly_v(__m512d x) {
  __m512d n = _mm512_roundscale_pd(_mm512_mul_pd(x, _mm512_set1_pd(kLog2e)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512d r = _mm512_fmadd_pd(_mm512_sub_pd(_mm512_setzero_pd(), n), _mm512_set1_pd(kLn2Hi), x);
  r = _mm512_fmadd_pd(_mm512_sub_pd(_mm512_setzero_pd(), n), _mm512_set1_pd(kLn2Lo), r);
  __m512d p = _mm512_set1_pd(kInvFact[0]);
  for (int i = 1; i < 12; ++i) p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(kInvFact[i]));
  __m512i e = _mm512_slli_epi64(_mm512_add_epi64(_mm512_cvtpd_epi64(n), _mm512_set1_epi64(1023)), 52);
  return _mm512_mul_pd(p, _mm512_castsi512_pd(e));
}

namespace {

// Eight floats at a time, in double; `grad` selects g sech^2 (the product in double) instead of tanh.
__attribute__((target("avx512f,avx512dq"))) void tanh_block(const float* x, const float* g, float* out, bool grad) {
  __m512d xd = _mm512_cvtps_pd(_mm256_loadu_ps(x));
  __mmask8 nan = _mm512_cmp_pd_mask(xd, xd, _CMP_UNORD_Q);
  __m512d ax = _mm512_min_pd(_mm512_abs_pd(xd), _mm512_set1_pd(grad ? kGradClamp : 20.0));
  __m512d u = exp_poly_v(_mm512_mul_pd(_mm512_set1_pd(-2.0), ax));
  __m512d one = _mm512_set1_pd(1.0), res;
  if (grad) {
    __m512d d = _mm512_add_pd(one, u);
    res = _mm512_div_pd(_mm512_mul_pd(_mm512_set1_pd(4.0), u), _mm512_mul_pd(d, d));
  } else {
    res = _mm512_div_pd(_mm512_sub_pd(one, u), _mm512_add_pd(one, u));
    __mmask8 tiny = _mm512_cmp_pd_mask(ax, _mm512_set1_pd(0x1p-13), _CMP_LT_OQ);
    res = _mm512_mask_blend_pd(tiny, res, ax);
    // copysign(res, x)
    __m512i sign = _mm512_and_si512(_mm512_castpd_si512(xd), _mm512_set1_epi64(INT64_MIN));
    res = _mm512_castsi512_pd(_mm512_or_si512(_mm512_castpd_si512(res), sign));
  }
  res = _mm512_mask_blend_pd(nan, res, xd);
  if (grad) res = _mm512_mul_pd(_mm512_cvtps_pd(_mm256_loadu_ps(g)), res);
  _mm256_storeu_ps(out, _mm512_cvtpd_ps(res));
}

enum class ExpKind { exp, sigmoid, sigmoid_grad };

// Eight floats at a time, in double, with the operations of exp_f32 / sigmoid_f32 /
// sigmoid_grad_wide; for sigmoid_grad the result is multiplied by g in double before the rounding.
__attribute__((target("avx512f,avx512dq"))) void exp_block(ExpKind kind, const float* x, const float* g, float* out) {
  __m512d xd = _mm512_cvtps_pd(_mm256_loadu_ps(x));
  __mmask8 nan = _mm512_cmp_pd_mask(xd, xd, _CMP_UNORD_Q);
  __m512d one = _mm512_set1_pd(1.0), res;
  if (kind == ExpKind::exp) {
    res = exp_poly_v(_mm512_max_pd(_mm512_min_pd(xd, _mm512_set1_pd(100.0)), _mm512_set1_pd(-110.0)));
  } else {
    __m512d ax = _mm512_min_pd(_mm512_abs_pd(xd), _mm512_set1_pd(kSigmoidClamp));
    __m512d e = exp_poly_v(_mm512_sub_pd(_mm512_setzero_pd(), ax));
    __m512d d = _mm512_add_pd(one, e);
    if (kind == ExpKind::sigmoid) {
      __mmask8 nonneg = _mm512_cmp_pd_mask(xd, _mm512_setzero_pd(), _CMP_GE_OQ);
      res = _mm512_div_pd(_mm512_mask_blend_pd(nonneg, e, one), d);
    } else {
      res = _mm512_div_pd(e, _mm512_mul_pd(d, d));
    }
  }
  res = _mm512_mask_blend_pd(nan, res, xd);
  if (kind == ExpKind::sigmoid_grad) res = _mm512_mul_pd(_mm512_cvtps_pd(_mm256_loadu_ps(g)), res);
  _mm256_storeu_ps(out, _mm512_cvtpd_ps(res));
}

}  // namespace

void exp_f32_array(const float* x, float* y, int64_t n) {
  int64_t i = 0;
  if (has_avx512()) for (; i + kVmathBlock <= n; i += kVmathBlock) exp_block(ExpKind::exp, x + i, nullptr, y + i);
  for (; i < n; ++i) y[i] = exp_f32(x[i]);
  if (TL_PLANTED("vector_lane_swap"))  // lane 5 of every full block takes lane 4's input
    for (int64_t b = 0; b + kVmathBlock <= n; b += kVmathBlock) y[b + 5] = exp_f32(x[b + 4]);
}

void sigmoid_f32_array(const float* x, float* y, int64_t n) {
  int64_t i = 0;
  if (has_avx512()) for (; i + kVmathBlock <= n; i += kVmathBlock) exp_block(ExpKind::sigmoid, x + i, nullptr, y + i);
  for (; i < n; ++i) y[i] = sigmoid_f32(x[i]);
  if (TL_PLANTED("ragged_tail_off_by_one") && n > kVmathBlock)  // the tail after the blocks reads one behind
    for (int64_t t = n - n % kVmathBlock; t < n; ++t) y[t] = sigmoid_f32(x[t - 1]);
}

void sigmoid_grad_f32_array(const float* x, const float* g, float* dx, int64_t n) {
  int64_t i = 0;
  if (has_avx512()) for (; i + kVmathBlock <= n; i += kVmathBlock) exp_block(ExpKind::sigmoid_grad, x + i, g + i, dx + i);
  for (; i < n; ++i) dx[i] = static_cast<float>(static_cast<double>(g[i]) * sigmoid_grad_wide(x[i]));
}

void tanh_f32_array(const float* x, float* y, int64_t n) {
  int64_t i = 0;
  if (has_avx512()) for (; i + kVmathBlock <= n; i += kVmathBlock) tanh_block(x + i, nullptr, y + i, false);
  for (; i < n; ++i) y[i] = tanh_f32(x[i]);
}

void tanh_grad_f32_array(const float* x, const float* g, float* dx, int64_t n) {
  int64_t i = 0;
  if (has_avx512()) for (; i + kVmathBlock <= n; i += kVmathBlock) tanh_block(x + i, g + i, dx + i, true);
  for (; i < n; ++i) dx[i] = static_cast<float>(static_cast<double>(g[i]) * tanh_grad_wide(x[i]));
}

}  // namespace tl::fast

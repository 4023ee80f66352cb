// Vectorised math for the fast kernels: exp in double by Cody–Waite reduction and a degree-11
// Taylor polynomial (relative error below 1e-14 on the range used), written once as a scalar
// function and once as an AVX-512 loop that performs the same operations in the same order, so both
// give the same bits. float exp, sigmoid, tanh and gelu and their derivatives are built on it and
// rounded once to float. A derivative stays in double (`*_grad_wide`): the VJP forms g * f'(x) in
// double and rounds once, so its error is 0.5 ulp plus 2^24 times the relative error of the double
// f'(x), whatever g is (docs/contracts.md).
#pragma once

#include <cstdint>

namespace tl::fast {

// The array forms run blocks of this many floats (8 doubles in one AVX-512 register), then the
// scalar form on the rest; declared as a code path (backend/fast_backends.cpp).
inline constexpr int64_t kVmathBlock = 8;

// e^x for |x| <= 708 (callers clamp); same result in the scalar and vector paths.
double exp_poly(double x);

// float tanh(x), evaluated in double on exp_poly and rounded once; sech^2(x) in double, unrounded.
float tanh_f32(float x);
double tanh_grad_wide(float x);

// float exp and sigmoid, in double on exp_poly and rounded once; sigmoid' (s(1-s) = e/(1+e)^2,
// e = exp(-|x|)) in double, unrounded.
float exp_f32(float x);
float sigmoid_f32(float x);
double sigmoid_grad_wide(float x);

// Array forms — AVX-512 when available, the same bits as the scalar forms:
// y[i] = f(x[i]) and dx[i] = float(double(g[i]) * f'_wide(x[i])).
void exp_f32_array(const float* x, float* y, int64_t n);
void sigmoid_f32_array(const float* x, float* y, int64_t n);
void sigmoid_grad_f32_array(const float* x, const float* g, float* dx, int64_t n);

// float log, in double by argument reduction and an atanh series, rounded once (vmath_log.cpp).
float log_f32(float x);
void log_f32_array(const float* x, float* y, int64_t n);

// float gelu (tanh form), in double on exp_poly and rounded once; gelu' in double, unrounded
// (vmath_gelu.cpp).
float gelu_f32(float x);
double gelu_grad_wide(float x);
void gelu_f32_array(const float* x, float* y, int64_t n);
void gelu_grad_f32_array(const float* x, const float* g, float* dx, int64_t n);

// y[i] = tanh_f32(x[i]); dx[i] = float(double(g[i]) * tanh_grad_wide(x[i])) — AVX-512 when available.
void tanh_f32_array(const float* x, float* y, int64_t n);
void tanh_grad_f32_array(const float* x, const float* g, float* dx, int64_t n);

}  // namespace tl::fast

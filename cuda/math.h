// Scalar math for cuda/ kernels, one overload per dtype, callable on host and device. On the GPU these
// are CUDA's double-precision math library functions (CUDA C++ Programming Guide, "Mathematical
// Functions": exp, log, log1p, tanh, cosh 1 ulp; sin, cos 2 ulp; sqrt and / correctly rounded without
// --use_fast_math); in the emulated build they are the C library's (glibc). No single-precision
// function (expf 2 ulp, tanhf 2 ulp) and no intrinsic (__expf, __fdividef, ...) is used in cuda/.
#pragma once

#include <cmath>
#include <limits>

#include "cuda/launch.h"

namespace tl::cuda::TL_CUDA_NS {

// Transcendentals of float are evaluated by the double function and rounded once (within 0.5 ulp
// plus the double function's 1-2 ulp of 2^-53): one policy for every kernel (softmax, norms, losses,
// elementwise), and the double table's bounds are the only ones the contracts cite.
#define TL_CUDA_TRANSCENDENTAL(NAME, F64) \
  TL_HD inline float NAME(float x) { return static_cast<float>(::F64(static_cast<double>(x))); } \
  TL_HD inline double NAME(double x) { return ::F64(x); }
TL_CUDA_TRANSCENDENTAL(m_exp, exp)
TL_CUDA_TRANSCENDENTAL(m_log, log)
TL_CUDA_TRANSCENDENTAL(m_log1p, log1p)
TL_CUDA_TRANSCENDENTAL(m_sin, sin)
TL_CUDA_TRANSCENDENTAL(m_cos, cos)
TL_CUDA_TRANSCENDENTAL(m_tanh, tanh)
TL_CUDA_TRANSCENDENTAL(m_cosh, cosh)
#undef TL_CUDA_TRANSCENDENTAL
// Exact or correctly rounded in T itself (sqrtf is IEEE without --use_fast_math).
#define TL_CUDA_EXACT(NAME, F32, F64) \
  TL_HD inline float NAME(float x) { return ::F32(x); } \
  TL_HD inline double NAME(double x) { return ::F64(x); }
TL_CUDA_EXACT(m_sqrt, sqrtf, sqrt)
TL_CUDA_EXACT(m_fabs, fabsf, fabs)
TL_CUDA_EXACT(m_trunc, truncf, trunc)
#undef TL_CUDA_EXACT
TL_HD inline double m_frexp(double x, int* e) { return ::frexp(x, e); }
TL_HD inline double m_ldexp(double x, int e) { return ::ldexp(x, e); }
TL_HD inline float m_fma(float a, float b, float c) { return ::fmaf(a, b, c); }
TL_HD inline double m_fma(double a, double b, double c) { return ::fma(a, b, c); }

template <class T> TL_HD inline T nan_of() { return std::numeric_limits<T>::quiet_NaN(); }
template <class T> TL_HD inline T inf_of() { return std::numeric_limits<T>::infinity(); }
template <class T> TL_HD inline bool is_nan(T x) { return x != x; }

}  // namespace tl::cuda::TL_CUDA_NS

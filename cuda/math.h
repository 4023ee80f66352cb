// Scalar math for cuda/ kernels, one overload per dtype, callable on host and device. On the GPU these
// are CUDA's double-precision math library functions (CUDA C++ Programming Guide, "Mathematical
// Functions": exp, log, log1p, tanh, cosh 1 ulp; sin, cos 2 ulp; sqrt and / correctly rounded without
// --use_fast_math). In the emulated build they are the same functions' own code, CUDA's libdevice
// compiled for the host (cuda/libdevice/), where the build found it (TL_HAVE_LIBDEVICE_HOST), and
// the C library's (glibc) otherwise; kEmulatedMath says which. No single-precision function (expf 2
// ulp, tanhf 2 ulp) and no intrinsic (__expf, __fdividef, ...) is used in cuda/.
#pragma once

#include <cmath>
#include <limits>

#include "cuda/launch.h"

#if defined(TL_CUDA_EMULATE) && defined(TL_HAVE_LIBDEVICE_HOST)
#include "cuda/libdevice/libdevice_host.h"
#define TL_CUDA_DOUBLE_FN(NAME) ::__nv_##NAME
#else
#define TL_CUDA_DOUBLE_FN(NAME) ::NAME
#endif

namespace tl::cuda::TL_CUDA_NS {

// Transcendentals of float are evaluated by the double function and rounded once (within 0.5 ulp
// plus the double function's error, at most 2.5 ulp of 2^-53): one policy for every kernel (softmax,
// norms, losses, elementwise); the contracts cite the functions' bounds of cuda/function_bounds.h.
#define TL_CUDA_TRANSCENDENTAL(NAME, F64) \
  TL_HD inline float NAME(float x) { return static_cast<float>(TL_CUDA_DOUBLE_FN(F64)(static_cast<double>(x))); } \
  TL_HD inline double NAME(double x) { return TL_CUDA_DOUBLE_FN(F64)(x); }
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

#ifdef TL_CUDA_EMULATE
// The math library of the emulated build's transcendentals (reports and trust boundaries name it).
#ifdef TL_HAVE_LIBDEVICE_HOST
inline constexpr const char* kEmulatedMath = "CUDA's libdevice compiled for the host (cuda/libdevice/)";
#else
inline constexpr const char* kEmulatedMath = "glibc's (CUDA's libdevice was not found at configure time)";
#endif
#endif

template <class T> TL_HD inline T nan_of() { return std::numeric_limits<T>::quiet_NaN(); }
template <class T> TL_HD inline T inf_of() { return std::numeric_limits<T>::infinity(); }
template <class T> TL_HD inline bool is_nan(T x) { return x != x; }

}  // namespace tl::cuda::TL_CUDA_NS

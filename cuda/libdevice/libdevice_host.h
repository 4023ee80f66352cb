// CUDA's libdevice functions that cuda/math.h calls on the GPU, compiled for the host from the
// toolkit's own bitcode (cuda/libdevice/retarget.sh), and the models of the approximate instructions
// some of them use (host_intrinsics.cpp). Built when the CUDA toolkit's libdevice and LLVM 14's
// tools are found (TL_HAVE_LIBDEVICE_HOST); see cuda/libdevice/README.md for what this shows and
// what it cannot.
#pragma once

#include <cstdint>

extern "C" {
double __nv_exp(double);
double __nv_log(double);
double __nv_log1p(double);
double __nv_sin(double);
double __nv_cos(double);
double __nv_tanh(double);
double __nv_cosh(double);
}

namespace tl::cuda::libdevice {

// How the approximate instructions (rcp.approx.ftz.f64, ex2.approx.ftz.f32) are computed on this
// thread: the exact value rounded; for the reciprocal, from the operand's high word with the low word
// of the result cleared (for ex2, the result's low 2 bits cleared); or the exact value times
// (1 - e) or (1 + e), e = 2^-20 (reciprocal) and 2^-21 (ex2).
enum class ApproxModel { exact, high_word, low, high };
constexpr ApproxModel kApproxModels[] = {ApproxModel::exact, ApproxModel::high_word, ApproxModel::low,
                                         ApproxModel::high};
void set_approx_model(ApproxModel model);
const char* approx_model_name(ApproxModel model);

// The two halves of a 128-bit result of the inline PTX blocks ({i64, i64} in the IR: low, high).
struct Pair128 {
  uint64_t lo, hi;
};

}  // namespace tl::cuda::libdevice

// The host's meaning of what libdevice calls on the GPU (cuda/libdevice/retarget.sh renames each
// @llvm.nvvm.NAME to @tl_nvvm.NAME and each inline PTX block to @tl_ptx.NAME; the dotted names are
// given to these C++ functions by asm labels).
//  - Exact instructions, bit for bit as the PTX ISA defines them: fma.rn / add.rn / mul.rn (IEEE
//    round to nearest even; this file is compiled with -ffp-contract=off), fabs, the moves between a
//    double and its 32-bit halves, cvt.rni (round to nearest even integer, saturating, NaN to 0),
//    and the 128-bit integer arithmetic blocks: the two multiply blocks transcribed instruction by
//    instruction with the carry flag, the add and subtract chains as 128-bit arithmetic.
//  - Approximate instructions, whose exact results the PTX ISA does not specify: rcp.approx.ftz.f64
//    and ex2.approx.ftz.f32. They are computed by a chosen model (ApproxModel): the exact value, or
//    the exact value moved by a bounded relative error in one direction or the other, or, for the
//    reciprocal, the value from the operand's high word only; in every model the reciprocal of a
//    power of two and 2^n for an integer n are exact (libdevice's tanh relies on the latter: it
//    scales by ex2.approx(n)). A libdevice function whose results do not change across the models
//    does not depend on those instructions' unknown bits.
// __nvvm_reflect answers as nvcc does for this project's device build: __CUDA_FTZ 0 (no
// --use_fast_math, no -ftz=true), __CUDA_PREC_DIV 1, __CUDA_PREC_SQRT 1, __CUDA_ARCH 900 (sm_90).
#include "cuda/libdevice/libdevice_host.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace tl::cuda::libdevice {
namespace {

thread_local ApproxModel g_model = ApproxModel::exact;

float flush_subnormal(float x) { return std::fpclassify(x) == FP_SUBNORMAL ? std::copysign(0.0f, x) : x; }
double flush_subnormal(double x) { return std::fpclassify(x) == FP_SUBNORMAL ? std::copysign(0.0, x) : x; }

uint64_t bits_of(double x) { return std::bit_cast<uint64_t>(x); }
double from_bits(uint64_t b) { return std::bit_cast<double>(b); }

// The modelled relative error of the approximate instructions (bracketing, not documented values).
constexpr double kRcpRelative = 0x1p-20, kEx2Relative = 0x1p-21;

bool is_power_of_two(double x) { return x != 0 && std::isfinite(x) && (bits_of(x) & 0x000FFFFFFFFFFFFFull) == 0; }

// The reciprocal of a power of two is exact in every model (its high word is the whole operand).
double model_rcp(double x) {
  x = flush_subnormal(x);
  if (is_power_of_two(x)) return flush_subnormal(1.0 / x);
  switch (g_model) {
    case ApproxModel::exact: return flush_subnormal(1.0 / x);
    case ApproxModel::high_word: {  // 1/x from the high word of x, the low word of the result cleared
      const double hi = from_bits(bits_of(x) & 0xFFFFFFFF00000000ull);
      return flush_subnormal(from_bits(bits_of(1.0 / hi) & 0xFFFFFFFF00000000ull));
    }
    case ApproxModel::low: return flush_subnormal((1.0 / x) * (1.0 - kRcpRelative));
    case ApproxModel::high: return flush_subnormal((1.0 / x) * (1.0 + kRcpRelative));
  }
  return NAN;
}

// 2^n for an integer n is exact in every model: libdevice's tanh scales by ex2.approx(n) and relies on it.
float model_ex2(float x) {
  const double exact = std::exp2(static_cast<double>(flush_subnormal(x)));
  if (x == std::nearbyint(x)) return flush_subnormal(static_cast<float>(exact));
  switch (g_model) {
    case ApproxModel::exact: return flush_subnormal(static_cast<float>(exact));
    case ApproxModel::high_word: {  // the low 2 bits of the float result cleared
      const float r = static_cast<float>(exact);
      return flush_subnormal(std::bit_cast<float>(std::bit_cast<uint32_t>(r) & ~3u));
    }
    case ApproxModel::low: return flush_subnormal(static_cast<float>(exact * (1.0 - kEx2Relative)));
    case ApproxModel::high: return flush_subnormal(static_cast<float>(exact * (1.0 + kEx2Relative)));
  }
  return NAN;
}

// PTX's carry flag and the 32-bit instructions the inline blocks use.
struct Carry {
  bool cf = false;
  uint32_t mad_lo_cc(uint32_t a, uint32_t b, uint32_t c) { return add_cc(a * b, c, false); }
  uint32_t madc_lo_cc(uint32_t a, uint32_t b, uint32_t c) { return add_cc(a * b, c, cf); }
  uint32_t madc_hi_cc(uint32_t a, uint32_t b, uint32_t c) { return add_cc(hi(a, b), c, cf); }
  uint32_t madc_hi(uint32_t a, uint32_t b, uint32_t c) { return hi(a, b) + c + (cf ? 1u : 0u); }
  uint32_t addc(uint32_t a, uint32_t b) { return a + b + (cf ? 1u : 0u); }
  uint32_t add_cc(uint32_t a, uint32_t b, bool carry_in) {
    const uint64_t s = uint64_t(a) + b + (carry_in ? 1u : 0u);
    cf = (s >> 32) != 0;
    return static_cast<uint32_t>(s);
  }
  static uint32_t hi(uint32_t a, uint32_t b) { return static_cast<uint32_t>((uint64_t(a) * b) >> 32); }
};

uint32_t lo32(uint64_t x) { return static_cast<uint32_t>(x); }
uint32_t hi32(uint64_t x) { return static_cast<uint32_t>(x >> 32); }
Pair128 pair(uint32_t r0, uint32_t r1, uint32_t r2, uint32_t r3) {
  return {uint64_t(r1) << 32 | r0, uint64_t(r3) << 32 | r2};
}
unsigned __int128 join(uint64_t lo, uint64_t hi) { return (static_cast<unsigned __int128>(hi) << 64) | lo; }
Pair128 split(unsigned __int128 x) { return {static_cast<uint64_t>(x), static_cast<uint64_t>(x >> 64)}; }

}  // namespace

void set_approx_model(ApproxModel model) { g_model = model; }

const char* approx_model_name(ApproxModel model) {
  switch (model) {
    case ApproxModel::exact: return "exact";
    case ApproxModel::high_word: return "high-word";
    case ApproxModel::low: return "low";
    case ApproxModel::high: return "high";
  }
  return "?";
}

}  // namespace tl::cuda::libdevice

using tl::cuda::libdevice::Pair128;
namespace ld = tl::cuda::libdevice;

#define TL_NVVM(ret, name, label, ...) extern "C" ret name(__VA_ARGS__) __asm__(label); extern "C" ret name(__VA_ARGS__)

TL_NVVM(double, tl_nvvm_fma_rn_d, "tl_nvvm.fma.rn.d", double a, double b, double c) { return std::fma(a, b, c); }
TL_NVVM(double, tl_nvvm_add_rn_d, "tl_nvvm.add.rn.d", double a, double b) { return a + b; }
TL_NVVM(double, tl_nvvm_mul_rn_d, "tl_nvvm.mul.rn.d", double a, double b) { return a * b; }
TL_NVVM(double, tl_nvvm_fabs_d, "tl_nvvm.fabs.d", double a) { return std::fabs(a); }
TL_NVVM(float, tl_nvvm_fabs_f, "tl_nvvm.fabs.f", float a) { return std::fabs(a); }
TL_NVVM(float, tl_nvvm_fabs_ftz_f, "tl_nvvm.fabs.ftz.f", float a) { return std::fabs(ld::flush_subnormal(a)); }
TL_NVVM(int32_t, tl_nvvm_d2i_hi, "tl_nvvm.d2i.hi", double a) { return static_cast<int32_t>(ld::bits_of(a) >> 32); }
TL_NVVM(int32_t, tl_nvvm_d2i_lo, "tl_nvvm.d2i.lo", double a) { return static_cast<int32_t>(ld::bits_of(a)); }
TL_NVVM(double, tl_nvvm_lohi_i2d, "tl_nvvm.lohi.i2d", int32_t lo, int32_t hi) {
  return ld::from_bits(uint64_t(static_cast<uint32_t>(hi)) << 32 | static_cast<uint32_t>(lo));
}
TL_NVVM(int32_t, tl_nvvm_d2i_rn, "tl_nvvm.d2i.rn", double a) {  // cvt.rni.s32.f64
  if (std::isnan(a)) return 0;
  const double r = std::nearbyint(a);  // the default rounding mode: to nearest even
  if (r >= 2147483647.0) return std::numeric_limits<int32_t>::max();
  if (r <= -2147483648.0) return std::numeric_limits<int32_t>::min();
  return static_cast<int32_t>(r);
}
TL_NVVM(float, tl_nvvm_round_f, "tl_nvvm.round.f", float a) { return std::nearbyint(a); }  // cvt.rni.f32.f32
TL_NVVM(double, tl_nvvm_rcp_approx_ftz_d, "tl_nvvm.rcp.approx.ftz.d", double a) { return ld::model_rcp(a); }
TL_NVVM(float, tl_nvvm_ex2_approx_ftz_f, "tl_nvvm.ex2.approx.ftz.f", float a) { return ld::model_ex2(a); }

// The inline PTX blocks, instruction by instruction ($0 = {r0,r1}, $1 = {r2,r3}).
TL_NVVM(Pair128, tl_ptx_mad_wide, "tl_ptx.mad_wide", uint64_t a, uint64_t b, uint64_t c) {
  const uint32_t alo = ld::lo32(a), ahi = ld::hi32(a), blo = ld::lo32(b), bhi = ld::hi32(b);
  ld::Carry k;
  uint32_t r0 = k.mad_lo_cc(alo, blo, ld::lo32(c));
  uint32_t r1 = k.madc_hi_cc(alo, blo, ld::hi32(c));
  uint32_t r2 = k.madc_hi(alo, bhi, 0);
  r1 = k.mad_lo_cc(alo, bhi, r1);
  r2 = k.madc_hi_cc(ahi, blo, r2);
  uint32_t r3 = k.madc_hi(ahi, bhi, 0);
  r1 = k.mad_lo_cc(ahi, blo, r1);
  r2 = k.madc_lo_cc(ahi, bhi, r2);
  r3 = k.addc(r3, 0);
  return ld::pair(r0, r1, r2, r3);
}
TL_NVVM(Pair128, tl_ptx_mul_wide, "tl_ptx.mul_wide", uint64_t a, uint64_t b) {
  const uint32_t alo = ld::lo32(a), ahi = ld::hi32(a), blo = ld::lo32(b), bhi = ld::hi32(b);
  ld::Carry k;
  uint32_t r0 = alo * blo;
  uint32_t r1 = ld::Carry::hi(alo, blo);
  r1 = k.mad_lo_cc(alo, bhi, r1);
  uint32_t r2 = k.madc_hi(alo, bhi, 0);
  r1 = k.mad_lo_cc(ahi, blo, r1);
  r2 = k.madc_hi_cc(ahi, blo, r2);
  uint32_t r3 = k.madc_hi(ahi, bhi, 0);
  r2 = k.mad_lo_cc(ahi, bhi, r2);
  r3 = k.addc(r3, 0);
  return ld::pair(r0, r1, r2, r3);
}
// add.cc, addc.cc, addc.cc, addc (and the sub.cc / subc chain, CF the borrow) over the four 32-bit
// words: 128-bit addition (subtraction) modulo 2^128.
TL_NVVM(Pair128, tl_ptx_add_128, "tl_ptx.add_128", uint64_t a_lo, uint64_t a_hi, uint64_t b_lo, uint64_t b_hi) {
  return ld::split(ld::join(a_lo, a_hi) + ld::join(b_lo, b_hi));
}
TL_NVVM(Pair128, tl_ptx_sub_128, "tl_ptx.sub_128", uint64_t a_lo, uint64_t a_hi, uint64_t b_lo, uint64_t b_hi) {
  return ld::split(ld::join(a_lo, a_hi) - ld::join(b_lo, b_hi));
}

extern "C" int32_t __nvvm_reflect(const char* name) {
  if (std::strcmp(name, "__CUDA_ARCH") == 0) return 900;
  if (std::strcmp(name, "__CUDA_PREC_DIV") == 0 || std::strcmp(name, "__CUDA_PREC_SQRT") == 0) return 1;
  return 0;  // __CUDA_FTZ and anything else
}

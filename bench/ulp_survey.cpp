// ULP survey of the fast backend's elementwise functions and derivatives against MPFR: for each
// function and dtype, N sampled inputs (half random finite bit patterns, half uniform on a working
// range) plus the special values; the error of each fast result is measured in ulps of the dtype at
// the exact value (MPFI enclosure at 192 bits, whose width is far below an ulp). Prints one Markdown
// row per function: samples, max ulp error, the worst input, and special-value disagreements with
// the reference's table. The maxima become the ulp(k) contracts in fast/contracts.cpp.
// With --cuda it surveys the cuda backend's scalar rules instead (cuda/elementwise_math.h, built as
// in the emulated engine: CUDA's libdevice compiled for the host where the build has it, glibc's
// double functions otherwise), the evidence behind the float64 rows of cuda/contracts.cpp on the host.
// With --wide it surveys the derivatives as the fast VJPs use them — unrounded in the wider type
// (fast::unary_derivative_wide; the VJP rounds g * f' once) — and prints 2^p times their largest
// relative and absolute errors (p = 24 or 53): the VJP's error is 0.5 ulp plus the relative one.
// Usage: ulp_survey [--cuda | --wide] float32|float64 N_forward N_backward [seed [function]]
// The cuda rules are compiled as the emulated engine compiles them (host code, no CUDA headers).
#define TL_CUDA_EMULATE 1
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "bench/ulp_measure.h"
#include "cuda/elementwise_math.h"
#include "fast/kernels/elementwise.h"
#include "checking/ulp.h"
#include "reference/rounding.h"
#include "reference/scalar_interval.h"
#include "reference/scalar_strict.h"
#include "spec/splitmix.h"
#include "spec/tensor.h"

using namespace tl;

namespace {

struct Fn {
  const char* name;
  Unary op;
  bool backward;          // derivative (g = 1) instead of the value
  ref::RealFn exact;
  bool positive_domain;
};

const Fn kFns[] = {
    {"exp", Unary::exp, false, ref::RealFn::exp, false},
    {"log", Unary::log, false, ref::RealFn::log, true},
    {"sin", Unary::sin, false, ref::RealFn::sin, false},
    {"cos", Unary::cos, false, ref::RealFn::cos, false},
    {"tanh", Unary::tanh, false, ref::RealFn::tanh, false},
    {"sigmoid", Unary::sigmoid, false, ref::RealFn::sigmoid, false},
    {"gelu", Unary::gelu, false, ref::RealFn::gelu, false},
    {"softplus", Unary::softplus, false, ref::RealFn::softplus, false},
    {"safe_log", Unary::safe_log, false, ref::RealFn::safe_log, false},
    {"rsqrt", Unary::rsqrt, false, ref::RealFn::rsqrt, true},
    {"sqrt'", Unary::sqrt, true, ref::RealFn::sqrt_grad, true},
    {"rsqrt'", Unary::rsqrt, true, ref::RealFn::rsqrt_grad, true},
    {"reciprocal'", Unary::reciprocal, true, ref::RealFn::reciprocal_grad, false},
    {"sin'", Unary::sin, true, ref::RealFn::sin_grad, false},
    {"cos'", Unary::cos, true, ref::RealFn::cos_grad, false},
    {"tanh'", Unary::tanh, true, ref::RealFn::tanh_grad, false},
    {"sigmoid'", Unary::sigmoid, true, ref::RealFn::sigmoid_grad, false},
    {"gelu'", Unary::gelu, true, ref::RealFn::gelu_grad, false},
    {"softplus'", Unary::softplus, true, ref::RealFn::softplus_grad, false},
    {"safe_log'", Unary::safe_log, true, ref::RealFn::safe_log_grad, false},
};

constexpr double kEps = 1e-6;
// safe_log's eps as a graph of dtype T holds it (rounded to T), so kernel and reference agree.
template <class T> double eps_of() { return static_cast<double>(static_cast<T>(kEps)); }

bool g_cuda = false;  // --cuda: the cuda backend's rules instead of the fast backend's

template <class T> T fast_value(const Fn& f, T x) {
  if (g_cuda) {
    UnaryParams<T> p;
    p.eps = static_cast<T>(kEps);
    T y = cuda::emulated::unary_forward(f.op, x, p);
    return f.backward ? cuda::emulated::unary_backward(f.op, x, y, T(1), p) : y;
  }
  UnaryParams<T> p;
  p.eps = static_cast<T>(kEps);
  T y = fast::unary_forward(f.op, x, p);
  return f.backward ? fast::unary_backward(f.op, x, y, T(1), p) : y;
}

template <class T> T sample(SplitMix64& rng, bool positive, bool bits) {
  if (bits) {
    for (;;) {
      T x;
      if constexpr (std::is_same_v<T, float>) { uint32_t u = static_cast<uint32_t>(rng.next()); std::memcpy(&x, &u, 4); }
      else { uint64_t u = rng.next(); std::memcpy(&x, &u, 8); }
      if (!std::isfinite(x)) continue;
      return positive ? std::fabs(x) : x;
    }
  }
  double u = rng.uniform();
  return static_cast<T>(positive ? u * 20 + 1e-3 : u * 40 - 20);
}

template <class T> void survey(const Fn& f, long n, uint64_t seed) {
  SplitMix64 rng(seed);
  double worst = 0;
  T worst_x = 0;
  long undecidable = 0;
  for (long i = 0; i < n; ++i) {
    T x = sample<T>(rng, f.positive_domain, i % 2 == 0);
    double err = bench::mpfr_ulp_error(f.exact, x, fast_value(f, x), eps_of<T>());
    if (err != err) { ++undecidable; continue; }
    if (err > worst) { worst = err; worst_x = x; }
  }
  // Special values: the fast result must agree with the reference's special-value table.
  using L = std::numeric_limits<T>;
  int special_mismatch = 0;
  for (T x : {T(0), T(-0.0), L::infinity(), -L::infinity(), L::quiet_NaN(), L::denorm_min(), L::max(), -L::max()}) {
    if (f.positive_domain && std::signbit(x)) continue;
    T v = fast_value(f, x);
    T want;
    try {
      want = ref::apply(f.exact, ref::Strict<T>{x}, eps_of<T>()).v;
    } catch (const ref::UndecidedRounding&) { continue; }
    // Classes must agree (NaN, infinity of a sign, zero of a sign); finite nonzero values are the
    // ulp measurement's business.
    auto cls = [](T t) { return t != t ? 0 : std::isinf(t) ? (t > 0 ? 1 : 2) : t == 0 ? (std::signbit(t) ? 3 : 4) : 5; };
    bool same = cls(v) == cls(want);
    if (!same) {
      ++special_mismatch;
      std::fprintf(stderr, "special %s(%s): fast %s, reference %s\n", f.name, hex_float(x).c_str(), hex_float(v).c_str(), hex_float(want).c_str());
    }
  }
  std::printf("| %s | %s | %ld | %.3f | %s | %d |%s\n", f.name, std::string(dtype_name(dtype_of<T>())).c_str(), n, worst,
              hex_float(worst_x).c_str(), special_mismatch, undecidable ? " (NaN enclosures skipped)" : "");
  std::fflush(stdout);
}

// --wide: the derivative in the wider type against MPFR, relative and absolute, times 2^p. Where the
// real f' and w are both below 2^-279 (float) or 2^-2100 (double), g f' and g w both round to zero
// for every g of the dtype, so the relative error there does not count.
template <class T> void survey_wide(const Fn& f, long n, uint64_t seed) {
  const long double tiny = std::is_same_v<T, float> ? 0x1p-279L : 0x1p-2100L;
  SplitMix64 rng(seed);
  UnaryParams<T> p;
  p.eps = static_cast<T>(kEps);
  const double scale = std::ldexp(1.0, std::numeric_limits<T>::digits);
  double worst_rel = 0, worst_abs = 0;
  T rel_x = 0, abs_x = 0;
  for (long i = 0; i < n; ++i) {
    T x = sample<T>(rng, f.positive_domain, i % 2 == 0);
    auto w = fast::unary_derivative_wide(f.op, x, p);
    long double real = bench::mpfr_real_value(f.exact, static_cast<double>(x), eps_of<T>());
    if (fabsl(real) < tiny && fabsl(static_cast<long double>(w)) < tiny) continue;
    double rel = bench::mpfr_wide_error(f.exact, static_cast<double>(x), w, eps_of<T>(), true) * scale;
    double abs = bench::mpfr_wide_error(f.exact, static_cast<double>(x), w, eps_of<T>(), false) * scale;
    if (rel > worst_rel) { worst_rel = rel; rel_x = x; }
    if (abs > worst_abs) { worst_abs = abs; abs_x = x; }
  }
  std::printf("| %s | %s | %ld | %.4g | %s | %.4g | %s |\n", f.name, std::string(dtype_name(dtype_of<T>())).c_str(), n,
              worst_rel, hex_float(rel_x).c_str(), worst_abs, hex_float(abs_x).c_str());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  bool wide = false;
  if (argc > 1 && std::strcmp(argv[1], "--cuda") == 0) {
    g_cuda = true;
    --argc;
    ++argv;
  } else if (argc > 1 && std::strcmp(argv[1], "--wide") == 0) {
    wide = true;
    --argc;
    ++argv;
  }
  if (argc < 4) {
    std::fprintf(stderr, "usage: ulp_survey [--cuda | --wide] float32|float64 N_forward N_backward [seed [function]]\n");
    return 2;
  }
  DType dtype = parse_dtype(argv[1], "dtype");
  long n_fwd = std::atol(argv[2]), n_bwd = std::atol(argv[3]);
  uint64_t seed = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 20261125;
  std::string only = argc > 5 ? argv[5] : "";  // optional: one function name, e.g. tanh or tanh'
  if (wide) {
    std::printf("| derivative (wide) | dtype | samples | 2^p max relative error | worst input | 2^p max absolute error | worst input |\n|---|---|---|---|---|---|---|\n");
    for (const Fn& f : kFns) {
      if (!f.backward || (!only.empty() && only != f.name)) continue;
      if (dtype == DType::f32) survey_wide<float>(f, n_bwd, seed);
      else survey_wide<double>(f, n_bwd, seed);
    }
    return 0;
  }
  std::printf("| function | dtype | samples | max ulp | worst input | special-value disagreements |\n|---|---|---|---|---|---|\n");
  for (const Fn& f : kFns) {
    if (!only.empty() && only != f.name) continue;
    long n = f.backward ? n_bwd : n_fwd;
    if (dtype == DType::f32) survey<float>(f, n, seed);
    else survey<double>(f, n, seed);
  }
  return 0;
}

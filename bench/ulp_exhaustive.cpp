// Exhaustive float32 ULP sweep of the fast backend's transcendental functions and derivatives: all
// 2^32 float bit patterns go through the kernel the backend runs (fast::forward / fast::backward on a
// one-node graph, so the AVX-512 array forms where they exist), and every result is measured in
// float ulps at the real value against a long double reference written here from the textbook
// formulas. Zeros, infinities and NaNs are compared with the reference's special-value table
// (ref::Strict). The long double reference is checked against MPFR on sampled inputs, and the worst
// inputs of each function are re-measured against MPFR, so each row states
//   certified bound = max over all inputs (long double reference) + max reference error (vs MPFR).
// For a derivative the VJP is g * f'(x) formed in double from the unrounded double f'(x)
// (fast::unary_derivative_wide) and rounded once, so the sweep also measures that double value's
// relative error rho over all inputs, checks that the kernel's result at g = 1 is exactly its
// rounding, and states the VJP bound for every g: 0.5 + 2^24 (rho + 2^-53) ulps (docs/contracts.md).
// A function fails when its bound exceeds its contract row in fast/contracts.cpp (the forward row,
// or for a derivative the VJP row) or when a special value disagrees.
// Usage: ulp_exhaustive [--threads N] [--stride S] [--mpfr-samples M] [function...]
//   --stride S visits every S-th block of 2^16 patterns (S = 1, the default, is all 2^32).
// Exit status: 0 all within contract, 1 a function out of contract, 2 bad usage.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "bench/ulp_measure.h"
#include "bench/ulp_reference_ld.h"
#include "fast/contracts.h"
#include "fast/kernels/elementwise.h"
#include "fast/kernels/kernels.h"
#include "fast/kernels/parallel.h"
#include "reference/scalar_strict.h"
#include "spec/builder.h"
#include "spec/error.h"
#include "spec/splitmix.h"

using namespace tl;

namespace {

constexpr int64_t kBlock = int64_t{1} << 16;  // bit patterns per kernel call
constexpr int kWorstKept = 8;                 // worst inputs re-measured against MPFR

struct Fn {
  const char* name;
  OpId op;
  bool derivative;       // f'(x): the VJP at g = 1 (g * f' with g = 1 is f' rounded once)
  ref::RealFn exact;     // MPFR's meaning, for the checks
  LdFn reference;        // the long double reference
};

const Fn kFns[] = {
    {"exp", OpId::exp, false, ref::RealFn::exp, ld::exp},
    {"log", OpId::log, false, ref::RealFn::log, ld::log},
    {"sin", OpId::sin, false, ref::RealFn::sin, ld::sin},
    {"cos", OpId::cos, false, ref::RealFn::cos, ld::cos},
    {"tanh", OpId::tanh, false, ref::RealFn::tanh, ld::tanh},
    {"sigmoid", OpId::sigmoid, false, ref::RealFn::sigmoid, ld::sigmoid},
    {"gelu", OpId::gelu, false, ref::RealFn::gelu, ld::gelu},
    {"softplus", OpId::softplus, false, ref::RealFn::softplus, ld::softplus},
    {"safe_log", OpId::safe_log, false, ref::RealFn::safe_log, ld::safe_log},
    {"rsqrt", OpId::rsqrt, false, ref::RealFn::rsqrt, ld::rsqrt},
    {"sqrt'", OpId::sqrt, true, ref::RealFn::sqrt_grad, ld::sqrt_grad},
    {"rsqrt'", OpId::rsqrt, true, ref::RealFn::rsqrt_grad, ld::rsqrt_grad},
    {"reciprocal'", OpId::reciprocal, true, ref::RealFn::reciprocal_grad, ld::reciprocal_grad},
    {"sin'", OpId::sin, true, ref::RealFn::sin_grad, ld::sin_grad},
    {"cos'", OpId::cos, true, ref::RealFn::cos_grad, ld::cos_grad},
    {"tanh'", OpId::tanh, true, ref::RealFn::tanh_grad, ld::tanh_grad},
    {"sigmoid'", OpId::sigmoid, true, ref::RealFn::sigmoid_grad, ld::sigmoid_grad},
    {"gelu'", OpId::gelu, true, ref::RealFn::gelu_grad, ld::gelu_grad},
    {"softplus'", OpId::softplus, true, ref::RealFn::softplus_grad, ld::softplus_grad},
    {"safe_log'", OpId::safe_log, true, ref::RealFn::safe_log_grad, ld::safe_log_grad},
};

struct Options {
  int threads = 2;
  int64_t stride = 1;
  int mpfr_samples = 20000;
  std::vector<std::string> only;
};

float bits_to_float(uint32_t u) {
  float x;
  std::memcpy(&x, &u, 4);
  return x;
}

// One node applying the function to a vector of kBlock float32 values, as a graph would hold it
// (safe_log keeps its default eps rounded to float32, as GraphBuilder stores it).
struct Kernel {
  Graph graph;
  NodeId node = -1;
  double param = 0;  // safe_log's eps as the node holds it

  explicit Kernel(const Fn& f) {
    GraphBuilder b(DType::f32, "ulp_exhaustive");
    Ref x = b.input("x", {kBlock});
    Ref y = f.op == OpId::safe_log ? b.safe_log(x) : b.unary(f.op, x);
    b.output("y", y);
    graph = b.finish();
    node = y.id;
    if (f.op == OpId::safe_log) param = std::get<SafeLogAttrs>(graph.node(node).attrs).eps;
  }

  // v[i] = f(x[i]) (or f'(x[i]): the VJP with g = 1), by the fast backend's dispatch.
  HostTensor run(const Fn& f, const HostTensor& x) const {
    const Node& n = graph.node(node);
    HostTensor y = fast::forward(n, {&x}, "ulp_exhaustive");
    if (!f.derivative) return y;
    HostTensor g(DType::f32, x.shape());
    std::fill(g.values<float>().begin(), g.values<float>().end(), 1.0f);
    return std::move(*fast::backward(n, {&x}, y, g, "ulp_exhaustive")[0]);
  }
};

struct Worst {
  double err;
  float x, v;
};

struct Stats {
  double max_err = 0;
  double max_rel = 0;  // derivatives: max |w - f'| / |f'| of the double f', times 2^24
  float max_rel_x = 0;  // ... and where
  int64_t inputs = 0, above_half = 0, special_mismatches = 0, rounding_mismatches = 0;
  std::vector<Worst> worst;  // the kWorstKept largest errors, largest first

  bool worth_noting(double err) const { return worst.size() < kWorstKept || err > worst.back().err; }
  void note(double err, float x, float v) {
    if (!worth_noting(err)) return;
    max_err = std::max(max_err, err);
    worst.push_back({err, x, v});
    std::sort(worst.begin(), worst.end(), [](const Worst& a, const Worst& b) { return a.err > b.err; });
    if (worst.size() > kWorstKept) worst.pop_back();
  }
  void merge(const Stats& o) {
    if (o.max_rel > max_rel) {
      max_rel = o.max_rel;
      max_rel_x = o.max_rel_x;
    }
    rounding_mismatches += o.rounding_mismatches;
    inputs += o.inputs;
    above_half += o.above_half;
    special_mismatches += o.special_mismatches;
    for (const Worst& w : o.worst) note(w.err, w.x, w.v);
  }
};

bool same_float(float a, float b) { return (a != a && b != b) || std::memcmp(&a, &b, 4) == 0; }

// The class of a float (NaN, +inf, -inf, -0, +0, finite nonzero): special values must agree in it.
int value_class(float t) { return t != t ? 0 : std::isinf(t) ? (t > 0 ? 1 : 2) : t == 0 ? (std::signbit(t) ? 3 : 4) : 5; }

// The reference's special-value table (ref::Strict) at +0, -0, +inf, -inf and NaN (every NaN input
// wants what the canonical quiet NaN gets).
struct Specials {
  float at[5];
  Specials(const Fn& f, double param) {
    const float in[5] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN};
    for (int i = 0; i < 5; ++i) at[i] = ref::apply(f.exact, ref::Strict<float>{in[i]}, param).v;
  }
  float want(float x) const { return x != x ? at[4] : x == 0 ? at[std::signbit(x) ? 1 : 0] : at[x > 0 ? 2 : 3]; }
};

// The relative error of the double derivative w against the reference r, times 2^24 (ulps at the
// top of r's binade). Where both |r| and |w| are below 2^-279 the relative error does not matter
// (the kernels clamp far arguments): |g w| and |g r| are then below 2^-151 for every float g, so
// both round to zero.
double wide_relative_error(double w, long double r) {
  if (w != w) return INFINITY;
  if (fabsl(r) < 0x1p-279L && std::fabs(w) < 0x1p-279) return 0.0;
  return static_cast<double>(fabsl(static_cast<long double>(w) - r) / fabsl(r) * 0x1p24L);
}

// Measures one block's results against the long double reference.
Stats measure_block(const Fn& f, const float* x, const float* v, int64_t n, double param,
                    const Specials& special) {
  UnaryParams<float> params;
  params.eps = static_cast<float>(param);
  const Unary op = *unary_of(f.op);
  Stats s;
  for (int64_t i = 0; i < n; ++i) {
    ++s.inputs;
    float xi = x[i];
    double w = f.derivative ? fast::unary_derivative_wide(op, xi, params) : 0.0;
    if (f.derivative && !same_float(v[i], static_cast<float>(w))) ++s.rounding_mismatches;
    if (xi != xi || std::isinf(xi) || xi == 0) {
      float want = special.want(xi);
      if (value_class(v[i]) != value_class(want) || (value_class(want) == 5 && v[i] != want)) {
        ++s.special_mismatches;
        if (s.special_mismatches <= 3)
          std::fprintf(stderr, "special %s(%s): fast %s, reference %s\n", f.name, hex_float(xi).c_str(),
                       hex_float(v[i]).c_str(), hex_float(want).c_str());
      }
      continue;
    }
    long double r = f.reference(xi, param);
    if (r != r) {  // undefined at a finite input (outside the domain): NaN wanted
      if (v[i] == v[i]) ++s.special_mismatches;
      continue;
    }
    if (f.derivative) {
      double rel = wide_relative_error(w, r);
      if (rel > s.max_rel) {
        s.max_rel = rel;
        s.max_rel_x = xi;
      }
    }
    double err = float_ulps(v[i], r);
    if (err > 0.5 + 1e-6) ++s.above_half;
    if (s.worth_noting(err)) s.note(err, xi, v[i]);
  }
  return s;
}

Stats sweep(const Fn& f, const Kernel& k, const Options& opt) {
  const Specials special(f, k.param);
  Stats total;
  std::mutex merge_lock;
  HostTensor x(DType::f32, Shape{kBlock});
  for (int64_t block = 0; block < kBlock; block += opt.stride) {
    float* xs = x.values<float>().data();
    for (int64_t i = 0; i < kBlock; ++i) xs[i] = bits_to_float(static_cast<uint32_t>(block * kBlock + i));
    HostTensor v = k.run(f, x);
    const float* vs = v.values<float>().data();
    fast::parallel_for(kBlock, 4096, [&](int64_t b, int64_t e) {
      Stats s = measure_block(f, xs + b, vs + b, e - b, k.param, special);
      std::lock_guard<std::mutex> hold(merge_lock);
      total.merge(s);
    });
  }
  return total;
}

// The long double reference's own error, in float ulps, against MPFR: half random finite bit
// patterns, half uniform on [-20, 20].
double reference_error(const Fn& f, double param, int samples, uint64_t seed) {
  SplitMix64 rng(seed);
  double worst = 0;
  for (int i = 0; i < samples; ++i) {
    float x = i % 2 ? static_cast<float>(rng.uniform() * 40 - 20) : bits_to_float(static_cast<uint32_t>(rng.next()));
    if (!std::isfinite(x) || x == 0) continue;
    long double r = f.reference(x, param);
    long double exact = bench::mpfr_real_value(f.exact, x, param);
    if (r != r || exact != exact || std::isinf(exact)) continue;
    worst = std::max(worst, float_ulps(r, exact));
  }
  return worst;
}

// The contract row's ulps: the forward row, or for a derivative the VJP row (g * f'(x)).
double contract_bound(const Fn& f) {
  return fast::contract(f.op, DType::f32, f.derivative ? Direction{0} : Direction{}).ulps;
}

bool report(const Fn& f, const Kernel& k, const Stats& s, double ref_err, double seconds) {
  // The worst inputs again, against MPFR. Where the reference is worst conditioned (near a root)
  // its error there can exceed the sampled one: the larger of the two is the margin used.
  double mpfr_worst = 0;
  for (const Worst& w : s.worst) {
    double e = bench::mpfr_ulp_error(f.exact, w.x, w.v, k.param);
    if (e != e) continue;
    mpfr_worst = std::max(mpfr_worst, e);
    ref_err = std::max(ref_err, std::fabs(e - w.err));
  }
  // Forward: the measured maximum plus the reference's error. VJP: 0.5 for the rounding of g * w
  // plus the double f's relative error (its own, the product's 2^-53, the reference's) times 2^24.
  // (ref_err is in ulps at the real value; as a relative error times 2^24 it is at most twice that.)
  double max_rel = s.max_rel;
  if (f.derivative) {  // the largest relative error again, against MPFR (its input is near a root, if any)
    UnaryParams<float> params;
    params.eps = static_cast<float>(k.param);
    double w = fast::unary_derivative_wide(*unary_of(f.op), s.max_rel_x, params);
    double exact_rel = bench::mpfr_wide_error(f.exact, s.max_rel_x, w, k.param, true) * 0x1p24;
    if (exact_rel == exact_rel) max_rel = std::max(max_rel, exact_rel);
  }
  double certified = f.derivative ? 0.5 + max_rel + 0x1p-29 + 2 * ref_err : s.max_err + ref_err;
  double bound = contract_bound(f);
  bool ok = certified <= bound && s.special_mismatches == 0 && s.rounding_mismatches == 0;
  char rel[32] = "-";
  if (f.derivative) std::snprintf(rel, sizeof rel, "%.3e at %s", max_rel, hex_float(s.max_rel_x).c_str());
  std::printf("| %s | %lld | %.9f | %s | %.9f | %.1e | %s | %.9f | %g | %lld | %lld | %lld | %.0f | %s |\n", f.name,
              static_cast<long long>(s.inputs), s.max_err, s.worst.empty() ? "-" : hex_float(s.worst[0].x).c_str(),
              mpfr_worst, ref_err, rel, certified, bound, static_cast<long long>(s.above_half),
              static_cast<long long>(s.special_mismatches), static_cast<long long>(s.rounding_mismatches), seconds,
              ok ? "yes" : "**NO**");
  std::fflush(stdout);
  return ok;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    bool has_value = i + 1 < argc;
    if (a == "--threads" && has_value) o.threads = std::atoi(argv[++i]);
    else if (a == "--stride" && has_value) o.stride = std::atoll(argv[++i]);
    else if (a == "--mpfr-samples" && has_value) o.mpfr_samples = std::atoi(argv[++i]);
    else if (a.rfind("--", 0) == 0) throw UserError("unknown or incomplete option '" + a + "'");
    else o.only.push_back(a);
  }
  if (o.threads < 1 || o.stride < 1 || o.stride > kBlock || o.mpfr_samples < 0)
    throw UserError("--threads and --stride must be at least 1 (stride at most 65536), --mpfr-samples at least 0");
  for (const std::string& name : o.only)
    if (std::none_of(std::begin(kFns), std::end(kFns), [&](const Fn& f) { return name == f.name; }))
      throw UserError("unknown function '" + name + "'");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  try {
    opt = parse(argc, argv);
  } catch (const UserError& e) {
    std::fprintf(stderr, "ulp_exhaustive: %s\nusage: ulp_exhaustive [--threads N] [--stride S] [--mpfr-samples M] [function...]\n", e.what());
    return 2;
  }
  fast::set_threads(opt.threads);
  std::printf("float32 inputs: every %lld-th block of 2^16 bit patterns (%s); AVX-512 kernels: %s; threads %d\n\n",
              static_cast<long long>(opt.stride), opt.stride == 1 ? "all 2^32" : "a sample",
              __builtin_cpu_supports("avx512f") ? "yes" : "no", opt.threads);
  std::printf("| function | inputs | max ulp (long double ref) | worst input | worst %d vs MPFR | reference error (%d samples and the worst vs MPFR) | 2^24 rho of the double f' | certified bound | contract | above 0.5 ulp | special mismatches | rounding mismatches | seconds | within contract |\n",
              kWorstKept, opt.mpfr_samples);
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  bool all_ok = true;
  for (const Fn& f : kFns) {
    if (!opt.only.empty() && std::find(opt.only.begin(), opt.only.end(), f.name) == opt.only.end()) continue;
    Kernel k(f);
    auto t0 = std::chrono::steady_clock::now();
    Stats s = sweep(f, k, opt);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double ref_err = reference_error(f, k.param, opt.mpfr_samples, 20261130);
    all_ok = report(f, k, s, ref_err, seconds) && all_ok;
  }
  return all_ok ? 0 : 1;
}

// ULP survey of CUDA's own double-precision math functions, the ones the cuda backend calls on the GPU
// (cuda/math.h: exp, log, log1p, sin, cos, tanh, cosh), from the toolkit's libdevice compiled for the
// host (cuda/libdevice/). For each function: N sampled inputs (random finite bit patterns of its
// domain, uniform draws on its working range, small arguments, large ones), each result measured in
// ulps against a 256-bit MPFR enclosure (rounded down and up), under every model of the approximate
// instructions (libdevice_host.h). Prints one Markdown row per function: the CUDA C++ Programming
// Guide's bound, the largest error under the exact model and over all models, the worst input, how
// many inputs gave different results under different models, how many differ from glibc's function
// (what the emulated engine computes instead), and special values (±0, ±inf, NaN, ±2^-1074, and -1,
// -2 for the poles and domain edges) whose results differ from glibc's (C99 Annex F).
// With FUNCTION LO HI, only that function, its N inputs uniform on [LO, HI] (where its errors
// cluster: the dense searches of reports/cuda/libdevice-host.md).
// Exit 1 when a function exceeds, under some model, the bound the cuda contracts are derived from
// (cuda/function_bounds.h: the guide's, or a measured one where libdevice exceeds it); 2 on bad
// arguments.
// Usage: libdevice_survey N [seed [FUNCTION LO HI]]
#include <mpfr.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "cuda/function_bounds.h"
#include "cuda/libdevice/libdevice_host.h"
#include "checking/ulp.h"
#include "spec/splitmix.h"

namespace {

using tl::SplitMix64;
namespace ld = tl::cuda::libdevice;

using MpfrFn = int (*)(mpfr_ptr, mpfr_srcptr, mpfr_rnd_t);

// Domains of the inputs drawn (besides random bit patterns, folded into the domain).
enum class Domain { all, positive, above_minus_one };

struct Fn {
  const char* name;
  double (*cuda)(double);
  double (*glibc)(double);
  MpfrFn exact;
  Domain domain;
  double range;       // uniform draws on [-range, range] (folded into the domain)
};

const Fn kFns[] = {
    {"exp", __nv_exp, ::exp, mpfr_exp, Domain::all, 745},
    {"log", __nv_log, ::log, mpfr_log, Domain::positive, 4},
    {"log1p", __nv_log1p, ::log1p, mpfr_log1p, Domain::above_minus_one, 4},
    {"sin", __nv_sin, ::sin, mpfr_sin, Domain::all, 100},
    {"cos", __nv_cos, ::cos, mpfr_cos, Domain::all, 100},
    {"tanh", __nv_tanh, ::tanh, mpfr_tanh, Domain::all, 20},
    {"cosh", __nv_cosh, ::cosh, mpfr_cosh, Domain::all, 711},
};

double fold(double x, Domain d) {
  switch (d) {
    case Domain::all: return x;
    case Domain::positive: return std::fabs(x);
    case Domain::above_minus_one: return x < -1 ? std::fabs(x) : x;
  }
  return x;
}

double draw(const Fn& f, SplitMix64& rng) {
  double x = 0;
  switch (rng.below(4)) {
    case 0:  // a random finite bit pattern
      do {
        uint64_t b = rng.next();
        std::memcpy(&x, &b, sizeof x);
      } while (!std::isfinite(x));
      break;
    case 1: x = (rng.uniform() * 2 - 1) * f.range; break;
    case 2: x = (rng.uniform() * 2 - 1) * std::ldexp(1.0, -static_cast<int>(rng.below(60))); break;
    case 3: x = (rng.uniform() * 2 - 1) * std::ldexp(f.range, static_cast<int>(rng.below(20))); break;
  }
  return fold(x, f.domain);
}

// The error of v against f(x) in ulps of double (oracle::ulp_error's rules); NaN when f(x) is
// undefined (then v must be a NaN: reported by the caller).
double ulps_of(const Fn& f, double x, double v, mpfr_ptr lo, mpfr_ptr hi, mpfr_ptr arg) {
  mpfr_set_d(arg, x, MPFR_RNDN);
  f.exact(lo, arg, MPFR_RNDD);
  f.exact(hi, arg, MPFR_RNDU);
  if (mpfr_nan_p(lo)) return std::isnan(v) ? 0 : INFINITY;
  if (mpfr_inf_p(lo) || mpfr_inf_p(hi)) {  // log(0), log1p(-1): the pole, exactly
    return (std::isinf(v) && (v > 0) == (mpfr_sgn(lo) > 0)) ? 0 : INFINITY;
  }
  return tl::oracle::ulp_error(v, lo, hi, tl::DType::f64).hi;
}

struct Row {
  double max_exact = 0, max_any = 0, worst_x = 0;
  const char* worst_model = "";
  long model_dependent = 0, differ_from_glibc = 0, special_mismatch = 0;
};

// Inputs uniform on [lo, hi] instead of draw()'s mixture, when lo < hi.
struct Range {
  double lo = 0, hi = 0;
};

Row survey(const Fn& f, long n, uint64_t seed, Range range) {
  Row row;
  SplitMix64 rng(seed);
  mpfr_t lo, hi, arg;
  mpfr_inits2(256, lo, hi, arg, static_cast<mpfr_ptr>(nullptr));
  for (long i = 0; i < n; ++i) {
    const double x = range.lo < range.hi ? range.lo + (range.hi - range.lo) * rng.uniform() : draw(f, rng);
    double first = 0;
    bool dependent = false;
    for (ld::ApproxModel m : ld::kApproxModels) {
      ld::set_approx_model(m);
      const double v = f.cuda(x);
      if (m == ld::ApproxModel::exact) {
        first = v;
        row.differ_from_glibc += !tl::oracle::same_bits(v, f.glibc(x));
      } else {
        dependent = dependent || !tl::oracle::same_bits(v, first);
      }
      const double e = ulps_of(f, x, v, lo, hi, arg);
      if (m == ld::ApproxModel::exact && e > row.max_exact) row.max_exact = e;
      if (e > row.max_any) row.max_any = e, row.worst_x = x, row.worst_model = ld::approx_model_name(m);
    }
    row.model_dependent += dependent;
  }
  ld::set_approx_model(ld::ApproxModel::exact);
  const double inf = std::numeric_limits<double>::infinity(), tiny = std::numeric_limits<double>::denorm_min();
  for (double s : {0.0, -0.0, inf, -inf, std::numeric_limits<double>::quiet_NaN(), tiny, -tiny, -1.0, -2.0})
    row.special_mismatch += !tl::oracle::same_bits(f.cuda(s), f.glibc(s));
  mpfr_clears(lo, hi, arg, static_cast<mpfr_ptr>(nullptr));
  return row;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3 && argc != 6) {
    std::fprintf(stderr, "usage: libdevice_survey N [seed [FUNCTION LO HI]]\n");
    return 2;
  }
  const char* only = argc == 6 ? argv[3] : nullptr;
  Range range;
  if (only != nullptr) {
    char* e1 = nullptr;
    char* e2 = nullptr;
    range = {std::strtod(argv[4], &e1), std::strtod(argv[5], &e2)};
    if (*e1 != '\0' || *e2 != '\0' || !(range.lo < range.hi)) {
      std::fprintf(stderr, "libdevice_survey: LO HI must be numbers with LO < HI, not '%s' '%s'\n", argv[4], argv[5]);
      return 2;
    }
    bool known = false;
    for (const Fn& f : kFns) known = known || std::strcmp(f.name, only) == 0;
    if (!known) {
      std::fprintf(stderr, "libdevice_survey: unknown function '%s' (exp log log1p sin cos tanh cosh)\n", only);
      return 2;
    }
  }
  char* end = nullptr;
  const long n = std::strtol(argv[1], &end, 10);
  if (*end != '\0' || n < 1) {
    std::fprintf(stderr, "libdevice_survey: N must be a positive integer, not '%s'\n", argv[1]);
    return 2;
  }
  const uint64_t seed = argc >= 3 ? std::strtoull(argv[2], nullptr, 10) : 20261130;
  std::printf("libdevice_survey %ld %llu%s%s (seed printed; the same arguments replay)\n\n", n,
              static_cast<unsigned long long>(seed), only ? " " : "", only ? (std::string(only) + " " + argv[4] + " " + argv[5]).c_str() : "");
  std::printf("| function | guide bound | contracts' bound | samples | max ulp (exact model) | max ulp (any model) "
              "| worst input | model-dependent results | differ from glibc | special values unlike glibc |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
  int status = 0;
  for (const Fn& f : kFns) {
    if (only != nullptr && std::strcmp(f.name, only) != 0) continue;
    const tl::cuda::DoubleFunctionBound* bound = nullptr;
    for (const auto& b : tl::cuda::kDoubleFunctionBounds) bound = b.name == f.name ? &b : bound;
    if (bound == nullptr) {
      std::fprintf(stderr, "libdevice_survey: no bound for %s in cuda/function_bounds.h\n", f.name);
      return 1;
    }
    const Row r = survey(f, n, seed, range);
    const bool within = r.max_any <= bound->derived_ulps;
    status |= within ? 0 : 1;
    std::printf("| %s | %g | %g | %ld | %.4f | %.4f | %a (%s) | %ld | %ld | %ld |%s%s\n", f.name, bound->guide_ulps,
                bound->derived_ulps, n, r.max_exact, r.max_any, r.worst_x, r.worst_model, r.model_dependent,
                r.differ_from_glibc, r.special_mismatch, r.max_any > bound->guide_ulps ? " over the guide's bound" : "",
                within ? "" : " **over the contracts' bound**");
  }
  return status;
}

// Strict<T>: native IEEE + - * / sqrt fma; correctly rounded real functions with a special-value
// table (docs/special-values.md) in front of the Ziv loop.
#include "reference/scalar_strict.h"

#include <cmath>
#include <limits>

#include "reference/rounding.h"
#include "reference/scalar_interval.h"
#include "spec/error.h"
#include "spec/tensor.h"

namespace tl::ref {
namespace {

template <class T> constexpr DType dtype_for() { return std::is_same_v<T, float> ? DType::f32 : DType::f64; }

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Values that the table fixes before any enclosure is computed: NaN inputs, infinities, signed zeros
// of odd functions, and domain edges. Returns nullopt when the Ziv loop must decide.
std::optional<double> special_value(RealFn f, double x, double param) {
  if (std::isnan(x)) return kNaN;
  bool inf = std::isinf(x);
  bool neg = std::signbit(x);
  switch (f) {
    case RealFn::sqrt: case RealFn::log_grad: return std::nullopt;  // native in apply()
    case RealFn::rsqrt:
      if (x == 0) return neg ? -kInf : kInf;
      if (x < 0) return kNaN;
      if (inf) return 0.0;
      return std::nullopt;
    case RealFn::exp: if (inf) return neg ? 0.0 : kInf; return std::nullopt;
    case RealFn::log:
      if (x == 0) return -kInf;
      if (x < 0) return kNaN;
      if (inf) return kInf;
      return std::nullopt;
    case RealFn::sin: case RealFn::tanh: case RealFn::gelu:  // odd at 0: keep the zero's sign
      if (x == 0) return x;
      if (inf) return f == RealFn::sin ? kNaN : f == RealFn::tanh ? (neg ? -1.0 : 1.0) : (neg ? -0.0 : kInf);
      return std::nullopt;
    case RealFn::cos: case RealFn::sin_grad: if (inf) return kNaN; return std::nullopt;
    case RealFn::cos_grad:
      if (x == 0) return -x;
      if (inf) return kNaN;
      return std::nullopt;
    case RealFn::sigmoid: case RealFn::softplus_grad: if (inf) return neg ? 0.0 : 1.0; return std::nullopt;
    case RealFn::softplus: if (inf) return neg ? 0.0 : kInf; return std::nullopt;
    case RealFn::safe_log: if (inf && !neg) return kInf; return std::nullopt;  // -inf: log(eps), by Ziv
    case RealFn::sqrt_grad: if (x <= 0 || inf) return 0.0; return std::nullopt;
    case RealFn::rsqrt_grad:
      if (x == 0) return -kInf;
      if (x < 0) return kNaN;
      if (inf) return -0.0;
      return std::nullopt;
    case RealFn::reciprocal_grad:
      if (x == 0) return -kInf;
      if (inf) return -0.0;
      return std::nullopt;
    case RealFn::tanh_grad: case RealFn::sigmoid_grad: if (inf) return 0.0; return std::nullopt;
    case RealFn::gelu_grad: if (inf) return neg ? -0.0 : 1.0; return std::nullopt;
    case RealFn::safe_log_grad: if (inf) return 0.0; return std::nullopt;
  }
  (void)param;
  throw_internal("bad RealFn value");
}

// The sign of f(x) when it is known and the enclosure may touch 0 through MPFR underflow.
int known_sign(RealFn f, double x) {
  return f == RealFn::gelu ? (x < 0 ? -1 : 1) : 0;
}

template <class T>
double correctly_rounded(RealFn f, double x, double param) {
  // -inf for safe_log means log(0 + eps).
  bool log_of_eps = f == RealFn::safe_log && std::isinf(x);
  Encloser enclose = [&](mpfr_prec_t prec, mpfr_t lo, mpfr_t hi) {
    IntervalPrecision guard(prec);
    Interval r = log_of_eps ? apply(RealFn::log, Interval::from_double(param))
                            : apply(f, Interval::from_double(x), param);
    TL_CHECK_INTERNAL(!r.has_nan(), std::string("NaN enclosure of ") + std::string(real_fn_name(f)));
    mpfr_set(lo, &r.raw()->left, MPFR_RNDD);
    mpfr_set(hi, &r.raw()->right, MPFR_RNDU);
    int sign = known_sign(f, x);
    if (sign < 0 && mpfr_sgn(hi) >= 0) mpfr_set_zero(hi, -1);
    if (sign > 0 && mpfr_sgn(lo) <= 0) mpfr_set_zero(lo, +1);
  };
  Rounding r = round_correctly(enclose, dtype_for<T>());
  if (!r.decided) {
    throw UndecidedRounding(std::string(real_fn_name(f)) + "(" + hex_float(x) +
                            ") could not be rounded to " + std::string(dtype_name(dtype_for<T>())) +
                            " within " + std::to_string(r.precision) + " bits");
  }
  return r.value;
}

}  // namespace

template <class T> std::string Strict<T>::str() const { return hex_float(v); }

template <class T> Strict<T> fma(Strict<T> a, Strict<T> b, Strict<T> c) { return {std::fma(a.v, b.v, c.v)}; }

template <class T> Cmp compare(Strict<T> a, Strict<T> b) {
  if (a.v < b.v) return Cmp::less;
  if (a.v > b.v) return Cmp::greater;
  if (a.v == b.v) return Cmp::equal;
  return Cmp::unknown;  // a NaN is involved
}

template <class T> Strict<T> hull(Strict<T>, Strict<T>) {
  return {std::numeric_limits<T>::quiet_NaN()};  // reached only through a NaN comparison
}

template <class T> Strict<T> apply(RealFn f, Strict<T> x, double param) {
  if (f == RealFn::log_grad) return {T(1) / x.v};                  // native division
  if (f == RealFn::sqrt) return {std::sqrt(x.v)};                   // native square root
  if (auto s = special_value(f, static_cast<double>(x.v), param)) return {static_cast<T>(*s)};
  return {static_cast<T>(correctly_rounded<T>(f, static_cast<double>(x.v), param))};
}

template <class T> std::optional<int64_t> as_index(Strict<T> x) {
  if (!(x.v == std::trunc(x.v)) || std::fabs(x.v) > 0x1p62) return std::nullopt;
  return static_cast<int64_t>(x.v);
}

template struct Strict<float>;
template struct Strict<double>;
#define TL_STRICT_INSTANTIATE(T)                                                        \
  template Strict<T> fma(Strict<T>, Strict<T>, Strict<T>);                              \
  template Cmp compare(Strict<T>, Strict<T>);                                           \
  template Strict<T> hull(Strict<T>, Strict<T>);                                        \
  template Strict<T> apply(RealFn, Strict<T>, double);                                  \
  template std::optional<int64_t> as_index(Strict<T>);
TL_STRICT_INSTANTIATE(float)
TL_STRICT_INSTANTIATE(double)
#undef TL_STRICT_INSTANTIATE

}  // namespace tl::ref

// The regime edges of every op (see regimes.h), one switch over OpId with no default. Each edge is
// derived here from the op's definition in the reference's terms (docs/ops.md) and the format's
// limits; the derivation is the `why` text. ln, sqrt and cbrt are taken in double: an edge only has
// to lie within the spread of the true one.
#include "cases/regimes.h"

#include <cmath>
#include <limits>

namespace tl::oracle {
namespace {

constexpr double kLn2 = 0.69314718055994530942;
constexpr double kSqrt2 = 1.41421356237309504880;
constexpr double kSqrt2OverPi = 0.79788456080286535588;
constexpr double kGeluCubic = 0.044715;

using Edges = std::vector<RegimeEdge>;

// An edge whose draws reach from an ulp away to the whole region on either side, down to 0: a
// shortcut or formula switch taken anywhere before the true edge is met.
RegimeEdge around(double at, bool symmetric, const char* why) { return {at, std::fabs(at), symmetric, why}; }


// The format's own edges: around MAX, the normal/subnormal boundary and zero.
Edges format_edges(const FormatLimits& f) {
  return {{f.max, f.max / 4, true, "the largest finite values"},
          {f.min_normal, f.min_normal, true, "the normal/subnormal boundary"},
          {0, 4 * f.min_normal, true, "zeros and subnormals"}};
}

// Logarithms of the result edges of an exponential: e^x overflows above ln MAX, is subnormal below
// ln MIN, and rounds to 0 below ln(TINY / 2).
struct ExpEdges {
  double ln_max, ln_min, ln_zero;
};
ExpEdges exp_edges(const FormatLimits& f) {
  return {std::log(f.max), std::log(f.min_normal), std::log(f.tiny) - kLn2};  // TINY / 2 is 0 in double
}

// 2u(x) = 2 sqrt(2/π) (x + 0.044715 x³), gelu's sigmoid argument, increasing in x.
double gelu_2u(double x) { return 2 * kSqrt2OverPi * (x + kGeluCubic * x * x * x); }

// The x with g(x) = target for increasing g on [lo, hi], by bisection.
template <class F> double solve_increasing(F g, double target, double lo, double hi) {
  for (int i = 0; i < 200; ++i) {
    double mid = (lo + hi) / 2;
    (g(mid) < target ? lo : hi) = mid;
  }
  return lo;
}

Edges gelu_edges(const FormatLimits& f) {
  const ExpEdges e = exp_edges(f);
  const double sat = (f.p + 1) * kLn2;
  // Far left gelu(x) = x σ(2u) ≈ x e^{2u}: its logarithm ln(-x) + 2u(x) is increasing for x < -1.
  auto log_tail = [](double x) { return std::log(-x) + gelu_2u(x); };
  return {around(solve_increasing(gelu_2u, sat, 0, 1e3), false, "σ(2u) rounds to 1: gelu(x) rounds to x"),
          around(solve_increasing(gelu_2u, -sat, -1e3, 0), false, "σ(2u) = e^{2u} within rounding"),
          around(solve_increasing(gelu_2u, -e.ln_max, -1e4, 0), false, "e^{-2u} overflows"),
          around(solve_increasing(log_tail, e.ln_min, -1e4, -1), false, "the result is subnormal"),
          around(solve_increasing(log_tail, e.ln_zero, -1e4, -1), false, "the result rounds to 0"),
          {std::cbrt(f.max) / std::cbrt(kGeluCubic), std::cbrt(f.max) / std::cbrt(kGeluCubic) / 4, true,
           "0.044715 x³ overflows; gelu(x) = x"},
          {0, 2 * std::ldexp(1.0, -f.p / 2), true, "gelu(x) = x/2 + O(x²): small arguments"}};
}

// softplus(x) = ln(1 + e^x) = x + ln(1 + e^{-x}) rounds to x once e^{-x} < ulp(x)/2 ≈ x·2^-p, i.e.
// above x = p ln 2 − ln x (≈ p ln 2 − ln(p ln 2)); e^x − e^{2x}/2 rounds to e^x below -p ln 2; and
// e^x itself overflows or underflows at its edges.
Edges softplus_edges(const FormatLimits& f) {
  const ExpEdges e = exp_edges(f);
  const double big = f.p * kLn2;
  return {around(big - std::log(big), false, "softplus(x) rounds to x"),
          around(-big, false, "softplus(x) = e^x within rounding"),
          around(e.ln_max, false, "e^x overflows above ln MAX"),
          around(e.ln_min, false, "the result is subnormal below ln MIN"),
          around(e.ln_zero, false, "the result rounds to 0")};
}

Edges append(Edges a, const Edges& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

Edges edges_of(const Node& n, const FormatLimits& f) {
  const ExpEdges e = exp_edges(f);
  const double half_p = std::ldexp(1.0, -f.p / 2), sat = (f.p + 1) * kLn2, root_max = std::sqrt(f.max);
  switch (n.op) {
    case OpId::exp:
      return {around(e.ln_max, false, "exp overflows above ln MAX"),
              around(e.ln_min, false, "exp is subnormal below ln MIN"),
              around(e.ln_zero, false, "exp rounds to 0 below ln(TINY/2)"),
              {0, std::ldexp(1.0, 2 - f.p), true, "exp(x) rounds to 1 for |x| below about 2^-p"},
              {0, e.ln_max, true, "the whole normal range: a range reduction's error grows with |x|"}};
    case OpId::log:
      return {{1, 0.5, false, "log(x) → 0 at 1: x − 1 cancels"},
              {f.min_normal, f.min_normal, false, "subnormal arguments"},
              {f.max, f.max / 4, false, "the largest finite arguments"}};
    case OpId::sqrt: case OpId::rsqrt:
      return {{1, 0.5, false, "near 1 and 4: results next to exact squares"},
              around(4, false, "near 1 and 4: results next to exact squares"),
              {f.min_normal, f.min_normal, false, "subnormal arguments, normal results"},
              {f.max, f.max / 4, false, "the largest finite arguments"}};
    case OpId::reciprocal:
      return {{1 / f.max, 1 / f.max, true, "1/x overflows below 1/MAX"},
              {1 / f.min_normal, 1 / f.min_normal / 2, true, "1/x is subnormal above 1/MIN"}};
    case OpId::sin: case OpId::cos: {
      Edges out = {{0, 2 * half_p, true, "sin x rounds to x and cos x to 1 for |x| below about 2^(-p/2)"},
                   {std::ldexp(1.0, f.p), std::ldexp(1.0, f.p - 1), true, "above 2^p: integers, π must be known to many bits"},
                   {f.max, f.max / 4, true, "the largest arguments: reduction modulo π/2 of a huge number"}};
      for (long double k : {1.0L, 2.0L, 3.0L, 5.0L, 11.0L, 101.0L, 1001.0L, 65537.0L, 1048575.0L}) {
        double at = static_cast<double>(k * 1.57079632679489661923132169163975144L);
        out.push_back({at, at * std::ldexp(1.0, 6 - f.p), true, "zeros of sin and cos at kπ/2"});
      }
      return out;
    }
    case OpId::tanh:
      return {{0, 2 * half_p, true, "tanh x rounds to x for |x| below about sqrt(3·2^-p)"},
              {0, 2, true, "the transition from the odd series to the exponential form"},
              around((f.p + 2) * kLn2 / 2, true, "1 − tanh x ≈ 2e^{-2x} < 2^-(p+1): tanh rounds to ±1 beyond (p+2) ln2 / 2"),
              around(e.ln_max / 2, true, "e^{2x} overflows beyond ln(MAX)/2")};
    case OpId::sigmoid:
      return {around(sat, false, "σ(x) rounds to 1 above (p+1) ln 2"),
              around(-f.p * kLn2, false, "σ(x) = e^x within rounding below -p ln 2"),
              around(-e.ln_max, false, "e^{-x} overflows below -ln MAX while σ(x) = e^x is not 0"),
              around(e.ln_min, false, "the result is subnormal below ln MIN"),
              around(e.ln_zero, false, "the result rounds to 0"),
              {0, std::ldexp(1.0, 2 - f.p), true, "σ(x) rounds to 1/2"}};
    case OpId::softplus: return softplus_edges(f);
    case OpId::safe_log: {
      double eps = std::get<SafeLogAttrs>(n.attrs).eps;
      return append(softplus_edges(f), {around(std::log(eps), false, "softplus(x) = eps: eps takes over below")});
    }
    case OpId::gelu: return gelu_edges(f);
    case OpId::hardtanh:
      return {{1, std::ldexp(1.0, 4 - f.p), true, "the clamp bounds ±1"}, {0, 4 * f.min_normal, true, "signed zeros"}};
    case OpId::clamp: {
      const ClampAttrs& c = std::get<ClampAttrs>(n.attrs);
      auto near = [&](double b) { return b == 0 ? 4 * f.min_normal : std::fabs(b) * std::ldexp(1.0, 4 - f.p); };
      return {{c.lo, near(c.lo), false, "the lower bound"}, {c.hi, near(c.hi), false, "the upper bound"}};
    }
    case OpId::square:
      return {{std::sqrt(f.max), std::sqrt(f.max) / 4, true, "x² overflows beyond sqrt MAX"},
              {std::sqrt(f.min_normal), std::sqrt(f.min_normal) / 2, true, "x² is subnormal below sqrt MIN"},
              {std::sqrt(f.tiny) / kSqrt2, std::sqrt(f.tiny) / kSqrt2 / 2, true, "x² rounds to 0 below sqrt(TINY/2)"}};
    case OpId::scale: {
      double c = std::fabs(std::get<ScaleAttrs>(n.attrs).c);
      if (c == 0 || !std::isfinite(c)) return format_edges(f);
      Edges out = format_edges(f);  // |c| <= 1: c·x overflows nowhere, MAX is the edge
      if (c > 1) out.push_back({f.max / c, f.max / c / 4, true, "c·x overflows"});
      out.push_back({f.min_normal / c, f.min_normal / c, true, "c·x is subnormal"});
      return out;
    }
    case OpId::mul: case OpId::div:
      return append(format_edges(f), {{root_max, root_max / 2, true, "products of two such overflow"},
                                      {1 / root_max, 1 / root_max / 2, true, "quotients by such overflow"},
                                      {std::sqrt(f.min_normal), std::sqrt(f.min_normal) / 2, true, "products are subnormal"}});
    case OpId::softmax: case OpId::log_softmax: case OpId::logsumexp: case OpId::cross_entropy:
      return {around(e.ln_max, true, "e^x overflows beyond ln MAX: the row's max must come out first"),
              {0, sat, true, "terms more than (p+1) ln 2 below the max vanish against it"}};
    case OpId::bce_with_logits:
      return {around(e.ln_max, true, "e^{±x} overflows"), around(sat, true, "ln(1 + e^{-|x|}) rounds away"), {0, 2, true, "the middle"}};
    case OpId::mse_loss: return append(format_edges(f), {{root_max / 2, root_max / 4, true, "(a − b)² overflows"}});
    case OpId::layer_norm: case OpId::batch_norm: {
      double eps = n.op == OpId::layer_norm ? std::get<LayerNormAttrs>(n.attrs).eps : std::get<BatchNormAttrs>(n.attrs).eps;
      return {{0, std::sqrt(eps), true, "spreads near sqrt(eps): the variance and eps weigh alike"},
              {root_max / 256, root_max / 256, true,
               "the largest groups whose squares still fit (sum (x - mean)^2 <= MAX/4 for a few hundred elements): "
               "a one-pass sum of x^2 or an unscaled square overflows first"},
              {1, 0.5, true, "ordinary values"}};
    }
    case OpId::matmul: case OpId::linear: case OpId::conv2d:
      return append(format_edges(f), {{root_max, root_max / 2, true, "products overflow"}});
    case OpId::input: case OpId::constant: case OpId::detach: case OpId::bernoulli_mask: case OpId::rand_uniform:
    case OpId::add: case OpId::sub: case OpId::sum: case OpId::reduce_sum: case OpId::reduce_mean:
    case OpId::avg_pool2d: case OpId::reshape: case OpId::flatten: case OpId::permute: case OpId::transpose:
    case OpId::broadcast_to: case OpId::concat: case OpId::slice: case OpId::gather_rows:
    case OpId::scatter_add_rows: case OpId::nll:
    case OpId::relu: case OpId::abs: case OpId::neg: case OpId::maximum: case OpId::minimum:  // kinks, ties at 0
    case OpId::reduce_max: case OpId::max_pool2d:
      return format_edges(f);
  }
  return format_edges(f);
}

}  // namespace

FormatLimits format_limits(DType dtype) {
  switch (dtype) {
    case DType::f32: {
      using L = std::numeric_limits<float>;
      return {L::digits, L::max(), L::min(), L::denorm_min()};
    }
    case DType::f64: {
      using L = std::numeric_limits<double>;
      return {L::digits, L::max(), L::min(), L::denorm_min()};
    }
  }
  return {};
}

std::vector<RegimeEdge> regime_edges(const Node& n, DType dtype) { return edges_of(n, format_limits(dtype)); }

}  // namespace tl::oracle

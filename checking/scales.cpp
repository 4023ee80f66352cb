// Error scales per op and direction: one switch over OpId, no default.
#include "checking/scales.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "kernel_rules/norm_layout.h"
#include "checking/ulp.h"
#include "spec/error.h"

namespace tl::oracle {
namespace {

constexpr double kSlack = 1 + 0x1p-20;  // the scale is computed in double: round it up

double sum_abs(const HostTensor& t) {
  double s = 0;
  for (int64_t i = 0; i < t.numel(); ++i) s += std::fabs(t.value_as_double(i));
  return s;
}

// Largest finite magnitude (non-finite elements are judged through the strict meaning's specials).
double max_abs(const HostTensor& t) {
  double m = 0;
  for (int64_t i = 0; i < t.numel(); ++i) {
    double v = std::fabs(t.value_as_double(i));
    if (std::isfinite(v)) m = std::max(m, v);
  }
  return m;
}

// Smallest nonzero finite magnitude (+inf when there is none).
double min_abs_nonzero(const HostTensor& t) {
  double m = INFINITY;
  for (int64_t i = 0; i < t.numel(); ++i) {
    double v = std::fabs(t.value_as_double(i));
    if (v > 0 && std::isfinite(v)) m = std::min(m, v);
  }
  return m;
}

bool loss_is_mean(const Node& n) { return std::get<LossAttrs>(n.attrs).reduction == Reduction::mean; }

// |s| of a loss VJP: |g| / count for mean, |g| for sum.
double loss_share(const Node& n, const HostTensor& g, int64_t count) {
  double gv = std::fabs(g.value_as_double(0));
  return loss_is_mean(n) ? gv / static_cast<double>(count) : gv;
}

// Gradual underflow: a rounding to a subnormal result errs by up to TINY/2 absolutely, not relatively,
// and the norms multiply such errors by r = 1/sqrt(var + eps) and |gamma| afterwards (the mean's
// division, d·r, g·gamma, the means of the VJP). A handful of them (at most 4) amplified by at most A
// err by 2·TINY·(1 + A) in all, which 2 ulps at S cover once S >= 2^p·TINY·(1 + A) (ulp(S) > S·2^-p):
// results below about 2·MIN·(1 + A) are measured at that floor, larger ones are unaffected.
double underflow_scale(DType d, double amplification) {
  const double tiny = d == DType::f32 ? 0x1p-149 : 0x1p-1074;
  return std::ldexp(tiny, d == DType::f32 ? 24 : 53) * (1 + amplification);
}

struct NormStats {
  double kappa = 0;     // max over groups of mean|x| / sqrt(var + eps)
  double r_max = 0;     // max over groups of 1 / sqrt(var + eps)
  int64_t count = 1;
};

NormStats norm_stats(const Node& n, const HostTensor& x) {
  NormLayout l = norm_layout(n, x.shape());
  double eps = norm_eps(n);
  NormStats s;
  s.count = l.count;
  for (int64_t grp = 0; grp < l.groups; ++grp) {
    double sum = 0, abs = 0, sq = 0;
    for (int64_t j = 0; j < l.count; ++j) sum += x.value_as_double(l.element(grp, j));
    double mean = sum / static_cast<double>(l.count);
    for (int64_t j = 0; j < l.count; ++j) {
      double v = x.value_as_double(l.element(grp, j));
      abs += std::fabs(v);
      sq += (v - mean) * (v - mean);
    }
    double r = 1 / std::sqrt(sq / static_cast<double>(l.count) + eps);
    s.kappa = std::max(s.kappa, abs / static_cast<double>(l.count) * r);
    s.r_max = std::max(s.r_max, r);
  }
  return s;
}

// layer_norm / batch_norm (training) forward: |gamma| (n kappa (1 + sqrt n) + sqrt n (n/2 + 6)).
double norm_forward_scale(const Node& n, const std::vector<const HostTensor*>& in) {
  if (n.op == OpId::batch_norm && !std::get<BatchNormAttrs>(n.attrs).training) {
    NormLayout l = norm_layout(n, in[0]->shape());
    double eps = norm_eps(n), worst = 0;
    for (int64_t c = 0; c < l.groups; ++c) {
      double r = 1 / std::sqrt(in[4]->value_as_double(c) + eps), gamma = std::fabs(in[1]->value_as_double(c));
      for (int64_t j = 0; j < l.count; ++j)
        worst = std::max(worst, std::fabs(in[0]->value_as_double(l.element(c, j)) - in[3]->value_as_double(c)) * r * gamma);
    }
    double r_max = 0;
    for (int64_t c = 0; c < l.groups; ++c) r_max = std::max(r_max, 1 / std::sqrt(in[4]->value_as_double(c) + eps));
    return std::max(5.5 * worst, underflow_scale(n.dtype, r_max * std::max(1.0, max_abs(*in[1]))));
  }
  NormStats s = norm_stats(n, *in[0]);
  double cnt = static_cast<double>(s.count), root = std::sqrt(cnt), gamma = max_abs(*in[1]);
  return std::max(gamma * (cnt * s.kappa * (1 + root) + root * (cnt / 2 + 6)),
                  underflow_scale(n.dtype, s.r_max * std::max(1.0, gamma)));
}

// Eval-mode batch_norm VJPs normalise with the running statistics: x_hat = (x - mu) r, r = 1/sqrt(var
// + eps), which can be far larger than sqrt(n). dx = g gamma r: S = 4 max|gamma| max r sum|g|;
// dgamma = sum g x_hat: S = 2 sum|g| max|x_hat|; dbeta: sum|g|.
double eval_batch_norm_vjp_scale(const Node& n, const std::vector<const HostTensor*>& in, const HostTensor& g, int input) {
  NormLayout l = norm_layout(n, in[0]->shape());
  double eps = norm_eps(n), r_max = 0, xhat_max = 0;
  for (int64_t c = 0; c < l.groups; ++c) {
    double r = 1 / std::sqrt(in[4]->value_as_double(c) + eps);
    r_max = std::max(r_max, r);
    for (int64_t j = 0; j < l.count; ++j) {
      double v = std::fabs(in[0]->value_as_double(l.element(c, j)) - in[3]->value_as_double(c)) * r;
      if (std::isfinite(v)) xhat_max = std::max(xhat_max, v);
    }
  }
  if (input == 0) return std::max(4 * max_abs(*in[1]) * r_max * sum_abs(g), underflow_scale(n.dtype, r_max));
  if (input == 1) return std::max(2 * sum_abs(g) * xhat_max, underflow_scale(n.dtype, r_max * sum_abs(g)));
  return sum_abs(g);
}

// layer_norm / batch_norm VJPs (empirical; docs/contracts.md): dx: |gamma| r sum|g| (n + 4)(1 + kappa);
// dgamma: sum|g| sqrt(n) (1 + n kappa); dbeta: sum|g|.
double norm_vjp_scale(const Node& n, const std::vector<const HostTensor*>& in, const HostTensor& g, int input) {
  if (n.op == OpId::batch_norm && !std::get<BatchNormAttrs>(n.attrs).training) return eval_batch_norm_vjp_scale(n, in, g, input);
  NormStats s = norm_stats(n, *in[0]);
  double cnt = static_cast<double>(s.count), gsum = sum_abs(g);
  if (input == 0)
    return std::max(max_abs(*in[1]) * s.r_max * gsum * (cnt + 4) * (1 + s.kappa),
                    underflow_scale(n.dtype, s.r_max * (2 + std::sqrt(cnt))));
  if (input == 1) return std::max(gsum * std::sqrt(cnt) * (1 + cnt * s.kappa), underflow_scale(n.dtype, s.r_max * gsum));
  return gsum;
}

// Ops without a scale get 0 (if-chains, not switches: only these ops define one).
double forward_scale(const Node& n, const std::vector<const HostTensor*>& in) {
  if (n.op == OpId::bce_with_logits) {
    double s = sum_abs(*in[0]);
    return loss_is_mean(n) ? s / static_cast<double>(std::max<int64_t>(1, in[0]->numel())) : s;
  }
  if (n.op == OpId::layer_norm || n.op == OpId::batch_norm) return norm_forward_scale(n, in);
  return 0;
}

double vjp_scale(const Node& n, const std::vector<const HostTensor*>& in, const HostTensor& g, int input) {
  if (n.op == OpId::log_softmax) {
    int64_t axis = std::get<AxisAttrs>(n.attrs).axis;
    int64_t len = in[0]->shape().rank() ? in[0]->shape().dim(axis < 0 ? axis + in[0]->shape().rank() : axis) : 1;
    return static_cast<double>(len + 2) * sum_abs(g);
  }
  if (n.op == OpId::logsumexp) return max_abs(g);
  if (n.op == OpId::gelu) return max_abs(g);  // gelu' has a root: absolute error ~ u |g| there
  if (n.op == OpId::cross_entropy) return loss_share(n, g, in[0]->shape().dim(0));
  if (n.op == OpId::bce_with_logits) return input == 0 ? loss_share(n, g, in[0]->numel()) : 0;
  if (n.op == OpId::layer_norm || n.op == OpId::batch_norm) return norm_vjp_scale(n, in, g, input);
  return 0;
}

// The largest sum of squares sum (x - mean)^2 over the groups, the variance's intermediate, in long
// double (its exponent range holds every double's square; relative error ~2^-60, so the factor 2 the
// caller applies covers it with room for the format's own rounding). The data's own value, not a
// bound from max|x|: a group whose values sit near sqrt(MAX / n) is judged when its squares fit.
double largest_centred_square_sum(const HostTensor& x, const NormLayout& l) {
  long double worst = 0;
  for (int64_t grp = 0; grp < l.groups; ++grp) {
    long double sum = 0, sq = 0;
    bool finite = true;
    for (int64_t j = 0; j < l.count; ++j) {
      double v = x.value_as_double(l.element(grp, j));
      finite = finite && std::isfinite(v);
      sum += v;
    }
    if (!finite) continue;  // non-finite inputs are judged by the strict meaning's specials
    const long double mean = sum / static_cast<long double>(l.count);
    for (int64_t j = 0; j < l.count; ++j) {
      long double d = x.value_as_double(l.element(grp, j)) - mean;
      sq += d * d;
    }
    worst = std::max(worst, sq);
  }
  return worst > static_cast<long double>(std::numeric_limits<double>::max()) ? INFINITY : static_cast<double>(worst);
}

// The largest intermediate the op's formula can form, bounded from the data.
double largest_intermediate(const Node& n, const std::vector<const HostTensor*>& in, const HostTensor* g) {
  double x = max_abs(*in[0]), count = static_cast<double>(std::max<int64_t>(1, in[0]->numel()));
  double gmax = g ? max_abs(*g) : 1.0;
  if (n.op == OpId::cross_entropy) {  // sum of N terms |x - m| + log C, and the VJP's products
    double rows = static_cast<double>(in[0]->shape().dim(0)), classes = static_cast<double>(in[0]->shape().dim(1));
    return std::max(rows * (2 * x + std::log(classes)), gmax);
  }
  if (n.op == OpId::bce_with_logits) return std::max(count * (x + 1), gmax * (x + 1));
  if (g && (n.op == OpId::rsqrt || n.op == OpId::reciprocal)) {  // a VJP that forms f'(x) before g
    double smallest = min_abs_nonzero(*in[0]);
    return n.op == OpId::rsqrt ? 0.5 / (smallest * std::sqrt(smallest)) : 1 / (smallest * smallest);
  }
  if (n.op == OpId::layer_norm || n.op == OpId::batch_norm) {
    const NormLayout l = norm_layout(n, in[0]->shape());
    double cnt = static_cast<double>(l.count);
    double gamma = max_abs(*in[1]), beta = max_abs(*in[2]);
    double r = 1 / std::sqrt(norm_eps(n));
    double centred = 2 * x + (in.size() > 3 ? max_abs(*in[3]) : 0.0);
    return std::max({2 * largest_centred_square_sum(*in[0], l), centred * r * gamma + beta,
                     gmax * gamma * cnt * std::sqrt(cnt) * r * (1 + centred * r)});
  }
  return 0;  // softmax family: exp of non-positive arguments, sums of at most n terms in [0, 1]
}

}  // namespace

bool derivation_applies(const Node& node, const std::vector<const HostTensor*>& in, const HostTensor* g,
                        Direction direction) {
  // Non-finite inputs are left out: elements they reach are judged by the strict meaning's specials.
  return largest_intermediate(node, in, direction.forward() ? nullptr : g) <= dtype_max_finite(node.dtype) / 2;
}

double error_scale(const Node& node, const std::vector<const HostTensor*>& in, const HostTensor* g, Direction dir) {
  double s = dir.forward() ? forward_scale(node, in) : vjp_scale(node, in, *g, dir.input);
  return s * kSlack;
}

}  // namespace tl::oracle

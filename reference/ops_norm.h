// Reference semantics of layer_norm and batch_norm. Both normalise groups of elements:
//   layer_norm: each row of the trailing axes [axis, rank); gamma/beta indexed by position in row
//   batch_norm (training): each channel over (N, H, W) in row-major order; gamma/beta by channel
// Per group of n elements (sums are left folds from +0, in element order):
//   mean = sum x / n;  d = x - mean;  var = sum d*d / n (biased);  r = rsqrt(var + eps)
//   xhat = d * r;      y = xhat * gamma + beta
// batch_norm (eval): r = rsqrt(running_var + eps); y = ((x - running_mean) * r) * gamma + beta.
// VJP per group: dxhat = g * gamma; a = sum dxhat / n; b = sum dxhat*xhat / n;
//   dx = r * ((dxhat - a) - xhat * b); dgamma = sum over groups of g * xhat; dbeta = sum of g.
// Eval-form VJP: dx = (g * gamma) * r. Running statistics receive no gradient.
#pragma once

#include "reference/ops_elementwise.h"

namespace tl::ref {

// Which elements form a group and which affine parameter each element uses.
struct NormLayout {
  int64_t groups = 0, count = 0;
  bool per_channel = false;  // batch_norm
  int64_t channels = 1, spatial = 1;
  int64_t element(int64_t grp, int64_t j) const {
    if (!per_channel) return grp * count + j;
    int64_t n = j / spatial, hw = j % spatial;
    return (n * channels + grp) * spatial + hw;
  }
  int64_t affine(int64_t grp, int64_t j) const { return per_channel ? grp : j; }
};

inline NormLayout layer_norm_layout(const Shape& x, int64_t axis) {
  NormLayout l;
  l.groups = 1;
  l.count = 1;
  for (int64_t d = 0; d < x.rank(); ++d) (d < axis ? l.groups : l.count) *= x.dim(d);
  return l;
}

inline NormLayout batch_norm_layout(const Shape& x) {
  NormLayout l;
  l.per_channel = true;
  l.channels = x.dim(1);
  l.spatial = x.rank() == 4 ? x.dim(2) * x.dim(3) : 1;
  l.groups = l.channels;
  l.count = x.dim(0) * l.spatial;
  return l;
}

// mean, r and xhat of one group.
template <class S>
struct GroupStats {
  S r;
  std::vector<S> xhat;
};

template <class S>
GroupStats<S> group_stats(const RefTensor<S>& x, const NormLayout& l, int64_t grp, const S& eps) {
  S n = S::from_int(l.count);
  LeftFold<S> sum;
  for (int64_t j = 0; j < l.count; ++j) sum.add(x[l.element(grp, j)]);
  S mean = sum.acc / n;
  std::vector<S> d;
  LeftFold<S> sq;
  for (int64_t j = 0; j < l.count; ++j) {
    d.push_back(x[l.element(grp, j)] - mean);
    sq.add(d.back() * d.back());
  }
  GroupStats<S> st{apply(RealFn::rsqrt, sq.acc / n + eps), {}};
  for (const S& dj : d) st.xhat.push_back(dj * st.r);
  return st;
}

template <class S>
RefTensor<S> fwd_norm(const OpCtx& c, const Inputs<S>& in) {
  const RefTensor<S>& x = *in[0];
  const RefTensor<S>& gamma = *in[1];
  const RefTensor<S>& beta = *in[2];
  bool layer = c.op == OpId::layer_norm;
  double eps = layer ? c.a<LayerNormAttrs>().eps : c.a<BatchNormAttrs>().eps;
  NormLayout l = layer ? layer_norm_layout(x.shape, c.a<LayerNormAttrs>().axis) : batch_norm_layout(x.shape);
  RefTensor<S> y(x.shape);
  bool eval_form = !layer && !c.a<BatchNormAttrs>().training;
  for (int64_t grp = 0; grp < l.groups; ++grp) {
    if (eval_form) {
      S r = apply(RealFn::rsqrt, (*in[4])[grp] + S::from_double(eps));
      for (int64_t j = 0; j < l.count; ++j) {
        int64_t at = l.element(grp, j);
        y[at] = ((x[at] - (*in[3])[grp]) * r) * gamma[grp] + beta[grp];
      }
      continue;
    }
    GroupStats<S> st = group_stats(x, l, grp, S::from_double(eps));
    for (int64_t j = 0; j < l.count; ++j) {
      int64_t p = l.affine(grp, j);
      y[l.element(grp, j)] = st.xhat[static_cast<std::size_t>(j)] * gamma[p] + beta[p];
    }
  }
  return y;
}

template <class S>
void vjp_norm(const OpCtx& c, const Inputs<S>& in, const RefTensor<S>& g, Grads<S>& dx) {
  const RefTensor<S>& x = *in[0];
  const RefTensor<S>& gamma = *in[1];
  bool layer = c.op == OpId::layer_norm;
  double eps = layer ? c.a<LayerNormAttrs>().eps : c.a<BatchNormAttrs>().eps;
  NormLayout l = layer ? layer_norm_layout(x.shape, c.a<LayerNormAttrs>().axis) : batch_norm_layout(x.shape);
  bool eval_form = !layer && !c.a<BatchNormAttrs>().training;
  RefTensor<S> d_x(x.shape), d_gamma = zeros<S>(gamma.shape), d_beta = zeros<S>(gamma.shape);
  S n = S::from_int(l.count);
  for (int64_t grp = 0; grp < l.groups; ++grp) {
    std::vector<S> xhat;
    S r;
    if (eval_form) {
      r = apply(RealFn::rsqrt, (*in[4])[grp] + S::from_double(eps));
      for (int64_t j = 0; j < l.count; ++j) xhat.push_back((x[l.element(grp, j)] - (*in[3])[grp]) * r);
    } else {
      GroupStats<S> st = group_stats(x, l, grp, S::from_double(eps));
      r = st.r;
      xhat = std::move(st.xhat);
    }
    LeftFold<S> a, b;
    std::vector<S> dxhat;
    for (int64_t j = 0; j < l.count; ++j) {
      int64_t at = l.element(grp, j), p = l.affine(grp, j);
      dxhat.push_back(g[at] * gamma[p]);
      a.add(dxhat.back());
      b.add(dxhat.back() * xhat[static_cast<std::size_t>(j)]);
      d_gamma[p] = d_gamma[p] + g[at] * xhat[static_cast<std::size_t>(j)];
      d_beta[p] = d_beta[p] + g[at];
    }
    S mean_a = a.acc / n, mean_b = b.acc / n;
    for (int64_t j = 0; j < l.count; ++j) {
      const S& dh = dxhat[static_cast<std::size_t>(j)];
      d_x[l.element(grp, j)] = eval_form ? dh * r
                                         : r * ((dh - mean_a) - xhat[static_cast<std::size_t>(j)] * mean_b);
    }
  }
  dx[0] = std::move(d_x);
  dx[1] = std::move(d_gamma);
  dx[2] = std::move(d_beta);
}

}  // namespace tl::ref

// Fast kernels: layer_norm and batch_norm, with the reference's formulas and orders (per group:
// mean = left fold / n, d = x - mean, var = left fold of d*d / n, r = 1/sqrt(var + eps),
// y = (d*r)*gamma + beta). rsqrt here is 1/sqrt (two roundings), so these ops' contracts are not
// strict; docs/contracts.md.
#pragma once

#include <algorithm>

#include "fast/kernels/common.h"
#include "fast/planted.h"
#include "kernel_rules/norm_layout.h"

namespace tl::fast {

// r and xhat of one group (xhat written to `xhat`, indexed by j).
template <class T>
T group_xhat(const T* x, const NormLayout& l, int64_t grp, T eps, T* xhat) {
  T n = static_cast<T>(l.count), sum = 0, sq = 0;
  for (int64_t j = 0; j < l.count; ++j) sum += x[l.element(grp, j)];
  T mean = sum / n;
  for (int64_t j = 0; j < l.count; ++j) {
    xhat[j] = x[l.element(grp, j)] - mean;
    sq += xhat[j] * xhat[j];
  }
  T var = sq / n;
  if (TL_PLANTED("norm_one_pass_variance")) {  // strength-check build only
    T sq_raw = 0;
    for (int64_t j = 0; j < l.count; ++j) sq_raw += x[l.element(grp, j)] * x[l.element(grp, j)];
    var = std::max(sq_raw / n - mean * mean, T(0));
  }
  T r = T(1) / std::sqrt(var + eps);
  for (int64_t j = 0; j < l.count; ++j) xhat[j] = xhat[j] * r;
  return r;
}

template <class T>
T eval_xhat(const T* x, const HostInputs& in, const NormLayout& l, int64_t grp, T eps, T* xhat) {
  T r = T(1) / std::sqrt(data<T>(in[4])[grp] + eps);
  for (int64_t j = 0; j < l.count; ++j) xhat[j] = (x[l.element(grp, j)] - data<T>(in[3])[grp]) * r;
  return r;
}

template <class T> void norm_forward(const Node& n, const HostInputs& in, HostTensor& y) {
  NormLayout l = norm_layout(n, in[0]->shape());
  const T* x = data<T>(in[0]);
  const T* gamma = data<T>(in[1]);
  const T* beta = data<T>(in[2]);
  T eps = static_cast<T>(norm_eps(n));
  T* out = data<T>(y);
  parallel_for(l.groups, 1, [&](int64_t g0, int64_t g1) {
    std::vector<T> xhat(static_cast<std::size_t>(l.count));
    for (int64_t grp = g0; grp < g1; ++grp) {
      if (norm_eval_form(n)) eval_xhat(x, in, l, grp, eps, xhat.data());
      else group_xhat(x, l, grp, eps, xhat.data());
      for (int64_t j = 0; j < l.count; ++j) {
        int64_t p = l.affine(grp, j);
        out[l.element(grp, j)] = xhat[static_cast<std::size_t>(j)] * gamma[p] + beta[p];
      }
    }
  });
}

template <class T> void norm_backward(const Node& n, const HostInputs& in, const HostTensor& g, HostGrads& dx) {
  NormLayout l = norm_layout(n, in[0]->shape());
  const T* x = data<T>(in[0]);
  const T* gamma = data<T>(in[1]);
  const T* gv = data<T>(&g);
  T eps = static_cast<T>(norm_eps(n)), cnt = static_cast<T>(l.count);
  HostTensor d_x(in[0]->dtype(), in[0]->shape()), d_gamma(in[1]->dtype(), in[1]->shape()),
      d_beta(in[1]->dtype(), in[1]->shape());
  T* dxv = data<T>(d_x);
  T* dg = data<T>(d_gamma);
  T* db = data<T>(d_beta);
  std::vector<T> xhat(static_cast<std::size_t>(l.count)), dxhat(static_cast<std::size_t>(l.count));
  // Groups in order: dgamma/dbeta accumulate across groups (left folds from +0, group order).
  for (int64_t grp = 0; grp < l.groups; ++grp) {
    T r = norm_eval_form(n) ? eval_xhat(x, in, l, grp, eps, xhat.data()) : group_xhat(x, l, grp, eps, xhat.data());
    T a = 0, b = 0;
    for (int64_t j = 0; j < l.count; ++j) {
      std::size_t k = static_cast<std::size_t>(j);
      int64_t at = l.element(grp, j), p = l.affine(grp, j);
      dxhat[k] = gv[at] * gamma[p];
      a += dxhat[k];
      b += dxhat[k] * xhat[k];
      dg[p] += gv[at] * xhat[k];
      db[p] += gv[at];
    }
    T mean_a = a / cnt, mean_b = b / cnt;
    for (int64_t j = 0; j < l.count; ++j) {
      std::size_t k = static_cast<std::size_t>(j);
      dxv[l.element(grp, j)] = norm_eval_form(n) ? dxhat[k] * r : r * ((dxhat[k] - mean_a) - xhat[k] * mean_b);
    }
  }
  dx[0] = std::move(d_x);
  dx[1] = std::move(d_gamma);
  dx[2] = std::move(d_beta);
}

}  // namespace tl::fast

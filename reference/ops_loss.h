// Reference semantics of the losses (scalar outputs). Sums are left folds from +0 over elements
// (or rows) in order; `mean` divides the sum once by the count; the VJP first forms
// s = g / count (mean) or s = g (sum), then:
//   mse_loss        l = sum (p - t)^2;              dp = s * (d + d), dt = -dp,  d = p - t
//   cross_entropy   l = sum_i -log_softmax(x_i)[y_i]; dx[i,k] = (exp(ls[i,k]) - [k = y_i]) * s
//   bce_with_logits l = sum relu(x) - x*t + softplus(-|x|); dx = (sigmoid(x) - t) * s, dt = -x * s
//   nll             l = sum_i -lp[i, y_i];           dlp[i,k] = -s if k = y_i else 0
#pragma once

#include "reference/ops_reduce.h"

namespace tl::ref {

template <class S>
S finish_loss(const OpCtx& c, const S& total, int64_t count) {
  return c.a<LossAttrs>().reduction == Reduction::mean ? total / S::from_int(count) : total;
}

template <class S>
S loss_scale(const OpCtx& c, const S& g, int64_t count) {
  return c.a<LossAttrs>().reduction == Reduction::mean ? g / S::from_int(count) : g;
}

// log_softmax of row i of an [N, C] tensor.
template <class S>
std::vector<S> row_log_softmax(const RefTensor<S>& x, int64_t i, int64_t C) {
  S m = x[i * C];
  for (int64_t k = 1; k < C; ++k) m = choose(compare(x[i * C + k], m), m, m, x[i * C + k]);
  LeftFold<S> f;
  for (int64_t k = 0; k < C; ++k) f.add(apply(RealFn::exp, x[i * C + k] - m));
  S log_s = apply(RealFn::log, f.acc);
  std::vector<S> ls;
  for (int64_t k = 0; k < C; ++k) ls.push_back((x[i * C + k] - m) - log_s);
  return ls;
}

template <class S>
S bce_term(const S& x, const S& t) {
  const S z = zero<S>();
  S relu = choose(compare(x, z), z, z, x);
  S abs = choose(compare(x, z), -x, z, x);
  return (relu - x * t) + apply(RealFn::softplus, -abs);
}

template <class S>
RefTensor<S> fwd_loss(const OpCtx& c, const Inputs<S>& in) {
  const RefTensor<S>& a = *in[0];
  const RefTensor<S>& b = *in[1];
  LeftFold<S> total;
  int64_t count = a.numel();
  if (c.op == OpId::mse_loss || c.op == OpId::bce_with_logits) {
    for (int64_t i = 0; i < a.numel(); ++i) {
      S d = a[i] - b[i];
      total.add(c.op == OpId::mse_loss ? d * d : bce_term(a[i], b[i]));
    }
  } else {
    int64_t N = a.shape.dim(0), C = a.shape.dim(1);
    count = N;
    for (int64_t i = 0; i < N; ++i) {
      int64_t label = index_at(b, i, C, c.where);
      if (c.op == OpId::nll) total.add(-a[i * C + label]);
      else total.add(-row_log_softmax(a, i, C)[static_cast<std::size_t>(label)]);
    }
  }
  RefTensor<S> y(Shape{});
  y[0] = finish_loss(c, total.acc, count);
  return y;
}

template <class S>
void vjp_loss(const OpCtx& c, const Inputs<S>& in, const RefTensor<S>& g, Grads<S>& dx) {
  const RefTensor<S>& a = *in[0];
  const RefTensor<S>& b = *in[1];
  RefTensor<S> da(a.shape);
  if (c.op == OpId::mse_loss || c.op == OpId::bce_with_logits) {
    S s = loss_scale(c, g[0], a.numel());
    RefTensor<S> db(b.shape);
    for (int64_t i = 0; i < a.numel(); ++i) {
      if (c.op == OpId::mse_loss) {
        S d = a[i] - b[i];
        da[i] = s * (d + d);
        db[i] = -da[i];
      } else {
        da[i] = (apply(RealFn::sigmoid, a[i]) - b[i]) * s;
        db[i] = (-a[i]) * s;
      }
    }
    dx[1] = std::move(db);
  } else {
    int64_t N = a.shape.dim(0), C = a.shape.dim(1);
    S s = loss_scale(c, g[0], N);
    for (int64_t i = 0; i < N; ++i) {
      int64_t label = index_at(b, i, C, c.where);
      std::vector<S> ls = c.op == OpId::cross_entropy ? row_log_softmax(a, i, C) : std::vector<S>{};
      for (int64_t k = 0; k < C; ++k) {
        if (c.op == OpId::nll) da[i * C + k] = k == label ? -s : zero<S>();
        else da[i * C + k] = (apply(RealFn::exp, ls[static_cast<std::size_t>(k)]) - (k == label ? one<S>() : zero<S>())) * s;
      }
    }
  }
  dx[0] = std::move(da);
}

}  // namespace tl::ref

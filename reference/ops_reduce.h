// Reference semantics of reductions and the softmax family. Sums are left folds from +0 in index
// order; the max is found left to right; softmax-type ops subtract the max first:
//   softmax:     m = max_k x_k, e_k = exp(x_k - m), s = sum_k e_k, y_k = e_k / s
//   log_softmax: d_k = x_k - m, y_k = d_k - log(sum_k exp(d_k))
//   logsumexp:   y = m + log(sum_k exp(x_k - m))
// VJPs: softmax dx_k = y_k (g_k - <g, y>) with <g, y> an FMA chain; log_softmax
// dx_k = g_k - exp(y_k) sum(g); logsumexp dx_k = g exp(x_k - y); reduce_max splits g equally among
// tied maxima.
#pragma once

#include <limits>

#include "reference/ops_elementwise.h"

namespace tl::ref {

template <class S>
S slice_max(const RefTensor<S>& x, const AxisSplit& sp, int64_t o, int64_t i) {
  S m = x[sp.at(o, 0, i)];
  for (int64_t k = 1; k < sp.n; ++k) {
    const S& v = x[sp.at(o, k, i)];
    m = choose(compare(v, m), m, m, v);
  }
  return m;
}

template <class S>
RefTensor<S> fwd_sum(const Inputs<S>& in) {
  LeftFold<S> f;
  for (const S& v : in[0]->v) f.add(v);
  RefTensor<S> y(Shape{});
  y[0] = f.acc;
  return y;
}

template <class S>
void vjp_sum(const Inputs<S>& in, const RefTensor<S>& g, Grads<S>& dx) {
  RefTensor<S> d(in[0]->shape);
  for (auto& v : d.v) v = g[0];
  dx[0] = std::move(d);
}


template <class S>
RefTensor<S> fwd_axis_reduce(const OpCtx& c, AxisReduce kind, const Inputs<S>& in) {
  const RefTensor<S>& x = *in[0];
  AxisSplit sp(x.shape, c.a<AxisAttrs>().axis);
  RefTensor<S> y(c.out_shape);
  for (int64_t o = 0; o < sp.outer; ++o) {
    for (int64_t i = 0; i < sp.inner; ++i) {
      S& out = y[o * sp.inner + i];
      switch (kind) {
        case AxisReduce::reduce_sum: case AxisReduce::reduce_mean: {
          LeftFold<S> f;
          for (int64_t k = 0; k < sp.n; ++k) f.add(x[sp.at(o, k, i)]);
          out = kind == AxisReduce::reduce_sum ? f.acc : f.acc / S::from_int(sp.n);
          break;
        }
        case AxisReduce::reduce_max: out = slice_max(x, sp, o, i); break;
        case AxisReduce::logsumexp: {
          S m = sp.n ? slice_max(x, sp, o, i) : S::from_int(0);
          // The extended-real value where the maximum is infinite: +inf when an entry is +inf, -inf
          // when every entry is -inf (what NumPy and PyTorch return); x - m would be inf - inf.
          const S inf = S::from_double(std::numeric_limits<double>::infinity());
          if (compare(m, inf) == Cmp::equal || compare(m, -inf) == Cmp::equal) {
            out = m;
            break;
          }
          LeftFold<S> f;
          for (int64_t k = 0; k < sp.n; ++k) f.add(apply(RealFn::exp, x[sp.at(o, k, i)] - m));
          out = m + apply(RealFn::log, f.acc);
          break;
        }
      }
    }
  }
  return y;
}

// reduce_max: each maximal element gets g / (number of maxima); when interval comparisons cannot
// decide which elements are maximal, every candidate gets hull(0, g).
template <class S>
void max_share(const RefTensor<S>& x, const AxisSplit& sp, int64_t o, int64_t i, const S& m,
               const S& g, RefTensor<S>& d) {
  int64_t equal = 0, unknown = 0;
  for (int64_t k = 0; k < sp.n; ++k) {
    Cmp c = compare(x[sp.at(o, k, i)], m);
    equal += c == Cmp::equal;
    unknown += c == Cmp::unknown;
  }
  for (int64_t k = 0; k < sp.n; ++k) {
    Cmp c = compare(x[sp.at(o, k, i)], m);
    S share = zero<S>();
    if (unknown > 0 && c != Cmp::less && c != Cmp::greater) share = hull(zero<S>(), g);
    else if (c == Cmp::equal) share = g / S::from_int(equal);
    d[sp.at(o, k, i)] = share;
  }
}

template <class S>
void vjp_axis_reduce(const OpCtx& c, AxisReduce kind, const Inputs<S>& in, const RefTensor<S>& y,
                     const RefTensor<S>& g, Grads<S>& dx) {
  const RefTensor<S>& x = *in[0];
  AxisSplit sp(x.shape, c.a<AxisAttrs>().axis);
  RefTensor<S> d(x.shape);
  for (int64_t o = 0; o < sp.outer; ++o) {
    for (int64_t i = 0; i < sp.inner; ++i) {
      const S& go = g[o * sp.inner + i];
      switch (kind) {
        case AxisReduce::reduce_sum:
          for (int64_t k = 0; k < sp.n; ++k) d[sp.at(o, k, i)] = go;
          break;
        case AxisReduce::reduce_mean: {
          S share = go / S::from_int(sp.n);
          for (int64_t k = 0; k < sp.n; ++k) d[sp.at(o, k, i)] = share;
          break;
        }
        case AxisReduce::reduce_max: max_share(x, sp, o, i, y[o * sp.inner + i], go, d); break;
        case AxisReduce::logsumexp:
          for (int64_t k = 0; k < sp.n; ++k) {
            d[sp.at(o, k, i)] = go * apply(RealFn::exp, x[sp.at(o, k, i)] - y[o * sp.inner + i]);
          }
          break;
      }
    }
  }
  dx[0] = std::move(d);
}

template <class S>
RefTensor<S> fwd_softmax(const OpCtx& c, bool log_form, const Inputs<S>& in) {
  const RefTensor<S>& x = *in[0];
  AxisSplit sp(x.shape, c.a<AxisAttrs>().axis);
  RefTensor<S> y(x.shape);
  for (int64_t o = 0; o < sp.outer; ++o) {
    for (int64_t i = 0; i < sp.inner; ++i) {
      if (sp.n == 0) continue;
      S m = slice_max(x, sp, o, i);
      LeftFold<S> f;
      for (int64_t k = 0; k < sp.n; ++k) {
        S e = apply(RealFn::exp, x[sp.at(o, k, i)] - m);
        f.add(e);
        if (!log_form) y[sp.at(o, k, i)] = e;
      }
      S log_s = log_form ? apply(RealFn::log, f.acc) : zero<S>();
      for (int64_t k = 0; k < sp.n; ++k) {
        S& out = y[sp.at(o, k, i)];
        out = log_form ? (x[sp.at(o, k, i)] - m) - log_s : out / f.acc;
      }
    }
  }
  return y;
}

template <class S>
void vjp_softmax(const OpCtx& c, bool log_form, const Inputs<S>& in, const RefTensor<S>& y,
                 const RefTensor<S>& g, Grads<S>& dx) {
  AxisSplit sp(in[0]->shape, c.a<AxisAttrs>().axis);
  RefTensor<S> d(in[0]->shape);
  for (int64_t o = 0; o < sp.outer; ++o) {
    for (int64_t i = 0; i < sp.inner; ++i) {
      if (log_form) {
        LeftFold<S> gs;
        for (int64_t k = 0; k < sp.n; ++k) gs.add(g[sp.at(o, k, i)]);
        for (int64_t k = 0; k < sp.n; ++k) {
          int64_t at = sp.at(o, k, i);
          d[at] = g[at] - apply(RealFn::exp, y[at]) * gs.acc;
        }
      } else {
        FmaChain<S> dot;
        for (int64_t k = 0; k < sp.n; ++k) dot.add(g[sp.at(o, k, i)], y[sp.at(o, k, i)]);
        for (int64_t k = 0; k < sp.n; ++k) {
          int64_t at = sp.at(o, k, i);
          d[at] = y[at] * (g[at] - dot.result());
        }
      }
    }
  }
  dx[0] = std::move(d);
}

}  // namespace tl::ref

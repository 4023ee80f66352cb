// Reference semantics of conv2d, max_pool2d and avg_pool2d (NCHW, zero padding, floor mode).
//   conv2d y[n,o,i,j] = (chain over c, kh, kw ascending of x[n,c,ih,iw] * w[o,c,kh,kw]) + b[o],
//          ih = i*stride_h - pad_h + kh (cells outside the input are skipped, not multiplied by 0)
//   max_pool2d: the maximum of the window's cells inside the input (padding is ignored); the
//          gradient goes to the first maximal cell in row-major window order
//   avg_pool2d: (left fold of the window's cells inside the input) / (kernel_h * kernel_w)
// VJPs: dx[n,c,ih,iw] = chain over o, kh, kw of g * w; dw = chain over n, i, j of g * x;
// db = left fold of g; pooling gradients are added window by window from +0.
#pragma once

#include "reference/ops_elementwise.h"
#include "spec/window.h"

namespace tl::ref {

template <class S>
RefTensor<S> fwd_conv2d(const OpCtx& c, const Inputs<S>& in) {
  const RefTensor<S>& x = *in[0];
  const RefTensor<S>& w = *in[1];
  Window v = conv_window(x.shape, w.shape, c.out_shape, c.a<Conv2dAttrs>());
  int64_t O = w.shape.dim(0);
  RefTensor<S> y(c.out_shape);
  for (int64_t n = 0; n < v.N; ++n)
    for (int64_t o = 0; o < O; ++o)
      for (int64_t i = 0; i < v.OH; ++i)
        for (int64_t j = 0; j < v.OW; ++j) {
          FmaChain<S> acc;
          for (int64_t ch = 0; ch < v.C; ++ch)
            for (int64_t kh = 0; kh < v.KH; ++kh)
              for (int64_t kw = 0; kw < v.KW; ++kw) {
                int64_t h = i * v.SH - v.PH + kh, ww = j * v.SW - v.PW + kw;
                if (v.inside(h, ww)) acc.add(x[v.x_at(n, ch, h, ww)], w[((o * v.C + ch) * v.KH + kh) * v.KW + kw]);
              }
          y[((n * O + o) * v.OH + i) * v.OW + j] = in.size() == 3 ? acc.result() + (*in[2])[o] : acc.result();
        }
  return y;
}

template <class S>
void vjp_conv2d(const OpCtx& c, const Inputs<S>& in, const RefTensor<S>& g, Grads<S>& dx, const std::vector<bool>& wanted) {
  const RefTensor<S>& x = *in[0];
  const RefTensor<S>& w = *in[1];
  Window v = conv_window(x.shape, w.shape, g.shape, c.a<Conv2dAttrs>());
  int64_t O = w.shape.dim(0);
  auto g_at = [&](int64_t n, int64_t o, int64_t i, int64_t j) { return ((n * O + o) * v.OH + i) * v.OW + j; };
  RefTensor<S> d_x(x.shape), d_w(w.shape);
  for (int64_t n = 0; n < v.N && wanted[0]; ++n)
    for (int64_t ch = 0; ch < v.C; ++ch)
      for (int64_t h = 0; h < v.H; ++h)
        for (int64_t ww = 0; ww < v.W; ++ww) {
          FmaChain<S> acc;
          for (int64_t o = 0; o < O; ++o)
            for (int64_t kh = 0; kh < v.KH; ++kh)
              for (int64_t kw = 0; kw < v.KW; ++kw) {
                int64_t ti = h + v.PH - kh, tj = ww + v.PW - kw;
                if (ti < 0 || tj < 0 || ti % v.SH || tj % v.SW) continue;
                if (ti / v.SH >= v.OH || tj / v.SW >= v.OW) continue;
                acc.add(g[g_at(n, o, ti / v.SH, tj / v.SW)], w[((o * v.C + ch) * v.KH + kh) * v.KW + kw]);
              }
          d_x[v.x_at(n, ch, h, ww)] = acc.result();
        }
  for (int64_t o = 0; o < O && wanted[1]; ++o)
    for (int64_t ch = 0; ch < v.C; ++ch)
      for (int64_t kh = 0; kh < v.KH; ++kh)
        for (int64_t kw = 0; kw < v.KW; ++kw) {
          FmaChain<S> acc;
          for (int64_t n = 0; n < v.N; ++n)
            for (int64_t i = 0; i < v.OH; ++i)
              for (int64_t j = 0; j < v.OW; ++j) {
                int64_t h = i * v.SH - v.PH + kh, ww = j * v.SW - v.PW + kw;
                if (v.inside(h, ww)) acc.add(g[g_at(n, o, i, j)], x[v.x_at(n, ch, h, ww)]);
              }
          d_w[((o * v.C + ch) * v.KH + kh) * v.KW + kw] = acc.result();
        }
  if (wanted[0]) dx[0] = std::move(d_x);
  if (wanted[1]) dx[1] = std::move(d_w);
  if (in.size() == 3 && wanted[2]) {
    RefTensor<S> d_b(in[2]->shape);
    for (int64_t o = 0; o < O; ++o) {
      LeftFold<S> f;
      for (int64_t n = 0; n < v.N; ++n)
        for (int64_t i = 0; i < v.OH; ++i)
          for (int64_t j = 0; j < v.OW; ++j) f.add(g[g_at(n, o, i, j)]);
      d_b[o] = f.acc;
    }
    dx[2] = std::move(d_b);
  }
}

// Cells (input offsets) of window (n, ch, i, j) that lie inside the input, row-major.
inline std::vector<int64_t> window_cells(const Window& v, int64_t n, int64_t ch, int64_t i, int64_t j) {
  std::vector<int64_t> cells;
  for (int64_t kh = 0; kh < v.KH; ++kh)
    for (int64_t kw = 0; kw < v.KW; ++kw) {
      int64_t h = i * v.SH - v.PH + kh, w = j * v.SW - v.PW + kw;
      if (v.inside(h, w)) cells.push_back(v.x_at(n, ch, h, w));
    }
  return cells;
}

template <class S, class F>
void for_each_window(const Window& v, F f) {
  int64_t out = 0;
  for (int64_t n = 0; n < v.N; ++n)
    for (int64_t ch = 0; ch < v.C; ++ch)
      for (int64_t i = 0; i < v.OH; ++i)
        for (int64_t j = 0; j < v.OW; ++j) f(out++, window_cells(v, n, ch, i, j));
}

template <class S>
RefTensor<S> fwd_pool(const OpCtx& c, bool max_form, const Inputs<S>& in) {
  const RefTensor<S>& x = *in[0];
  const auto& a = c.a<Pool2dAttrs>();
  RefTensor<S> y(c.out_shape);
  S area = S::from_int(a.kernel_h * a.kernel_w);
  for_each_window<S>(pool_window(x.shape, c.out_shape, a), [&](int64_t out, const std::vector<int64_t>& cells) {
    if (max_form) {
      S m = x[cells[0]];
      for (std::size_t k = 1; k < cells.size(); ++k) m = choose(compare(x[cells[k]], m), m, m, x[cells[k]]);
      y[out] = m;
    } else {
      LeftFold<S> f;
      for (int64_t at : cells) f.add(x[at]);
      y[out] = f.acc / area;
    }
  });
  return y;
}

template <class S>
void vjp_pool(const OpCtx& c, bool max_form, const Inputs<S>& in, const RefTensor<S>& y,
              const RefTensor<S>& g, Grads<S>& dx) {
  const RefTensor<S>& x = *in[0];
  const auto& a = c.a<Pool2dAttrs>();
  RefTensor<S> d = zeros<S>(x.shape);
  S area = S::from_int(a.kernel_h * a.kernel_w);
  for_each_window<S>(pool_window(x.shape, y.shape, a), [&](int64_t out, const std::vector<int64_t>& cells) {
    if (!max_form) {
      S share = g[out] / area;
      for (int64_t at : cells) d[at] = d[at] + share;
      return;
    }
    bool undecided = false;
    for (int64_t at : cells) undecided = undecided || compare(x[at], y[out]) == Cmp::unknown;
    for (int64_t at : cells) {
      Cmp cmp = compare(x[at], y[out]);
      if (undecided && cmp != Cmp::less && cmp != Cmp::greater) {
        d[at] = d[at] + hull(zero<S>(), g[out]);
      } else if (!undecided && cmp == Cmp::equal) {
        d[at] = d[at] + g[out];
        break;  // first maximum only
      }
    }
  });
  dx[0] = std::move(d);
}

}  // namespace tl::ref

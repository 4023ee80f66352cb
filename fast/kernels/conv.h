// Fast kernels: conv2d (direct), max_pool2d, avg_pool2d, NCHW. conv2d: each output is an FMA chain
// from +0 over (c, kh, kw) ascending with out-of-bounds cells skipped, then + bias — the reference's
// order, so conv2d is strict. Threads split (n, o) planes in the forward, input/weight planes in
// the backward.
#pragma once

#include "fast/kernels/common.h"
#include "spec/window.h"

namespace tl::fast {

template <class T> void conv2d_forward(const Node& node, const HostInputs& in, HostTensor& y) {
  Window v = conv_window(in[0]->shape(), in[1]->shape(), node.shape, std::get<Conv2dAttrs>(node.attrs));
  int64_t O = in[1]->shape().dim(0);
  const T* x = data<T>(in[0]);
  const T* w = data<T>(in[1]);
  const T* bias = in.size() == 3 ? data<T>(in[2]) : nullptr;
  T* out = data<T>(y);
  parallel_for(v.N * O, 1, [&](int64_t p0, int64_t p1) {
    for (int64_t plane = p0; plane < p1; ++plane) {
      int64_t n = plane / O, o = plane % O;
      for (int64_t i = 0; i < v.OH; ++i)
        for (int64_t j = 0; j < v.OW; ++j) {
          T acc = 0;
          for (int64_t c = 0; c < v.C; ++c)
            for (int64_t kh = 0; kh < v.KH; ++kh)
              for (int64_t kw = 0; kw < v.KW; ++kw) {
                int64_t h = i * v.SH - v.PH + kh, ww = j * v.SW - v.PW + kw;
                if (v.inside(h, ww)) acc = std::fma(x[v.x_at(n, c, h, ww)], w[((o * v.C + c) * v.KH + kh) * v.KW + kw], acc);
              }
          out[(plane * v.OH + i) * v.OW + j] = bias ? acc + bias[o] : acc;
        }
    }
  });
}

template <class T> void conv2d_backward(const Node& node, const HostInputs& in, const HostTensor& g,
                                        HostGrads& dx, const std::vector<bool>& wanted) {
  Window v = conv_window(in[0]->shape(), in[1]->shape(), g.shape(), std::get<Conv2dAttrs>(node.attrs));
  int64_t O = in[1]->shape().dim(0);
  const T* x = data<T>(in[0]);
  const T* w = data<T>(in[1]);
  const T* gv = data<T>(&g);
  auto g_at = [&](int64_t n, int64_t o, int64_t i, int64_t j) { return ((n * O + o) * v.OH + i) * v.OW + j; };
  if (wanted[0]) {
    HostTensor d(in[0]->dtype(), in[0]->shape());
    T* dv = data<T>(d);
    parallel_for(v.N * v.C, 1, [&](int64_t p0, int64_t p1) {
      for (int64_t plane = p0; plane < p1; ++plane) {
        int64_t n = plane / v.C, c = plane % v.C;
        for (int64_t h = 0; h < v.H; ++h)
          for (int64_t ww = 0; ww < v.W; ++ww) {
            T acc = 0;
            for (int64_t o = 0; o < O; ++o)
              for (int64_t kh = 0; kh < v.KH; ++kh)
                for (int64_t kw = 0; kw < v.KW; ++kw) {
                  int64_t ti = h + v.PH - kh, tj = ww + v.PW - kw;
                  if (ti < 0 || tj < 0 || ti % v.SH || tj % v.SW || ti / v.SH >= v.OH || tj / v.SW >= v.OW) continue;
                  acc = std::fma(gv[g_at(n, o, ti / v.SH, tj / v.SW)], w[((o * v.C + c) * v.KH + kh) * v.KW + kw], acc);
                }
            dv[v.x_at(n, c, h, ww)] = acc;
          }
      }
    });
    dx[0] = std::move(d);
  }
  if (wanted[1]) {
    HostTensor d(in[1]->dtype(), in[1]->shape());
    T* dv = data<T>(d);
    parallel_for(O * v.C, 1, [&](int64_t p0, int64_t p1) {
      for (int64_t plane = p0; plane < p1; ++plane) {
        int64_t o = plane / v.C, c = plane % v.C;
        for (int64_t kh = 0; kh < v.KH; ++kh)
          for (int64_t kw = 0; kw < v.KW; ++kw) {
            T acc = 0;
            for (int64_t n = 0; n < v.N; ++n)
              for (int64_t i = 0; i < v.OH; ++i)
                for (int64_t j = 0; j < v.OW; ++j) {
                  int64_t h = i * v.SH - v.PH + kh, ww = j * v.SW - v.PW + kw;
                  if (v.inside(h, ww)) acc = std::fma(gv[g_at(n, o, i, j)], x[v.x_at(n, c, h, ww)], acc);
                }
            dv[((o * v.C + c) * v.KH + kh) * v.KW + kw] = acc;
          }
      }
    });
    dx[1] = std::move(d);
  }
  if (in.size() == 3 && wanted[2]) {
    HostTensor d(in[2]->dtype(), in[2]->shape());
    T* dv = data<T>(d);
    for (int64_t o = 0; o < O; ++o) {
      T acc = 0;
      for (int64_t n = 0; n < v.N; ++n)
        for (int64_t i = 0; i < v.OH; ++i)
          for (int64_t j = 0; j < v.OW; ++j) acc += gv[g_at(n, o, i, j)];
      dv[o] = acc;
    }
    dx[2] = std::move(d);
  }
}

// Pooling: cells of window (n, c, i, j) inside the input, row-major.
template <class F>
void window_cells(const Window& v, int64_t n, int64_t c, int64_t i, int64_t j, F f) {
  for (int64_t kh = 0; kh < v.KH; ++kh)
    for (int64_t kw = 0; kw < v.KW; ++kw) {
      int64_t h = i * v.SH - v.PH + kh, w = j * v.SW - v.PW + kw;
      if (v.inside(h, w)) f(v.x_at(n, c, h, w));
    }
}

template <class T> void pool_forward(const Node& node, bool max_form, const HostInputs& in, HostTensor& y) {
  const auto& a = std::get<Pool2dAttrs>(node.attrs);
  Window v = pool_window(in[0]->shape(), node.shape, a);
  const T* x = data<T>(in[0]);
  T* out = data<T>(y);
  T area = static_cast<T>(a.kernel_h * a.kernel_w);
  parallel_for(v.N * v.C, 1, [&](int64_t p0, int64_t p1) {
    for (int64_t plane = p0; plane < p1; ++plane)
      for (int64_t i = 0; i < v.OH; ++i)
        for (int64_t j = 0; j < v.OW; ++j) {
          T acc = 0;
          bool first = true;
          window_cells(v, plane / v.C, plane % v.C, i, j, [&](int64_t at) {
            T c = x[at];
            if (!max_form) acc += c;
            else if (first || c != c || acc != acc) acc = (first || c != c) ? c : acc;
            else if (c > acc) acc = c;
            first = false;
          });
          out[(plane * v.OH + i) * v.OW + j] = max_form ? acc : acc / area;
        }
  });
}

template <class T> void pool_backward(const Node& node, bool max_form, const HostInputs& in,
                                      const HostTensor& y, const HostTensor& g, HostGrads& dx) {
  const auto& a = std::get<Pool2dAttrs>(node.attrs);
  Window v = pool_window(in[0]->shape(), y.shape(), a);
  const T* x = data<T>(in[0]);
  const T* yv = data<T>(&y);
  const T* gv = data<T>(&g);
  HostTensor d(in[0]->dtype(), in[0]->shape());
  T* dv = data<T>(d);
  T area = static_cast<T>(a.kernel_h * a.kernel_w);
  // Planes are independent (windows never cross channels), so threads split planes.
  parallel_for(v.N * v.C, 1, [&](int64_t p0, int64_t p1) {
    for (int64_t plane = p0; plane < p1; ++plane)
      for (int64_t i = 0; i < v.OH; ++i)
        for (int64_t j = 0; j < v.OW; ++j) {
          int64_t out = (plane * v.OH + i) * v.OW + j;
          T share = max_form ? gv[out] : gv[out] / area;
          bool done = false;
          window_cells(v, plane / v.C, plane % v.C, i, j, [&](int64_t at) {
            if (!max_form) dv[at] += share;
            else if (yv[out] != yv[out]) dv[at] += yv[out];
            else if (!done && x[at] == yv[out]) { dv[at] += share; done = true; }
          });
        }
  });
  dx[0] = std::move(d);
}

}  // namespace tl::fast

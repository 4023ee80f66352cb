// The conv family of the cuda backend: conv2d, max_pool2d, avg_pool2d on NCHW (forward and backward),
// direct kernels, one body per output element (forward) or per gradient element (backward, gathers),
// no atomics. Geometry (zero padding, floor mode) is spec/window.h's.
//
// Declared order (the fast backend's, bit for bit):
//  conv2d    y[n,o,i,j] = (FMA chain from +0 over (c, kh, kw) ascending, c outermost, of
//            x[n,c,i*SH-PH+kh, j*SW-PW+kw] * w[o,c,kh,kw], padding taps skipped) + b[o] (the bias
//            added once after the chain; without b, the chain itself).
//            dx[n,c,h,w] = FMA chain from +0 over (o, kh, kw) ascending of g[n,o,ti/SH,tj/SW] * w[o,c,kh,kw]
//              where ti = h+PH-kh, tj = w+PW-kw, taking only taps with ti, tj >= 0, divisible by
//              SH, SW and ti/SH < OH, tj/SW < OW.
//            dw[o,c,kh,kw] = FMA chain from +0 over (n, i, j) ascending of g[n,o,i,j] * x[n,c,h,w]
//              (h = i*SH-PH+kh, w = j*SW-PW+kw), padding taps skipped.
//            db[o] = left fold from +0 over (n, i, j) ascending of g[n,o,i,j] (plain additions).
//  max_pool2d  y = running maximum over the window's inside cells in row-major (kh, kw) order,
//            starting from the first cell: a NaN cell replaces the running value, a NaN running value
//            is kept against non-NaN cells (so the result is the last NaN if any), otherwise the
//            value is replaced only when strictly greater (the first maximum wins; -0 and +0 tie).
//            A window with no inside cell gives +0.
//            dx[n,c,h,w] = left fold from +0, over the outputs (i, j) whose window covers (h, w) in
//            row-major (i ascending, then j ascending) order, of: y[i,j] when y[i,j] is NaN; else
//            g[i,j] when (h, w) is the first inside cell (row-major) of window (i, j) with
//            x == y[i,j]; else nothing. (Fast scatters these terms in that output order onto +0.)
//  avg_pool2d  y = (left fold from +0 of the inside cells, row-major) / (kernel_h*kernel_w) (padding
//            counted in the divisor, PyTorch's count_include_pad=True).
//            dx[n,c,h,w] = left fold from +0, over covering outputs (i, j) row-major, of
//            g[i,j] / (kernel_h*kernel_w) (the division per term, as fast).
#include "cuda/kernels.h"
#include "cuda/math.h"
#include "spec/window.h"
#include "spec/error.h"

namespace tl::cuda::TL_CUDA_NS {
namespace {

// ---- conv2d ---------------------------------------------------------------------------------------

template <class T> void conv2d_fwd(const Node& n, const DevInputs& in, DeviceTensor& y, const std::string& where) {
  const Window v = conv_window(in[0]->shape, in[1]->shape, y.shape, std::get<Conv2dAttrs>(n.attrs));
  const int64_t O = in[1]->shape.dim(0);
  const T* x = in[0]->data<T>();
  const T* w = in[1]->data<T>();
  const T* bias = in.size() == 3 ? in[2]->data<T>() : nullptr;
  T* out = y.data<T>();
  for_each_index(v.N * O * v.OH * v.OW, TL_BODY(int64_t e) {
    const int64_t j = e % v.OW, i = (e / v.OW) % v.OH, plane = e / (v.OW * v.OH);
    const int64_t nn = plane / O, o = plane % O;
    T acc = T(0);
    for (int64_t c = 0; c < v.C; ++c)
      for (int64_t kh = 0; kh < v.KH; ++kh)
        for (int64_t kw = 0; kw < v.KW; ++kw) {
          const int64_t h = i * v.SH - v.PH + kh, ww = j * v.SW - v.PW + kw;
          if (v.inside(h, ww)) acc = m_fma(x[v.x_at(nn, c, h, ww)], w[((o * v.C + c) * v.KH + kh) * v.KW + kw], acc);
        }
    out[e] = bias ? acc + bias[o] : acc;
  }, where);
}

// dx[n,c,h,w]: one body per input element, the taps in fast's (o, kh, kw) order.
template <class T>
void conv2d_dx(const Window v, int64_t O, const T* gv, const T* w, T* dv, const std::string& where) {
  for_each_index(v.N * v.C * v.H * v.W, TL_BODY(int64_t e) {
    const int64_t ww = e % v.W, h = (e / v.W) % v.H, c = (e / (v.W * v.H)) % v.C, nn = e / (v.W * v.H * v.C);
    T acc = T(0);
    for (int64_t o = 0; o < O; ++o)
      for (int64_t kh = 0; kh < v.KH; ++kh)
        for (int64_t kw = 0; kw < v.KW; ++kw) {
          const int64_t ti = h + v.PH - kh, tj = ww + v.PW - kw;
          if (ti < 0 || tj < 0 || ti % v.SH || tj % v.SW || ti / v.SH >= v.OH || tj / v.SW >= v.OW) continue;
          const int64_t g_at = ((nn * O + o) * v.OH + ti / v.SH) * v.OW + tj / v.SW;
          acc = m_fma(gv[g_at], w[((o * v.C + c) * v.KH + kh) * v.KW + kw], acc);
        }
    dv[e] = acc;
  }, where);
}

// dw[o,c,kh,kw]: one body per weight element, the taps in fast's (n, i, j) order.
template <class T>
void conv2d_dw(const Window v, int64_t O, const T* gv, const T* x, T* dv, const std::string& where) {
  for_each_index(O * v.C * v.KH * v.KW, TL_BODY(int64_t e) {
    const int64_t kw = e % v.KW, kh = (e / v.KW) % v.KH, c = (e / (v.KW * v.KH)) % v.C, o = e / (v.KW * v.KH * v.C);
    T acc = T(0);
    for (int64_t nn = 0; nn < v.N; ++nn)
      for (int64_t i = 0; i < v.OH; ++i)
        for (int64_t j = 0; j < v.OW; ++j) {
          const int64_t h = i * v.SH - v.PH + kh, ww = j * v.SW - v.PW + kw;
          if (v.inside(h, ww)) acc = m_fma(gv[((nn * O + o) * v.OH + i) * v.OW + j], x[v.x_at(nn, c, h, ww)], acc);
        }
    dv[e] = acc;
  }, where);
}

// db[o]: left fold over (n, i, j).
template <class T> void conv2d_db(const Window v, int64_t O, const T* gv, T* dv, const std::string& where) {
  for_each_index(O, TL_BODY(int64_t o) {
    T acc = T(0);
    for (int64_t nn = 0; nn < v.N; ++nn)
      for (int64_t i = 0; i < v.OH; ++i)
        for (int64_t j = 0; j < v.OW; ++j) acc = acc + gv[((nn * O + o) * v.OH + i) * v.OW + j];
    dv[o] = acc;
  }, where);
}

template <class T>
void conv2d_bwd(const Node& n, const DevInputs& in, const DeviceTensor& g, DevGrads& dx,
                const std::vector<bool>& wanted, const std::string& where) {
  const Window v = conv_window(in[0]->shape, in[1]->shape, g.shape, std::get<Conv2dAttrs>(n.attrs));
  const int64_t O = in[1]->shape.dim(0);
  const T* gv = g.data<T>();
  if (wanted[0]) {
    DeviceTensor d = empty_tensor(in[0]->dtype, in[0]->shape, where);
    conv2d_dx<T>(v, O, gv, in[1]->data<T>(), d.data<T>(), where);
    dx[0] = std::move(d);
  }
  if (wanted[1]) {
    DeviceTensor d = empty_tensor(in[1]->dtype, in[1]->shape, where);
    conv2d_dw<T>(v, O, gv, in[0]->data<T>(), d.data<T>(), where);
    dx[1] = std::move(d);
  }
  if (in.size() == 3 && wanted[2]) {
    DeviceTensor d = empty_tensor(in[2]->dtype, in[2]->shape, where);
    conv2d_db<T>(v, O, gv, d.data<T>(), where);
    dx[2] = std::move(d);
  }
}

// ---- pooling --------------------------------------------------------------------------------------

// Index (x_at) of the first inside cell of window (plane, i, j), row-major, holding a value == yv;
// -1 when none does.
template <class T> TL_HD int64_t first_match(const Window& v, const T* x, int64_t plane, int64_t i, int64_t j, T yv) {
  for (int64_t kh = 0; kh < v.KH; ++kh)
    for (int64_t kw = 0; kw < v.KW; ++kw) {
      const int64_t h = i * v.SH - v.PH + kh, w = j * v.SW - v.PW + kw;
      if (!v.inside(h, w)) continue;
      const int64_t at = v.x_at(plane / v.C, plane % v.C, h, w);
      if (x[at] == yv) return at;
    }
  return -1;
}

template <class T>
void pool_fwd(const Node& n, bool max_form, const DevInputs& in, DeviceTensor& y, const std::string& where) {
  const auto& a = std::get<Pool2dAttrs>(n.attrs);
  const Window v = pool_window(in[0]->shape, y.shape, a);
  const T* x = in[0]->data<T>();
  T* out = y.data<T>();
  const T area = static_cast<T>(a.kernel_h * a.kernel_w);
  for_each_index(v.N * v.C * v.OH * v.OW, TL_BODY(int64_t e) {
    const int64_t j = e % v.OW, i = (e / v.OW) % v.OH, plane = e / (v.OW * v.OH);
    T acc = T(0);
    bool first = true;
    for (int64_t kh = 0; kh < v.KH; ++kh)
      for (int64_t kw = 0; kw < v.KW; ++kw) {
        const int64_t h = i * v.SH - v.PH + kh, w = j * v.SW - v.PW + kw;
        if (!v.inside(h, w)) continue;
        const T c = x[v.x_at(plane / v.C, plane % v.C, h, w)];
        if (!max_form) acc = acc + c;
        else if (first || is_nan(c) || is_nan(acc)) acc = (first || is_nan(c)) ? c : acc;
        else if (c > acc) acc = c;
        first = false;
      }
    out[e] = max_form ? acc : acc / area;
  }, where);
}

// First and last output index along one axis whose window covers input position p:
// 0 <= p + pad - o*stride < k, clipped to [0, out_n).
TL_HD inline void covering(int64_t p, int64_t pad, int64_t stride, int64_t k, int64_t out_n, int64_t& lo, int64_t& hi) {
  const int64_t top = p + pad, bottom = p + pad - k + 1;
  hi = top / stride;
  if (hi > out_n - 1) hi = out_n - 1;
  lo = bottom <= 0 ? 0 : (bottom + stride - 1) / stride;
}

template <class T>
void pool_bwd(const Node& n, bool max_form, const DevInputs& in, const DeviceTensor& y, const DeviceTensor& g,
              DevGrads& dx, const std::vector<bool>& wanted, const std::string& where) {
  if (!wanted[0]) return;
  const auto& a = std::get<Pool2dAttrs>(n.attrs);
  const Window v = pool_window(in[0]->shape, y.shape, a);
  const T* x = in[0]->data<T>();
  const T* yv = y.data<T>();
  const T* gv = g.data<T>();
  DeviceTensor d = empty_tensor(in[0]->dtype, in[0]->shape, where);
  T* dv = d.data<T>();
  const T area = static_cast<T>(a.kernel_h * a.kernel_w);
  for_each_index(v.N * v.C * v.H * v.W, TL_BODY(int64_t e) {
    const int64_t w = e % v.W, h = (e / v.W) % v.H, plane = e / (v.W * v.H);
    int64_t i_lo, i_hi, j_lo, j_hi;
    covering(h, v.PH, v.SH, v.KH, v.OH, i_lo, i_hi);
    covering(w, v.PW, v.SW, v.KW, v.OW, j_lo, j_hi);
    T acc = T(0);
    for (int64_t i = i_lo; i <= i_hi; ++i)
      for (int64_t j = j_lo; j <= j_hi; ++j) {
        const int64_t o = (plane * v.OH + i) * v.OW + j;
        if (!max_form) acc = acc + gv[o] / area;
        else if (is_nan(yv[o])) acc = acc + yv[o];
        else if (first_match<T>(v, x, plane, i, j, yv[o]) == e) acc = acc + gv[o];
      }
    dv[e] = acc;
  }, where);
  dx[0] = std::move(d);
}

}  // namespace

template <class T> void conv_forward(const Node& n, const DevInputs& in, DeviceTensor& y, const std::string& where) {
  if (n.op == OpId::conv2d) return conv2d_fwd<T>(n, in, y, where);
  if (n.op == OpId::max_pool2d) return pool_fwd<T>(n, true, in, y, where);
  if (n.op == OpId::avg_pool2d) return pool_fwd<T>(n, false, in, y, where);
  throw_internal("conv_forward: op " + std::string(op_name(n.op)) + " is not of the conv family");
}

template <class T>
void conv_backward(const Node& n, const DevInputs& in, const DeviceTensor& y, const DeviceTensor& g, DevGrads& dx,
                   const std::vector<bool>& wanted, const std::string& where) {
  if (n.op == OpId::conv2d) return conv2d_bwd<T>(n, in, g, dx, wanted, where);
  if (n.op == OpId::max_pool2d) return pool_bwd<T>(n, true, in, y, g, dx, wanted, where);
  if (n.op == OpId::avg_pool2d) return pool_bwd<T>(n, false, in, y, g, dx, wanted, where);
  throw_internal("conv_backward: op " + std::string(op_name(n.op)) + " is not of the conv family");
}

TL_CUDA_INSTANTIATE_FAMILY(conv)

}  // namespace tl::cuda::TL_CUDA_NS

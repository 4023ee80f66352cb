// The reduce family of the cuda backend: sum, reduce_sum, reduce_mean, reduce_max, softmax,
// log_softmax, logsumexp. An axis splits the input into (outer, n, inner): element (o, k, i) is at
// (o*n + k)*inner + i, and slice r = o*inner + i is the n elements (o, 0..n-1, i).
//
// Declared orders (the fast backend's, fast/kernels/reduce.h, except `sum`):
//  - sum: tree_sum (cuda/tree_sum.h) over all elements in memory order; backward dx[j] = g[0].
//  - slice max m (reduce_max, and the shift of softmax, log_softmax, logsumexp): m = x[k=0]; for
//    k = 1..n-1: m = NaN if x[k] or m is NaN, else x[k] if x[k] > m, else m (first maximum).
//  - reduce_sum: left fold from +0 over k = 0..n-1; backward dx = g[r].
//  - reduce_mean: the same fold, then one division acc / n; backward dx = g[r] / n.
//  - reduce_max: y = slice max; backward, per slice: ties = #{k : x[k] == y}, share = g[r] / ties
//    (NaN when ties = 0), dx[k] = y if y is NaN, else share where x[k] == y, else 0.
//  - logsumexp: m = slice max (0 when n = 0); y = m when m = +-inf; else acc = left fold from +0
//    of exp(x[k] - m) and y = m + log(acc); backward dx[k] = g[r] * exp(x[k] - y[r]).
//  - softmax: m = slice max; e[k] = exp(x[k] - m) written to y, s = left fold from +0 of e[k]; then
//    y[k] = e[k] / s. Backward: acc = fma(g[k], y[k], acc) for k = 0..n-1 from +0;
//    dx[k] = y[k] * (g[k] - acc).
//  - log_softmax: m, s as softmax; y[k] = (x[k] - m) - log(s). Backward: acc = left fold from +0 of
//    g[k]; dx[k] = g[k] - exp(y[k]) * acc (no FMA).
// Transcendentals are cuda/math.h's m_exp / m_log in T. One body per slice (per element where a
// backward element depends only on its slice's y and g), sequential loops, no atomics.
#include "cuda/kernels.h"
#include "cuda/math.h"
#include "cuda/tree_sum.h"

#include "spec/error.h"
#include "spec/op_family.h"
#include "kernel_rules/kernel_shapes.h"

namespace tl::cuda::TL_CUDA_NS {
namespace {

int64_t axis_of(const Node& n) { return std::get<AxisAttrs>(n.attrs).axis; }

template <class T> TL_HD T slice_max(const T* x, AxisSplit sp, int64_t o, int64_t i) {
  T m = x[sp.at(o, 0, i)];
  for (int64_t k = 1; k < sp.n; ++k) {
    T v = x[sp.at(o, k, i)];
    if (v != v || m != m) m = nan_of<T>();
    else if (v > m) m = v;
  }
  return m;
}

template <class T> void axis_forward(AxisReduce kind, const AxisSplit sp, const T* x, T* out, const std::string& where) {
  for_each_index(sp.slices(), TL_BODY(int64_t r) {
    int64_t o = r / sp.inner, i = r % sp.inner;
    if (kind == AxisReduce::reduce_max) {
      out[r] = slice_max(x, sp, o, i);
      return;
    }
    T acc = T(0);
    if (kind == AxisReduce::logsumexp) {
      T m = sp.n ? slice_max(x, sp, o, i) : T(0);
      if (m - m != m - m && m == m) {  // m = +-inf: the extended-real value (the reference's)
        out[r] = m;
        return;
      }
      for (int64_t k = 0; k < sp.n; ++k) acc = acc + m_exp(x[sp.at(o, k, i)] - m);
      out[r] = m + m_log(acc);
      return;
    }
    for (int64_t k = 0; k < sp.n; ++k) acc = acc + x[sp.at(o, k, i)];
    out[r] = kind == AxisReduce::reduce_sum ? acc : acc / static_cast<T>(sp.n);
  }, where);
}

// sum, mean, logsumexp: element j of x gets its gradient from its slice's g (and y) alone.
template <class T> void axis_backward_elementwise(AxisReduce kind, const AxisSplit sp, const T* x, const T* yv, const T* gv,
                                                  T* d, int64_t count, const std::string& where) {
  for_each_index(count, TL_BODY(int64_t j) {
    int64_t i = j % sp.inner, o = (j / sp.inner) / sp.n;
    int64_t r = o * sp.inner + i;
    if (kind == AxisReduce::reduce_sum) d[j] = gv[r];
    else if (kind == AxisReduce::reduce_mean) d[j] = gv[r] / static_cast<T>(sp.n);
    else d[j] = gv[r] * m_exp(x[j] - yv[r]);
  }, where);
}

template <class T> void max_backward(const AxisSplit sp, const T* x, const T* yv, const T* gv, T* d,
                                     const std::string& where) {
  for_each_index(sp.slices(), TL_BODY(int64_t r) {
    int64_t o = r / sp.inner, i = r % sp.inner;
    int64_t ties = 0;
    for (int64_t k = 0; k < sp.n; ++k) ties += x[sp.at(o, k, i)] == yv[r];
    T share = ties ? gv[r] / static_cast<T>(ties) : nan_of<T>();
    for (int64_t k = 0; k < sp.n; ++k) {
      T v = x[sp.at(o, k, i)];
      d[sp.at(o, k, i)] = yv[r] != yv[r] ? yv[r] : (v == yv[r] ? share : T(0));
    }
  }, where);
}

template <class T> void softmax_fwd(bool log_form, const AxisSplit sp, const T* x, T* out, const std::string& where) {
  for_each_index(sp.slices(), TL_BODY(int64_t r) {
    int64_t o = r / sp.inner, i = r % sp.inner;
    if (sp.n == 0) return;
    T m = slice_max(x, sp, o, i), s = T(0);
    for (int64_t k = 0; k < sp.n; ++k) {
      T ek = m_exp(x[sp.at(o, k, i)] - m);
      s = s + ek;
      if (!log_form) out[sp.at(o, k, i)] = ek;
    }
    T log_s = log_form ? m_log(s) : T(0);
    for (int64_t k = 0; k < sp.n; ++k) {
      int64_t at = sp.at(o, k, i);
      out[at] = log_form ? (x[at] - m) - log_s : out[at] / s;
    }
  }, where);
}

template <class T> void softmax_bwd(bool log_form, const AxisSplit sp, const T* yv, const T* gv, T* d,
                                    const std::string& where) {
  for_each_index(sp.slices(), TL_BODY(int64_t r) {
    int64_t o = r / sp.inner, i = r % sp.inner;
    T acc = T(0);
    if (log_form) {
      for (int64_t k = 0; k < sp.n; ++k) acc = acc + gv[sp.at(o, k, i)];
      for (int64_t k = 0; k < sp.n; ++k) {
        int64_t at = sp.at(o, k, i);
        d[at] = gv[at] - m_exp(yv[at]) * acc;
      }
    } else {
      for (int64_t k = 0; k < sp.n; ++k) acc = m_fma(gv[sp.at(o, k, i)], yv[sp.at(o, k, i)], acc);
      for (int64_t k = 0; k < sp.n; ++k) {
        int64_t at = sp.at(o, k, i);
        d[at] = yv[at] * (gv[at] - acc);
      }
    }
  }, where);
}

template <class T> void sum_backward(const T* gv, T* d, int64_t count, const std::string& where) {
  for_each_index(count, TL_BODY(int64_t j) { d[j] = gv[0]; }, where);
}

}  // namespace

template <class T>
void reduce_forward(const Node& n, const DevInputs& in, DeviceTensor& y, const std::string& where) {
  const T* x = in[0]->data<T>();
  T* out = y.data<T>();
  if (n.op == OpId::sum) return tree_sum(x, in[0]->numel(), out, where);
  const AxisSplit sp = AxisSplit(in[0]->shape, axis_of(n));
  if (std::optional<AxisReduce> kind = as_member<AxisReduce>(n.op)) return axis_forward(*kind, sp, x, out, where);
  if (std::optional<Softmax> kind = as_member<Softmax>(n.op))
    return softmax_fwd(*kind == Softmax::log_softmax, sp, x, out, where);
  throw_internal(where + ": reduce_forward given an op of another family");
}

template <class T>
void reduce_backward(const Node& n, const DevInputs& in, const DeviceTensor& y, const DeviceTensor& g,
                     DevGrads& dx, const std::vector<bool>& wanted, const std::string& where) {
  const OpFamily family = op_family(n.op);
  if (family != OpFamily::full_reduce && family != OpFamily::axis_reduce && family != OpFamily::softmax) throw_internal(where + ": reduce_backward given an op of another family");
  if (!wanted[0]) return;
  DeviceTensor d = empty_tensor(in[0]->dtype, in[0]->shape, where);
  const T* x = in[0]->data<T>();
  const T* yv = y.data<T>();
  const T* gv = g.data<T>();
  T* dv = d.data<T>();
  const int64_t count = in[0]->numel();
  if (n.op == OpId::sum) {
    sum_backward(gv, dv, count, where);
  } else {
    const AxisSplit sp = AxisSplit(in[0]->shape, axis_of(n));
    std::optional<AxisReduce> kind = as_member<AxisReduce>(n.op);
    if (kind == AxisReduce::reduce_max) max_backward(sp, x, yv, gv, dv, where);
    else if (kind) axis_backward_elementwise(*kind, sp, x, yv, gv, dv, count, where);
    else softmax_bwd(n.op == OpId::log_softmax, sp, yv, gv, dv, where);
  }
  dx[0] = std::move(d);
}

TL_CUDA_INSTANTIATE_FAMILY(reduce)

}  // namespace tl::cuda::TL_CUDA_NS

// Fast kernels: sum, reduce_sum/mean/max, logsumexp, softmax, log_softmax — the reference's orders
// (left folds from +0, first maximum, max-shifted exponentials), parallel over independent slices.
#pragma once

#include "fast/kernels/common.h"
#include "fast/planted.h"

namespace tl::fast {

template <class T> T slice_max(const T* x, const AxisSplit& sp, int64_t o, int64_t i) {
  T m = x[sp.at(o, 0, i)];
  for (int64_t k = 1; k < sp.n; ++k) {
    T v = x[sp.at(o, k, i)];
    if (v != v || m != m) m = std::numeric_limits<T>::quiet_NaN();
    else if (v > m) m = v;
  }
  return m;
}

template <class T> void sum_forward(const HostInputs& in, HostTensor& y) {
  T acc = 0;
  const auto& v = in[0]->values<T>();
  if (TL_PLANTED("sum_split_across_threads") && v.size() >= 2) {
    T second = 0;
    for (std::size_t k = 0; k < v.size() / 2; ++k) acc += v[k];
    for (std::size_t k = v.size() / 2; k < v.size(); ++k) second += v[k];
    data<T>(y)[0] = acc + second;
    return;
  }
  for (T x : v) acc += x;
  data<T>(y)[0] = acc;
}

template <class T> void axis_reduce_forward(AxisReduce kind, int64_t axis, const HostInputs& in, HostTensor& y) {
  const T* x = data<T>(in[0]);
  T* out = data<T>(y);
  AxisSplit sp(in[0]->shape(), axis);
  parallel_for(sp.outer * sp.inner, kReduceGrain, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      int64_t o = r / sp.inner, i = r % sp.inner;
      T acc = 0;
      switch (kind) {
        case AxisReduce::reduce_sum: case AxisReduce::reduce_mean:
          for (int64_t k = 0; k < sp.n - (kind == AxisReduce::reduce_sum && TL_PLANTED("reduce_sum_off_by_one")); ++k)
            acc += x[sp.at(o, k, i)];
          out[r] = kind == AxisReduce::reduce_sum ? acc : acc / static_cast<T>(sp.n);
          break;
        case AxisReduce::reduce_max: out[r] = slice_max(x, sp, o, i); break;
        case AxisReduce::logsumexp: {
          T m = sp.n ? slice_max(x, sp, o, i) : T(0);
          if (std::isinf(m)) {  // +inf for an entry +inf, -inf when every entry is -inf (the reference's)
            out[r] = m;
            break;
          }
          for (int64_t k = 0; k < sp.n; ++k) acc += std::exp(x[sp.at(o, k, i)] - m);
          out[r] = m + std::log(acc);
          break;
        }
      }
    }
  });
}

template <class T> void axis_reduce_backward(AxisReduce kind, int64_t axis, const HostInputs& in,
                                             const HostTensor& y, const HostTensor& g, HostTensor& dx) {
  const T* x = data<T>(in[0]);
  const T* yv = data<T>(&y);
  const T* gv = data<T>(&g);
  T* d = data<T>(dx);
  AxisSplit sp(in[0]->shape(), axis);
  parallel_for(sp.outer * sp.inner, kReduceGrain, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      int64_t o = r / sp.inner, i = r % sp.inner;
      switch (kind) {
        case AxisReduce::reduce_sum:
          for (int64_t k = 0; k < sp.n; ++k) d[sp.at(o, k, i)] = gv[r];
          break;
        case AxisReduce::reduce_mean: {
          T share = gv[r] / static_cast<T>(sp.n);
          for (int64_t k = 0; k < sp.n; ++k) d[sp.at(o, k, i)] = share;
          break;
        }
        case AxisReduce::reduce_max: {
          int64_t ties = 0;
          for (int64_t k = 0; k < sp.n; ++k) ties += x[sp.at(o, k, i)] == yv[r];
          T share = ties ? gv[r] / static_cast<T>(ties) : std::numeric_limits<T>::quiet_NaN();
          for (int64_t k = 0; k < sp.n; ++k) {
            T v = x[sp.at(o, k, i)];
            d[sp.at(o, k, i)] = yv[r] != yv[r] ? yv[r] : (v == yv[r] ? share : T(0));
          }
          break;
        }
        case AxisReduce::logsumexp:
          for (int64_t k = 0; k < sp.n; ++k) d[sp.at(o, k, i)] = gv[r] * std::exp(x[sp.at(o, k, i)] - yv[r]);
          break;
      }
    }
  });
}

template <class T> void softmax_forward(bool log_form, int64_t axis, const HostInputs& in, HostTensor& y) {
  const T* x = data<T>(in[0]);
  T* out = data<T>(y);
  AxisSplit sp(in[0]->shape(), axis);
  parallel_for(sp.outer * sp.inner, kSoftmaxGrain, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      int64_t o = r / sp.inner, i = r % sp.inner;
      if (sp.n == 0) continue;
      T m = slice_max(x, sp, o, i), s = 0;
      for (int64_t k = 0; k < sp.n; ++k) {
        T ek = std::exp(x[sp.at(o, k, i)] - m);
        s += ek;
        if (!log_form) out[sp.at(o, k, i)] = ek;
      }
      T log_s = log_form ? std::log(s) : T(0);
      for (int64_t k = 0; k < sp.n; ++k) {
        T& v = out[sp.at(o, k, i)];
        v = log_form ? (x[sp.at(o, k, i)] - m) - log_s : v / s;
      }
    }
  });
}

template <class T> void softmax_backward(bool log_form, int64_t axis, const HostTensor& y,
                                         const HostTensor& g, HostTensor& dx) {
  const T* yv = data<T>(&y);
  const T* gv = data<T>(&g);
  T* d = data<T>(dx);
  AxisSplit sp(y.shape(), axis);
  parallel_for(sp.outer * sp.inner, kSoftmaxGrain, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      int64_t o = r / sp.inner, i = r % sp.inner;
      T acc = 0;
      if (log_form) {
        for (int64_t k = 0; k < sp.n; ++k) acc += gv[sp.at(o, k, i)];
        for (int64_t k = 0; k < sp.n; ++k) {
          int64_t at = sp.at(o, k, i);
          d[at] = gv[at] - std::exp(yv[at]) * acc;
        }
      } else {
        for (int64_t k = 0; k < sp.n; ++k) acc = std::fma(gv[sp.at(o, k, i)], yv[sp.at(o, k, i)], acc);
        for (int64_t k = 0; k < sp.n; ++k) {
          int64_t at = sp.at(o, k, i);
          d[at] = yv[at] * (gv[at] - acc);
        }
      }
    }
  });
}

}  // namespace tl::fast

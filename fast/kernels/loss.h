// Fast kernels: mse_loss, cross_entropy, bce_with_logits, nll with the reference's formulas and
// orders (left folds from +0 over elements or rows; `mean` divides once; the VJP forms s = g/count
// first). cross_entropy and bce use exp/log from the C library, so their contracts are not strict.
#pragma once

#include "fast/kernels/elementwise.h"
#include "fast/kernels/common.h"

namespace tl::fast {

inline bool loss_mean(const Node& n) { return std::get<LossAttrs>(n.attrs).reduction == Reduction::mean; }

// log_softmax of row i of [N, C] scores into ls.
template <class T> void row_log_softmax(const T* x, int64_t i, int64_t C, T* ls) {
  T m = x[i * C];
  for (int64_t k = 1; k < C; ++k) {
    T v = x[i * C + k];
    m = (v != v || m != m) ? std::numeric_limits<T>::quiet_NaN() : (v > m ? v : m);
  }
  T s = 0;
  for (int64_t k = 0; k < C; ++k) s += std::exp(x[i * C + k] - m);
  T log_s = std::log(s);
  for (int64_t k = 0; k < C; ++k) ls[k] = (x[i * C + k] - m) - log_s;
}

// The elementwise pieces are the unary ops' own definitions (evaluated in a wider type for float,
// as their contracts say), so a loss is never less accurate than the ops it is made of.
template <class T> T bce_term(T x, T t) {
  const UnaryParams<T> none{};
  T relu = unary_forward(Unary::relu, x, none);
  T abs = unary_forward(Unary::abs, x, none);
  return (relu - x * t) + unary_forward(Unary::softplus, -abs, none);
}

template <class T> void loss_forward(const Node& node, const HostInputs& in, HostTensor& y, const std::string& where) {
  const T* a = data<T>(in[0]);
  const T* b = data<T>(in[1]);
  T total = 0;
  int64_t count = in[0]->numel();
  if (node.op == OpId::mse_loss && TL_PLANTED("mse_missing_rounding")) {
    Wide<T> wide = 0;
    for (int64_t i = 0; i < count; ++i) wide += static_cast<Wide<T>>(a[i] - b[i]) * static_cast<Wide<T>>(a[i] - b[i]);
    total = static_cast<T>(wide);
  } else if (node.op == OpId::mse_loss || node.op == OpId::bce_with_logits) {
    for (int64_t i = 0; i < count; ++i) {
      T d = a[i] - b[i];
      total += node.op == OpId::mse_loss ? d * d : bce_term(a[i], b[i]);
    }
  } else {
    int64_t N = in[0]->shape().dim(0), C = in[0]->shape().dim(1);
    count = N;
    std::vector<T> ls(static_cast<std::size_t>(C));
    for (int64_t i = 0; i < N; ++i) {
      int64_t label = index_at(b, i, C, where);
      if (node.op == OpId::nll) {
        total += -a[i * C + label];
      } else {
        row_log_softmax(a, i, C, ls.data());
        total += -ls[static_cast<std::size_t>(label)];
      }
    }
  }
  data<T>(y)[0] = loss_mean(node) ? total / static_cast<T>(count) : total;
}

template <class T> void loss_backward(const Node& node, const HostInputs& in, const HostTensor& g, HostGrads& dx,
                                      const std::string& where) {
  const T* a = data<T>(in[0]);
  const T* b = data<T>(in[1]);
  T gv = data<T>(&g)[0];
  HostTensor da(in[0]->dtype(), in[0]->shape());
  T* dav = data<T>(da);
  if (node.op == OpId::mse_loss || node.op == OpId::bce_with_logits) {
    int64_t n = in[0]->numel();
    T s = loss_mean(node) ? gv / static_cast<T>(n) : gv;
    HostTensor db(in[1]->dtype(), in[1]->shape());
    T* dbv = data<T>(db);
    for (int64_t i = 0; i < n; ++i) {
      if (node.op == OpId::mse_loss) {
        T d = a[i] - b[i];
        dav[i] = s * (d + d);
        dbv[i] = -dav[i];
      } else {
        dav[i] = (unary_forward(Unary::sigmoid, a[i], UnaryParams<T>{}) - b[i]) * s;
        dbv[i] = (-a[i]) * s;
      }
    }
    dx[1] = std::move(db);
  } else {
    int64_t N = in[0]->shape().dim(0), C = in[0]->shape().dim(1);
    T s = loss_mean(node) ? gv / static_cast<T>(N) : gv;
    std::vector<T> ls(static_cast<std::size_t>(C));
    for (int64_t i = 0; i < N; ++i) {
      int64_t label = index_at(b, i, C, where);
      if (node.op == OpId::cross_entropy) row_log_softmax(a, i, C, ls.data());
      for (int64_t k = 0; k < C; ++k) {
        if (node.op == OpId::nll) dav[i * C + k] = k == label ? -s : T(0);
        else dav[i * C + k] = (std::exp(ls[static_cast<std::size_t>(k)]) - (k == label ? T(1) : T(0))) * s;
      }
    }
  }
  dx[0] = std::move(da);
}

}  // namespace tl::fast

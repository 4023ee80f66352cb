// The loss family of the cuda backend: mse_loss, cross_entropy, bce_with_logits, nll (scalar output).
// Labels (cross_entropy, nll) are checked on the host with checked_indices (bound C) before any
// kernel runs.
//
// Declared orders (fast/kernels/loss.h's per-element / per-row formulas and totals):
//  - forward: one kernel writes the term of each element (mse, bce) or row (cross_entropy, nll) to a
//    temporary device buffer; one body left-folds the terms from +0 in index order into y (the
//    strict meaning's order) and, for reduction `mean`, divides once by count (numel for mse and
//    bce, N for cross_entropy and nll).
//    mse term: d = a - b; d * d.
//    bce term: (relu(x) - x * t) + softplus(-|x|), relu(x) = x > 0 ? x : (x == x ? 0 : x),
//      |x| = x < 0 ? -x : (x > 0 ? x : (x == 0 ? 0 : x)), softplus(z) = z > 0 ? z + log1p(exp(-z))
//      : log1p(exp(z)).
//    nll term: -a[i, label_i].
//    cross_entropy term: -ls[label_i] with the row log-softmax of fast's row_log_softmax: m = x[i, 0],
//      then for k = 1..C-1 m = NaN if x[i,k] or m is NaN, else max by `>`; s = left fold from +0 of
//      exp(x[i,k] - m); ls[k] = (x[i,k] - m) - log(s).
//  - backward: s = g[0] / count (mean) or g[0], g read on the device.
//    mse: da = s * (d + d), db = -da.   bce: da = (sigmoid(a) - b) * s, db = (-a) * s, sigmoid(x) =
//      x >= 0 ? 1 / (1 + exp(-x)) : e / (1 + e) with e = exp(x).
//    nll: da[i,k] = -s at k = label_i, else 0.
//    cross_entropy: da[i,k] = (exp(ls[k]) - (k == label_i ? 1 : 0)) * s, ls recomputed per row as above.
//    Only input 0 of cross_entropy and nll gets a gradient (spec/ops.def).
// softplus and sigmoid are elementwise_math.h's (in double, rounded once, as the ops themselves);
// other transcendentals are cuda/math.h's m_*. One body per element or row, no atomics.
#include "cuda/elementwise_math.h"
#include "cuda/kernels.h"
#include "cuda/math.h"

#include "spec/error.h"

namespace tl::cuda::TL_CUDA_NS {
namespace {

bool loss_mean(const Node& n) { return std::get<LossAttrs>(n.attrs).reduction == Reduction::mean; }

template <class T> TL_HD T softplus_of(T x) { return static_cast<T>(softplus_d(static_cast<double>(x))); }

template <class T> TL_HD T sigmoid_of(T x) { return static_cast<T>(sigmoid_d(static_cast<double>(x))); }

template <class T> TL_HD T bce_term(T x, T t) {
  T relu = x > 0 ? x : (x == x ? T(0) : x);
  T abs = x < 0 ? -x : (x > 0 ? x : (x == 0 ? T(0) : x));
  return (relu - x * t) + softplus_of(-abs);
}

// Row i of [N, C] scores: its max m (fast's NaN rule) and log of the shifted exponentials' sum.
template <class T> struct RowStats {
  T m, log_s;
};
template <class T> TL_HD RowStats<T> row_stats(const T* x, int64_t i, int64_t C) {
  T m = x[i * C];
  for (int64_t k = 1; k < C; ++k) {
    T v = x[i * C + k];
    m = (v != v || m != m) ? nan_of<T>() : (v > m ? v : m);
  }
  T s = T(0);
  for (int64_t k = 0; k < C; ++k) s = s + m_exp(x[i * C + k] - m);
  return RowStats<T>{m, m_log(s)};
}

// y[0] = left fold from +0 of the terms in index order (one body: a loss has one term per element
// or row, and the fold is the strict meaning's order), then / count for `mean`.
template <class T> void total_of(const T* terms, int64_t count, bool mean, T* out, const std::string& where) {
  for_each_index(1, TL_BODY(int64_t) {
    T acc = T(0);
    for (int64_t j = 0; j < count; ++j) acc = acc + terms[j];
    out[0] = mean ? acc / static_cast<T>(count) : acc;
  }, where);
}

template <class T> void pairwise_forward(bool mse, const T* a, const T* b, T* terms, int64_t count,
                                         const std::string& where) {
  for_each_index(count, TL_BODY(int64_t j) {
    T d = a[j] - b[j];
    terms[j] = mse ? d * d : bce_term(a[j], b[j]);
  }, where);
}

template <class T> void labelled_forward(bool nll, const T* a, const int64_t* lab, T* terms, int64_t N, int64_t C,
                                         const std::string& where) {
  for_each_index(N, TL_BODY(int64_t i) {
    int64_t label = lab[i];
    if (nll) {
      terms[i] = -a[i * C + label];
    } else {
      RowStats<T> st = row_stats(a, i, C);
      terms[i] = -((a[i * C + label] - st.m) - st.log_s);
    }
  }, where);
}

template <class T> void pairwise_backward(bool mse, bool mean, const T* a, const T* b, const T* gp, T* da, T* db,
                                          int64_t count, const std::string& where) {
  for_each_index(count, TL_BODY(int64_t j) {
    T s = mean ? gp[0] / static_cast<T>(count) : gp[0];
    if (mse) {
      T d = a[j] - b[j];
      T daj = s * (d + d);
      if (da) da[j] = daj;
      if (db) db[j] = -daj;
    } else {
      if (da) da[j] = (sigmoid_of(a[j]) - b[j]) * s;
      if (db) db[j] = (-a[j]) * s;
    }
  }, where);
}

template <class T> void nll_backward(bool mean, const int64_t* lab, const T* gp, T* da, int64_t N, int64_t C,
                                     const std::string& where) {
  for_each_index(N * C, TL_BODY(int64_t j) {
    T s = mean ? gp[0] / static_cast<T>(N) : gp[0];
    int64_t i = j / C, k = j % C;
    da[j] = k == lab[i] ? -s : T(0);
  }, where);
}

template <class T> void cross_entropy_backward(bool mean, const T* a, const int64_t* lab, const T* gp, T* da,
                                               int64_t N, int64_t C, const std::string& where) {
  for_each_index(N, TL_BODY(int64_t i) {
    T s = mean ? gp[0] / static_cast<T>(N) : gp[0];
    RowStats<T> st = row_stats(a, i, C);
    for (int64_t k = 0; k < C; ++k) {
      T ls = (a[i * C + k] - st.m) - st.log_s;
      da[i * C + k] = (m_exp(ls) - (k == lab[i] ? T(1) : T(0))) * s;
    }
  }, where);
}

bool is_loss(OpId op) {
  return op == OpId::mse_loss || op == OpId::cross_entropy || op == OpId::bce_with_logits || op == OpId::nll;
}

}  // namespace

template <class T>
void loss_forward(const Node& n, const DevInputs& in, DeviceTensor& y, const std::string& where) {
  if (!is_loss(n.op)) throw_internal(where + ": loss_forward given an op of another family");
  const T* a = in[0]->data<T>();
  const T* b = in[1]->data<T>();
  if (n.op == OpId::mse_loss || n.op == OpId::bce_with_logits) {
    const int64_t count = in[0]->numel();
    DeviceBuffer terms(static_cast<std::size_t>(count) * sizeof(T), where);
    T* tp = static_cast<T*>(terms.get());
    pairwise_forward(n.op == OpId::mse_loss, a, b, tp, count, where);
    total_of<T>(tp, count, loss_mean(n), y.data<T>(), where);
    return;
  }
  const int64_t N = in[0]->shape.dim(0), C = in[0]->shape.dim(1);
  const std::vector<int64_t> labels = checked_indices(*in[1], C, where);
  DeviceBuffer ib = upload_indices(labels, where);
  DeviceBuffer terms(static_cast<std::size_t>(N) * sizeof(T), where);
  T* tp = static_cast<T*>(terms.get());
  labelled_forward(n.op == OpId::nll, a, static_cast<const int64_t*>(ib.get()), tp, N, C, where);
  total_of<T>(tp, N, loss_mean(n), y.data<T>(), where);
}

template <class T>
void loss_backward(const Node& n, const DevInputs& in, const DeviceTensor& /*y*/, const DeviceTensor& g,
                   DevGrads& dx, const std::vector<bool>& wanted, const std::string& where) {
  if (!is_loss(n.op)) throw_internal(where + ": loss_backward given an op of another family");
  const bool want_a = wanted[0];
  const bool want_b = wanted[1];
  if (!want_a && !want_b) return;
  const T* a = in[0]->data<T>();
  const T* gp = g.data<T>();
  const bool mean = loss_mean(n);
  if (n.op == OpId::mse_loss || n.op == OpId::bce_with_logits) {
    std::optional<DeviceTensor> da, db;
    if (want_a) da = empty_tensor(in[0]->dtype, in[0]->shape, where);
    if (want_b) db = empty_tensor(in[1]->dtype, in[1]->shape, where);
    pairwise_backward(n.op == OpId::mse_loss, mean, a, in[1]->data<T>(), gp, da ? da->data<T>() : nullptr,
                      db ? db->data<T>() : nullptr, in[0]->numel(), where);
    dx[0] = std::move(da);
    dx[1] = std::move(db);
    return;
  }
  const int64_t N = in[0]->shape.dim(0), C = in[0]->shape.dim(1);
  const std::vector<int64_t> labels = checked_indices(*in[1], C, where);
  DeviceBuffer ib = upload_indices(labels, where);
  const int64_t* lab = static_cast<const int64_t*>(ib.get());
  DeviceTensor da = empty_tensor(in[0]->dtype, in[0]->shape, where);
  if (n.op == OpId::nll) nll_backward(mean, lab, gp, da.data<T>(), N, C, where);
  else cross_entropy_backward(mean, a, lab, gp, da.data<T>(), N, C, where);
  dx[0] = std::move(da);
}

TL_CUDA_INSTANTIATE_FAMILY(loss)

}  // namespace tl::cuda::TL_CUDA_NS

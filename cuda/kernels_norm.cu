// The norm family of the cuda backend: layer_norm and batch_norm. A group is one normalised slice: a
// row of the trailing axes [axis, rank) for layer_norm (element j of group g at g*count + j, affine
// parameter p = j), a channel c for batch_norm on [N,C] or [N,C,H,W] (element j = n*HW + s of group
// c at (n*C + c)*HW + s, count = N*HW, affine parameter p = c).
//
// Declared orders (the fast backend's, fast/kernels/norm.h), all in T (fast uses no wider type here):
//  - group statistics, training form (layer_norm; batch_norm with training=true), one body per group:
//    sum = left fold from +0 of x[j], j = 0..count-1; mean = sum / count; sq = left fold from +0 of
//    (x[j] - mean) * (x[j] - mean); r = 1 / m_sqrt(sq / count + eps) (a division by a square root,
//    two roundings, not an rsqrt). count is converted to T once.
//  - eval form (batch_norm with training=false): mean = running_mean[c], r = 1 / m_sqrt(running_var[c] + eps).
//  - forward: xhat = (x - mean) * r; y = xhat * gamma[p] + beta[p] (no FMA anywhere).
//  - backward, per group: dxhat[j] = g[j] * gamma[p]; a = left fold from +0 of dxhat[j]; b = left fold
//    from +0 of dxhat[j] * xhat[j]; mean_a = a / count, mean_b = b / count;
//    dx = r * ((dxhat - mean_a) - xhat * mean_b) (training form), dx = dxhat * r (eval form).
//  - dgamma[p] = left fold from +0 of g * xhat, dbeta[p] = left fold from +0 of g, over the elements of
//    parameter p in (group ascending, j ascending) order: over groups for layer_norm (p = column), over
//    j for batch_norm (p = channel). One body per parameter element.
// Group statistics are computed once per group into a device buffer (mean, r, mean_a, mean_b) and
// every xhat is recomputed from them with the same two operations, so the values equal fast's.
#include "cuda/kernels.h"
#include "cuda/math.h"
#include "kernel_rules/norm_layout.h"

#include "spec/error.h"

namespace tl::cuda::TL_CUDA_NS {
namespace {

constexpr int64_t kStats = 4;  // mean, r, mean_a, mean_b per group

struct Params {
  const NormLayout l;
  const Node& n;
  const DevInputs& in;
  const std::string& where;
  bool eval() const { return norm_eval_form(n); }
  double eps() const { return norm_eps(n); }
};

// st[kStats*grp + 0..3] = mean, r, and (when gv is given) mean_a, mean_b of every group.
template <class T> void group_stats(const Params& P, const T* gv, T* st) {
  const NormLayout l = P.l;
  const T* x = P.in[0]->data<T>();
  const T* gamma = P.in[1]->data<T>();
  const bool eval = P.eval();
  if (eval && P.in.size() < 5) throw_internal(P.where + ": eval-mode batch_norm without running statistics");
  const T* rm = eval ? P.in[3]->data<T>() : nullptr;
  const T* rv = eval ? P.in[4]->data<T>() : nullptr;
  const T eps = static_cast<T>(P.eps());
  for_each_index(l.groups, TL_BODY(int64_t grp) {
    const T cnt = static_cast<T>(l.count);
    T mean, r;
    if (eval) {
      mean = rm[grp];
      r = T(1) / m_sqrt(rv[grp] + eps);
    } else {
      T sum = T(0), sq = T(0);
      for (int64_t j = 0; j < l.count; ++j) sum = sum + x[l.element(grp, j)];
      mean = sum / cnt;
      for (int64_t j = 0; j < l.count; ++j) {
        T d = x[l.element(grp, j)] - mean;
        sq = sq + d * d;
      }
      r = T(1) / m_sqrt(sq / cnt + eps);
    }
    T* s = st + kStats * grp;
    s[0] = mean;
    s[1] = r;
    if (!gv) return;
    T a = T(0), b = T(0);
    for (int64_t j = 0; j < l.count; ++j) {
      int64_t at = l.element(grp, j);
      T xhat = (x[at] - mean) * r;
      T dxhat = gv[at] * gamma[l.param_of(at)];
      a = a + dxhat;
      b = b + dxhat * xhat;
    }
    s[2] = a / cnt;
    s[3] = b / cnt;
  }, P.where);
}

template <class T> void apply_forward(const Params& P, const T* st, T* out, int64_t numel) {
  const NormLayout l = P.l;
  const T* x = P.in[0]->data<T>();
  const T* gamma = P.in[1]->data<T>();
  const T* beta = P.in[2]->data<T>();
  for_each_index(numel, TL_BODY(int64_t at) {
    const T* s = st + kStats * l.group_of(at);
    int64_t p = l.param_of(at);
    T xhat = (x[at] - s[0]) * s[1];
    out[at] = xhat * gamma[p] + beta[p];
  }, P.where);
}

template <class T> void input_grad(const Params& P, const T* st, const T* gv, T* dx, int64_t numel) {
  const NormLayout l = P.l;
  const T* x = P.in[0]->data<T>();
  const T* gamma = P.in[1]->data<T>();
  const bool eval = P.eval();
  for_each_index(numel, TL_BODY(int64_t at) {
    const T* s = st + kStats * l.group_of(at);
    T xhat = (x[at] - s[0]) * s[1];
    T dxhat = gv[at] * gamma[l.param_of(at)];
    dx[at] = eval ? dxhat * s[1] : s[1] * ((dxhat - s[2]) - xhat * s[3]);
  }, P.where);
}

// dg / db (either may be null): one body per affine parameter element p.
template <class T> void affine_grads(const Params& P, const T* st, const T* gv, T* dg, T* db) {
  const NormLayout l = P.l;
  const T* x = P.in[0]->data<T>();
  for_each_index(l.params(), TL_BODY(int64_t p) {
    T acc_g = T(0), acc_b = T(0);
    const int64_t steps = l.per_channel ? l.count : l.groups;
    for (int64_t k = 0; k < steps; ++k) {
      const int64_t grp = l.per_channel ? p : k;
      const int64_t at = l.element(grp, l.per_channel ? k : p);
      const T* s = st + kStats * grp;
      T xhat = (x[at] - s[0]) * s[1];
      acc_g = acc_g + gv[at] * xhat;
      acc_b = acc_b + gv[at];
    }
    if (dg) dg[p] = acc_g;
    if (db) db[p] = acc_b;
  }, P.where);
}

bool is_norm(OpId op) { return op == OpId::layer_norm || op == OpId::batch_norm; }

}  // namespace

template <class T>
void norm_forward(const Node& n, const DevInputs& in, DeviceTensor& y, const std::string& where) {
  if (!is_norm(n.op)) throw_internal(where + ": norm_forward given an op of another family");
  const Params P{norm_layout(n, in[0]->shape), n, in, where};
  DeviceBuffer st(static_cast<std::size_t>(kStats * P.l.groups) * sizeof(T), where);
  group_stats<T>(P, nullptr, static_cast<T*>(st.get()));
  apply_forward<T>(P, static_cast<const T*>(st.get()), y.data<T>(), in[0]->numel());
}

template <class T>
void norm_backward(const Node& n, const DevInputs& in, const DeviceTensor& /*y*/, const DeviceTensor& g,
                   DevGrads& dx, const std::vector<bool>& wanted, const std::string& where) {
  if (!is_norm(n.op)) throw_internal(where + ": norm_backward given an op of another family");
  bool want[3];
  for (int k = 0; k < 3; ++k) want[k] = wanted[static_cast<std::size_t>(k)];
  if (!want[0] && !want[1] && !want[2]) return;
  const Params P{norm_layout(n, in[0]->shape), n, in, where};
  const T* gv = g.data<T>();
  DeviceBuffer st(static_cast<std::size_t>(kStats * P.l.groups) * sizeof(T), where);
  T* stv = static_cast<T*>(st.get());
  group_stats<T>(P, gv, stv);
  if (want[0]) {
    DeviceTensor d = empty_tensor(in[0]->dtype, in[0]->shape, where);
    input_grad<T>(P, stv, gv, d.data<T>(), in[0]->numel());
    dx[0] = std::move(d);
  }
  if (want[1] || want[2]) {
    std::optional<DeviceTensor> dg, db;
    if (want[1]) dg = empty_tensor(in[1]->dtype, in[1]->shape, where);
    if (want[2]) db = empty_tensor(in[2]->dtype, in[2]->shape, where);
    affine_grads<T>(P, stv, gv, dg ? dg->data<T>() : nullptr, db ? db->data<T>() : nullptr);
    if (want[1]) dx[1] = std::move(dg);
    if (want[2]) dx[2] = std::move(db);
  }
}

TL_CUDA_INSTANTIATE_FAMILY(norm)

}  // namespace tl::cuda::TL_CUDA_NS

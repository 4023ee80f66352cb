// Reference semantics of matmul and linear. Every dot product is an FMA chain from +0 over the
// contracted index in ascending order; linear adds the bias after the chain:
//   matmul  y[b,i,j] = chain_k a[b,i,k] * b[b,k,j]
//   linear  y[m,o]   = chain_k x[m,k] * W[o,k]  (+ b[o])
// VJPs use the same chains: matmul da = chain_j g * b, db = chain_i a * g; linear dx = chain_o g*W,
// dW = chain_m g*x, db = left fold over m of g.
#pragma once

#include <type_traits>

#include "reference/dot_enclosure.h"
#include "reference/ops_elementwise.h"

namespace tl::ref {

// out(t, i, j) = Σ_k A(t, i, k)·B(t, j, k) with A(t, i, k) = a[t * a_batch + i * a_row + k * a_col]
// (B and out likewise): one shape for every contraction below.
struct Contraction {
  int64_t batch, m, p, n;
  int64_t a_batch, a_row, a_col, b_batch, b_row, b_col, out_batch, out_row, out_col;
};

template <class S> struct StrictOf : std::false_type {};
template <class T> struct StrictOf<Strict<T>> : std::true_type { using type = T; };

// The same sums as the FMA chains below, computed faster where that changes nothing: the real meaning
// (Interval, at the first precision, operands that are exact doubles) by error-free transformations
// with a sound bound, the strict meaning (Strict<T>) by the same fma chain over packed arrays
// (reference/dot_enclosure.h). False where neither applies: the chains run.
template <class S>
bool contracted(const RefTensor<S>& a, const RefTensor<S>& b, RefTensor<S>& out, const Contraction& c) {
  if constexpr (std::is_same_v<S, Interval>) {
    if (Interval::precision() > kFastEnclosureMaxPrecision) return false;
    std::optional<std::vector<double>> av = exact_doubles(a.v), bv = exact_doubles(b.v);
    if (!av || !bv) return false;
    for (int64_t t = 0; t < c.batch; ++t)
      enclose_dots({av->data() + t * c.a_batch, c.a_row, c.a_col}, {bv->data() + t * c.b_batch, c.b_row, c.b_col}, c.m, c.p,
                   c.n, out.v, t * c.out_batch, c.out_row, c.out_col);
    return true;
  } else if constexpr (StrictOf<S>::value) {
    using T = typename StrictOf<S>::type;
    std::vector<T> av(a.v.size()), bv(b.v.size()), ov(out.v.size());
    for (std::size_t i = 0; i < av.size(); ++i) av[i] = a.v[i].v;
    for (std::size_t i = 0; i < bv.size(); ++i) bv[i] = b.v[i].v;
    for (int64_t t = 0; t < c.batch; ++t)
      strict_dots<T>(av.data() + t * c.a_batch, c.a_row, c.a_col, bv.data() + t * c.b_batch, c.b_row, c.b_col, c.m, c.p,
                     c.n, ov.data() + t * c.out_batch, c.out_row, c.out_col);
    for (std::size_t i = 0; i < ov.size(); ++i) out.v[i].v = ov[i];
    return true;
  } else {
    return false;
  }
}

struct MatmulDims {
  int64_t batch, m, n, p;
  explicit MatmulDims(const Shape& a, const Shape& b) {
    bool batched = a.rank() == 3;
    batch = batched ? a.dim(0) : 1;
    m = a.dim(a.rank() - 2);
    n = a.dim(a.rank() - 1);
    p = b.dim(b.rank() - 1);
  }
};

template <class S>
RefTensor<S> fwd_matmul(const OpCtx& c, const Inputs<S>& in) {
  const RefTensor<S>& a = *in[0];
  const RefTensor<S>& b = *in[1];
  MatmulDims d(a.shape, b.shape);
  RefTensor<S> y(c.out_shape);  // y(i, j) = Σ_k a(i, k)·b(k, j)
  if (contracted(a, b, y, {d.batch, d.m, d.p, d.n, d.m * d.n, d.n, 1, d.n * d.p, 1, d.p, d.m * d.p, d.p, 1})) return y;
  for (int64_t t = 0; t < d.batch; ++t) {
    for (int64_t i = 0; i < d.m; ++i) {
      for (int64_t j = 0; j < d.p; ++j) {
        FmaChain<S> acc;
        for (int64_t k = 0; k < d.n; ++k) acc.add(a[(t * d.m + i) * d.n + k], b[(t * d.n + k) * d.p + j]);
        y[(t * d.m + i) * d.p + j] = acc.result();
      }
    }
  }
  return y;
}

template <class S>
void vjp_matmul(const Inputs<S>& in, const RefTensor<S>& g, Grads<S>& dx, const std::vector<bool>& wanted) {
  const RefTensor<S>& a = *in[0];
  const RefTensor<S>& b = *in[1];
  MatmulDims d(a.shape, b.shape);
  RefTensor<S> da(a.shape), db(b.shape);
  // da(i, k) = Σ_j g(i, j)·b(k, j); db(k, j) = Σ_i a(i, k)·g(i, j)
  const bool da_done = wanted[0] && contracted(g, b, da, {d.batch, d.m, d.n, d.p, d.m * d.p, d.p, 1, d.n * d.p, d.p, 1, d.m * d.n, d.n, 1});
  const bool db_done = wanted[1] && contracted(a, g, db, {d.batch, d.n, d.p, d.m, d.m * d.n, 1, d.n, d.m * d.p, 1, d.p, d.n * d.p, d.p, 1});
  for (int64_t t = 0; t < d.batch; ++t) {
    for (int64_t i = 0; i < d.m && wanted[0] && !da_done; ++i) {
      for (int64_t k = 0; k < d.n; ++k) {
        FmaChain<S> acc;
        for (int64_t j = 0; j < d.p; ++j) acc.add(g[(t * d.m + i) * d.p + j], b[(t * d.n + k) * d.p + j]);
        da[(t * d.m + i) * d.n + k] = acc.result();
      }
    }
    for (int64_t k = 0; k < d.n && wanted[1] && !db_done; ++k) {
      for (int64_t j = 0; j < d.p; ++j) {
        FmaChain<S> acc;
        for (int64_t i = 0; i < d.m; ++i) acc.add(a[(t * d.m + i) * d.n + k], g[(t * d.m + i) * d.p + j]);
        db[(t * d.n + k) * d.p + j] = acc.result();
      }
    }
  }
  if (wanted[0]) dx[0] = std::move(da);
  if (wanted[1]) dx[1] = std::move(db);
}

// Product of all dimensions but the last: the rows linear maps independently.
inline int64_t leading_rows(const Shape& s) {
  int64_t rows = 1;
  for (int64_t d = 0; d + 1 < s.rank(); ++d) rows *= s.dim(d);
  return rows;
}

template <class S>
RefTensor<S> fwd_linear(const OpCtx& c, const Inputs<S>& in) {
  const RefTensor<S>& x = *in[0];
  const RefTensor<S>& w = *in[1];
  int64_t out = w.shape.dim(0), k_in = w.shape.dim(1);
  int64_t rows = leading_rows(x.shape);
  RefTensor<S> y(c.out_shape);  // y(m, o) = Σ_k x(m, k)·w(o, k), then + b(o)
  if (contracted(x, w, y, {1, rows, out, k_in, 0, k_in, 1, 0, k_in, 1, 0, out, 1})) {
    if (in.size() == 3)
      for (int64_t m = 0; m < rows; ++m)
        for (int64_t o = 0; o < out; ++o) y[m * out + o] = y[m * out + o] + (*in[2])[o];
    return y;
  }
  for (int64_t m = 0; m < rows; ++m) {
    for (int64_t o = 0; o < out; ++o) {
      FmaChain<S> acc;
      for (int64_t k = 0; k < k_in; ++k) acc.add(x[m * k_in + k], w[o * k_in + k]);
      y[m * out + o] = in.size() == 3 ? acc.result() + (*in[2])[o] : acc.result();
    }
  }
  return y;
}

template <class S>
void vjp_linear(const Inputs<S>& in, const RefTensor<S>& g, Grads<S>& dx, const std::vector<bool>& wanted) {
  const RefTensor<S>& x = *in[0];
  const RefTensor<S>& w = *in[1];
  int64_t out = w.shape.dim(0), k_in = w.shape.dim(1);
  int64_t rows = leading_rows(x.shape);
  RefTensor<S> d_x(x.shape), d_w(w.shape);
  // dx(m, k) = Σ_o g(m, o)·w(o, k); dw(o, k) = Σ_m g(m, o)·x(m, k)
  const bool dx_done = wanted[0] && contracted(g, w, d_x, {1, rows, k_in, out, 0, out, 1, 0, 1, k_in, 0, k_in, 1});
  const bool dw_done = wanted[1] && contracted(g, x, d_w, {1, out, k_in, rows, 0, 1, out, 0, 1, k_in, 0, k_in, 1});
  // Loops are ordered for memory locality (one accumulator per output column); each output's chain
  // still runs over its contracted index in ascending order, as declared.
  for (int64_t m = 0; m < rows && wanted[0] && !dx_done; ++m) {
    std::vector<FmaChain<S>> acc(static_cast<std::size_t>(k_in));
    for (int64_t o = 0; o < out; ++o) {
      for (int64_t k = 0; k < k_in; ++k) acc[static_cast<std::size_t>(k)].add(g[m * out + o], w[o * k_in + k]);
    }
    for (int64_t k = 0; k < k_in; ++k) d_x[m * k_in + k] = acc[static_cast<std::size_t>(k)].result();
  }
  for (int64_t o = 0; o < out && wanted[1] && !dw_done; ++o) {
    std::vector<FmaChain<S>> acc(static_cast<std::size_t>(k_in));
    for (int64_t m = 0; m < rows; ++m) {
      for (int64_t k = 0; k < k_in; ++k) acc[static_cast<std::size_t>(k)].add(g[m * out + o], x[m * k_in + k]);
    }
    for (int64_t k = 0; k < k_in; ++k) d_w[o * k_in + k] = acc[static_cast<std::size_t>(k)].result();
  }
  if (wanted[0]) dx[0] = std::move(d_x);
  if (wanted[1]) dx[1] = std::move(d_w);
  if (in.size() == 3 && wanted[2]) {
    RefTensor<S> d_b(in[2]->shape);
    for (int64_t o = 0; o < out; ++o) {
      LeftFold<S> f;
      for (int64_t m = 0; m < rows; ++m) f.add(g[m * out + o]);
      d_b[o] = f.acc;
    }
    dx[2] = std::move(d_b);
  }
}

}  // namespace tl::ref

// Reference semantics of matmul and linear. Every dot product is an FMA chain from +0 over the
// contracted index in ascending order; linear adds the bias after the chain:
//   matmul  y[b,i,j] = chain_k a[b,i,k] * b[b,k,j]
//   linear  y[m,o]   = chain_k x[m,k] * W[o,k]  (+ b[o])
// VJPs use the same chains: matmul da = chain_j g * b, db = chain_i a * g; linear dx = chain_o g*W,
// dW = chain_m g*x, db = left fold over m of g.
#pragma once

#include "reference/ops_elementwise.h"

namespace tl::ref {

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
  RefTensor<S> y(c.out_shape);
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
  for (int64_t t = 0; t < d.batch; ++t) {
    for (int64_t i = 0; i < d.m && wanted[0]; ++i) {
      for (int64_t k = 0; k < d.n; ++k) {
        FmaChain<S> acc;
        for (int64_t j = 0; j < d.p; ++j) acc.add(g[(t * d.m + i) * d.p + j], b[(t * d.n + k) * d.p + j]);
        da[(t * d.m + i) * d.n + k] = acc.result();
      }
    }
    for (int64_t k = 0; k < d.n && wanted[1]; ++k) {
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
  RefTensor<S> y(c.out_shape);
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
  // Loops are ordered for memory locality (one accumulator per output column); each output's chain
  // still runs over its contracted index in ascending order, as declared.
  for (int64_t m = 0; m < rows && wanted[0]; ++m) {
    std::vector<FmaChain<S>> acc(static_cast<std::size_t>(k_in));
    for (int64_t o = 0; o < out; ++o) {
      for (int64_t k = 0; k < k_in; ++k) acc[static_cast<std::size_t>(k)].add(g[m * out + o], w[o * k_in + k]);
    }
    for (int64_t k = 0; k < k_in; ++k) d_x[m * k_in + k] = acc[static_cast<std::size_t>(k)].result();
  }
  for (int64_t o = 0; o < out && wanted[1]; ++o) {
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

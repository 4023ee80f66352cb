// Fast kernels: matmul and linear. Every output element is an FMA chain from +0 over the contracted
// index in ascending order (the strict meaning's order), so results match reference/Strict bit for
// bit; threads split the output rows. `dot_rows` is the one inner loop all of them use.
#pragma once

#include "fast/kernels/common.h"

namespace tl::fast {

// out[j] = chain_k a[k * a_step] * b[j * b_row + k * b_step] for j in [0, n), k in [0, len).
template <class T>
void dot_rows(const T* a, int64_t a_step, const T* b, int64_t b_row, int64_t b_step, int64_t len,
              int64_t n, T* out, int64_t out_step) {
  for (int64_t j = 0; j < n; ++j) {
    T acc = 0;
    const T* bj = b + j * b_row;
    for (int64_t k = 0; k < len; ++k) acc = std::fma(a[k * a_step], bj[k * b_step], acc);
    out[j * out_step] = acc;
  }
}

struct MatmulDims {
  int64_t batch, m, n, p;
  MatmulDims(const Shape& a, const Shape& b)
      : batch(a.rank() == 3 ? a.dim(0) : 1), m(a.dim(a.rank() - 2)), n(a.dim(a.rank() - 1)),
        p(b.dim(b.rank() - 1)) {}
};

template <class T> void matmul_forward(const HostInputs& in, HostTensor& y) {
  MatmulDims d(in[0]->shape(), in[1]->shape());
  const T* a = data<T>(in[0]);
  const T* b = data<T>(in[1]);
  T* out = data<T>(y);
  parallel_for(d.batch * d.m, 4, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      int64_t t = r / d.m;
      // row r of a times the columns of b[t]: column j starts at j, steps by p.
      dot_rows(a + r * d.n, 1, b + t * d.n * d.p, 1, d.p, d.n, d.p, out + r * d.p, 1);
    }
  });
}

template <class T> void matmul_backward(const HostInputs& in, const HostTensor& g, HostGrads& dx,
                                        const std::vector<bool>& wanted) {
  MatmulDims d(in[0]->shape(), in[1]->shape());
  const T* a = data<T>(in[0]);
  const T* b = data<T>(in[1]);
  const T* gv = data<T>(&g);
  if (wanted[0]) {  // da[t,i,k] = chain_j g[t,i,j] * b[t,k,j]
    HostTensor da(in[0]->dtype(), in[0]->shape());
    T* o = data<T>(da);
    parallel_for(d.batch * d.m, 4, [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r) {
        int64_t t = r / d.m;
        dot_rows(gv + r * d.p, 1, b + t * d.n * d.p, d.p, 1, d.p, d.n, o + r * d.n, 1);
      }
    });
    dx[0] = std::move(da);
  }
  if (wanted[1]) {  // db[t,k,j] = chain_i a[t,i,k] * g[t,i,j]
    HostTensor db(in[1]->dtype(), in[1]->shape());
    T* o = data<T>(db);
    parallel_for(d.batch * d.n, 4, [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r) {
        int64_t t = r / d.n, k = r % d.n;
        dot_rows(a + t * d.m * d.n + k, d.n, gv + t * d.m * d.p, 1, d.p, d.m, d.p, o + r * d.p, 1);
      }
    });
    dx[1] = std::move(db);
  }
}

template <class T> void linear_forward(const HostInputs& in, HostTensor& y) {
  const Shape& ws = in[1]->shape();
  int64_t out = ws.dim(0), k_in = ws.dim(1), rows = leading_rows(in[0]->shape());
  const T* x = data<T>(in[0]);
  const T* w = data<T>(in[1]);
  const T* bias = in.size() == 3 ? data<T>(in[2]) : nullptr;
  T* o = data<T>(y);
  parallel_for(rows, 4, [&](int64_t r0, int64_t r1) {
    for (int64_t m = r0; m < r1; ++m) {
      dot_rows(x + m * k_in, 1, w, k_in, 1, k_in, out, o + m * out, 1);
      if (bias) for (int64_t j = 0; j < out; ++j) o[m * out + j] += bias[j];
    }
  });
}

template <class T> void linear_backward(const HostInputs& in, const HostTensor& g, HostGrads& dx,
                                        const std::vector<bool>& wanted) {
  const Shape& ws = in[1]->shape();
  int64_t out = ws.dim(0), k_in = ws.dim(1), rows = leading_rows(in[0]->shape());
  const T* x = data<T>(in[0]);
  const T* w = data<T>(in[1]);
  const T* gv = data<T>(&g);
  if (wanted[0]) {  // dx[m,k] = chain_o g[m,o] * w[o,k]
    HostTensor d(in[0]->dtype(), in[0]->shape());
    T* o = data<T>(d);
    parallel_for(rows, 4, [&](int64_t r0, int64_t r1) {
      for (int64_t m = r0; m < r1; ++m) dot_rows(gv + m * out, 1, w, 1, k_in, out, k_in, o + m * k_in, 1);
    });
    dx[0] = std::move(d);
  }
  if (wanted[1]) {  // dw[o,k] = chain_m g[m,o] * x[m,k]
    HostTensor d(in[1]->dtype(), ws);
    T* o = data<T>(d);
    parallel_for(out, 1, [&](int64_t r0, int64_t r1) {
      for (int64_t j = r0; j < r1; ++j) dot_rows(gv + j, out, x, 1, k_in, rows, k_in, o + j * k_in, 1);
    });
    dx[1] = std::move(d);
  }
  if (in.size() == 3 && wanted[2]) {  // db[o] = left fold over m of g[m,o]
    HostTensor d(in[2]->dtype(), in[2]->shape());
    T* o = data<T>(d);
    for (int64_t j = 0; j < out; ++j) {
      T acc = 0;
      for (int64_t m = 0; m < rows; ++m) acc += gv[m * out + j];
      o[j] = acc;
    }
    dx[2] = std::move(d);
  }
}

}  // namespace tl::fast

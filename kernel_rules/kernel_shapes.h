// How the kernels of every fast backend (fast/ on the CPU, cuda/) see an op's shapes: a tensor split
// around an axis, the leading rows of linear's input, matmul's dimensions. The index rules are
// TL_RULE: callable in CUDA kernel bodies too.
#pragma once

#include <cstdint>

#include "spec/host_device.h"
#include "spec/shape.h"

namespace tl {

// (outer, n, inner) around an axis: element (o, k, i) is at (o*n + k)*inner + i.
struct AxisSplit {
  int64_t outer = 1, n = 1, inner = 1;
  AxisSplit(const Shape& s, int64_t axis) {
    for (int64_t d = 0; d < s.rank(); ++d) (d < axis ? outer : d == axis ? n : inner) *= s.dim(d);
  }
  TL_RULE int64_t at(int64_t o, int64_t k, int64_t i) const { return (o * n + k) * inner + i; }
  int64_t slices() const { return outer * inner; }  // the independent (o, i) slices along the axis
};

// The product of every axis but the last (linear's rows).
inline int64_t leading_rows(const Shape& s) {
  int64_t rows = 1;
  for (int64_t d = 0; d + 1 < s.rank(); ++d) rows *= s.dim(d);
  return rows;
}

// matmul [m,n]x[n,p] or [b,m,n]x[b,n,p].
struct MatmulDims {
  int64_t batch, m, n, p;
  MatmulDims(const Shape& a, const Shape& b)
      : batch(a.rank() == 3 ? a.dim(0) : 1), m(a.dim(a.rank() - 2)), n(a.dim(a.rank() - 1)), p(b.dim(b.rank() - 1)) {}
};

}  // namespace tl

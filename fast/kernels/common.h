// Helpers shared by the fast kernel families: typed access to host tensors, axis splitting, index
// conversion with user errors. Internal to fast/kernels.
#pragma once

#include <cmath>
#include <string>

#include "fast/kernels/kernels.h"
#include "fast/kernels/parallel.h"
#include "spec/error.h"

namespace tl::fast {

template <class T> const T* data(const HostTensor* t) { return t->values<T>().data(); }
template <class T> T* data(HostTensor& t) { return t.values<T>().data(); }

// (outer, n, inner) around an axis: element (o, k, i) is at (o*n + k)*inner + i.
struct AxisSplit {
  int64_t outer = 1, n = 1, inner = 1;
  AxisSplit(const Shape& s, int64_t axis) {
    for (int64_t d = 0; d < s.rank(); ++d) (d < axis ? outer : d == axis ? n : inner) *= s.dim(d);
  }
  int64_t at(int64_t o, int64_t k, int64_t i) const { return (o * n + k) * inner + i; }
};

// Element i of an index tensor as an integer in [0, bound), or a UserError naming the node.
template <class T>
int64_t index_at(const T* idx, int64_t i, int64_t bound, const std::string& where) {
  T v = idx[i];
  bool ok = v == std::trunc(v) && v >= 0 && v < static_cast<T>(bound);
  TL_CHECK_USER(ok, where + ": index element " + std::to_string(i) + " is not an integer in [0, " +
                        std::to_string(bound) + ")");
  return static_cast<int64_t>(v);
}

inline int64_t leading_rows(const Shape& s) {
  int64_t rows = 1;
  for (int64_t d = 0; d + 1 < s.rank(); ++d) rows *= s.dim(d);
  return rows;
}

}  // namespace tl::fast

// Helpers shared by the fast kernel families: typed access to host tensors, axis splitting, index
// conversion with user errors. Internal to fast/kernels.
#pragma once

#include <cmath>
#include <string>

#include "fast/kernels/kernels.h"
#include "fast/kernels/parallel.h"
#include "spec/error.h"
#include "kernel_rules/kernel_shapes.h"
#include "spec/op_family.h"

namespace tl::fast {

template <class T> const T* data(const HostTensor* t) { return t->values<T>().data(); }
template <class T> T* data(HostTensor& t) { return t.values<T>().data(); }

// Element i of an index tensor as an integer in [0, bound), or a UserError naming the node.
template <class T>
int64_t index_at(const T* idx, int64_t i, int64_t bound, const std::string& where) {
  T v = idx[i];
  bool ok = v == std::trunc(v) && v >= 0 && v < static_cast<T>(bound);
  TL_CHECK_USER(ok, where + ": index element " + std::to_string(i) + " is not an integer in [0, " +
                        std::to_string(bound) + ")");
  return static_cast<int64_t>(v);
}

}  // namespace tl::fast

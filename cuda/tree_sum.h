// The declared order of the cuda backend's whole-tensor `sum` (the losses' totals are left folds): 256
// partial sums, partial t the left fold from +0 of x[t], x[t+256], x[t+512], ...; then a fixed binary
// tree, for s = 128, 64, ..., 1: p[t] = p[t] + p[t+s] for t < s; the result is p[0]. No atomics, so
// the result does not depend on scheduling; its accuracy is declared as sum_bound (docs/contracts.md).
// One block of 256 threads with the partials in shared memory, written once (cuda/launch.h): the
// GPU runs it, and so does the emulated build, under its block emulator.
#pragma once

#include <string>

#include "cuda/launch.h"
#include "cuda/launch_sizes.h"

namespace tl::cuda::TL_CUDA_NS {

template <class T> TL_GLOBAL void tree_sum_kernel(const T* x, int64_t n, T* out) {
  TL_SHARED T p[kTreeWidth];
  const int t = static_cast<int>(threadIdx.x);
  T acc = T(0);
  for (int64_t i = t; i < n; i += kTreeWidth) acc = acc + x[i];
  p[t] = acc;
  sync_block();
  for (int s = kTreeWidth / 2; s > 0; s /= 2) {
    if (t < s) p[t] = p[t] + p[t + s];
    sync_block();
  }
  if (t == 0) *out = p[0];
}

template <class T> void tree_sum(const T* x, int64_t n, T* out, const std::string& op) {
  launch_blocks(Dim3(1), Dim3(kTreeWidth), op, tree_sum_kernel<T>, x, n, out);
}

}  // namespace tl::cuda::TL_CUDA_NS

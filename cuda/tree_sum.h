// The declared order of the cuda backend's whole-tensor `sum` (the losses' totals are left folds): 256
// partial sums, partial t the left fold from +0 of x[t], x[t+256], x[t+512], ...; then a fixed binary
// tree, for s = 128, 64, ..., 1: p[t] = p[t] + p[t+s] for t < s; the result is p[0]. No atomics, so
// the result does not depend on scheduling; its accuracy is declared as sum_bound (docs/contracts.md).
// The device runs it in one block of 256 threads; the emulated build computes the same order in loops.
#pragma once

#include <string>

#include "cuda/launch.h"

namespace tl::cuda::TL_CUDA_NS {

constexpr int kTreeWidth = 256;

#ifdef TL_CUDA_EMULATE
template <class T> void tree_sum(const T* x, int64_t n, T* out, const std::string&) {
  T p[kTreeWidth];
  for (int t = 0; t < kTreeWidth; ++t) {
    T acc = T(0);
    for (int64_t i = t; i < n; i += kTreeWidth) acc = acc + x[i];
    p[t] = acc;
  }
  for (int s = kTreeWidth / 2; s > 0; s /= 2)
    for (int t = 0; t < s; ++t) p[t] = p[t] + p[t + s];
  *out = p[0];
}
#else
template <class T> __global__ void tree_sum_kernel(const T* x, int64_t n, T* out) {
  __shared__ T p[kTreeWidth];
  int t = threadIdx.x;
  T acc = T(0);
  for (int64_t i = t; i < n; i += kTreeWidth) acc = acc + x[i];
  p[t] = acc;
  __syncthreads();
  for (int s = kTreeWidth / 2; s > 0; s /= 2) {
    if (t < s) p[t] = p[t] + p[t + s];
    __syncthreads();
  }
  if (t == 0) *out = p[0];
}
template <class T> void tree_sum(const T* x, int64_t n, T* out, const std::string& op) {
  tree_sum_kernel<T><<<1, kTreeWidth, 0, current_stream()>>>(x, n, out);
  check_launch(op);
}
#endif

}  // namespace tl::cuda::TL_CUDA_NS

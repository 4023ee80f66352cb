// How cuda/ code runs one body per index, compiled two ways from the same source:
//  - by nvcc (the `device` build, library tl_cuda): a grid-stride __global__ kernel on the current
//    stream, every launch checked (the error names the kernel's op);
//  - by g++ with TL_CUDA_EMULATE (the `emulated` build, library tl_cuda_emulated, always built): a
//    plain loop on the host over the same bodies, with host memory standing in for device memory.
// The emulated build lets CI run every CUDA kernel body, index computation and backward rule through
// the oracle on machines without a GPU; what it cannot show (device math functions, launches, shared
// memory tiles, the real memory system) is what the GPU run checks (cuda/README.md).
#pragma once

#include <cstdint>
#include <string>

#ifdef TL_CUDA_EMULATE
#define TL_HD
#define TL_CUDA_NS emulated
// A body for for_each_index: captures by value, callable on host (and device, in the nvcc build).
#define TL_BODY [=]
#else
#include <cuda_runtime.h>
#define TL_HD __host__ __device__
#define TL_CUDA_NS device
#define TL_BODY [=] __host__ __device__
#endif

namespace tl::cuda::TL_CUDA_NS {

#ifdef TL_CUDA_EMULATE
inline void check_launch(const std::string&) {}
template <class F> void for_each_index(int64_t n, F body, const std::string& /*op*/) {
  for (int64_t i = 0; i < n; ++i) body(i);
}
#else
// A failing CUDA call is a runtime error of the device: DeviceError naming the call and the op
// (cuda/memory.h).
void check_call(cudaError_t err, const char* call, const std::string& op);
// The stream of the engine whose run() is in progress on this thread (thread-local: tl-check runs
// one engine per worker thread); 0, the legacy default stream, outside any run.
cudaStream_t current_stream();
void set_current_stream(cudaStream_t s);  // by the engine's run() (engine.cu), restored after
// TL_CUDA_SYNC_CHECK=1 in the environment: wait for every kernel as it is launched, so a fault in a
// kernel is reported under its own op rather than at the next synchronisation (a diagnostic switch).
bool sync_each_launch();
inline void check_launch(const std::string& op) {
  check_call(cudaGetLastError(), "kernel launch", op);
  if (sync_each_launch()) check_call(cudaStreamSynchronize(current_stream()), "kernel run (TL_CUDA_SYNC_CHECK)", op);
}

template <class F> __global__ void each_index_kernel(int64_t n, F body) {
  int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) body(i);
}
template <class F> void for_each_index(int64_t n, F body, const std::string& op) {
  if (n <= 0) return;
  constexpr int64_t kThreads = 256, kMaxBlocks = 65535;
  int64_t blocks = (n + kThreads - 1) / kThreads;
  each_index_kernel<<<static_cast<unsigned>(blocks < kMaxBlocks ? blocks : kMaxBlocks), kThreads, 0,
                      current_stream()>>>(n, body);
  check_launch(op);
}
#endif

}  // namespace tl::cuda::TL_CUDA_NS

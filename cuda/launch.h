// How cuda/ code runs on threads, compiled two ways from the same source:
//  - by nvcc (the `device` build, library tl_cuda): kernels on the current stream, every launch checked
//    (the error names the kernel's op);
//  - by g++ with TL_CUDA_EMULATE (the `emulated` build, library tl_cuda_emulated, always built): on the
//    host, with host memory standing in for device memory.
// Two kinds of kernel:
//  - for_each_index(n, TL_BODY(int64_t i) {...}, op): one body per index, no shared memory. On the GPU
//    a grid-stride kernel (each_index_kernel); in the emulated build the same kernel, run for every
//    thread of the same grid one after another (no barriers, so no fibers), so its block and
//    grid-stride index arithmetic is what runs there too.
//  - Block kernels (threads of a block that share memory and wait at barriers: the tree sum, the tiled
//    GEMM), written with TL_GLOBAL, TL_SHARED, sync_block() and CUDA's threadIdx/blockIdx/blockDim/
//    gridDim, launched by launch_blocks(grid, block, op, kernel, args...). On the GPU these are
//    __global__, __shared__, __syncthreads() and kernel<<<grid, block, 0, stream>>>. In the emulated
//    build launch_blocks() runs the same kernel source under the block emulator
//    (cuda/block_emulator.cpp): each thread of a block is a fiber with its own threadIdx; sync_block()
//    suspends it until every thread of its block has arrived; TL_SHARED variables are thread_local
//    statics, one copy for the block being run (blocks run one after another on the calling thread).
//    A thread that returns while others of its block wait at a barrier is an error naming the op (on a
//    GPU, undefined behaviour). The order in which a phase's threads run can be reversed
//    (set_thread_order): a kernel missing a barrier reads shared memory its neighbours have not
//    written yet in one order or the other, so the tests run both.
// The emulated build lets CI run every kernel's logic through the oracle on machines without a GPU;
// what it cannot show (device math functions, launch limits, the memory model beyond barriers, shared
// memory's size, timing) is what the GPU run checks (cuda/README.md, scripts/cuda-sanitize.sh).
#pragma once

#include <cstdint>
#include <string>

#include "cuda/launch_sizes.h"
#include "fast/planted.h"

#ifdef TL_CUDA_EMULATE
#include <functional>
#define TL_HD
#define TL_CUDA_NS emulated
// A body for for_each_index: captures by value, callable on host (and device, in the nvcc build).
#define TL_BODY [=]
#define TL_GLOBAL
#define TL_SHARED static thread_local
#else
#include <cuda_runtime.h>
#define TL_HD __host__ __device__
#define TL_CUDA_NS device
#define TL_BODY [=] __host__ __device__
#define TL_GLOBAL __global__
#define TL_SHARED __shared__
#endif

namespace tl::cuda::TL_CUDA_NS {

#ifdef TL_CUDA_EMULATE
inline void check_launch(const std::string&) {}

struct Dim3 {
  Dim3(unsigned x_ = 1, unsigned y_ = 1, unsigned z_ = 1) : x(x_), y(y_), z(z_) {}
  unsigned x, y, z;
};
// The running emulated thread's coordinates, named as CUDA's built-in variables (set by the block
// emulator before it resumes a thread).
inline thread_local Dim3 threadIdx, blockIdx, blockDim, gridDim;

// __syncthreads(): returns when every thread of the running block has called it.
void sync_block();

enum class ThreadOrder { ascending, descending };
// The order in which the block emulator runs a phase's threads on this host thread (ascending unless
// set).
void set_thread_order(ThreadOrder order);

// Runs thread_body once per thread of every block of the grid (blocks x fastest, then y, then z; the
// threads of a block as fibers that meet at sync_block()). Throws an internal error naming `op` on a
// launch beyond CUDA's limits or on barrier divergence (threads that return while others wait; threads
// waiting at different sync_block() calls are not told apart: cuda/block_emulator.cpp).
void run_grid(Dim3 grid, Dim3 block, const std::function<void()>& thread_body, const std::string& op);

template <class... Params, class... Args>
void launch_blocks(Dim3 grid, Dim3 block, const std::string& op, void (*kernel)(Params...), Args... args) {
  run_grid(grid, block, [&] { kernel(args...); }, op);
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

using Dim3 = dim3;
__device__ inline void sync_block() { __syncthreads(); }

template <class... Params, class... Args>
void launch_blocks(Dim3 grid, Dim3 block, const std::string& op, void (*kernel)(Params...), Args... args) {
  kernel<<<grid, block, 0, current_stream()>>>(args...);
  check_launch(op);
}
#endif

// for_each_index's kernel: index i runs on thread i mod (blocks x 256) of the grid.
template <class F> TL_GLOBAL void each_index_kernel(int64_t n, F body) {
  int64_t stride = int64_t(gridDim.x) * blockDim.x;
  int64_t first = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
#ifdef TL_CUDA_EMULATE
  if (TL_PLANTED("cuda_block_offset") && blockIdx.x > 0) first += 1;  // strength-check build only
#endif
  for (int64_t i = first; i < n; i += stride) body(i);
}

// The grid of for_each_index: blocks of kEachIndexThreads threads, at most kEachIndexMaxBlocks of them
// (beyond that the grid-stride loop wraps).
inline unsigned each_index_blocks(int64_t n) {
  const int64_t blocks = (n + kEachIndexThreads - 1) / kEachIndexThreads;
  return static_cast<unsigned>(blocks < kEachIndexMaxBlocks ? blocks : kEachIndexMaxBlocks);
}

#ifdef TL_CUDA_EMULATE
template <class F> void for_each_index(int64_t n, F body, const std::string& /*op*/) {
  if (n <= 0) return;
  gridDim = Dim3(each_index_blocks(n));
  blockDim = Dim3(kEachIndexThreads);
  for (unsigned b = 0; b < gridDim.x; ++b) {
    blockIdx = Dim3(b);
    for (unsigned t = 0; t < blockDim.x; ++t) {
      threadIdx = Dim3(t);
      each_index_kernel(n, body);
    }
  }
}
#else
template <class F> void for_each_index(int64_t n, F body, const std::string& op) {
  if (n <= 0) return;
  launch_blocks(Dim3(each_index_blocks(n)), Dim3(kEachIndexThreads), op, each_index_kernel<F>, n, body);
}
#endif

}  // namespace tl::cuda::TL_CUDA_NS

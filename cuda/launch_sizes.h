// The launch sizes of the cuda backend's kernels, in one place for the kernels (cuda/launch.h,
// tree_sum.h, gemm_tiled.h) and for the backend's declared code paths (backend/cuda_backends.cpp),
// which must compile without nvcc.
#pragma once

#include <cstdint>

namespace tl::cuda {

// for_each_index on the GPU: blocks of 256 threads, at most 65535 blocks, then a grid-stride loop.
inline constexpr int64_t kEachIndexThreads = 256, kEachIndexMaxBlocks = 65535;
// The whole-tensor sum: one block of 256 threads, each folding x[t], x[t+256], ...
inline constexpr int kTreeWidth = 256;
// The tiled GEMM: 16 x 16 threads per block, 16 x 16 tiles of A and B in shared memory.
inline constexpr int kGemmTile = 16;

}  // namespace tl::cuda

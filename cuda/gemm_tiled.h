// The device build's GEMM kernel (kernels_linalg.cu), a block kernel (cuda/launch.h) so that the
// emulated build can run the same source under its block emulator (tests/cuda/block_kernel_test.cpp)
// and show that it computes gemm()'s declared order: C[i,j] = FMA chain from +0 over k = 0, 1, ...,
// K-1 of A[i,k] * B[k,j], nothing added for k >= K.
// Blocks of 16 x 16 threads; 16 x 16 tiles of A and B are staged in shared memory. Block (bx, by)
// computes the C tiles (row tile by + s*gridDim.y, column tile bx + r*gridDim.x); thread (ty, tx) owns
// element (row0 + ty, col0 + tx) of each and continues its one chain across the k tiles in ascending k.
#pragma once

#include <cstdint>

#include "cuda/launch.h"
#include "cuda/launch_sizes.h"
#include "cuda/math.h"

namespace tl::cuda::TL_CUDA_NS {

constexpr int64_t kGemmMaxGridX = 2147483647, kGemmMaxGridY = 65535;  // CUDA's grid limits

template <class T>
TL_GLOBAL void gemm_tiled_kernel(int64_t M, int64_t N, int64_t K, const T* A, int64_t a_row, int64_t a_k,
                                 const T* B, int64_t b_col, int64_t b_k, T* C, int64_t c_row) {
  constexpr int kTile = kGemmTile;
  TL_SHARED T As[kTile][kTile];  // As[r][kk] = A[row0 + r, k0 + kk]
  TL_SHARED T Bs[kTile][kTile];  // Bs[kk][c] = B[k0 + kk, col0 + c]
  const int tx = static_cast<int>(threadIdx.x), ty = static_cast<int>(threadIdx.y);
  const int64_t row_tiles = (M + kTile - 1) / kTile, col_tiles = (N + kTile - 1) / kTile;
  for (int64_t bt = blockIdx.y; bt < row_tiles; bt += gridDim.y) {
    for (int64_t ct = blockIdx.x; ct < col_tiles; ct += gridDim.x) {
      const int64_t i = bt * kTile + ty, j = ct * kTile + tx;
      T acc = T(0);
      for (int64_t k0 = 0; k0 < K; k0 += kTile) {
        const int64_t a_i = bt * kTile + ty, a_kk = k0 + tx;  // this thread's A load
        const int64_t b_kk = k0 + ty, b_j = ct * kTile + tx;  // this thread's B load
        As[ty][tx] = (a_i < M && a_kk < K) ? A[a_i * a_row + a_kk * a_k] : T(0);
        Bs[ty][tx] = (b_kk < K && b_j < N) ? B[b_j * b_col + b_kk * b_k] : T(0);
        sync_block();
        const int64_t kk_end = (K - k0) < kTile ? (K - k0) : kTile;  // no FMA for k >= K
        for (int64_t kk = 0; kk < kk_end; ++kk) acc = m_fma(As[ty][kk], Bs[kk][tx], acc);
        sync_block();
      }
      if (i < M && j < N) C[i * c_row + j] = acc;
    }
  }
}

// The grid gemm() launches for an M x N product (M, N > 0): one block per C tile, as far as CUDA's
// grid limits allow; the kernel's loops take the rest.
inline Dim3 gemm_tiled_grid(int64_t M, int64_t N) {
  const int64_t row_tiles = (M + kGemmTile - 1) / kGemmTile, col_tiles = (N + kGemmTile - 1) / kGemmTile;
  return Dim3(static_cast<unsigned>(col_tiles < kGemmMaxGridX ? col_tiles : kGemmMaxGridX),
              static_cast<unsigned>(row_tiles < kGemmMaxGridY ? row_tiles : kGemmMaxGridY));
}

}  // namespace tl::cuda::TL_CUDA_NS

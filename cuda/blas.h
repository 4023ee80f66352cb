// cuBLAS, the cuda backend's opt-in external GEMM (device build only): an engine made with
// Gemm::cublas holds a BlasHandle, and matmul/linear then call cublasSgemm/cublasDgemm wherever the
// operands have a unit stride. A trust boundary, declared as such: cuBLAS's summation order is its
// own (the contract rows become dot_bound, evidence assumed, cuda/contracts.cpp). The handle runs in
// CUBLAS_PEDANTIC_MATH (no TF32, no reduced-precision tensor-core paths) on the engine's stream.
#pragma once

#include <cublas_v2.h>

#include <string>

#include "cuda/launch.h"

namespace tl::cuda::device {

// The handle of the engine whose run() is in progress on this thread, or null (the own tiled GEMM).
cublasHandle_t current_blas();
void set_current_blas(cublasHandle_t h);  // by the engine's run(), restored after

class BlasHandle {
 public:
  explicit BlasHandle(cudaStream_t stream);  // DeviceError on failure
  ~BlasHandle();
  BlasHandle(const BlasHandle&) = delete;
  BlasHandle& operator=(const BlasHandle&) = delete;
  cublasHandle_t get() const { return handle_; }

 private:
  cublasHandle_t handle_ = nullptr;
};

// C[i*c_row + j] = sum_k A[i*a_row + k*a_k] B[j*b_col + k*b_k] by cuBLAS, when each operand has a unit
// stride along one index; false (nothing done) otherwise. Errors name the call and `op`.
template <class T>
bool cublas_gemm(int64_t M, int64_t N, int64_t K, const T* A, int64_t a_row, int64_t a_k, const T* B,
                 int64_t b_col, int64_t b_k, T* C, int64_t c_row, const std::string& op);

// "cuBLAS 13.0.2" (the library's version, for the trust boundary).
std::string cublas_version();

}  // namespace tl::cuda::device

// cuBLAS behind the cuda backend's GEMM (cuda/blas.h), device build only.
#include "cuda/blas.h"

#include "cuda/blas_layout.h"
#include "cuda/engine.h"

namespace tl::cuda::device {
namespace {

thread_local cublasHandle_t g_blas = nullptr;

void check_blas(cublasStatus_t s, const char* call, const std::string& op) {
  if (s == CUBLAS_STATUS_SUCCESS) return;
  throw DeviceError(op + ": " + call + " failed: " + cublasGetStatusName(s) + " (" + std::to_string(int(s)) +
                    "): " + cublasGetStatusString(s));
}

cublasStatus_t call_gemm(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n, int k,
                         const float* a, int lda, const float* b, int ldb, float* c, int ldc) {
  const float one = 1, zero = 0;
  return cublasSgemm(h, ta, tb, m, n, k, &one, a, lda, b, ldb, &zero, c, ldc);
}
cublasStatus_t call_gemm(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n, int k,
                         const double* a, int lda, const double* b, int ldb, double* c, int ldc) {
  const double one = 1, zero = 0;
  return cublasDgemm(h, ta, tb, m, n, k, &one, a, lda, b, ldb, &zero, c, ldc);
}

}  // namespace

cublasHandle_t current_blas() { return g_blas; }
void set_current_blas(cublasHandle_t h) { g_blas = h; }

BlasHandle::BlasHandle(cudaStream_t stream) {
  check_blas(cublasCreate(&handle_), "cublasCreate", "engine start");
  try {  // the destructor does not run for a constructor that throws: destroy the handle here
    check_blas(cublasSetStream(handle_, stream), "cublasSetStream", "engine start");
    check_blas(cublasSetMathMode(handle_, CUBLAS_PEDANTIC_MATH), "cublasSetMathMode(CUBLAS_PEDANTIC_MATH)",
               "engine start");
  } catch (...) {
    cublasDestroy(handle_);
    throw;
  }
}

BlasHandle::~BlasHandle() {
  cublasDestroy(handle_);  // errors cannot be reported from a destructor
}

// The layout mapping is cuda/blas_layout.h (tested on the host).
template <class T>
bool cublas_gemm(int64_t M, int64_t N, int64_t K, const T* A, int64_t a_row, int64_t a_k, const T* B,
                 int64_t b_col, int64_t b_k, T* C, int64_t c_row, const std::string& op) {
  if (!g_blas) return false;
  BlasLayout l = blas_layout(M, N, K, a_row, a_k, b_col, b_k, c_row);
  if (!l.ok) return false;
  cublasOperation_t tx = l.x_transposed ? CUBLAS_OP_T : CUBLAS_OP_N, ty = l.y_transposed ? CUBLAS_OP_T : CUBLAS_OP_N;
  check_blas(call_gemm(g_blas, tx, ty, int(l.m), int(l.n), int(l.k), B, int(l.ldx), A, int(l.ldy), C, int(l.ldc)),
             sizeof(T) == 4 ? "cublasSgemm" : "cublasDgemm", op);
  if (sync_each_launch()) check_call(cudaStreamSynchronize(current_stream()), "cuBLAS run (TL_CUDA_SYNC_CHECK)", op);
  return true;
}

template bool cublas_gemm<float>(int64_t, int64_t, int64_t, const float*, int64_t, int64_t, const float*, int64_t,
                                 int64_t, float*, int64_t, const std::string&);
template bool cublas_gemm<double>(int64_t, int64_t, int64_t, const double*, int64_t, int64_t, const double*, int64_t,
                                  int64_t, double*, int64_t, const std::string&);

std::string cublas_version() {
  int v = 0;
  if (cublasGetProperty(MAJOR_VERSION, &v) != CUBLAS_STATUS_SUCCESS) return "cuBLAS (version unknown)";
  int minor = 0, patch = 0;
  cublasGetProperty(MINOR_VERSION, &minor);
  cublasGetProperty(PATCH_LEVEL, &patch);
  return "cuBLAS " + std::to_string(v) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

}  // namespace tl::cuda::device

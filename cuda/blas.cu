// cuBLAS behind the cuda backend's GEMM (cuda/blas.h), device build only.
#include "cuda/blas.h"

#include <algorithm>

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

bool fits_int(int64_t v) { return v >= 0 && v <= 2147483647; }

}  // namespace

cublasHandle_t current_blas() { return g_blas; }
void set_current_blas(cublasHandle_t h) { g_blas = h; }

BlasHandle::BlasHandle(cudaStream_t stream) {
  check_blas(cublasCreate(&handle_), "cublasCreate", "engine start");
  check_blas(cublasSetStream(handle_, stream), "cublasSetStream", "engine start");
  check_blas(cublasSetMathMode(handle_, CUBLAS_PEDANTIC_MATH), "cublasSetMathMode(CUBLAS_PEDANTIC_MATH)", "engine start");
}

BlasHandle::~BlasHandle() {
  cublasDestroy(handle_);  // errors cannot be reported from a destructor
}

// Row-major C (M x N) is column-major C^T (N x M, ld c_row) = X Y with X[j,k] = B(j,k) (N x K) and
// Y[k,i] = A(i,k) (K x M): each is a plain (N) or transposed (T) column-major matrix when one of its
// strides is 1.
template <class T>
bool cublas_gemm(int64_t M, int64_t N, int64_t K, const T* A, int64_t a_row, int64_t a_k, const T* B,
                 int64_t b_col, int64_t b_k, T* C, int64_t c_row, const std::string& op) {
  if (!g_blas || K == 0) return false;
  cublasOperation_t tx, ty;
  int64_t ldx, ldy;
  if (b_col == 1) { tx = CUBLAS_OP_N; ldx = b_k; } else if (b_k == 1) { tx = CUBLAS_OP_T; ldx = b_col; } else return false;
  if (a_k == 1) { ty = CUBLAS_OP_N; ldy = a_row; } else if (a_row == 1) { ty = CUBLAS_OP_T; ldy = a_k; } else return false;
  if (!fits_int(M) || !fits_int(N) || !fits_int(K) || !fits_int(ldx) || !fits_int(ldy) || !fits_int(c_row)) return false;
  // cuBLAS requires ld >= the stored matrix's rows; a one-column operand's ld is never used, so it
  // is raised; any other layout with a smaller ld is not a dense matrix cuBLAS can read.
  int64_t x_rows = tx == CUBLAS_OP_N ? N : K, x_cols = tx == CUBLAS_OP_N ? K : N;
  int64_t y_rows = ty == CUBLAS_OP_N ? K : M, y_cols = ty == CUBLAS_OP_N ? M : K;
  if ((ldx < x_rows && x_cols > 1) || (ldy < y_rows && y_cols > 1) || (c_row < N && M > 1)) return false;
  ldx = std::max(ldx, x_rows);
  ldy = std::max(ldy, y_rows);
  int64_t ldc = std::max(c_row, N);
  check_blas(call_gemm(g_blas, tx, ty, int(N), int(M), int(K), B, int(ldx), A, int(ldy), C, int(ldc)),
             sizeof(T) == 4 ? "cublasSgemm" : "cublasDgemm", op);
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

// CUDA device discovery and a smoke kernel proving that this build's device code runs.
#include "cuda/device.h"

#include <cuda_runtime.h>

#include <cstdint>
#include <cstdlib>
#include <vector>

namespace tl::cuda {
namespace {

std::string describe(const char* call, cudaError_t err) {
  return std::string(call) + " failed: " + cudaGetErrorName(err) + " (" + std::to_string(int(err)) +
         "): " + cudaGetErrorString(err);
}

__global__ void squares_kernel(int* out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = i * i;
}

}  // namespace

DeviceStatus probe_devices() {
  DeviceStatus s;
  cudaRuntimeGetVersion(&s.runtime_version);
  cudaDriverGetVersion(&s.driver_version);
  int count = 0;
  cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess) {
    s.message = describe("cudaGetDeviceCount", err);
    cudaGetLastError();  // clear the sticky error state for later calls
    return s;
  }
  s.count = count;
  if (count == 0) {
    s.message = "cudaGetDeviceCount reports 0 devices";
    return s;
  }
  cudaDeviceProp prop{};
  err = cudaGetDeviceProperties(&prop, 0);
  if (err != cudaSuccess) {
    s.message = describe("cudaGetDeviceProperties", err);
    return s;
  }
  s.usable = true;
  s.device_name = prop.name;
  s.compute_major = prop.major;
  s.compute_minor = prop.minor;
  s.message = s.device_name + " (sm_" + std::to_string(prop.major) + std::to_string(prop.minor) +
              "), driver " + std::to_string(s.driver_version) + ", runtime " +
              std::to_string(s.runtime_version);
  return s;
}

std::string run_smoke_kernel(int n) {
  int* device = nullptr;
  cudaError_t err = cudaMalloc(&device, sizeof(int) * n);
  if (err != cudaSuccess) return describe("cudaMalloc", err);
  squares_kernel<<<(n + 255) / 256, 256>>>(device, n);
  err = cudaGetLastError();
  if (err == cudaSuccess) err = cudaDeviceSynchronize();
  std::vector<int> host(static_cast<std::size_t>(n));
  if (err == cudaSuccess) {
    err = cudaMemcpy(host.data(), device, sizeof(int) * n, cudaMemcpyDeviceToHost);
  }
  cudaFree(device);
  if (err != cudaSuccess) return describe("squares_kernel launch/copy", err);
  for (int i = 0; i < n; ++i) {
    if (host[static_cast<std::size_t>(i)] != i * i) {
      return "squares_kernel wrote " + std::to_string(host[static_cast<std::size_t>(i)]) +
             " at index " + std::to_string(i);
    }
  }
  return "";
}

bool env_flag(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' && std::string(v) != "0";
}

std::string probe_stream_ordered_memory() {
  if (env_flag("TL_CUDA_NO_POOLS")) return "TL_CUDA_NO_POOLS is set";
  int device = 0, pools = 0;
  cudaError_t err = cudaGetDevice(&device);
  if (err == cudaSuccess) err = cudaDeviceGetAttribute(&pools, cudaDevAttrMemoryPoolsSupported, device);
  if (err == cudaSuccess && pools == 0) return "the device reports no memory pools";
  cudaStream_t stream = nullptr;
  void* p = nullptr;
  if (err == cudaSuccess) err = cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking);
  if (err == cudaSuccess) err = cudaMallocAsync(&p, 256, stream);
  if (err == cudaSuccess) err = cudaFreeAsync(p, stream);
  if (err == cudaSuccess) err = cudaStreamSynchronize(stream);
  if (stream != nullptr && cudaStreamDestroy(stream) != cudaSuccess) cudaGetLastError();
  cudaMemPool_t pool = nullptr;
  std::uint64_t keep = std::uint64_t{1} << 30;  // kept across synchronisations; beyond it, back to the device
  if (err == cudaSuccess) err = cudaDeviceGetDefaultMemPool(&pool, device);
  if (err == cudaSuccess) err = cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &keep);
  if (err == cudaSuccess) return "";
  std::string why = describe("stream-ordered memory round trip", err);
  cudaGetLastError();  // a non-sticky failure here must not be reported by a later call
  return why;
}

}  // namespace tl::cuda

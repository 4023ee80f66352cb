// CUDA device discovery. Plain C++ header (no CUDA headers), so host code can ask whether a usable
// GPU exists without being compiled by nvcc.
//
// Any error from cudaGetDeviceCount (e.g. 35 cudaErrorInsufficientDriver on machines without a
// driver, 100 cudaErrorNoDevice with a driver but no GPU) or a count of 0 means "no usable device";
// callers report it and exit 3 (DESIGN §9), never fall back silently.
#pragma once

#include <string>

namespace tl::cuda {

struct DeviceStatus {
  bool usable = false;
  int count = 0;
  std::string message;       // why not usable, or a one-line description of device 0
  std::string device_name;   // device 0, when usable
  int compute_major = 0, compute_minor = 0;
  int driver_version = 0, runtime_version = 0;
};

DeviceStatus probe_devices();

// Runs a one-block kernel on device 0 that writes i*i into a buffer of n ints and checks the result
// on the host; returns "" on success or a message naming the failing CUDA call.
std::string run_smoke_kernel(int n);

// Whether device 0 gives stream-ordered memory (cudaMallocAsync / cudaFreeAsync): the device must
// report memory pools and one allocate / free / synchronise round trip must succeed (some virtualised
// GPUs report pools and fail the first allocation). On success the default pool is told to keep up
// to 1 GiB of freed memory across synchronisations (a training step reuses it; more goes back to the
// device, where cuBLAS's own cudaMalloc workspace can have it). Returns "" when usable, else
// why not; TL_CUDA_NO_POOLS=1 in the environment answers "not usable" (a diagnostic switch).
std::string probe_stream_ordered_memory();

// True when the environment variable `name` is set to anything but "" or "0" (the diagnostic
// switches TL_CUDA_NO_POOLS, TL_CUDA_SYNC_CHECK).
bool env_flag(const char* name);

}  // namespace tl::cuda

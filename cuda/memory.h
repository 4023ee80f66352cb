// Device memory for cuda/: RAII buffers, tensors on the device, explicit host<->device copies, and
// the stream every kernel of an engine runs on. In the emulated build (TL_CUDA_EMULATE) "device"
// memory is host memory and copies are memcpy.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "cuda/engine.h"
#include "cuda/launch.h"
#include "spec/graph.h"

namespace tl::cuda::TL_CUDA_NS {

// Owns `bytes` of device memory (uninitialised), allocated in stream order on the current stream
// (cudaMallocAsync) and freed in stream order on that stream (cudaFreeAsync) on destruction: a buffer
// dies after every kernel queued before its death has run, without a device-wide synchronisation.
// On a device without memory pools: cudaMalloc / cudaFree (which synchronises the device).
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  DeviceBuffer(std::size_t bytes, const std::string& op);
  ~DeviceBuffer();
  DeviceBuffer(DeviceBuffer&& o) noexcept
      : ptr_(std::exchange(o.ptr_, nullptr)), bytes_(std::exchange(o.bytes_, 0)), stream_(std::exchange(o.stream_, nullptr)) {}
  DeviceBuffer& operator=(DeviceBuffer&& o) noexcept;
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  void* get() const { return ptr_; }
  std::size_t bytes() const { return bytes_; }

 private:
  void* ptr_ = nullptr;
  std::size_t bytes_ = 0;
  void* stream_ = nullptr;  // the cudaStream_t it was allocated on (unused in the emulated build)
};

// A dtype-tagged, contiguous, row-major tensor in device memory.
struct DeviceTensor {
  DType dtype = DType::f32;
  Shape shape;
  DeviceBuffer buffer;
  int64_t numel() const { return shape.numel(); }
  template <class T> T* data() const { return static_cast<T*>(buffer.get()); }
};

// Uninitialised / zero-filled device tensors (`op` names the op in error messages).
DeviceTensor empty_tensor(DType dtype, const Shape& shape, const std::string& op);
DeviceTensor zeros(DType dtype, const Shape& shape, const std::string& op);
DeviceTensor upload(const HostTensor& t, const std::string& op);
HostTensor download(const DeviceTensor& t, const std::string& op);
DeviceTensor copy_of(const DeviceTensor& t, const std::string& op);
// Integer indices on the device (gather/scatter rows, class labels), checked on the host first.
DeviceBuffer upload_indices(const std::vector<int64_t>& idx, const std::string& op);
// Element k of an index tensor as an integer in [0, bound) for every k, or a UserError naming the
// node (the same message as the CPU backends).
std::vector<int64_t> checked_indices(const DeviceTensor& idx, int64_t bound, const std::string& where);
// Waits for the engine's stream; errors name `op`.
void synchronize(const std::string& op);

}  // namespace tl::cuda::TL_CUDA_NS

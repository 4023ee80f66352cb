// Device buffers, tensors and copies (cuda/memory.h) for both builds: cudaMallocAsync / cudaFreeAsync /
// cudaMemcpyAsync in stream order on the engine's stream, or malloc / memcpy in the emulated build.
#include "cuda/memory.h"

#ifndef TL_CUDA_EMULATE
#include "cuda/device.h"
#endif

#include <cmath>
#include <cstdlib>
#include <cstring>

#include "spec/error.h"

namespace tl::cuda::TL_CUDA_NS {

#ifdef TL_CUDA_EMULATE
namespace {
void* current_stream_handle() { return nullptr; }
void* allocate(std::size_t bytes, const std::string& op) {
  void* p = std::malloc(bytes ? bytes : 1);
  if (!p) throw DeviceError(op + ": malloc of " + std::to_string(bytes) + " bytes failed (emulated device memory)");
  return p;
}
void release(void* p, void*) { std::free(p); }
void copy_to_device(void* dst, const void* src, std::size_t bytes, const std::string&) { std::memcpy(dst, src, bytes); }
void copy_to_host(void* dst, const void* src, std::size_t bytes, const std::string&) { std::memcpy(dst, src, bytes); }
void copy_on_device(void* dst, const void* src, std::size_t bytes, const std::string&) { std::memcpy(dst, src, bytes); }
void fill_zero(void* dst, std::size_t bytes, const std::string&) { std::memset(dst, 0, bytes); }
}  // namespace

void synchronize(const std::string&) {}
#else
namespace {
thread_local cudaStream_t g_stream = nullptr;  // set by an engine's run() (engine.cu); 0 = the legacy default stream
}  // namespace

void set_current_stream(cudaStream_t s) { g_stream = s; }

bool sync_each_launch() {
  static const bool on = tl::cuda::env_flag("TL_CUDA_SYNC_CHECK");
  return on;
}
cudaStream_t current_stream() { return g_stream; }

void check_call(cudaError_t err, const char* call, const std::string& op) {
  if (err == cudaSuccess) return;
  cudaGetLastError();  // clear a non-sticky error so later calls report their own
  throw DeviceError(op + ": " + call + " failed: " + cudaGetErrorName(err) + " (" + std::to_string(int(err)) +
                    "): " + cudaGetErrorString(err));
}

namespace {
void* current_stream_handle() { return static_cast<void*>(g_stream); }
// Stream-ordered allocation needs the device's memory pools and a working round trip (probed once,
// cuda/device.h); without them cudaMalloc / cudaFree, whose device-wide synchronisation also keeps
// queued kernels safe.
bool stream_ordered_memory() {
  static const bool usable = tl::cuda::probe_stream_ordered_memory().empty();
  return usable;
}
void* allocate(std::size_t bytes, const std::string& op) {
  void* p = nullptr;
  if (stream_ordered_memory()) check_call(cudaMallocAsync(&p, bytes ? bytes : 1, g_stream), "cudaMallocAsync", op);
  else check_call(cudaMalloc(&p, bytes ? bytes : 1), "cudaMalloc", op);
  return p;
}
// In stream order on the allocating stream; errors here cannot be reported from a destructor.
// A failure is cleared so that the next checked call does not report it under its own name (a
// sticky fault reappears at the next synchronisation anyway).
void release(void* p, void* stream) {
  cudaError_t err = stream_ordered_memory() ? cudaFreeAsync(p, static_cast<cudaStream_t>(stream)) : cudaFree(p);
  if (err != cudaSuccess) cudaGetLastError();
}
// Zero-byte transfers are skipped (their host pointer may be null: an empty index vector).
void copy_to_device(void* dst, const void* src, std::size_t bytes, const std::string& op) {
  if (bytes == 0) return;
  check_call(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyHostToDevice, g_stream), "cudaMemcpyAsync(host->device)", op);
}
void copy_to_host(void* dst, const void* src, std::size_t bytes, const std::string& op) {
  if (bytes != 0) {
    check_call(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToHost, g_stream), "cudaMemcpyAsync(device->host)", op);
  }
  check_call(cudaStreamSynchronize(g_stream), "cudaStreamSynchronize", op);
}
void copy_on_device(void* dst, const void* src, std::size_t bytes, const std::string& op) {
  if (bytes == 0) return;
  check_call(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, g_stream), "cudaMemcpyAsync(device->device)", op);
}
void fill_zero(void* dst, std::size_t bytes, const std::string& op) {
  if (bytes == 0) return;
  check_call(cudaMemsetAsync(dst, 0, bytes, g_stream), "cudaMemsetAsync", op);
}
}  // namespace

void synchronize(const std::string& op) { check_call(cudaStreamSynchronize(g_stream), "cudaStreamSynchronize", op); }
#endif

DeviceBuffer::DeviceBuffer(std::size_t bytes, const std::string& op)
    : ptr_(allocate(bytes, op)), bytes_(bytes), stream_(current_stream_handle()) {}
DeviceBuffer::~DeviceBuffer() {
  if (ptr_) release(ptr_, stream_);
}
DeviceBuffer& DeviceBuffer::operator=(DeviceBuffer&& o) noexcept {
  if (this != &o) {
    if (ptr_) release(ptr_, stream_);
    ptr_ = std::exchange(o.ptr_, nullptr);
    bytes_ = std::exchange(o.bytes_, 0);
    stream_ = std::exchange(o.stream_, nullptr);
  }
  return *this;
}

DeviceTensor empty_tensor(DType dtype, const Shape& shape, const std::string& op) {
  DeviceTensor t;
  t.dtype = dtype;
  t.shape = shape;
  t.buffer = DeviceBuffer(static_cast<std::size_t>(shape.numel()) * dtype_size(dtype), op);
  return t;
}

DeviceTensor zeros(DType dtype, const Shape& shape, const std::string& op) {
  DeviceTensor t = empty_tensor(dtype, shape, op);
  fill_zero(t.buffer.get(), t.buffer.bytes(), op);
  return t;
}

DeviceTensor upload(const HostTensor& h, const std::string& op) {
  DeviceTensor t = empty_tensor(h.dtype(), h.shape(), op);
  copy_to_device(t.buffer.get(), h.bytes(), h.nbytes(), op);
  return t;
}

HostTensor download(const DeviceTensor& t, const std::string& op) {
  HostTensor h = HostTensor::uninitialized(t.dtype, t.shape);
  copy_to_host(h.bytes(), t.buffer.get(), h.nbytes(), op);
  return h;
}

DeviceTensor copy_of(const DeviceTensor& t, const std::string& op) {
  DeviceTensor c = empty_tensor(t.dtype, t.shape, op);
  copy_on_device(c.buffer.get(), t.buffer.get(), c.buffer.bytes(), op);
  return c;
}

DeviceBuffer upload_indices(const std::vector<int64_t>& idx, const std::string& op) {
  DeviceBuffer b(idx.size() * sizeof(int64_t), op);
  copy_to_device(b.get(), idx.data(), idx.size() * sizeof(int64_t), op);
  // idx may die on return: CUDA documents staging of pageable memory for cudaMemcpy, while
  // cudaMemcpyAsync from pageable memory only "might be synchronous" (Runtime API, "API
  // synchronization behavior"), so wait for the copy.
  synchronize(op);
  return b;
}

std::vector<int64_t> checked_indices(const DeviceTensor& idx, int64_t bound, const std::string& where) {
  HostTensor h = download(idx, where);
  std::vector<int64_t> out(static_cast<std::size_t>(h.numel()));
  for (int64_t i = 0; i < h.numel(); ++i) {
    double v = h.value_as_double(i);
    bool ok = v == std::trunc(v) && v >= 0 && v < static_cast<double>(bound);
    TL_CHECK_USER(ok, where + ": index element " + std::to_string(i) + " is not an integer in [0, " +
                          std::to_string(bound) + ")");
    out[static_cast<std::size_t>(i)] = static_cast<int64_t>(v);
  }
  return out;
}

}  // namespace tl::cuda::TL_CUDA_NS

// The engines (cuda/engine.h): bind a graph's inputs on the device, run every node's kernel, run the
// shared backward sweep (kernel_rules/backprop_sweep.h) over device tensors, download what was asked for.
// Built twice: make_device_engine() by nvcc, make_emulated_engine() by g++ (cuda/launch.h).
#include "cuda/engine.h"

#include <exception>

#include "cuda/kernels.h"
#include "cuda/math.h"
#ifndef TL_CUDA_EMULATE
#include "cuda/blas.h"
#endif
#include "kernel_rules/backprop_sweep.h"
#include "spec/error.h"

namespace tl::cuda::TL_CUDA_NS {
namespace {

// The stream an engine's kernels and copies run on (RAII; the emulated build has none).
class Stream {
 public:
#ifdef TL_CUDA_EMULATE
  Stream() = default;
#else
  Stream() {
    check_call(cudaSetDevice(0), "cudaSetDevice(0)", "engine start");
    check_call(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "cudaStreamCreateWithFlags", "engine start");
  }
  ~Stream() {  // errors cannot be reported from a destructor; cleared so no later call reports them
    if (cudaStreamDestroy(stream_) != cudaSuccess) cudaGetLastError();
  }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  cudaStream_t get() const { return stream_; }

 private:
  cudaStream_t stream_ = nullptr;
#endif
};

#ifndef TL_CUDA_EMULATE
// Makes an engine's stream (and cuBLAS handle) current on this thread for one run, and restores the
// previous ones after it, also on exceptions.
class CurrentContext {
 public:
  CurrentContext(cudaStream_t s, cublasHandle_t blas) : stream_(current_stream()), blas_(current_blas()) {
    check_call(cudaSetDevice(0), "cudaSetDevice(0)", "graph run");  // per thread: tl-check's workers
    set_current_stream(s);
    set_current_blas(blas);
  }
  // A run that ends by an exception may leave copies from its callers' host tensors in flight: wait
  // for them before the caller may free those (the normal path has synchronised already).
  ~CurrentContext() {
    if (std::uncaught_exceptions() > 0 && cudaStreamSynchronize(current_stream()) != cudaSuccess) cudaGetLastError();
    set_current_stream(stream_);
    set_current_blas(blas_);
  }
  CurrentContext(const CurrentContext&) = delete;
  CurrentContext& operator=(const CurrentContext&) = delete;

 private:
  cudaStream_t stream_;
  cublasHandle_t blas_;
};
#endif

template <class T> void add_into(DeviceTensor& target, const DeviceTensor& x, const std::string& where) {
  T* t = target.data<T>();
  const T* v = x.data<T>();
  for_each_index(target.numel(), TL_BODY(int64_t i) { t[i] = t[i] + v[i]; }, where);
}

std::vector<std::optional<DeviceTensor>> run_forward(const Graph& g, const std::map<std::string, HostTensor>& inputs) {
  check_input_names(g, inputs);
  std::vector<std::optional<DeviceTensor>> values(static_cast<std::size_t>(g.size()));
  for (NodeId i = 0; i < g.size(); ++i) {
    const Node& n = g.node(i);
    std::string where = node_label(i, n.op);
    if (n.op == OpId::input) {
      values[static_cast<std::size_t>(i)] = upload(bound_input(n, inputs), where);
      continue;
    }
    DevInputs in;
    for (NodeId p : n.parents) in.push_back(&*values[static_cast<std::size_t>(p)]);
    values[static_cast<std::size_t>(i)] = forward(n, in, where);
  }
  return values;
}

std::map<NodeId, HostTensor> run_backward(const Graph& g, const std::vector<std::optional<DeviceTensor>>& values,
                                          NodeId output, const HostTensor& seed, const std::vector<NodeId>& wrt) {
  check_gradient_seed(g, output, seed);
  auto value = [&](NodeId i) -> const DeviceTensor& { return *values[static_cast<std::size_t>(i)]; };
  auto node_vjp = [&](NodeId i, const DeviceTensor& gi, const std::vector<bool>& wanted) {
    const Node& n = g.node(i);
    DevInputs in;
    for (NodeId p : n.parents) in.push_back(&value(p));
    return backward(n, in, value(i), gi, node_label(i, n.op), wanted);
  };
  auto add = [](DeviceTensor& target, const DeviceTensor& x) {
    switch (target.dtype) {
      case DType::f32: add_into<float>(target, x, "gradient accumulation"); break;
      case DType::f64: add_into<double>(target, x, "gradient accumulation"); break;
    }
  };
  auto zero = [&](NodeId id) { return zeros(g.node(id).dtype, g.node(id).shape, "gradient of an unused node"); };
  std::map<NodeId, DeviceTensor> grads =
      backprop_sweep<DeviceTensor>(g, output, upload(seed, "gradient seed"), wrt, node_vjp, add, zero);
  std::map<NodeId, HostTensor> out;
  for (auto& [id, t] : grads) out.emplace(id, download(t, "gradient download"));
  return out;
}

class EngineImpl : public Engine {
 public:
#ifdef TL_CUDA_EMULATE
  EngineImpl() = default;
  std::string name() const override { return "cuda-emulated"; }
#else
  explicit EngineImpl(Gemm gemm) {
    if (gemm == Gemm::cublas) blas_.emplace(stream_.get());  // after stream_: the handle runs on it
  }
  std::string name() const override { return blas_ ? "cuda-cublas" : "cuda"; }
#endif
  GraphRun run(const Graph& g, const std::map<std::string, HostTensor>& inputs, const std::vector<NodeId>& keep,
               std::optional<NodeId> output, const HostTensor* seed, const std::vector<NodeId>& wrt) override {
#ifndef TL_CUDA_EMULATE
    CurrentContext context(stream_.get(), blas_ ? blas_->get() : nullptr);
#endif
    std::vector<std::optional<DeviceTensor>> values = run_forward(g, inputs);
    GraphRun out;
    for (NodeId id : keep) {
      TL_CHECK_USER(id >= 0 && id < g.size(), "node " + std::to_string(id) + " does not exist");
      out.values.emplace(id, download(*values[static_cast<std::size_t>(id)], "value download"));
    }
    if (output) {
      TL_CHECK_INTERNAL(seed != nullptr, "a gradient run needs a seed");
      out.grads = run_backward(g, values, *output, *seed, wrt);
    }
    synchronize("graph run");
    return out;
  }

 private:
  Stream stream_;
#ifndef TL_CUDA_EMULATE
  std::optional<BlasHandle> blas_;
#endif
};

}  // namespace
}  // namespace tl::cuda::TL_CUDA_NS

namespace tl::cuda {
#ifdef TL_CUDA_EMULATE
std::unique_ptr<Engine> make_emulated_engine() { return std::make_unique<emulated::EngineImpl>(); }
std::string emulated_math_library() { return emulated::kEmulatedMath; }
#else
std::unique_ptr<Engine> make_device_engine(Gemm gemm) { return std::make_unique<device::EngineImpl>(gemm); }
std::string cublas_version() { return device::cublas_version(); }
#endif
}  // namespace tl::cuda

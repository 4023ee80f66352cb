// The cuda backend behind one of its engines (cuda/engine.h): the GPU ("cuda", when this build has
// nvcc and the machine a usable device; "cuda-cublas" with cuBLAS for matmul and linear) or the
// same kernels run on the host ("cuda-emulated"). Host<->device transfers happen in the engine, once
// per run: inputs up, the asked values and gradients down.
#include "backend/backend.h"
#include "cuda/engine.h"
#include "cuda/launch_sizes.h"
#include "spec/error.h"

#ifdef TL_HAVE_CUDA
#include "cuda/device.h"
#endif

namespace tl::backend {
namespace {

class CudaBackend : public Backend {
 public:
  CudaBackend(bool emulated, cuda::Gemm gemm) : emulated_(emulated), gemm_(gemm) {}
  std::string name() const override {
    return emulated_ ? "cuda-emulated" : gemm_ == cuda::Gemm::cublas ? "cuda-cublas" : "cuda";
  }
  std::string device() const override { return emulated_ ? "cpu" : "cuda"; }
  Contract contract(OpId op, DType d, Direction dir) const override { return cuda::contract(op, d, dir, gemm_); }
  std::string numerical_policy() const override {
    return cuda::numerical_policy() +
           (emulated_ ? " [emulated: the kernel bodies run as host loops; math functions: " + cuda::emulated_math_library() + "]" : "");
  }
  std::vector<TrustEntry> trust() const override {
    if (emulated_)
      return {{"cuda-emulated", "the CUDA kernel bodies run as host loops (not a GPU); math functions: " +
                                    cuda::emulated_math_library()}};
#ifdef TL_HAVE_CUDA
    std::vector<TrustEntry> out = {{"GPU / driver / CUDA runtime", cuda::probe_devices().message}};
    if (gemm_ == cuda::Gemm::cublas) out.push_back({"cuBLAS (cuda-cublas matmul/linear)", cuda::cublas_version()});
    return out;
#else
    return {};
#endif
  }
  // The GPU's launch shapes (the emulated engine runs the same kernel sources: the block kernels under
  // its block emulator, for_each_index as a plain loop).
  CodePaths code_paths(DType) const override {
    return {{"elementwise kernels: a second block of " + std::to_string(cuda::kEachIndexThreads) + " threads",
             PathAxis::elements, cuda::kEachIndexThreads + 1},
            {"elementwise kernels: the grid-stride loop wraps past " + std::to_string(cuda::kEachIndexMaxBlocks) +
                 " blocks", PathAxis::elements, cuda::kEachIndexThreads * cuda::kEachIndexMaxBlocks + 1},
            {"tree sum: threads fold more than one term", PathAxis::reduced, cuda::kTreeWidth + 1},
            {"tiled GEMM: a second row tile", PathAxis::gemm_m, cuda::kGemmTile + 1},
            {"tiled GEMM: a second column tile", PathAxis::gemm_n, cuda::kGemmTile + 1},
            {"tiled GEMM: a second k tile", PathAxis::gemm_k, cuda::kGemmTile + 1}};
  }
  Result run(const Graph& g, const Inputs& inputs, const Request& r) override {
    std::optional<HostTensor> seed;
    if (r.output) seed = requested_seed(g, r);
    cuda::GraphRun run = engine().run(g, inputs, requested_values(g, r), r.output, seed ? &*seed : nullptr,
                                      r.output ? requested_wrt(g, r) : std::vector<NodeId>{});
    return Result{std::move(run.values), std::move(run.grads)};
  }

 private:
  cuda::Engine& engine() {
    if (!engine_) {
#ifdef TL_HAVE_CUDA
      engine_ = emulated_ ? cuda::make_emulated_engine() : cuda::make_device_engine(gemm_);
#else
      TL_CHECK_INTERNAL(emulated_, "the cuda backend is unavailable in this build");
      engine_ = cuda::make_emulated_engine();
#endif
    }
    return *engine_;
  }
  bool emulated_;
  cuda::Gemm gemm_;
  std::unique_ptr<cuda::Engine> engine_;
};

}  // namespace

std::string cuda_unavailable_reason(const std::string& name) {
  if (name == "cuda-emulated") return "";
#ifdef TL_HAVE_CUDA
  cuda::DeviceStatus s = cuda::probe_devices();
  return s.usable ? "" : "no usable CUDA device: " + s.message;
#else
  return "this build has no CUDA compiler (nvcc was not found at configure time)";
#endif
}

std::unique_ptr<Backend> make_cuda_backend(const std::string& name) {
  if (name == "cuda-emulated") return std::make_unique<CudaBackend>(true, cuda::Gemm::own);
  return std::make_unique<CudaBackend>(false, name == "cuda-cublas" ? cuda::Gemm::cublas : cuda::Gemm::own);
}

}  // namespace tl::backend

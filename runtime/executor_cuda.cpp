// The cuda executors: a runner's graphs on the GPU engine (--cuda, --cublas) or on the emulated engine
// (--backend cuda-emulated: the same CUDA kernels as host loops). Host<->device transfers happen in
// the engine, once per run: inputs up, the kept values and gradients down.
#include "cuda/engine.h"
#include "runtime/executor.h"
#include "spec/error.h"

namespace tl::rt {
namespace {

HostTensor seed_one(const Graph& g, NodeId id) {
  HostTensor t(g.node(id).dtype, g.node(id).shape);
  t.set_from_double(0, 1.0);
  return t;
}

class CudaExecutor : public Executor {
 public:
  explicit CudaExecutor(std::unique_ptr<cuda::Engine> engine) : engine_(std::move(engine)) {}
  Execution run(const Graph& g, const std::map<std::string, HostTensor>& inputs, const std::vector<NodeId>& keep,
                std::optional<NodeId> loss, const std::vector<NodeId>& wrt) override {
    HostTensor seed;
    if (loss) seed = seed_one(g, *loss);
    cuda::GraphRun r = engine_->run(g, inputs, keep, loss, loss ? &seed : nullptr, wrt);
    return Execution{std::move(r.values), std::move(r.grads)};
  }

 private:
  std::unique_ptr<cuda::Engine> engine_;
};

}  // namespace

std::unique_ptr<Executor> make_cuda_executor(BackendKind kind) {
  if (kind == BackendKind::cuda_emulated) return std::make_unique<CudaExecutor>(cuda::make_emulated_engine());
#ifdef TL_HAVE_CUDA
  cuda::Gemm gemm = kind == BackendKind::cuda_cublas ? cuda::Gemm::cublas : cuda::Gemm::own;
  return std::make_unique<CudaExecutor>(cuda::make_device_engine(gemm));
#else
  throw UserError("--cuda: this build has no CUDA compiler");
#endif
}

}  // namespace tl::rt

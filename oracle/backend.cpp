// The backends: eager (fast/eager), compiled (fast/compiled), reference (Strict<T>), cuda and
// cuda-emulated (cuda/engine.h).
#include "oracle/backend.h"

#include "fast/compiled/plan.h"
#include "fast/contracts.h"
#include "fast/eager/tape.h"
#include "cuda/engine.h"
#include "oracle/backend_reference.h"
#include "spec/error.h"

#ifdef TL_HAVE_CUDA
#include "cuda/device.h"
#endif

namespace tl::oracle {
namespace {

NodeId op_node(const Graph& g) { return g.outputs.at(0).node; }

std::vector<NodeId> op_parents(const Graph& g) { return g.node(op_node(g)).parents; }

// Collects gradients of the op's parents (in parent order) from a map by node id.
MaybeTensors by_parent(const Graph& g, const std::map<NodeId, HostTensor>& grads) {
  MaybeTensors out;
  const Node& n = g.node(op_node(g));
  for (std::size_t k = 0; k < n.parents.size(); ++k) {
    if (!op_input_gets_grad(n.op, static_cast<int>(k))) { out.emplace_back(); continue; }
    out.emplace_back(grads.at(n.parents[k]));
  }
  return out;
}

class EagerBackend : public Backend {
 public:
  std::string name() const override { return "eager"; }
  Contract contract(OpId op, DType d, Direction dir) const override { return fast::contract(op, d, dir); }
  std::string numerical_policy() const override { return fast::numerical_policy(); }
  HostTensor forward(const Graph& g, const std::map<std::string, HostTensor>& in) override {
    return eager::run_graph(g, in).value(eager::Var{op_node(g)});
  }
  MaybeTensors backward(const Graph& g, const std::map<std::string, HostTensor>& in, const HostTensor& seed) override {
    return by_parent(g, gradients(g, in, op_node(g), seed, op_parents(g)));
  }
  Tensors run_keep_values(const Graph& g, const std::map<std::string, HostTensor>& in) override {
    eager::Tape tape = eager::run_graph(g, in);
    Tensors out;
    for (NodeId i = 0; i < g.size(); ++i) out.push_back(tape.value(eager::Var{i}));
    return out;
  }
  std::map<NodeId, HostTensor> gradients(const Graph& g, const std::map<std::string, HostTensor>& in, NodeId output,
                                         const HostTensor& seed, const std::vector<NodeId>& wrt) override {
    eager::Tape tape = eager::run_graph(g, in);
    std::vector<eager::Var> vars;
    for (NodeId id : wrt) vars.push_back(eager::Var{id});
    return tape.gradients(eager::Var{output}, seed, vars);
  }
};

class CompiledBackend : public Backend {
 public:
  std::string name() const override { return "compiled"; }
  Contract contract(OpId op, DType d, Direction dir) const override { return fast::contract(op, d, dir); }
  std::string numerical_policy() const override { return fast::numerical_policy(); }
  HostTensor forward(const Graph& g, const std::map<std::string, HostTensor>& in) override {
    compiled::Plan plan = compiled::Plan::compile(g);
    return plan.run(in).at(g.outputs.at(0).name);
  }
  MaybeTensors backward(const Graph& g, const std::map<std::string, HostTensor>& in, const HostTensor& seed) override {
    return by_parent(g, gradients(g, in, op_node(g), seed, op_parents(g)));
  }
  Tensors run_keep_values(const Graph& g, const std::map<std::string, HostTensor>& in) override {
    compiled::Plan plan = compiled::Plan::compile(g, {.keep_values = true});
    plan.run(in);
    Tensors out;
    for (NodeId i = 0; i < g.size(); ++i) out.push_back(plan.value(i));
    return out;
  }
  std::map<NodeId, HostTensor> gradients(const Graph& g, const std::map<std::string, HostTensor>& in, NodeId output,
                                         const HostTensor& seed, const std::vector<NodeId>& wrt) override {
    compiled::Plan plan = compiled::Plan::compile(g, {.keep_values = true});
    return plan.gradients(in, output, seed, wrt);
  }
};

// The cuda backend behind one of its engines (cuda/engine.h): the GPU ("cuda", when this build has
// nvcc and the machine a usable device; "cuda-cublas" with cuBLAS for matmul and linear) or the same
// kernels run on the host ("cuda-emulated").
class CudaBackend : public Backend {
 public:
  CudaBackend(bool emulated, cuda::Gemm gemm) : emulated_(emulated), gemm_(gemm) {}
  std::string name() const override {
    return emulated_ ? "cuda-emulated" : gemm_ == cuda::Gemm::cublas ? "cuda-cublas" : "cuda";
  }
  std::string unavailable_reason() const override {
    if (emulated_) return "";
#ifdef TL_HAVE_CUDA
    cuda::DeviceStatus s = cuda::probe_devices();
    return s.usable ? "" : "no usable CUDA device: " + s.message;
#else
    return "built without a CUDA compiler (nvcc not found at configure time)";
#endif
  }
  Contract contract(OpId op, DType d, Direction dir) const override { return cuda::contract(op, d, dir, gemm_); }
  std::string numerical_policy() const override {
    return cuda::numerical_policy() +
           (emulated_ ? " [emulated: the kernel bodies run as host loops; math functions: " + cuda::emulated_math_library() + "]" : "");
  }
  HostTensor forward(const Graph& g, const std::map<std::string, HostTensor>& in) override {
    NodeId op = op_node(g);
    return std::move(engine().run(g, in, {op}, std::nullopt, nullptr, {}).values.at(op));
  }
  MaybeTensors backward(const Graph& g, const std::map<std::string, HostTensor>& in, const HostTensor& seed) override {
    return by_parent(g, gradients(g, in, op_node(g), seed, op_parents(g)));
  }
  Tensors run_keep_values(const Graph& g, const std::map<std::string, HostTensor>& in) override {
    std::vector<NodeId> all;
    for (NodeId i = 0; i < g.size(); ++i) all.push_back(i);
    cuda::GraphRun r = engine().run(g, in, all, std::nullopt, nullptr, {});
    Tensors out;
    for (NodeId i = 0; i < g.size(); ++i) out.push_back(std::move(r.values.at(i)));
    return out;
  }
  std::map<NodeId, HostTensor> gradients(const Graph& g, const std::map<std::string, HostTensor>& in, NodeId output,
                                         const HostTensor& seed, const std::vector<NodeId>& wrt) override {
    return engine().run(g, in, {}, output, &seed, wrt).grads;
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

const std::vector<std::string>& backend_names() {
  static const std::vector<std::string> names = {"eager", "compiled", "reference", "cuda", "cuda-cublas", "cuda-emulated"};
  return names;
}

std::unique_ptr<Backend> make_backend(const std::string& name) {
  if (name == "eager") return std::make_unique<EagerBackend>();
  if (name == "compiled") return std::make_unique<CompiledBackend>();
  if (name == "reference") return make_reference_backend();
  if (name == "cuda") return std::make_unique<CudaBackend>(false, cuda::Gemm::own);
  if (name == "cuda-cublas") return std::make_unique<CudaBackend>(false, cuda::Gemm::cublas);
  if (name == "cuda-emulated") return std::make_unique<CudaBackend>(true, cuda::Gemm::own);
  throw UserError("unknown backend '" + name + "' (expected eager, compiled, reference, cuda, cuda-cublas, cuda-emulated or all)");
}

}  // namespace tl::oracle

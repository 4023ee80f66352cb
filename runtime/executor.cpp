// The eager and compiled executors (the reference one is in executor_reference.cpp).
#include "runtime/executor.h"

#include "fast/compiled/plan.h"
#include "fast/eager/tape.h"
#include "spec/error.h"

namespace tl::rt {
namespace {

HostTensor one_like(const Graph& g, NodeId id) {
  HostTensor t(g.node(id).dtype, g.node(id).shape);
  if (t.dtype() == DType::f32) t.values<float>()[0] = 1;
  else t.values<double>()[0] = 1;
  return t;
}

class EagerExecutor : public Executor {
 public:
  Execution run(const Graph& g, const std::map<std::string, HostTensor>& inputs, const std::vector<NodeId>& keep,
                std::optional<NodeId> loss, const std::vector<NodeId>& wrt) override {
    eager::Tape tape = eager::run_graph(g, inputs);
    Execution out;
    for (NodeId id : keep) out.values.emplace(id, tape.value(eager::Var{id}));
    if (loss) {
      std::vector<eager::Var> vars;
      for (NodeId id : wrt) vars.push_back(eager::Var{id});
      out.grads = tape.gradients(eager::Var{*loss}, one_like(g, *loss), vars);
    }
    return out;
  }
};

// Plans are compiled once per graph (keyed by its address) and kept.
class CompiledExecutor : public Executor {
 public:
  Execution run(const Graph& g, const std::map<std::string, HostTensor>& inputs, const std::vector<NodeId>& keep,
                std::optional<NodeId> loss, const std::vector<NodeId>& wrt) override {
    auto it = plans_.find(&g);
    if (it == plans_.end()) it = plans_.emplace(&g, compiled::Plan::compile(g, {.keep_values = true})).first;
    compiled::Plan& plan = it->second;
    Execution out;
    if (loss) out.grads = plan.gradients(inputs, *loss, one_like(g, *loss), wrt);
    else plan.run(inputs);
    for (NodeId id : keep) out.values.emplace(id, plan.value(id));
    return out;
  }

 private:
  std::map<const Graph*, compiled::Plan> plans_;
};

}  // namespace

std::string_view backend_kind_name(BackendKind k) {
  switch (k) {
    case BackendKind::eager: return "eager";
    case BackendKind::compiled: return "compiled";
    case BackendKind::reference: return "reference";
    case BackendKind::cuda: return "cuda";
    case BackendKind::cuda_cublas: return "cuda-cublas";
    case BackendKind::cuda_emulated: return "cuda-emulated";
  }
  throw_internal("bad BackendKind value");
}

std::string_view backend_device(BackendKind k) {
  return k == BackendKind::cuda || k == BackendKind::cuda_cublas ? "cuda" : "cpu";
}

BackendKind parse_backend(const std::string& text) {
  // cuda is chosen with --cuda / --device cuda, not --backend.
  for (BackendKind k : {BackendKind::eager, BackendKind::compiled, BackendKind::reference, BackendKind::cuda_emulated}) {
    if (backend_kind_name(k) == text) return k;
  }
  throw UserError("--backend: expected eager, compiled, reference or cuda-emulated, got '" + text + "'");
}

std::unique_ptr<Executor> make_executor(BackendKind kind) {
  switch (kind) {
    case BackendKind::eager: return std::make_unique<EagerExecutor>();
    case BackendKind::compiled: return std::make_unique<CompiledExecutor>();
    case BackendKind::reference: return make_reference_executor();
    case BackendKind::cuda: case BackendKind::cuda_cublas: case BackendKind::cuda_emulated:
      return make_cuda_executor(kind);
  }
  throw_internal("bad BackendKind value");
}

}  // namespace tl::rt

// The reference executor: graphs evaluated in the strict IEEE meaning (reference/ Strict<T>), op by
// op, exactly as spec/ says — slow, for small models and for showing that a training run agrees.
#include "reference/eval.h"
#include "runtime/executor.h"

namespace tl::rt {
namespace {

template <class T>
Execution run_strict(const Graph& g, const std::map<std::string, HostTensor>& inputs, const std::vector<NodeId>& keep,
                     std::optional<NodeId> loss, const std::vector<NodeId>& wrt) {
  using S = ref::Strict<T>;
  std::vector<ref::RefTensor<S>> values = ref::evaluate<S>(g, inputs);
  Execution out;
  for (NodeId id : keep) out.values.emplace(id, ref::to_host(values[static_cast<std::size_t>(id)]));
  if (loss) {
    ref::RefTensor<S> seed(g.node(*loss).shape);
    seed[0] = S::from_int(1);
    for (auto& [id, t] : ref::gradients<S>(g, values, *loss, seed, wrt)) out.grads.emplace(id, ref::to_host(t));
  }
  return out;
}

class ReferenceExecutor : public Executor {
 public:
  Execution run(const Graph& g, const std::map<std::string, HostTensor>& inputs, const std::vector<NodeId>& keep,
                std::optional<NodeId> loss, const std::vector<NodeId>& wrt) override {
    if (g.size() && g.node(0).dtype == DType::f32) return run_strict<float>(g, inputs, keep, loss, wrt);
    return run_strict<double>(g, inputs, keep, loss, wrt);
  }
};

}  // namespace

std::unique_ptr<Executor> make_reference_executor() { return std::make_unique<ReferenceExecutor>(); }

}  // namespace tl::rt

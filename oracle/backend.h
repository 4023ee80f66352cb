// The backends the oracle checks, behind one interface: run one op (forward, and the VJP from the
// backend's own output y and a given upstream gradient g — local checking, DESIGN §3), run a whole
// graph keeping every node's value, and the backend's contract table.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "spec/contract.h"
#include "spec/graph.h"

namespace tl::oracle {

using Tensors = std::vector<HostTensor>;
using MaybeTensors = std::vector<std::optional<HostTensor>>;

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;
  // Non-empty when the backend cannot run on this machine (e.g. no usable GPU): the reason.
  virtual std::string unavailable_reason() const { return ""; }
  virtual Contract contract(OpId op, DType dtype, Direction direction) const = 0;
  virtual std::string numerical_policy() const = 0;

  // `g` is a graph of input nodes followed by one op node (its output); inputs by input name.
  virtual HostTensor forward(const Graph& g, const std::map<std::string, HostTensor>& inputs) = 0;
  // Gradients of the op's parents (nullopt for those that get none) from upstream gradient `seed`.
  virtual MaybeTensors backward(const Graph& g, const std::map<std::string, HostTensor>& inputs,
                                const HostTensor& seed) = 0;
  // Every node's value (checking mode: nothing reused, fused chains write their intermediates).
  virtual Tensors run_keep_values(const Graph& g, const std::map<std::string, HostTensor>& inputs) = 0;
  // Gradients of node `output` seeded with `seed` w.r.t. `wrt`.
  virtual std::map<NodeId, HostTensor> gradients(const Graph& g, const std::map<std::string, HostTensor>& inputs,
                                                 NodeId output, const HostTensor& seed,
                                                 const std::vector<NodeId>& wrt) = 0;
};

// "eager", "compiled", "reference" (the strict meaning run as a backend), "cuda", "cuda-cublas",
// "cuda-emulated" (cuda/engine.h).
std::unique_ptr<Backend> make_backend(const std::string& name);
const std::vector<std::string>& backend_names();

// The reference backend's contracts: the fast table's, except that elementwise real functions are
// correctly rounded (one rounding by construction) and the multilinear reductions are checked
// against the real meaning with sum_bound / dot_bound (its strict rows would only compare it with
// itself).
Contract reference_contract(OpId op, DType dtype, Direction direction);

}  // namespace tl::oracle

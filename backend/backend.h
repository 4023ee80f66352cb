// The one backend interface (docs/backends.md): what the oracle checks, what the runtime trains with
// and what the examples run on. A backend says what it is (name, device, availability, contract
// table, numerical policy, trust entries) and runs a graph, returning what was asked: values of
// chosen nodes or of every node, and gradients of one node with respect to chosen nodes — in
// checking mode, the upstream gradient of every node.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "spec/code_paths.h"
#include "spec/contract.h"
#include "spec/graph.h"

namespace tl::backend {

using Inputs = std::map<std::string, HostTensor>;
using Tensors = std::vector<HostTensor>;
using MaybeTensors = std::vector<std::optional<HostTensor>>;

// What one run returns.
struct Request {
  std::vector<NodeId> values;      // nodes whose values to return
  bool every_value = false;        // checking mode: every node's value, fused intermediates written
  std::optional<NodeId> output;    // gradients of this node ...
  std::optional<HostTensor> seed;  // ... from this upstream gradient (none: 1 for a one-element output)
  std::vector<NodeId> wrt;         // ... with respect to these nodes
  bool every_upstream = false;     // checking mode: d(output)/d(node) for every node (wrt = all)
  // The caller keeps the graph alive and unchanged across runs (a runner's graphs): work compiled
  // for it may be kept. Off, nothing outlives the run.
  bool graph_is_kept = false;
};

struct Result {
  std::map<NodeId, HostTensor> values;
  std::map<NodeId, HostTensor> grads;
};

// One line of the trust boundary: what a result rests on, and its version or state.
struct TrustEntry {
  std::string what, detail;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;
  virtual std::string device() const = 0;  // "cpu" or "cuda"
  virtual Contract contract(OpId op, DType dtype, Direction direction) const = 0;
  virtual std::string numerical_policy() const = 0;
  virtual std::vector<TrustEntry> trust() const = 0;
  // The sizes at which this backend's code changes path for dtype d (spec/code_paths.h): tl-check's
  // case lists make cases on both sides of each.
  virtual CodePaths code_paths(DType d) const = 0;
  // Runs g on `inputs` (by input name). UserError for values the meaning refuses.
  virtual Result run(const Graph& g, const Inputs& inputs, const Request& request) = 0;

  // Shorthands over run() for a single-op graph (input nodes, then the op, its output 0) and for
  // whole graphs.
  HostTensor forward(const Graph& g, const Inputs& inputs);
  // Gradients of the op's parents from `seed` (nullopt for parents that get none, or that run() left
  // out).
  MaybeTensors backward(const Graph& g, const Inputs& inputs, const HostTensor& seed);
  Tensors run_keep_values(const Graph& g, const Inputs& inputs);
  std::map<NodeId, HostTensor> gradients(const Graph& g, const Inputs& inputs, NodeId output, const HostTensor& seed,
                                         const std::vector<NodeId>& wrt);
};

// "eager", "compiled", "reference" (the strict meaning run as a backend), "cuda", "cuda-cublas"
// (cuBLAS for matmul and linear), "cuda-emulated" (the CUDA kernels as host loops).
const std::vector<std::string>& backend_names();
// "eager, compiled, ...": the names for messages.
std::string backend_names_text();
// Empty when `name` can run here; else why not (one probe and one message per backend). UserError
// for a name that is no backend.
std::string unavailable_reason(const std::string& name);
// UserError for an unknown name. A backend that cannot run here is still made (its contracts can be
// listed); running it is then an error naming the reason above.
std::unique_ptr<Backend> make_backend(const std::string& name);

// The reference backend's contracts: the fast table's, except that elementwise real functions are
// correctly rounded (one rounding by construction) and the multilinear reductions are checked
// against the real meaning with sum_bound / dot_bound (its strict rows would only compare it with
// itself).
Contract reference_contract(OpId op, DType dtype, Direction direction);

// For implementations: the nodes whose values a request returns, the nodes it differentiates with
// respect to, and its upstream gradient (the request's seed, or 1 for a one-element output;
// UserError otherwise).
std::vector<NodeId> requested_values(const Graph& g, const Request& r);
std::vector<NodeId> requested_wrt(const Graph& g, const Request& r);
HostTensor requested_seed(const Graph& g, const Request& r);

// Threads of the fast backends' kernel pool (fast/kernels/parallel.h); tl-check sets 2 by default
// so that its cases past a parallel grain run split. Results never depend on it (DESIGN §7).
void set_kernel_threads(int n);

// Made by the files that instantiate each engine.
std::unique_ptr<Backend> make_fast_backend(bool compiled);                 // fast_backends.cpp
std::unique_ptr<Backend> make_reference_backend();                         // reference_backend.cpp
std::unique_ptr<Backend> make_cuda_backend(const std::string& name);       // cuda_backends.cpp
std::string cuda_unavailable_reason(const std::string& name);              // cuda_backends.cpp

}  // namespace tl::backend

// The compiled backend: a validated graph becomes a plan once — a topological schedule of steps
// (one kernel, or a fused chain of elementwise unary ops run as one loop), buffers assigned by
// liveness and reused, and a stable text dump. Running a plan calls the same fast kernels as eager,
// and gradients use the same backward sweep, so eager and compiled agree bit for bit.
//
// keep_values (checking and training): every node keeps its own buffer and fused chains still
// write their intermediates, so each node's value can be read (DESIGN §3) and backpropagated.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "spec/graph.h"

namespace tl::compiled {

struct PlanOptions {
  bool keep_values = false;
  bool operator==(const PlanOptions&) const = default;
};

struct Step {
  std::vector<NodeId> nodes;  // one node, or a fused chain (each consumes the previous)
  std::vector<int> buffers;   // buffer of each node in `nodes` (-1: not materialised)
  std::vector<int> freed;     // buffers whose last reader is this step
};

class Plan {
 public:
  static Plan compile(const Graph& g, PlanOptions options = {});

  // Outputs by name. Inputs by name, of the declared dtypes and shapes (UserError otherwise).
  std::map<std::string, HostTensor> run(const std::map<std::string, HostTensor>& inputs);
  // With keep_values: every node's value after run().
  const HostTensor& value(NodeId id) const;
  // Runs forward (keeping values) and returns gradients of `output` w.r.t. `wrt`.
  std::map<NodeId, HostTensor> gradients(const std::map<std::string, HostTensor>& inputs, NodeId output,
                                         const HostTensor& seed, const std::vector<NodeId>& wrt);

  std::string dump() const;
  const Graph& graph() const { return graph_; }
  int buffer_count() const { return static_cast<int>(buffer_shapes_.size()); }

 private:
  Graph graph_;
  PlanOptions options_;
  std::vector<Step> steps_;
  std::vector<Shape> buffer_shapes_;
  std::vector<int> buffer_of_;  // node -> buffer (-1 for inputs and unmaterialised intermediates)
  std::vector<HostTensor> buffers_;
  std::vector<const HostTensor*> bound_;  // node -> where its value lives during a run
  std::vector<std::string> labels_;       // node -> "node 7 (linear)", built once for messages
};

// Plans cached by graph (its canonical JSON text) and options: compiling happens once per shape set.
class PlanCache {
 public:
  Plan& get(const Graph& g, PlanOptions options = {});
  std::size_t size() const { return plans_.size(); }

 private:
  std::map<std::string, std::unique_ptr<Plan>> plans_;
};

}  // namespace tl::compiled

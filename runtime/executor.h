// How a runner executes its graphs: one interface over the backends (eager tape, compiled plans,
// the reference's strict meaning, the CUDA engines). The choice decides how a model runs, never what it is.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "spec/graph.h"

namespace tl::rt {

// cuda: the GPU engine (--cuda); cuda_cublas: the same with cuBLAS for matmul/linear (--cuda
// --cublas); cuda_emulated: the CUDA kernels run on the host (cuda/engine.h).
enum class BackendKind { eager, compiled, reference, cuda, cuda_cublas, cuda_emulated };
std::string_view backend_kind_name(BackendKind k);
BackendKind parse_backend(const std::string& text);  // UserError for unknown names

struct Execution {
  std::map<NodeId, HostTensor> values;  // the nodes asked for
  std::map<NodeId, HostTensor> grads;   // d(loss)/d(node) for each node of `wrt`
};

class Executor {
 public:
  virtual ~Executor() = default;
  // Runs `g` (which must stay alive and unchanged while this executor caches work for it) and returns
  // the values of `keep`; with `loss`, also the gradients of that scalar node (seed 1) w.r.t. `wrt`.
  virtual Execution run(const Graph& g, const std::map<std::string, HostTensor>& inputs,
                        const std::vector<NodeId>& keep, std::optional<NodeId> loss,
                        const std::vector<NodeId>& wrt) = 0;
};

std::unique_ptr<Executor> make_executor(BackendKind kind);
std::unique_ptr<Executor> make_reference_executor();  // executor_reference.cpp
std::unique_ptr<Executor> make_cuda_executor(BackendKind kind);  // executor_cuda.cpp: the cuda kinds
// The device a backend runs on: "cuda" for the GPU kinds, else "cpu".
std::string_view backend_device(BackendKind k);

}  // namespace tl::rt

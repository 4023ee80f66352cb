// The fast CPU kernels: forward and backward of every op in spec/ops.def, float and double, shared
// by the eager and compiled backends (there are no other copies). Each kernel follows one declared
// order (docs/contracts.md): sums are left folds from +0, dot products FMA chains from +0 over the
// contracted index in ascending order — the strict meaning's orders, so the ops whose contract is
// strict(order) agree with reference/Strict bit for bit. Work is split across threads over outputs
// only, so results never depend on the thread count.
#pragma once

#include <optional>
#include <vector>

#include "spec/graph.h"

namespace tl::fast {

using HostInputs = std::vector<const HostTensor*>;
using HostGrads = std::vector<std::optional<HostTensor>>;

// The node's output from its inputs (parent order). Input nodes are bound by the backends.
HostTensor forward(const Node& node, const HostInputs& in, const std::string& where);

// The same, into a preallocated tensor of the node's dtype and shape (the compiled backend's
// reused buffers).
void forward_into(const Node& node, const HostInputs& in, HostTensor& y, const std::string& where);

// Elementwise unary ops that a compiled plan may fuse into one loop.
bool is_fusable_unary(OpId op);
// Applies a chain of fusable unary nodes to x element by element (each node's scalar function in
// turn — bit-identical to running them one by one). outs[j] receives node j's values; null entries
// (intermediates nobody reads) are skipped; the last entry must be set.
void run_unary_chain(const std::vector<const Node*>& chain, const HostTensor& x,
                     const std::vector<HostTensor*>& outs);

// Gradients of the node's inputs from the upstream gradient g of its output y; nullopt for inputs
// that receive none (ops.def) or are not wanted (empty `wanted`: all).
HostGrads backward(const Node& node, const HostInputs& in, const HostTensor& y, const HostTensor& g,
                   const std::string& where, const std::vector<bool>& wanted = {});

}  // namespace tl::fast

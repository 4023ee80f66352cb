// The backward sweep shared by the eager and compiled backends: given every node's value, the VJP
// of one output w.r.t. chosen nodes, with the reference's accumulation order (consumers by
// descending id, inputs by ascending position, first contribution copied) and gradients formed only
// on paths to the requested nodes. One implementation, so the two backends agree bit for bit.
#pragma once

#include <functional>
#include <map>

#include "spec/graph.h"

namespace tl::fast {

// value(i) returns node i's forward value.
std::map<NodeId, HostTensor> backprop(const Graph& g, const std::function<const HostTensor&(NodeId)>& value,
                                      NodeId output, const HostTensor& seed, const std::vector<NodeId>& wrt);

}  // namespace tl::fast

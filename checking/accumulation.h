// The backward sweep's accumulation, checked (DESIGN §12, local checking of both directions): the
// upstream gradient a backend returns for a node must be the sum of the VJPs its consumers give it
// (their own single-op VJPs, each judged against the reference under its contract), added in any
// order — within gamma_(k-1)·Σ|contribution| for k contributions, so exactly equal for one. A sweep
// that drops, overwrites or doubles a contribution where a value fans out (residual adds, a tensor
// used twice) breaks it, although every node's own VJP is right.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "spec/graph.h"

namespace tl::oracle {

struct AccumulationFailure {
  NodeId node;
  std::string why;  // "element 3: backend upstream 0x1p+0, its 2 consumers' VJPs sum to [...]: outside ..."
};

// `contributions[x]`: the consumers' VJPs with respect to x, for the nodes whose every gradient-taking
// consumer gave one (others are not checked); `upstream`: the backend's upstream gradients; `output`:
// the node the sweep was seeded at (its upstream is the seed, not a sum).
// The replayable shape of a failure at node x: a graph holding x's value as a constant, each of its
// gradient-taking consumers fed x and the constants of their other parents, and a loss
// Σ_j sum(consumer_j · upstream_j) whose sweep gives consumer j exactly its upstream of the run
// (1·u), so x's upstream is the same accumulation. Checked as a graph file: tl-check --graph FILE.
Graph accumulation_fragment(const Graph& g, NodeId x, const std::vector<HostTensor>& values,
                            const std::map<NodeId, HostTensor>& upstream);

std::optional<AccumulationFailure> check_accumulation(const Graph& g, NodeId output,
                                                      const std::map<NodeId, HostTensor>& upstream,
                                                      const std::map<NodeId, std::vector<HostTensor>>& contributions);

}  // namespace tl::oracle

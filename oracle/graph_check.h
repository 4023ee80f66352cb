// Whole-graph checking (DESIGN §3): random valid graphs (--graphs N) and users' graph files (--graph
// FILE, oracle/user_graphs.h) run on a backend keeping every node's value;
// each node is checked locally (the reference op applied to the backend's own inputs to that node,
// judged by the node's forward contract), and the outputs and parameter gradients are compared end to
// end with the real meaning — as information, with a "suspicious" flag, never as a verdict.
// A node that breaks its contract is shrunk to the minimal subgraph that shows it: the node alone,
// fed the backend's values of its parents, written as a replayable discrepancy.
#pragma once

#include <vector>

#include "oracle/run.h"

namespace tl::oracle {

// Lambda of the suspicion tier: end-to-end errors above lambda * sqrt(total terms) ulps are flagged
// (Higham and Mary's probabilistic bound; conditioning is ignored, so it is a heuristic).
constexpr double kSuspicionLambda = 5;

std::vector<GraphRow> run_graph_checks(const RunOptions& options);

// The single-op case of node `id` of g, fed `values` of its parents.
OpCase node_case(const Graph& g, NodeId id, const std::vector<HostTensor>& values);

}  // namespace tl::oracle

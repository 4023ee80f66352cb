// Whole-graph checking (DESIGN §3): random valid graphs (--graphs N) and users' graph files (--graph
// FILE, cases/user_graphs.h) run on a backend keeping every node's value;
// each node is checked locally (the reference op applied to the backend's own inputs to that node,
// judged by the node's forward contract), and the outputs and parameter gradients are compared end to
// end with the real meaning — as information, with a "suspicious" flag, never as a verdict.
// A node that breaks its contract is shrunk to the minimal subgraph that shows it: the node alone,
// fed the backend's values of its parents, returned as a replayable discrepancy record (the run
// writes it).
#pragma once

#include <functional>
#include <vector>

#include "checking/case_result.h"

namespace tl::oracle {

// One graph checked on one backend: a row of the report.
struct GraphRow {
  std::string backend;
  DType dtype = DType::f32;
  int64_t index = 0;
  uint64_t seed = 0;
  std::string source;                 // the user's graph file; empty for a random graph
  std::string inputs;                 // where its input values came from: "x: DIR/x.npy, w: seeded"
  int64_t nodes_checked = 0;
  int64_t vjps_checked = 0;            // node VJPs checked on the run's own upstream gradients
  Verdict local = Verdict::pass;       // per-node contracts
  std::string first_bad_node;          // "node 7 (softmax): outside ..."
  double loss_ulp = 0;                 // end-to-end, information only
  double grad_max_ulp = 0;
  bool gradients_checked = false;     // a single-element target and parameters to differentiate
  double suspicion_threshold = 0;      // lambda * sqrt(total terms)
  bool suspicious = false;
  std::string discrepancy_file;
  bool discrepancy_is_graph = false;  // a tl.ir.v1 fragment (tl-check --graph), not a record (--replay)
};

// Lambda of the suspicion tier: end-to-end errors above lambda * sqrt(total terms) ulps are flagged
// (Higham and Mary's probabilistic bound; conditioning is ignored, so it is a heuristic).
constexpr double kSuspicionLambda = 5;

// What to check: every backend on `graphs` random graphs per dtype and on each graph file, this
// shard's share of them (index % shards == shard).
struct GraphCheckOptions {
  std::vector<std::string> backends;
  std::vector<DType> dtypes;
  uint64_t seed = 1;
  int64_t graphs = 0;
  std::vector<std::string> graph_files;
  std::string inputs_dir;
  int shard = 0, shards = 1;
  std::function<void()> graph_done;  // after each graph (on every backend), for a progress bar
};

// One graph on one backend: its row, and the record of its first bad node (named by record_stem).
struct GraphResult {
  GraphRow row;
  std::optional<Discrepancy> first_bad;
  std::optional<Graph> fragment;  // instead, for a failed accumulation: its graph (accumulation.h)
  std::string record_stem;
};

std::vector<GraphResult> run_graph_checks(const GraphCheckOptions& options);

// UserError naming `source`, the graph's element count and the memory it needs when a check of g
// cannot fit in this machine's available memory: a lower bound, its values and their reference
// enclosures (kEnclosureBytes each: an MPFI interval, two 128-bit MPFR numbers and their limbs).
constexpr double kEnclosureBytes = 96;
void check_graph_fits(const Graph& g, const std::string& source);

// The single-op case of node `id` of g, fed `values` of its parents.
OpCase node_case(const Graph& g, NodeId id, const std::vector<HostTensor>& values);

}  // namespace tl::oracle

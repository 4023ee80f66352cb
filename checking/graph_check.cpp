// Whole graphs (random ones, users' files): per-node local checking plus end-to-end comparison with
// the real meaning.
#include "checking/graph_check.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>

#include "cases/random_graphs.h"
#include "cases/user_graphs.h"
#include "backend/backend.h"
#include "checking/accumulation.h"
#include "checking/check_op.h"
#include "checking/terms.h"
#include "checking/ulp.h"
#include "reference/eval.h"
#include "spec/json_io.h"

namespace tl::oracle {
namespace {

using ref::Interval;

// Normwise: each element's error in ulps at max(|x_i|, max_j |x_j|), so elements that cancel to
// nearly 0 inside a tensor of larger values do not dominate.
double e2e_ulp(const HostTensor& v, const ref::RefTensor<Interval>& real, DType d) {
  double norm = 0, worst = 0;
  for (const Interval& x : real.v) {
    if (!x.has_nan()) norm = std::max({norm, std::fabs(x.lower()), std::fabs(x.upper())});
  }
  for (int64_t i = 0; i < v.numel(); ++i) {
    const Interval& x = real[i];
    double u = x.has_nan() ? (std::isnan(v.value_as_double(i)) ? 0 : INFINITY)
                           : ulp_error(v.value_as_double(i), &x.raw()->left, &x.raw()->right, d, norm).hi;
    worst = std::max(worst, u);
  }
  return worst;
}

// Checks every computed node locally: its forward on the backend's own parent values and, where the
// run gave the node's upstream gradient (a one-element target), each of its VJPs on those values, the
// backend's own output and that upstream gradient. Returns false at the first node that breaks a
// contract.
bool check_nodes(backend::Backend& b, const GraphCase& rg, const std::vector<HostTensor>& values,
                 const std::map<NodeId, HostTensor>& upstream, uint64_t seed, GraphResult& result) {
  GraphRow& row = result.row;
  const Graph& g = rg.graph;
  std::map<NodeId, std::vector<HostTensor>> contributions;  // the consumers' own VJPs, per node
  std::vector<bool> incomplete(static_cast<std::size_t>(g.size()), false);
  for (NodeId id = 0; id < g.size(); ++id) {
    if (g.node(id).op == OpId::input) continue;
    OpCase c = node_case(g, id, values);
    auto up = upstream.find(id);
    bool vjps = up != upstream.end() && op_differentiable(g.node(id).op);
    CaseOptions co{vjps, seed, "graph node", &values[static_cast<std::size_t>(id)], vjps ? &up->second : nullptr};
    CaseResult res = check_case(b, c, co);
    const std::vector<NodeId>& parents = g.node(id).parents;
    for (std::size_t k = 0; k < parents.size(); ++k) {
      if (!op_input_gets_grad(g.node(id).op, static_cast<int>(k))) continue;
      if (vjps && k < res.backend_grads.size() && res.backend_grads[k]) contributions[parents[k]].push_back(*res.backend_grads[k]);
      else incomplete[static_cast<std::size_t>(parents[k])] = true;
    }
    ++row.nodes_checked;
    row.vjps_checked += static_cast<int64_t>(res.directions.size()) - 1;
    for (const DirectionResult& d : res.directions) {
      row.local = combine(row.local, d.verdict);
      if (d.verdict == Verdict::pass) continue;
      row.first_bad_node = node_label(id, g.node(id).op) + " " + direction_text(d.direction) + ": " +
                           (d.discrepancy ? d.discrepancy->why : "");
      if (d.discrepancy) {
        result.first_bad = *d.discrepancy;
        result.record_stem = b.name() + "-" + std::string(dtype_name(row.dtype)) + (row.source.empty() ? "-graph" : "-file") +
                             std::to_string(row.index) + "-node" + std::to_string(id) +
                             (d.direction.forward() ? "" : "-vjp" + std::to_string(d.direction.input));
      }
      if (d.verdict == Verdict::fail) return false;
    }
  }
  for (NodeId id = 0; id < g.size(); ++id)
    if (incomplete[static_cast<std::size_t>(id)]) contributions.erase(id);
  if (upstream.empty()) return true;
  if (std::optional<AccumulationFailure> bad = check_accumulation(g, rg.loss, upstream, contributions)) {
    row.local = Verdict::fail;
    row.first_bad_node = node_label(bad->node, g.node(bad->node).op) + " gradient accumulation: " + bad->why;
    result.fragment = accumulation_fragment(g, bad->node, values, upstream);
    result.record_stem = b.name() + "-" + std::string(dtype_name(row.dtype)) + (row.source.empty() ? "-graph" : "-file") +
                         std::to_string(row.index) + "-node" + std::to_string(bad->node) + "-accumulation";
    return false;
  }
  return true;
}

// The real meaning of a whole graph, computed once for every backend: its target (a random graph's
// loss; a user graph's loss or first output) and, for a single-element target, the parameter gradients.
struct RealMeaning {
  std::vector<ref::RefTensor<Interval>> values;
  std::map<NodeId, ref::RefTensor<Interval>> grads;
  HostTensor seed;
  bool backward = false;  // a one-element target: the backward sweep runs and is checked
  double suspicion_threshold = 0;
};

RealMeaning real_meaning(const GraphCase& gc) {
  const Graph& g = gc.graph;
  RealMeaning m;
  m.values = ref::evaluate<Interval>(g, gc.inputs);
  m.seed = HostTensor(g.node(gc.loss).dtype, g.node(gc.loss).shape);
  if (m.seed.numel() == 1) {  // every node's VJP and accumulation are checked, parameters or none
    m.seed.set_from_double(0, 1);
    m.backward = true;
    if (!gc.params.empty()) m.grads = ref::gradients<Interval>(g, m.values, gc.loss, ref::from_host<Interval>(m.seed), gc.params);
  }
  double terms = 0;
  for (NodeId id = 0; id < g.size(); ++id) {
    std::vector<Shape> shapes;
    for (NodeId p : g.node(id).parents) shapes.push_back(g.node(p).shape);
    terms += static_cast<double>(reduction_terms(g.node(id), shapes));
  }
  m.suspicion_threshold = kSuspicionLambda * std::sqrt(terms);
  return m;
}

// The backend's target and gradients against the real meaning: information, never a verdict.
void end_to_end(const GraphCase& gc, const std::vector<HostTensor>& values, const std::map<NodeId, HostTensor>& grads,
                const RealMeaning& real, GraphRow& row) {
  DType d = gc.graph.node(gc.loss).dtype;
  row.loss_ulp = e2e_ulp(values[static_cast<std::size_t>(gc.loss)], real.values[static_cast<std::size_t>(gc.loss)], d);
  if (!real.grads.empty()) {
    for (NodeId p : gc.params) {
      auto it = grads.find(p);
      if (it == grads.end()) {  // a backend that leaves out an asked-for gradient fails the graph
        row.local = Verdict::fail;
        row.first_bad_node = "backend error: no gradient of node " + std::to_string(p) + " returned";
        return;
      }
      row.grad_max_ulp = std::max(row.grad_max_ulp, e2e_ulp(it->second, real.grads.at(p), d));
    }
    row.gradients_checked = true;
  }
  row.suspicion_threshold = real.suspicion_threshold;
  row.suspicious = row.loss_ulp > row.suspicion_threshold || row.grad_max_ulp > row.suspicion_threshold;
}

// One graph on every backend: a row each. The real meaning comes first, so values the graph's own
// meaning refuses (a user's label out of range) are the user's error (a UserError naming the
// source), while an exception from a backend on values the meaning accepts fails that backend's row.
void check_graph_case(const GraphCase& gc, int64_t index, uint64_t seed, const std::string& source,
                      const GraphCheckOptions& opt, std::vector<GraphResult>& results) {
  RealMeaning real;
  try {
    real = real_meaning(gc);
  } catch (const UserError& e) {
    std::string files;
    for (const GraphCase::InputSource& s : gc.input_sources)
      if (!s.file.empty()) files += (files.empty() ? " (input values from " : ", ") + s.file;
    throw UserError((source.empty() ? "random graph " + std::to_string(index) : source) + ": " + e.what() +
                    (files.empty() ? "" : files + ")"));
  }
  std::string inputs_text;  // "x: DIR/x.npy, w: seeded, ..." for the report rows
  for (const GraphCase::InputSource& s : gc.input_sources)
    inputs_text += (inputs_text.empty() ? "" : ", ") + s.name + ": " + (s.file.empty() ? "seeded" : s.file);
  for (const std::string& name : opt.backends) {
    std::unique_ptr<backend::Backend> b = backend::make_backend(name);
    GraphResult result;
    GraphRow& row = result.row;
    row.backend = name;
    row.dtype = gc.graph.node(gc.loss).dtype;
    row.index = index;
    row.seed = seed;
    row.inputs = inputs_text;
    row.source = source;
    // One run gives every node's value and, for a one-element target, the parameter gradients.
    backend::Request request;
    request.every_value = true;
    if (real.backward) {  // and every node's upstream gradient, for its VJP and accumulation checks
      request.output = gc.loss;
      request.seed = real.seed;
      request.every_upstream = true;
    }
    backend::Result run;
    std::vector<HostTensor> values;
    try {
      run = b->run(gc.graph, gc.inputs, request);
      for (NodeId id = 0; id < gc.graph.size(); ++id) values.push_back(std::move(run.values.at(id)));
    } catch (const std::exception& e) {  // a backend that throws on a valid graph fails it
      row.local = Verdict::fail;
      row.first_bad_node = std::string("backend error: ") + e.what();
    }
    // Only the backend's own calls are caught: an error of the oracle or the reference stops the run.
    if (row.local != Verdict::fail && check_nodes(*b, gc, values, run.grads, seed, result)) end_to_end(gc, values, run.grads, real, row);
    results.push_back(std::move(result));
  }
}

// Bytes this machine can still give (MemAvailable of /proc/meminfo); 0 when unknown.
double available_bytes() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  double kib = 0;
  std::string unit;
  while (in >> key >> kib >> unit)
    if (key == "MemAvailable:") return kib * 1024;
  return 0;
}

}  // namespace

void check_graph_fits(const Graph& g, const std::string& source) {
  double elements = 0, bytes = 0;
  for (const Node& n : g.nodes) {
    double count = static_cast<double>(n.shape.numel());
    elements += count;
    bytes += count * (static_cast<double>(dtype_size(n.dtype)) + kEnclosureBytes);
  }
  double available = available_bytes();
  if (available <= 0 || bytes <= available) return;
  char text[256];
  std::snprintf(text, sizeof text,
                "%s: too large to check here: its nodes hold %.3g elements, so its values and their reference "
                "enclosures (about %.0f bytes each) need at least %.1f GiB, and this machine has %.1f GiB available",
                source.c_str(), elements, kEnclosureBytes, bytes / 0x1p30, available / 0x1p30);
  throw UserError(text);
}

OpCase node_case(const Graph& g, NodeId id, const std::vector<HostTensor>& values) {
  const Node& n = g.node(id);
  std::vector<HostTensor> parents;
  for (NodeId p : n.parents) parents.push_back(values[static_cast<std::size_t>(p)]);
  return single_op_case(n, std::move(parents), "node_" + std::to_string(id) + "_of_" + g.name);
}

std::vector<GraphResult> run_graph_checks(const GraphCheckOptions& opt) {
  // Each graph file is read once: every one when --inputs names a folder (its files are checked
  // against all the graphs' inputs), else this shard's only.
  const std::vector<std::string>& files = opt.graph_files;
  auto in_shard = [&](std::size_t i) { return static_cast<int64_t>(i) % opt.shards == opt.shard; };
  std::vector<std::optional<Graph>> graphs(files.size());
  for (std::size_t i = 0; i < files.size(); ++i)
    if (!opt.inputs_dir.empty() || in_shard(i)) graphs[i] = read_graph(files[i]);
  if (!opt.inputs_dir.empty()) {
    std::vector<const Graph*> all;
    for (const std::optional<Graph>& g : graphs) all.push_back(&*g);
    check_inputs_folder(files, all, opt.inputs_dir);
  }
  std::vector<GraphResult> rows;
  for (DType d : opt.dtypes) {
    for (int64_t i = opt.shard; i < opt.graphs; i += opt.shards) {
      uint64_t seed = random_graph_seed(opt.seed, d, i);
      SplitMix64 rng(seed);
      check_graph_case(random_graph(rng, d), i, seed, "", opt, rows);
      if (opt.graph_done) opt.graph_done();
    }
  }
  for (int64_t i = opt.shard; i < static_cast<int64_t>(files.size()); i += opt.shards) {
    uint64_t seed = graph_file_seed(opt.seed, i);
    const std::string& path = files[static_cast<std::size_t>(i)];
    Graph& graph = *graphs[static_cast<std::size_t>(i)];
    check_graph_fits(graph, path);  // before any input is allocated
    check_graph_case(graph_case_of(std::move(graph), path, opt.inputs_dir, seed), i, seed, path, opt, rows);
    if (opt.graph_done) opt.graph_done();
  }
  return rows;
}

}  // namespace tl::oracle

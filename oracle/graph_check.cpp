// Random whole graphs: per-node local checking plus end-to-end comparison with the real meaning.
#include "oracle/graph_check.h"

#include <algorithm>
#include <cmath>

#include "oracle/random_graphs.h"
#include "oracle/terms.h"
#include "oracle/ulp.h"
#include "reference/eval.h"

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

// Checks every computed node locally; returns false at the first node that breaks its contract.
bool check_nodes(Backend& b, const RandomGraph& rg, const std::vector<HostTensor>& values, uint64_t seed,
                 const RunOptions& opt, GraphRow& row) {
  const Graph& g = rg.graph;
  for (NodeId id = 0; id < g.size(); ++id) {
    if (g.node(id).op == OpId::input) continue;
    OpCase c = node_case(g, id, values);
    CaseOptions co{false, seed, "graph node", &values[static_cast<std::size_t>(id)]};
    CaseResult res = check_case(b, c, co);
    ++row.nodes_checked;
    const DirectionResult& fwd = res.directions.at(0);
    row.local = combine(row.local, fwd.verdict);
    if (fwd.verdict == Verdict::pass) continue;
    row.first_bad_node = node_label(id, g.node(id).op) + ": " + (fwd.discrepancy ? fwd.discrepancy->why : "");
    if (fwd.discrepancy) {
      std::string stem = b.name() + "-" + row.dtype + "-graph" + std::to_string(row.index) + "-node" + std::to_string(id);
      auto files = write_discrepancies({*fwd.discrepancy}, opt.out_dir, stem);
      if (!files.empty()) row.discrepancy_file = files[0];
    }
    if (fwd.verdict == Verdict::fail) return false;
  }
  return true;
}

void end_to_end(Backend& b, const RandomGraph& rg, const std::vector<HostTensor>& values, GraphRow& row) {
  const Graph& g = rg.graph;
  DType d = g.node(0).dtype;
  auto real = ref::evaluate<Interval>(g, rg.inputs);
  row.loss_ulp = e2e_ulp(values[static_cast<std::size_t>(rg.loss)], real[static_cast<std::size_t>(rg.loss)], d);
  HostTensor one(d, Shape{});
  if (d == DType::f32) one.values<float>()[0] = 1; else one.values<double>()[0] = 1;
  auto grads = b.gradients(g, rg.inputs, rg.loss, one, rg.params);
  auto real_grads = ref::gradients<Interval>(g, real, rg.loss, ref::from_host<Interval>(one), rg.params);
  for (NodeId p : rg.params) row.grad_max_ulp = std::max(row.grad_max_ulp, e2e_ulp(grads.at(p), real_grads.at(p), d));
  double terms = 0;
  for (NodeId id = 0; id < g.size(); ++id) {
    std::vector<Shape> shapes;
    for (NodeId p : g.node(id).parents) shapes.push_back(g.node(p).shape);
    terms += static_cast<double>(reduction_terms(g.node(id), shapes));
  }
  row.suspicion_threshold = kSuspicionLambda * std::sqrt(terms);
  row.suspicious = row.loss_ulp > row.suspicion_threshold || row.grad_max_ulp > row.suspicion_threshold;
}

}  // namespace

OpCase node_case(const Graph& g, NodeId id, const std::vector<HostTensor>& values) {
  const Node& n = g.node(id);
  std::vector<HostTensor> parents;
  for (NodeId p : n.parents) parents.push_back(values[static_cast<std::size_t>(p)]);
  return single_op_case(n, std::move(parents), "node_" + std::to_string(id) + "_of_" + g.name);
}

std::vector<GraphRow> run_graph_checks(const RunOptions& opt) {
  std::vector<GraphRow> rows;
  for (DType d : opt.dtypes) {
    for (int64_t i = opt.shard; i < opt.graphs; i += opt.shards) {
      uint64_t seed = case_seed(opt.seed, OpId::input, d, 1000000 + i);
      SplitMix64 rng(seed);
      RandomGraph rg = random_graph(rng, d);
      for (const std::string& name : opt.backends) {
        std::unique_ptr<Backend> b = make_backend(name);
        GraphRow row;
        row.backend = name;
        row.dtype = std::string(dtype_name(d));
        row.index = i;
        row.seed = seed;
        try {
          std::vector<HostTensor> values = b->run_keep_values(rg.graph, rg.inputs);
          if (check_nodes(*b, rg, values, seed, opt, row)) end_to_end(*b, rg, values, row);
        } catch (const std::exception& e) {  // a backend that throws on a valid graph fails it
          row.local = Verdict::fail;
          row.first_bad_node = std::string("backend error: ") + e.what();
        }
        rows.push_back(std::move(row));
      }
    }
  }
  return rows;
}

}  // namespace tl::oracle

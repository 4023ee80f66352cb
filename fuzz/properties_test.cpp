// RapidCheck properties (label fuzz): every op on each CPU backend, the cuda kernels through the
// emulated engine and on the GPU (skipped without one), and dtype holds its contract —
// forward and every VJP input — on cases drawn by our generators; laws that follow from op traits
// (commutativity, linearity) hold bit for bit; eager and compiled agree on random graphs node by node
// and every node holds its contract. Seeds: RC_PARAMS="seed=N" (printed by RapidCheck on failure,
// with the shrunk counterexample); failing graph nodes are written as replayable records.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <filesystem>

#include "backend/backend.h"
#include "checking/check_op.h"
#include "checking/graph_check.h"
#include "cases/op_cases.h"
#include "cases/random_graphs.h"
#include "oracle/run.h"
#include "checking/ulp.h"

namespace tl::oracle {
namespace {

std::string failure_text(const DirectionResult& d) {
  std::string s = std::string(verdict_name(d.verdict)) + " " + contract_text(d.contract);
  if (d.discrepancy) s += ": " + d.discrepancy->why + " at element " + std::to_string(d.discrepancy->element);
  return s;
}

struct OpBackendDtype {
  OpId op;
  std::string backend;
  DType dtype;
};
// ctest names show the case, not its bytes.
void PrintTo(const OpBackendDtype& c, std::ostream* os) {
  *os << op_name(c.op) << " " << c.backend << " " << dtype_name(c.dtype);
}

std::vector<OpBackendDtype> all_combinations() {
  std::vector<OpBackendDtype> out;
  for (const OpInfo& info : kOpInfo) {
    if (info.id == OpId::input) continue;
    for (const char* b : {"eager", "compiled", "cuda-emulated", "cuda"}) {
      for (DType d : {DType::f32, DType::f64}) out.push_back({info.id, b, d});
    }
  }
  return out;
}

class OpProperty : public ::testing::TestWithParam<OpBackendDtype> {};

TEST_P(OpProperty, HoldsItsContractForwardAndForEveryVjpInput) {
  const OpBackendDtype p = GetParam();
  std::string why = backend::unavailable_reason(p.backend);
  std::unique_ptr<backend::Backend> backend = backend::make_backend(p.backend);
  if (!why.empty()) GTEST_SKIP() << p.backend << ": " << why;  // the GPU instances without a GPU
  bool ok = rc::check(std::string(op_name(p.op)) + " on " + p.backend, [&](uint64_t seed, uint8_t kind_pick) {
    ValueKind kind = kValueKinds[kind_pick % std::size(kValueKinds)];
    SplitMix64 rng(seed);
    OpCase c = make_op_case(p.op, p.dtype, rng, kind);
    RC_TAG(std::string(value_kind_name(kind)));
    for (const DirectionResult& d : check_case(*backend, c, {true, seed, "rapidcheck"}).directions) {
      if (d.verdict == Verdict::fail) RC_FAIL(failure_text(d));
    }
  });
  EXPECT_TRUE(ok);
}

INSTANTIATE_TEST_SUITE_P(EveryOp, OpProperty, ::testing::ValuesIn(all_combinations()), [](const auto& info) {
  std::string backend = info.param.backend == "cuda-emulated" ? "cuda_emulated" : info.param.backend;  // gtest names: [A-Za-z0-9_]
  return std::string(op_name(info.param.op)) + "_" + backend + "_" + (info.param.dtype == DType::f32 ? "f32" : "f64");
});

// op(a, b) and op(b, a) give the same values (NaN matches NaN, ±0 match: maximum/minimum return
// the first of two equal operands) and mirrored gradients.
RC_GTEST_PROP(OpLaws, CommutativeOpsGiveTheSameValuesBothWays, (uint64_t seed)) {
  std::unique_ptr<backend::Backend> b = backend::make_backend("eager");
  for (const OpInfo& info : kOpInfo) {
    if (!op_has(info.id, kCommutative)) continue;
    for (DType d : {DType::f32, DType::f64}) {
      SplitMix64 rng(seed);
      OpCase c = make_op_case(info.id, d, rng, kValueKinds[seed % std::size(kValueKinds)]);
      OpCase swapped = c;
      std::swap(swapped.inputs.at("p0"), swapped.inputs.at("p1"));
      HostTensor y = b->forward(c.graph, c.inputs), ys = b->forward(swapped.graph, swapped.inputs);
      for (int64_t i = 0; i < y.numel(); ++i)
        RC_ASSERT(special_match(y.value_as_double(i), ys.value_as_double(i)));
    }
  }
}

// op(2x) = 2 op(x) bit for bit for ops linear in their inputs, on binade values (no overflow or
// underflow: doubling commutes with rounding there).
RC_GTEST_PROP(OpLaws, LinearOpsCommuteWithDoublingExactly, (uint64_t seed)) {
  std::unique_ptr<backend::Backend> b = backend::make_backend("compiled");
  for (const OpInfo& info : kOpInfo) {
    if (!op_has(info.id, kLinear) || info.min_arity == 0) continue;
    for (DType d : {DType::f32, DType::f64}) {
      SplitMix64 rng(seed);
      OpCase c = make_op_case(info.id, d, rng, ValueKind::binade);
      OpCase doubled = c;
      const Node& node = c.graph.node(c.graph.outputs[0].node);
      for (std::size_t k = 0; k < node.parents.size(); ++k) {
        if (op_input_is_index(info.id, k)) continue;
        HostTensor& t = doubled.inputs.at("p" + std::to_string(k));
        for (int64_t i = 0; i < t.numel(); ++i) {
          if (d == DType::f32) t.values<float>()[static_cast<std::size_t>(i)] *= 2;
          else t.values<double>()[static_cast<std::size_t>(i)] *= 2;
        }
      }
      HostTensor y = b->forward(c.graph, c.inputs), y2 = b->forward(doubled.graph, doubled.inputs);
      for (int64_t i = 0; i < y.numel(); ++i)
        RC_ASSERT(same_bits(2 * y.value_as_double(i), y2.value_as_double(i)));
    }
  }
}

// Random graphs: eager and compiled keep the same value at every node, and every node holds its
// forward contract against the reference fed the backend's own parent values.
RC_GTEST_PROP(RandomGraphs, EveryNodeHoldsItsContractAndBackendsAgree, (uint64_t seed)) {
  RunOptions o;
  o.backends = {"eager", "compiled"};
  o.dtypes = {DType::f32, DType::f64};
  o.seed = seed;
  o.out_dir = (std::filesystem::temp_directory_path() / ("tl_fuzz_graphs_" + std::to_string(seed))).string();
  GraphCheckOptions go;
  go.backends = o.backends;
  go.dtypes = o.dtypes;
  go.seed = seed;
  go.graphs = 1;
  for (const GraphResult& r : run_graph_checks(go)) {
    if (r.row.local != Verdict::fail) continue;
    std::string replay;
    if (r.first_bad) {
      std::vector<std::string> files = write_discrepancies({*r.first_bad}, o, r.record_stem);
      if (!files.empty()) replay = " (replay: tl-check --replay " + o.out_dir + "/" + files[0] + ")";
    }
    RC_FAIL(r.row.first_bad_node + replay);
  }
  for (DType d : o.dtypes) {
    SplitMix64 rng(random_graph_seed(seed, d, 0));
    GraphCase rg = random_graph(rng, d);
    backend::Tensors e = backend::make_backend("eager")->run_keep_values(rg.graph, rg.inputs);
    backend::Tensors c = backend::make_backend("compiled")->run_keep_values(rg.graph, rg.inputs);
    for (std::size_t n = 0; n < e.size(); ++n) RC_ASSERT(e[n].bit_equal(c[n]));
  }
}

}  // namespace
}  // namespace tl::oracle

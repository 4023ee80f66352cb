// libFuzzer target: evaluation of arbitrary valid graphs. Bytes that parse as a small valid
// tl.ir.v1 graph are run on eager and compiled with inputs derived from the bytes: the two must
// agree bit for bit at every node, and neither may crash or raise an InternalError (a UserError —
// e.g. an index input out of range — is a valid outcome). The CUDA kernels run too, through the
// emulated engine: a graph eager accepts must run there without a crash or an error, and every node
// must have the same shape (its values follow the cuda contracts, judged by tl-check, not here).
// tl-check --graph's seeded inputs (cases/user_graphs.h) are made for every such graph too: a
// UserError at most, never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "backend/backend.h"
#include "cases/user_graphs.h"
#include "spec/error.h"
#include "spec/json_io.h"
#include "spec/splitmix.h"

namespace {

constexpr int64_t kMaxElements = 1 << 12;

std::map<std::string, tl::HostTensor> inputs_for(const tl::Graph& g, uint64_t seed) {
  tl::SplitMix64 rng(seed);
  std::map<std::string, tl::HostTensor> in;
  for (tl::NodeId id : g.inputs()) {
    const tl::Node& n = g.node(id);
    tl::HostTensor t(n.dtype, n.shape);
    for (int64_t i = 0; i < t.numel(); ++i) {
      double v = static_cast<double>(rng.below(16)) / 4 - 2;  // small dyadics, also valid small indices
      t.set_from_double(i, v);
    }
    in.emplace(std::string(tl::node_name(n)), std::move(t));
  }
  return in;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  tl::Graph g;
  try {
    g = tl::graph_from_json(text, "fuzz input");
  } catch (const tl::UserError&) {
    return 0;
  }
  int64_t total = 0;
  for (const tl::Node& n : g.nodes) total += n.shape.numel();
  if (total > kMaxElements) return 0;
  try {
    tl::oracle::GraphCase gc = tl::oracle::graph_case_of(g, "", "", size);
    tl::backend::make_backend("eager")->run_keep_values(gc.graph, gc.inputs);
  } catch (const tl::UserError&) {
  }
  auto in = inputs_for(g, size);
  tl::backend::Tensors eager, compiled;
  try {
    eager = tl::backend::make_backend("eager")->run_keep_values(g, in);
  } catch (const tl::UserError&) {
    return 0;
  }
  compiled = tl::backend::make_backend("compiled")->run_keep_values(g, in);  // eager accepted it: so must compiled
  for (std::size_t i = 0; i < eager.size(); ++i) {
    if (!eager[i].bit_equal(compiled[i])) std::abort();
  }
  tl::backend::Tensors cuda = tl::backend::make_backend("cuda-emulated")->run_keep_values(g, in);
  for (std::size_t i = 0; i < eager.size(); ++i) {
    if (!(cuda[i].shape() == eager[i].shape()) || cuda[i].dtype() != eager[i].dtype()) std::abort();
  }
  return 0;
}

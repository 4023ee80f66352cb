// Greedy value shrinking of failing op cases.
#include "checking/shrink.h"

#include <algorithm>

namespace tl::oracle {
namespace {

bool still_fails(backend::Backend& b, const OpCase& c, Direction dir, const HostTensor* upstream) {
  CaseOptions co{!dir.forward(), 0, "shrink", nullptr, upstream};
  try {
    for (const DirectionResult& d : check_case(b, c, co).directions) {
      if (d.direction.input == dir.input) return d.verdict == Verdict::fail;
    }
  } catch (const std::exception&) {
  }
  return false;
}

}  // namespace

// Inputs of more elements than this are shrunk by zeroing blocks (halves, quarters, ...) first,
// and the whole shrink stops once it has checked about kShrinkElements elements, so a failure on a
// case past a parallel grain shrinks in seconds, not minutes.
constexpr int64_t kBlockShrinkAbove = 64;
constexpr int64_t kShrinkElements = int64_t{1} << 18;

OpCase shrink_case(backend::Backend& b, const OpCase& c, Direction dir, const HostTensor* upstream, int max_checks) {
  if (!still_fails(b, c, dir, upstream)) return c;
  OpCase best = c;
  const Node& node = c.graph.node(c.graph.outputs.at(0).node);
  int64_t case_elements = 1;
  for (const auto& [_, t] : c.inputs) case_elements += t.numel();
  const int64_t budget = std::min<int64_t>(max_checks, std::max<int64_t>(16, kShrinkElements / case_elements));
  int64_t checks = 0;
  auto try_set = [&](const std::string& name, int64_t begin, int64_t end, double value) {
    bool changes = false;
    for (int64_t i = begin; i < end && !changes; ++i) changes = best.inputs.at(name).value_as_double(i) != value;
    if (!changes || ++checks > budget) return false;
    OpCase trial = best;
    for (int64_t i = begin; i < end; ++i) trial.inputs.at(name).set_from_double(i, value);
    if (!still_fails(b, trial, dir, upstream)) return false;
    best = std::move(trial);
    return true;
  };
  for (std::size_t k = 0; k < node.parents.size(); ++k) {
    if (op_input_is_index(node.op, k)) continue;
    std::string name(node_name(c.graph.node(node.parents[k])));
    const int64_t n = best.inputs.at(name).numel();
    if (n > kBlockShrinkAbove)
      for (int64_t block = n / 2; block > kBlockShrinkAbove / 2; block /= 2)
        for (int64_t start = 0; start < n; start += block) try_set(name, start, std::min(n, start + block), 0.0);
    for (int64_t i = 0; i < n; ++i)
      if (!try_set(name, i, i + 1, 0.0)) try_set(name, i, i + 1, 1.0);
  }
  return best;
}

std::optional<Discrepancy> discrepancy_of(backend::Backend& b, const OpCase& c, Direction dir, const HostTensor* upstream,
                                          uint64_t case_seed) {
  CaseOptions co{!dir.forward(), case_seed, "shrunk", nullptr, upstream};
  for (DirectionResult& d : check_case(b, c, co).directions) {
    if (d.direction.input == dir.input && d.discrepancy) return std::move(d.discrepancy);
  }
  return std::nullopt;
}

}  // namespace tl::oracle

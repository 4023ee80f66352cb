// Greedy value shrinking of failing op cases.
#include "checking/shrink.h"

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

OpCase shrink_case(backend::Backend& b, const OpCase& c, Direction dir, const HostTensor* upstream, int max_checks) {
  if (!still_fails(b, c, dir, upstream)) return c;
  OpCase best = c;
  const Node& node = c.graph.node(c.graph.outputs.at(0).node);
  int checks = 0;
  for (std::size_t k = 0; k < node.parents.size(); ++k) {
    if (op_input_is_index(node.op, k)) continue;
    std::string name(node_name(c.graph.node(node.parents[k])));
    for (int64_t i = 0; i < best.inputs.at(name).numel(); ++i) {
      double original = best.inputs.at(name).value_as_double(i);
      for (double simpler : {0.0, 1.0}) {
        if (original == simpler || ++checks > max_checks) continue;
        OpCase trial = best;
        trial.inputs.at(name).set_from_double(i, simpler);
        if (still_fails(b, trial, dir, upstream)) {
          best = std::move(trial);
          break;
        }
      }
    }
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

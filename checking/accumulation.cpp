// Checks each node's upstream gradient against the sum of its consumers' VJPs (accumulation.h).
#include "checking/accumulation.h"

#include <cmath>

#include "checking/verdict.h"
#include "reference/scalar_interval.h"
#include "spec/builder.h"
#include "spec/error.h"
#include "spec/tensor.h"

namespace tl::oracle {
namespace {

// The consumers' contributions at element i added left to right in T: the strict meaning of the sum,
// which judges non-finite sums (an infinity, or NaN from +inf + -inf, is the same in every order).
double folded(DType d, const std::vector<HostTensor>& parts, int64_t i) {
  if (d == DType::f32) {
    float acc = 0;
    for (const HostTensor& p : parts) acc = acc + static_cast<float>(p.value_as_double(i));
    return acc;
  }
  double acc = 0;
  for (const HostTensor& p : parts) acc = acc + p.value_as_double(i);
  return acc;
}

std::optional<std::string> element_error(DType d, double backend, const std::vector<HostTensor>& parts, int64_t i) {
  ref::Interval sum, magnitude;
  bool finite = true;
  for (const HostTensor& p : parts) {
    double v = p.value_as_double(i);
    finite = finite && std::isfinite(v);
    ref::add_to(sum, ref::Interval::from_double(v));
    ref::add_to(magnitude, ref::Interval::from_double(std::isfinite(v) ? std::fabs(v) : 0.0));
  }
  Contract c;
  c.kind = ContractKind::sum_bound;
  ElementTruth t;
  t.lo = &sum.raw()->left;
  t.hi = &sum.raw()->right;
  t.strict = folded(d, parts, i);
  t.condition = magnitude.upper();
  t.terms = static_cast<int64_t>(parts.size()) - 1;
  t.finite_inputs = finite;
  ElementOutcome o = check_element(c, d, backend, t);
  if (o.verdict != Verdict::fail) return std::nullopt;
  return "element " + std::to_string(i) + ": backend upstream " + hex_float(backend) + ", its " +
         std::to_string(parts.size()) + " consumers' VJPs sum to " + sum.str(17) + ": " + o.why;
}

}  // namespace

Graph accumulation_fragment(const Graph& g, NodeId x, const std::vector<HostTensor>& values,
                            const std::map<NodeId, HostTensor>& upstream) {
  GraphBuilder b(g.node(x).dtype, "accumulation_at_node_" + std::to_string(x) + "_of_" + g.name);
  const Ref xr = b.constant("x", values[static_cast<std::size_t>(x)]);
  std::optional<Ref> loss;
  for (NodeId c = x + 1; c < g.size(); ++c) {
    const Node& n = g.node(c);
    bool takes = false;
    for (std::size_t k = 0; k < n.parents.size(); ++k) takes |= n.parents[k] == x && op_input_gets_grad(n.op, static_cast<int>(k));
    if (!takes || !upstream.count(c)) continue;
    std::vector<Ref> in;
    for (std::size_t k = 0; k < n.parents.size(); ++k) {
      const NodeId p = n.parents[k];
      in.push_back(p == x ? xr : b.constant("node" + std::to_string(c) + "_input" + std::to_string(k), values[static_cast<std::size_t>(p)]));
    }
    const Ref y = b.apply(n.op, in, n.attrs);
    const Ref term = b.sum(b.mul(y, b.constant("node" + std::to_string(c) + "_upstream", upstream.at(c))));
    loss = loss ? b.add(*loss, term) : term;
  }
  TL_CHECK_INTERNAL(loss.has_value(), "an accumulation failure at a node without consumers");
  b.output("loss", *loss);
  return b.finish();
}

std::optional<AccumulationFailure> check_accumulation(const Graph& g, NodeId output,
                                                      const std::map<NodeId, HostTensor>& upstream,
                                                      const std::map<NodeId, std::vector<HostTensor>>& contributions) {
  for (const auto& [node, parts] : contributions) {
    if (node == output || parts.empty()) continue;
    auto it = upstream.find(node);
    if (it == upstream.end()) return AccumulationFailure{node, "no upstream gradient returned"};
    const HostTensor& u = it->second;
    if (u.shape() != g.node(node).shape || u.dtype() != g.node(node).dtype)
      return AccumulationFailure{node, "upstream gradient of shape " + u.shape().str() + ", expected " +
                                           g.node(node).shape.str()};
    for (int64_t i = 0; i < u.numel(); ++i)
      if (std::optional<std::string> why = element_error(u.dtype(), u.value_as_double(i), parts, i))
        return AccumulationFailure{node, *why};
  }
  return std::nullopt;
}

}  // namespace tl::oracle

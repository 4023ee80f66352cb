// Directions a backend failed without a value to judge (checking/backend_failures.h).
#include "checking/backend_failures.h"

namespace tl::oracle {

DirectionResult backend_failure(const Contract& c, Direction dir, const backend::Backend& b, const OpCase& oc,
                                const std::string& message, const CaseOptions& opt, bool undecided) {
  DirectionResult r;
  r.direction = dir;
  r.contract = c;
  r.verdict = undecided ? Verdict::undecided : Verdict::fail;
  Discrepancy d;
  d.backend = b.name();
  d.op_case = oc;
  d.direction = dir;
  d.contract = c;
  d.verdict = r.verdict;
  d.why = (undecided ? "undecided rounding in the backend: " : "backend error: ") + message;
  d.case_seed = opt.case_seed;
  d.value_kind = opt.value_kind;
  r.discrepancy = std::move(d);
  return r;
}

void drop_misshapen_gradients(backend::Backend& b, const OpCase& c, const std::vector<const HostTensor*>& in,
                              const std::vector<Contract>& contracts, const CaseOptions& opt, backend::MaybeTensors& grads,
                              CaseResult& out) {
  const Node& node = c.graph.node(c.graph.outputs[0].node);
  for (std::size_t k = 0; k < in.size(); ++k) {
    if (!op_input_gets_grad(node.op, static_cast<int>(k))) continue;
    Direction dir{static_cast<int>(k)};
    std::string why;
    if (!grads[k]) why = "no gradient returned for input " + std::to_string(k);
    else if (!(grads[k]->shape() == in[k]->shape() && grads[k]->dtype() == in[k]->dtype()))
      why = "gradient of input " + std::to_string(k) + " has shape " + grads[k]->shape().str();
    if (why.empty()) continue;
    out.directions.push_back(backend_failure(contracts[k], dir, b, c, why, opt));
    grads[k].reset();
  }
}

}  // namespace tl::oracle

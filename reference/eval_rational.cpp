// Instantiates the reference evaluator for Rational (one scalar per file keeps compile units small).
#include "reference/eval_impl.h"

namespace tl::ref {

template RefTensor<Rational> forward_op<Rational>(const Node&, const Inputs<Rational>&, const std::string&);
template Grads<Rational> vjp_op<Rational>(const Node&, const Inputs<Rational>&, const RefTensor<Rational>&,
                                 const RefTensor<Rational>&, const std::string&, const std::vector<bool>&);
template std::vector<RefTensor<Rational>> evaluate<Rational>(const Graph&, const std::map<std::string, HostTensor>&);
template std::map<NodeId, RefTensor<Rational>> gradients<Rational>(const Graph&, const std::vector<RefTensor<Rational>>&,
                                                          NodeId, const RefTensor<Rational>&,
                                                          const std::vector<NodeId>&);

}  // namespace tl::ref

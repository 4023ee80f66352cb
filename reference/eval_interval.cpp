// Instantiates the reference evaluator for Interval (one scalar per file keeps compile units small).
#include "reference/eval_impl.h"

namespace tl::ref {

template RefTensor<Interval> forward_op<Interval>(const Node&, const Inputs<Interval>&, const std::string&);
template Grads<Interval> vjp_op<Interval>(const Node&, const Inputs<Interval>&, const RefTensor<Interval>&,
                                 const RefTensor<Interval>&, const std::string&, const std::vector<bool>&);
template std::vector<RefTensor<Interval>> evaluate<Interval>(const Graph&, const std::map<std::string, HostTensor>&);
template std::map<NodeId, RefTensor<Interval>> gradients<Interval>(const Graph&, const std::vector<RefTensor<Interval>>&,
                                                          NodeId, const RefTensor<Interval>&,
                                                          const std::vector<NodeId>&);

}  // namespace tl::ref

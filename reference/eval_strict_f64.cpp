// Instantiates the reference evaluator for Strict<double> (one scalar per file keeps compile units small).
#include "reference/eval_impl.h"

namespace tl::ref {

template RefTensor<Strict<double>> forward_op<Strict<double>>(const Node&, const Inputs<Strict<double>>&, const std::string&);
template Grads<Strict<double>> vjp_op<Strict<double>>(const Node&, const Inputs<Strict<double>>&, const RefTensor<Strict<double>>&,
                                 const RefTensor<Strict<double>>&, const std::string&, const std::vector<bool>&);
template std::vector<RefTensor<Strict<double>>> evaluate<Strict<double>>(const Graph&, const std::map<std::string, HostTensor>&);
template std::map<NodeId, RefTensor<Strict<double>>> gradients<Strict<double>>(const Graph&, const std::vector<RefTensor<Strict<double>>>&,
                                                          NodeId, const RefTensor<Strict<double>>&,
                                                          const std::vector<NodeId>&);

}  // namespace tl::ref

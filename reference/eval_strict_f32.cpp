// Instantiates the reference evaluator for Strict<float> (one scalar per file keeps compile units small).
#include "reference/eval_impl.h"

namespace tl::ref {

template RefTensor<Strict<float>> forward_op<Strict<float>>(const Node&, const Inputs<Strict<float>>&, const std::string&);
template Grads<Strict<float>> vjp_op<Strict<float>>(const Node&, const Inputs<Strict<float>>&, const RefTensor<Strict<float>>&,
                                 const RefTensor<Strict<float>>&, const std::string&, const std::vector<bool>&);
template std::vector<RefTensor<Strict<float>>> evaluate<Strict<float>>(const Graph&, const std::map<std::string, HostTensor>&);
template std::map<NodeId, RefTensor<Strict<float>>> gradients<Strict<float>>(const Graph&, const std::vector<RefTensor<Strict<float>>>&,
                                                          NodeId, const RefTensor<Strict<float>>&,
                                                          const std::vector<NodeId>&);

}  // namespace tl::ref

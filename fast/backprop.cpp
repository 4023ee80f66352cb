// The shared backward sweep of the fast backends.
#include "fast/backprop.h"

#include "fast/kernels/elementwise.h"
#include "fast/kernels/kernels.h"
#include "fast/planted.h"
#include "kernel_rules/backprop_sweep.h"
#include "spec/error.h"

namespace tl::fast {
namespace {

template <class T> void add_into(HostTensor& target, const HostTensor& x) {
  T* t = target.values<T>().data();
  const T* v = x.values<T>().data();
  for (int64_t i = 0; i < target.numel(); ++i) t[i] = t[i] + v[i];
}

}  // namespace

std::map<NodeId, HostTensor> backprop(const Graph& g, const std::function<const HostTensor&(NodeId)>& value,
                                      NodeId output, const HostTensor& seed, const std::vector<NodeId>& wrt) {
  check_gradient_seed(g, output, seed);
  auto node_vjp = [&](NodeId i, const HostTensor& gi, const std::vector<bool>& wanted) {
    const Node& n = g.node(i);
    HostInputs in;
    for (NodeId p : n.parents) in.push_back(&value(p));
    return backward(n, in, value(i), gi, node_label(i, n.op), wanted);
  };
  auto add = [](HostTensor& target, const HostTensor& x) {
    if (TL_PLANTED("fanout_gradient_overwritten")) {  // strength-check build only: the last contribution wins
      target = x;
      return;
    }
    switch (target.dtype()) {
      case DType::f32: add_into<float>(target, x); break;
      case DType::f64: add_into<double>(target, x); break;
    }
  };
  auto zeros = [&](NodeId id) { return HostTensor(g.node(id).dtype, g.node(id).shape); };
  return backprop_sweep<HostTensor>(g, output, seed, wrt, node_vjp, add, zeros);
}

}  // namespace tl::fast

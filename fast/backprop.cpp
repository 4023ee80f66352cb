// The shared backward sweep of the fast backends.
#include "fast/backprop.h"

#include "fast/kernels/elementwise.h"
#include "fast/kernels/kernels.h"
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
  TL_CHECK_USER(output >= 0 && output < g.size(), "gradients: output node " + std::to_string(output) + " does not exist");
  TL_CHECK_USER(seed.shape() == g.node(output).shape && seed.dtype() == g.node(output).dtype,
                "gradients: the seed must be " + std::string(dtype_name(g.node(output).dtype)) + g.node(output).shape.str());
  std::vector<bool> needed = gradient_paths(g, wrt);
  std::vector<std::optional<HostTensor>> grad(static_cast<std::size_t>(g.size()));
  grad[static_cast<std::size_t>(output)] = seed;
  for (NodeId i = output; i >= 0; --i) {
    const Node& n = g.node(i);
    auto& gi = grad[static_cast<std::size_t>(i)];
    if (!gi || !op_differentiable(n.op) || !needed[static_cast<std::size_t>(i)]) continue;
    HostInputs in;
    std::vector<bool> wanted;
    for (NodeId p : n.parents) {
      in.push_back(&value(p));
      wanted.push_back(needed[static_cast<std::size_t>(p)]);
    }
    HostGrads dx = backward(n, in, value(i), *gi, node_label(i, n.op), wanted);
    for (std::size_t k = 0; k < dx.size(); ++k) {
      if (!dx[k]) continue;
      auto& target = grad[static_cast<std::size_t>(n.parents[k])];
      if (!target) {
        target = std::move(*dx[k]);
        continue;
      }
      switch (target->dtype()) {
        case DType::f32: add_into<float>(*target, *dx[k]); break;
        case DType::f64: add_into<double>(*target, *dx[k]); break;
      }
    }
  }
  std::map<NodeId, HostTensor> out;
  for (NodeId id : wrt) {
    if (out.count(id)) continue;  // asked twice
    auto& gi = grad[static_cast<std::size_t>(id)];
    out.emplace(id, gi ? std::move(*gi) : HostTensor(g.node(id).dtype, g.node(id).shape));
  }
  return out;
}

}  // namespace tl::fast

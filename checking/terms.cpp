// Reduction lengths per op: one switch over OpId, no default.
#include "checking/terms.h"

#include <algorithm>

#include "spec/error.h"

namespace tl::oracle {
namespace {

int64_t axis_length(const Shape& s, int64_t axis) {
  if (s.rank() == 0) return 1;
  return s.dim(axis < 0 ? axis + s.rank() : axis);
}

int64_t layer_norm_count(const Node& node, const Shape& x) {
  int64_t axis = std::get<LayerNormAttrs>(node.attrs).axis;
  if (axis < 0) axis += x.rank();
  int64_t count = 1;
  for (int64_t d = axis; d < x.rank(); ++d) count *= x.dim(d);
  return count;
}

int64_t batch_norm_count(const Shape& x) {
  int64_t count = x.dim(0);
  for (int64_t d = 2; d < x.rank(); ++d) count *= x.dim(d);
  return count;
}

}  // namespace

int64_t reduction_terms(const Node& node, const std::vector<Shape>& in) {
  switch (node.op) {
    case OpId::input: case OpId::constant: case OpId::detach: case OpId::bernoulli_mask:
    case OpId::rand_uniform: case OpId::neg: case OpId::abs: case OpId::square: case OpId::sqrt:
    case OpId::rsqrt: case OpId::reciprocal: case OpId::exp: case OpId::log: case OpId::sin:
    case OpId::cos: case OpId::tanh: case OpId::sigmoid: case OpId::relu: case OpId::gelu:
    case OpId::softplus: case OpId::scale: case OpId::clamp: case OpId::safe_log: case OpId::hardtanh: case OpId::add:
    case OpId::sub: case OpId::mul: case OpId::div: case OpId::maximum: case OpId::minimum:
    case OpId::reshape: case OpId::flatten: case OpId::permute: case OpId::transpose:
    case OpId::broadcast_to: case OpId::concat: case OpId::slice: case OpId::gather_rows:
    case OpId::max_pool2d:
      return 1;
    case OpId::sum: return std::max<int64_t>(1, in[0].numel());
    case OpId::reduce_sum: case OpId::reduce_mean: case OpId::reduce_max: case OpId::softmax:
    case OpId::log_softmax: case OpId::logsumexp:
      return std::max<int64_t>(1, axis_length(in[0], std::get<AxisAttrs>(node.attrs).axis));
    case OpId::matmul: return std::max<int64_t>(1, in[1].dim(in[1].rank() - 2));
    case OpId::linear: return in[1].dim(1) + (in.size() > 2 ? 1 : 0);
    case OpId::conv2d: return in[1].dim(1) * in[1].dim(2) * in[1].dim(3) + (in.size() > 2 ? 1 : 0);
    case OpId::avg_pool2d: {
      const auto& a = std::get<Pool2dAttrs>(node.attrs);
      return a.kernel_h * a.kernel_w;
    }
    case OpId::layer_norm: return std::max<int64_t>(1, layer_norm_count(node, in[0]));
    case OpId::batch_norm: return std::max<int64_t>(1, batch_norm_count(in[0]));
    case OpId::scatter_add_rows: return std::max<int64_t>(1, in[1].numel());
    case OpId::mse_loss: case OpId::bce_with_logits: return std::max<int64_t>(1, in[0].numel());
    case OpId::cross_entropy: case OpId::nll: return std::max<int64_t>(1, in[0].numel());
  }
  throw_internal("bad OpId value");
}

int64_t vjp_reduction_terms(const Node& node, const std::vector<Shape>& in) {
  int64_t n = reduction_terms(node, in);
  for (int64_t d = 0; d < node.shape.rank(); ++d) n = std::max(n, node.shape.dim(d));
  if (node.op == OpId::conv2d) n = std::max(n, node.shape.numel() / std::max<int64_t>(1, node.shape.dim(1)));
  if (node.op == OpId::broadcast_to) n = std::max(n, node.shape.numel() / std::max<int64_t>(1, in[0].numel()));
  // linear's dW and db sum over every leading row of x (rank >= 3: the product of its leading axes).
  if (node.op == OpId::linear && node.shape.rank() > 0)
    n = std::max(n, node.shape.numel() / std::max<int64_t>(1, node.shape.dim(node.shape.rank() - 1)));
  return n;
}

}  // namespace tl::oracle

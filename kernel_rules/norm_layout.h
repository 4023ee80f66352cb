// Where the elements of one normalised group lie, shared by the backends that run layer_norm and
// batch_norm (fast/, cuda/, and the oracle's data scales): a group is a row of the trailing axes
// [axis, rank) for layer_norm (element j of group g at g*count + j, affine parameter j), or a channel
// c for batch_norm on [N,C] / [N,C,H,W] (element j = n*HW + s at (n*C + c)*HW + s, count = N*HW,
// affine parameter c). The index rules are TL_RULE: callable in CUDA kernel bodies too.
#pragma once

#include <cstdint>
#include <variant>

#include "spec/graph.h"
#include "spec/host_device.h"

namespace tl {

struct NormLayout {
  int64_t groups = 1, count = 1, channels = 1, spatial = 1;
  bool per_channel = false;
  TL_RULE int64_t element(int64_t grp, int64_t j) const {
    if (!per_channel) return grp * count + j;
    return ((j / spatial) * channels + grp) * spatial + j % spatial;
  }
  // The affine parameter (gamma, beta index) of element j of group grp.
  TL_RULE int64_t affine(int64_t grp, int64_t j) const { return per_channel ? grp : j; }
  // The group and the affine parameter of the element at flat index `at`.
  TL_RULE int64_t group_of(int64_t at) const { return per_channel ? (at / spatial) % channels : at / count; }
  TL_RULE int64_t param_of(int64_t at) const { return per_channel ? group_of(at) : at % count; }
  int64_t params() const { return per_channel ? channels : count; }
};

inline NormLayout norm_layout(const Node& n, const Shape& x) {
  NormLayout l;
  if (n.op == OpId::layer_norm) {
    int64_t axis = std::get<LayerNormAttrs>(n.attrs).axis;
    for (int64_t d = 0; d < x.rank(); ++d) (d < axis ? l.groups : l.count) *= x.dim(d);
    return l;
  }
  l.per_channel = true;
  l.channels = l.groups = x.dim(1);
  l.spatial = x.rank() == 4 ? x.dim(2) * x.dim(3) : 1;
  l.count = x.dim(0) * l.spatial;
  return l;
}

inline double norm_eps(const Node& n) {
  return n.op == OpId::layer_norm ? std::get<LayerNormAttrs>(n.attrs).eps : std::get<BatchNormAttrs>(n.attrs).eps;
}

// batch_norm with training = false: the running statistics instead of the batch's.
inline bool norm_eval_form(const Node& n) {
  return n.op == OpId::batch_norm && !std::get<BatchNormAttrs>(n.attrs).training;
}

}  // namespace tl

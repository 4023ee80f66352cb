// Typed attribute structs, one per op family (named in spec/ops.def).
//
// Every struct lists its fields once, in `visit_fields`, which JSON reading and writing, equality,
// printing and DOT labels all use. Field kinds: double, int64_t, uint64_t, bool, std::string, Dims,
// Reduction, InputRole. Defaults below are the defaults a JSON reader applies when a field is absent;
// the writer always writes every field.
//
// Floating attributes (scale c, clamp bounds, epsilons) are real numbers that must be exactly
// representable in the node's dtype, so the text of a graph means exactly what runs; GraphBuilder
// rounds them for the user, validation rejects unrepresentable ones.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "spec/shape.h"

namespace tl {

enum class Reduction { mean, sum };
enum class InputRole { data, param };

std::string_view reduction_name(Reduction r);
std::string_view input_role_name(InputRole r);

struct NoAttrs {
  template <class V> void visit_fields(V&) {}
  bool operator==(const NoAttrs&) const = default;
};

// input: a named graph input; `role` says whether it is data or a trainable parameter.
struct InputAttrs {
  std::string name;
  InputRole role = InputRole::data;
  template <class V> void visit_fields(V& v) { v("name", name); v("role", role); }
  bool operator==(const InputAttrs&) const = default;
};

// const: a named constant; its payload is the node's `value`.
struct ConstAttrs {
  std::string name;
  template <class V> void visit_fields(V& v) { v("name", name); }
  bool operator==(const ConstAttrs&) const = default;
};

// rand_uniform: u[i] = low32(splitmix64(key + i)) / 2^32 with key = splitmix64(seed).
struct RandUniformAttrs {
  uint64_t seed = 0;
  template <class V> void visit_fields(V& v) { v("seed", seed); }
  bool operator==(const RandUniformAttrs&) const = default;
};

// bernoulli_mask: m[i] = 1 if u[i] < keep_prob else 0, u as for rand_uniform.
struct BernoulliMaskAttrs {
  double keep_prob = 0.5;
  uint64_t seed = 0;
  template <class V> void visit_fields(V& v) { v("keep_prob", keep_prob); v("seed", seed); }
  bool operator==(const BernoulliMaskAttrs&) const = default;
};

struct ScaleAttrs {
  double c = 1.0;
  template <class V> void visit_fields(V& v) { v("c", c); }
  bool operator==(const ScaleAttrs&) const = default;
};

struct ClampAttrs {
  double lo = 0.0;
  double hi = 1.0;
  template <class V> void visit_fields(V& v) { v("lo", lo); v("hi", hi); }
  bool operator==(const ClampAttrs&) const = default;
};

// safe_log(x) = log(softplus(x) + eps) (TorchLean's definition; defined and smooth everywhere).
struct SafeLogAttrs {
  double eps = 1e-6;  // float32 graphs hold it rounded to float32
  template <class V> void visit_fields(V& v) { v("eps", eps); }
  bool operator==(const SafeLogAttrs&) const = default;
};

// Reductions and softmax family: `axis` is the axis reduced (removed) or normalised over.
// concat: the axis joined along.
struct AxisAttrs {
  int64_t axis = 0;
  template <class V> void visit_fields(V& v) { v("axis", axis); }
  bool operator==(const AxisAttrs&) const = default;
};

// layer_norm(x, gamma, beta): normalises over the trailing axes [axis, rank); gamma and beta have
// shape x.shape[axis:]. Biased variance, as PyTorch.
struct LayerNormAttrs {
  int64_t axis = 0;
  double eps = 1e-5;  // PyTorch's default
  template <class V> void visit_fields(V& v) { v("axis", axis); v("eps", eps); }
  bool operator==(const LayerNormAttrs&) const = default;
};

// batch_norm: channels on axis 1 of an [N,C] or [N,C,H,W] input.
// training=true: inputs (x, gamma, beta), statistics of the batch (biased variance).
// training=false: inputs (x, gamma, beta, running_mean, running_var).
// `momentum` is carried for the runtime's running-statistics update; the op's value ignores it.
struct BatchNormAttrs {
  bool training = true;
  double eps = 1e-6;  // TorchLean's Numbers.epsilon
  double momentum = 0.1;
  template <class V> void visit_fields(V& v) {
    v("training", training); v("eps", eps); v("momentum", momentum);
  }
  bool operator==(const BatchNormAttrs&) const = default;
};

// conv2d(x[N,C,H,W], w[O,C,KH,KW], b[O]?): zero padding, no dilation, no groups.
struct Conv2dAttrs {
  int64_t stride_h = 1, stride_w = 1, pad_h = 0, pad_w = 0;
  template <class V> void visit_fields(V& v) {
    v("stride_h", stride_h); v("stride_w", stride_w); v("pad_h", pad_h); v("pad_w", pad_w);
  }
  bool operator==(const Conv2dAttrs&) const = default;
};

// max_pool2d / avg_pool2d on [N,C,H,W], floor mode. Max pooling ignores padding cells (as -inf);
// average pooling divides by kernel_h*kernel_w (PyTorch's count_include_pad=True).
struct Pool2dAttrs {
  int64_t kernel_h = 2, kernel_w = 2, stride_h = 2, stride_w = 2, pad_h = 0, pad_w = 0;
  template <class V> void visit_fields(V& v) {
    v("kernel_h", kernel_h); v("kernel_w", kernel_w); v("stride_h", stride_h);
    v("stride_w", stride_w); v("pad_h", pad_h); v("pad_w", pad_w);
  }
  bool operator==(const Pool2dAttrs&) const = default;
};

// reshape / broadcast_to: the target shape.
struct ShapeAttrs {
  Dims shape;
  template <class V> void visit_fields(V& v) { v("shape", shape); }
  bool operator==(const ShapeAttrs&) const = default;
};

// flatten: merges axes [axis, rank) into one (axis 0 gives a vector, axis 1 gives [N, rest]).
struct FlattenAttrs {
  int64_t axis = 0;
  template <class V> void visit_fields(V& v) { v("axis", axis); }
  bool operator==(const FlattenAttrs&) const = default;
};

// permute: output axis i is input axis perm[i].
struct PermuteAttrs {
  Dims perm;
  template <class V> void visit_fields(V& v) { v("perm", perm); }
  bool operator==(const PermuteAttrs&) const = default;
};

// transpose: swaps two axes.
struct TransposeAttrs {
  int64_t axis0 = 0, axis1 = 1;
  template <class V> void visit_fields(V& v) { v("axis0", axis0); v("axis1", axis1); }
  bool operator==(const TransposeAttrs&) const = default;
};

// slice: elements [start, end) of one axis, step 1.
struct SliceAttrs {
  int64_t axis = 0, start = 0, end = 0;
  template <class V> void visit_fields(V& v) { v("axis", axis); v("start", start); v("end", end); }
  bool operator==(const SliceAttrs&) const = default;
};

// scatter_add_rows(src[I..., D...], idx[I...]) -> [rows, D...].
struct ScatterAttrs {
  int64_t rows = 0;
  template <class V> void visit_fields(V& v) { v("rows", rows); }
  bool operator==(const ScatterAttrs&) const = default;
};

struct LossAttrs {
  Reduction reduction = Reduction::mean;
  template <class V> void visit_fields(V& v) { v("reduction", reduction); }
  bool operator==(const LossAttrs&) const = default;
};

}  // namespace tl

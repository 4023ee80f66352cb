// Reference semantics of the shape and indexing ops. They move values without arithmetic, except
// the VJPs of broadcast_to, gather_rows and the forward of scatter_add_rows, which sum: left folds
// from +0 in ascending index order.
#pragma once

#include "reference/ops_elementwise.h"

namespace tl::ref {

// Multi-index of flat offset i in shape s.
inline Dims unravel(int64_t i, const Shape& s) {
  Dims idx(static_cast<std::size_t>(s.rank()));
  for (int64_t d = s.rank() - 1; d >= 0; --d) {
    idx[static_cast<std::size_t>(d)] = i % s.dim(d);
    i /= s.dim(d);
  }
  return idx;
}

inline int64_t ravel(const Dims& idx, const Shape& s) {
  int64_t i = 0;
  for (int64_t d = 0; d < s.rank(); ++d) i = i * s.dim(d) + idx[static_cast<std::size_t>(d)];
  return i;
}

// For each output element, the input element it copies (permute, transpose, broadcast_to, concat
// input k, slice). Returns -1 where the output element comes from another input (concat).
inline std::vector<int64_t> source_map(const OpCtx& c, Move kind, const Shape& x, int64_t concat_input,
                                       const std::vector<const Shape*>& all_inputs) {
  const Shape& y = c.out_shape;
  std::vector<int64_t> src(static_cast<std::size_t>(y.numel()), -1);
  for (int64_t j = 0; j < y.numel(); ++j) {
    Dims o = unravel(j, y);
    Dims in(static_cast<std::size_t>(x.rank()));
    switch (kind) {
      case Move::reshape: case Move::flatten: throw_internal("reshape and flatten need no source map");
      case Move::permute: {
        const Dims& perm = c.a<PermuteAttrs>().perm;
        for (std::size_t i = 0; i < perm.size(); ++i) in[static_cast<std::size_t>(perm[i])] = o[i];
        break;
      }
      case Move::transpose: {
        in = o;
        std::swap(in[static_cast<std::size_t>(c.a<TransposeAttrs>().axis0)],
                  in[static_cast<std::size_t>(c.a<TransposeAttrs>().axis1)]);
        break;
      }
      case Move::broadcast_to: {
        int64_t offset = y.rank() - x.rank();
        for (int64_t d = 0; d < x.rank(); ++d) {
          in[static_cast<std::size_t>(d)] = x.dim(d) == 1 ? 0 : o[static_cast<std::size_t>(d + offset)];
        }
        break;
      }
      case Move::slice: {
        in = o;
        in[static_cast<std::size_t>(c.a<SliceAttrs>().axis)] += c.a<SliceAttrs>().start;
        break;
      }
      case Move::concat: {
        int64_t axis = c.a<AxisAttrs>().axis, pos = o[static_cast<std::size_t>(axis)];
        for (int64_t k = 0; k < concat_input; ++k) pos -= all_inputs[static_cast<std::size_t>(k)]->dim(axis);
        if (pos < 0 || pos >= x.dim(axis)) continue;
        in = o;
        in[static_cast<std::size_t>(axis)] = pos;
        break;
      }
    }
    src[static_cast<std::size_t>(j)] = ravel(in, x);
  }
  return src;
}

template <class S>
std::vector<const Shape*> shapes_of(const Inputs<S>& in) {
  std::vector<const Shape*> s;
  for (const auto* t : in) s.push_back(&t->shape);
  return s;
}

// reshape, flatten, permute, transpose, broadcast_to, concat, slice.
template <class S>
RefTensor<S> fwd_move(const OpCtx& c, Move kind, const Inputs<S>& in) {
  RefTensor<S> y(c.out_shape);
  if (keeps_memory_order(kind)) {
    y.v = in[0]->v;
    return y;
  }
  for (std::size_t k = 0; k < in.size(); ++k) {
    std::vector<int64_t> src = source_map(c, kind, in[k]->shape, static_cast<int64_t>(k), shapes_of(in));
    for (int64_t j = 0; j < y.numel(); ++j) {
      if (src[static_cast<std::size_t>(j)] >= 0) y[j] = (*in[k])[src[static_cast<std::size_t>(j)]];
    }
  }
  return y;
}

// The VJP of a move: each input element gets the left fold (from +0) of the gradients of the output
// elements that copied it — one term except for broadcast_to; untouched elements (slice) get +0.
template <class S>
void vjp_move(const OpCtx& c, Move kind, const Inputs<S>& in, const RefTensor<S>& g, Grads<S>& dx) {
  for (std::size_t k = 0; k < in.size(); ++k) {
    if (keeps_memory_order(kind)) {
      RefTensor<S> d(in[0]->shape);
      d.v = g.v;
      dx[0] = std::move(d);
      return;
    }
    RefTensor<S> d = zeros<S>(in[k]->shape);
    std::vector<int64_t> src = source_map(c, kind, in[k]->shape, static_cast<int64_t>(k), shapes_of(in));
    for (int64_t j = 0; j < g.numel(); ++j) {
      int64_t at = src[static_cast<std::size_t>(j)];
      if (at >= 0) d[at] = kind == Move::broadcast_to ? d[at] + g[j] : g[j];
    }
    dx[k] = std::move(d);
  }
}

// gather_rows(table [R, D...], idx [I...]) and scatter_add_rows(src [I..., D...], idx [I...]).
template <class S>
RefTensor<S> fwd_rows(const OpCtx& c, const Inputs<S>& in) {
  const RefTensor<S>& data = *in[0];
  const RefTensor<S>& idx = *in[1];
  bool gather = c.op == OpId::gather_rows;
  int64_t rows = gather ? data.shape.dim(0) : c.a<ScatterAttrs>().rows;
  int64_t row_size = idx.numel() ? (gather ? c.out_shape.numel() : data.numel()) / idx.numel() : 0;
  RefTensor<S> y = gather ? RefTensor<S>(c.out_shape) : zeros<S>(c.out_shape);
  for (int64_t i = 0; i < idx.numel(); ++i) {
    int64_t r = index_at(idx, i, rows, c.where);
    for (int64_t d = 0; d < row_size; ++d) {
      if (gather) y[i * row_size + d] = data[r * row_size + d];
      else y[r * row_size + d] = y[r * row_size + d] + data[i * row_size + d];
    }
  }
  return y;
}

template <class S>
void vjp_rows(const OpCtx& c, const Inputs<S>& in, const RefTensor<S>& g, Grads<S>& dx) {
  const RefTensor<S>& data = *in[0];
  const RefTensor<S>& idx = *in[1];
  bool gather = c.op == OpId::gather_rows;
  int64_t rows = gather ? data.shape.dim(0) : c.a<ScatterAttrs>().rows;
  int64_t row_size = idx.numel() ? (gather ? g.numel() : data.numel()) / idx.numel() : 0;
  RefTensor<S> d = gather ? zeros<S>(data.shape) : RefTensor<S>(data.shape);
  for (int64_t i = 0; i < idx.numel(); ++i) {
    int64_t r = index_at(idx, i, rows, c.where);
    for (int64_t k = 0; k < row_size; ++k) {
      if (gather) d[r * row_size + k] = d[r * row_size + k] + g[i * row_size + k];
      else d[i * row_size + k] = g[r * row_size + k];
    }
  }
  dx[0] = std::move(d);
}

}  // namespace tl::ref

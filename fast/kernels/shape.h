// Fast kernels: reshape/flatten, permute, transpose, broadcast_to, concat, slice (pure data
// movement: exact) and gather_rows / scatter_add_rows (scatter sums in ascending index order from +0,
// as does the broadcast_to and gather VJP).
#pragma once

#include "fast/kernels/common.h"

namespace tl::fast {

// For output element j: (input number, offset in that input).
struct MoveMap {
  std::vector<int32_t> input;
  std::vector<int64_t> offset;
};

inline MoveMap move_map(const Node& node, Move kind, const std::vector<Shape>& shapes) {
  const Shape& y = node.shape;
  MoveMap m{std::vector<int32_t>(static_cast<std::size_t>(y.numel())), std::vector<int64_t>(static_cast<std::size_t>(y.numel()))};
  Dims strides_y = row_major_strides(y);
  for (int64_t j = 0; j < y.numel(); ++j) {
    Dims o(static_cast<std::size_t>(y.rank()));
    for (int64_t d = 0, rest = j; d < y.rank(); ++d) {
      o[static_cast<std::size_t>(d)] = rest / strides_y[static_cast<std::size_t>(d)];
      rest %= strides_y[static_cast<std::size_t>(d)];
    }
    int32_t k = 0;
    Dims in = o;
    switch (kind) {
      case Move::reshape: case Move::flatten: break;
      case Move::permute: {
        const Dims& perm = std::get<PermuteAttrs>(node.attrs).perm;
        for (std::size_t i = 0; i < perm.size(); ++i) in[static_cast<std::size_t>(perm[i])] = o[i];
        break;
      }
      case Move::transpose: {
        const auto& a = std::get<TransposeAttrs>(node.attrs);
        std::swap(in[static_cast<std::size_t>(a.axis0)], in[static_cast<std::size_t>(a.axis1)]);
        break;
      }
      case Move::broadcast_to: {
        const Shape& x = shapes[0];
        in.assign(static_cast<std::size_t>(x.rank()), 0);
        for (int64_t d = 0; d < x.rank(); ++d) {
          in[static_cast<std::size_t>(d)] = x.dim(d) == 1 ? 0 : o[static_cast<std::size_t>(d + y.rank() - x.rank())];
        }
        break;
      }
      case Move::concat: {
        std::size_t axis = static_cast<std::size_t>(std::get<AxisAttrs>(node.attrs).axis);
        while (in[axis] >= shapes[static_cast<std::size_t>(k)].dim(static_cast<int64_t>(axis))) {
          in[axis] -= shapes[static_cast<std::size_t>(k)].dim(static_cast<int64_t>(axis));
          ++k;
        }
        break;
      }
      case Move::slice: {
        const auto& a = std::get<SliceAttrs>(node.attrs);
        in[static_cast<std::size_t>(a.axis)] += a.start;
        break;
      }
    }
    const Shape& src = shapes[static_cast<std::size_t>(k)];
    int64_t off = 0;
    if (keeps_memory_order(kind)) off = j;
    else for (int64_t d = 0; d < src.rank(); ++d) off = off * src.dim(d) + in[static_cast<std::size_t>(d)];
    m.input[static_cast<std::size_t>(j)] = k;
    m.offset[static_cast<std::size_t>(j)] = off;
  }
  return m;
}

inline std::vector<Shape> shapes_of(const HostInputs& in) {
  std::vector<Shape> s;
  for (const HostTensor* t : in) s.push_back(t->shape());
  return s;
}

template <class T> void move_forward(const Node& node, Move kind, const HostInputs& in, HostTensor& y) {
  T* out = data<T>(y);
  if (keeps_memory_order(kind)) {
    std::copy(data<T>(in[0]), data<T>(in[0]) + y.numel(), out);
    return;
  }
  MoveMap m = move_map(node, kind, shapes_of(in));
  for (int64_t j = 0; j < y.numel(); ++j) {
    out[j] = data<T>(in[static_cast<std::size_t>(m.input[static_cast<std::size_t>(j)])])[m.offset[static_cast<std::size_t>(j)]];
  }
}

template <class T> void move_backward(const Node& node, Move kind, const HostInputs& in, const HostTensor& g, HostGrads& dx) {
  const T* gv = data<T>(&g);
  std::vector<HostTensor> d;
  for (const HostTensor* t : in) d.emplace_back(t->dtype(), t->shape());
  if (keeps_memory_order(kind)) {
    std::copy(gv, gv + g.numel(), data<T>(d[0]));
  } else {
    MoveMap m = move_map(node, kind, shapes_of(in));
    for (int64_t j = 0; j < g.numel(); ++j) {
      T& target = data<T>(d[static_cast<std::size_t>(m.input[static_cast<std::size_t>(j)])])[m.offset[static_cast<std::size_t>(j)]];
      target = kind == Move::broadcast_to ? target + gv[j] : gv[j];
    }
  }
  for (std::size_t k = 0; k < d.size(); ++k) dx[k] = std::move(d[k]);
}

template <class T> void rows_forward(const Node& node, const HostInputs& in, HostTensor& y, const std::string& where) {
  bool gather = node.op == OpId::gather_rows;
  const T* src = data<T>(in[0]);
  const T* idx = data<T>(in[1]);
  int64_t n_idx = in[1]->numel();
  int64_t rows = gather ? in[0]->shape().dim(0) : std::get<ScatterAttrs>(node.attrs).rows;
  int64_t row_size = n_idx ? (gather ? y.numel() : in[0]->numel()) / n_idx : 0;
  T* out = data<T>(y);
  for (int64_t i = 0; i < n_idx; ++i) {
    int64_t r = index_at(idx, i, rows, where);
    for (int64_t d = 0; d < row_size; ++d) {
      if (gather) out[i * row_size + d] = src[r * row_size + d];
      else out[r * row_size + d] += src[i * row_size + d];
    }
  }
}

template <class T> void rows_backward(const Node& node, const HostInputs& in, const HostTensor& g, HostGrads& dx,
                                      const std::string& where) {
  bool gather = node.op == OpId::gather_rows;
  const T* idx = data<T>(in[1]);
  const T* gv = data<T>(&g);
  int64_t n_idx = in[1]->numel();
  int64_t rows = gather ? in[0]->shape().dim(0) : std::get<ScatterAttrs>(node.attrs).rows;
  int64_t row_size = n_idx ? (gather ? g.numel() : in[0]->numel()) / n_idx : 0;
  HostTensor d(in[0]->dtype(), in[0]->shape());
  T* dv = data<T>(d);
  for (int64_t i = 0; i < n_idx; ++i) {
    int64_t r = index_at(idx, i, rows, where);
    for (int64_t k = 0; k < row_size; ++k) {
      if (gather) dv[r * row_size + k] += gv[i * row_size + k];
      else dv[i * row_size + k] = gv[r * row_size + k];
    }
  }
  dx[0] = std::move(d);
}

}  // namespace tl::fast

// The shape family of the cuda backend: reshape, flatten, permute, transpose, broadcast_to, concat,
// slice, gather_rows, scatter_add_rows. Ranks are unbounded (spec/infer_shape_ops.cpp), so per-axis
// shape metadata travels as an int64 device buffer (upload_indices).
//
// Declared orders (the fast backend's, fast/kernels/shape.h):
//  - reshape, flatten, permute, transpose, broadcast_to, concat, slice, gather_rows forward and their
//    backwards except broadcast_to's and gather_rows': exact copies, one body per element written
//    (reshape/flatten/permute/transpose backward: the inverse map, each element written once; slice
//    backward: g inside the slice, +0 elsewhere).
//  - broadcast_to backward: dx[e] = left fold from +0 of g[j] over the output positions j that copy
//    input element e, in ascending j (fast adds g[j] into dx in ascending j from a zeroed tensor).
//  - scatter_add_rows forward: y[r, c] = left fold from +0 of src[i, c] over the index positions i
//    with idx[i] == r, in ascending i (fast's += into a zeroed output in ascending i); rows that no
//    index names are +0. gather_rows backward: the same fold of g rows into the table's shape.
//    scatter_add_rows backward: dsrc[i, c] = g[idx[i], c] (a gather).
//  - Indices are checked (checked_indices, bound = rows of the table / the output) before any kernel.
// One body per output element; the scatter folds read a per-row list of positions in ascending order
// built on the host (counting sort), so no atomics and no two bodies write the same element.
#include "cuda/kernels.h"
#include "cuda/math.h"

#include "spec/error.h"

namespace tl::cuda::TL_CUDA_NS {
namespace {

template <class T> void copy_elems(const T* src, T* dst, int64_t count, const std::string& where) {
  for_each_index(count, TL_BODY(int64_t j) { dst[j] = src[j]; }, where);
}

// Shape metadata on the device (never an empty upload: a scalar's metadata is one unused 0).
DeviceBuffer upload_meta(std::vector<int64_t> m, const std::string& where) {
  if (m.empty()) m.push_back(0);
  return upload_indices(m, where);
}

// ---- permute / transpose / broadcast_to: output element j reads source offset off(j) ---------------
// meta = [ydims (rank), source stride of each output axis (rank)]; stride 0 on broadcast axes.
std::vector<int64_t> map_meta(const Node& n, const Shape& x, const Shape& y) {
  const int64_t r = y.rank();
  Dims xs = row_major_strides(x);
  std::vector<int64_t> m(static_cast<std::size_t>(2 * r), 0);
  for (int64_t d = 0; d < r; ++d) {
    int64_t s = 0;
    if (n.op == OpId::permute) {
      s = xs[static_cast<std::size_t>(std::get<PermuteAttrs>(n.attrs).perm[static_cast<std::size_t>(d)])];
    } else if (n.op == OpId::transpose) {
      const auto& a = std::get<TransposeAttrs>(n.attrs);
      s = xs[static_cast<std::size_t>(d == a.axis0 ? a.axis1 : d == a.axis1 ? a.axis0 : d)];
    } else {  // broadcast_to: x is aligned to the trailing axes of y
      int64_t xd = d - (r - x.rank());
      s = xd < 0 || x.dim(xd) == 1 ? 0 : xs[static_cast<std::size_t>(xd)];
    }
    m[static_cast<std::size_t>(d)] = y.dim(d);
    m[static_cast<std::size_t>(r + d)] = s;
  }
  return m;
}

TL_HD inline int64_t source_offset(const int64_t* m, int64_t rank, int64_t j) {
  int64_t off = 0;
  for (int64_t d = rank - 1; d >= 0; --d) {
    off += (j % m[d]) * m[rank + d];
    j /= m[d];
  }
  return off;
}

// scatter = false: out[j] = src[off(j)]; scatter = true (a bijective map): out[off(j)] = src[j].
template <class T> void mapped_copy(const Node& n, const Shape& x, const Shape& y, const T* src, T* out,
                                    bool scatter, const std::string& where) {
  if (y.numel() == 0) return;
  DeviceBuffer mb = upload_meta(map_meta(n, x, y), where);
  const int64_t* m = static_cast<const int64_t*>(mb.get());
  const int64_t rank = y.rank();
  for_each_index(y.numel(), TL_BODY(int64_t j) {
    int64_t off = source_offset(m, rank, j);
    if (scatter) out[off] = src[j];
    else out[j] = src[off];
  }, where);
}

// broadcast_to backward: meta = [ydims, ystrides, x stride or -1 (free axis), x dim] per output axis.
template <class T> void broadcast_backward(const Shape& x, const Shape& y, const T* gv, T* dv,
                                           const std::string& where) {
  if (x.numel() == 0) return;
  const int64_t r = y.rank(), lead = y.rank() - x.rank();
  Dims xs = row_major_strides(x), ys = row_major_strides(y);
  std::vector<int64_t> meta(static_cast<std::size_t>(4 * r), 0);
  for (int64_t d = 0; d < r; ++d) {
    const int64_t xd = d - lead;
    const bool fixed = xd >= 0 && x.dim(xd) != 1;
    meta[static_cast<std::size_t>(d)] = y.dim(d);
    meta[static_cast<std::size_t>(r + d)] = ys[static_cast<std::size_t>(d)];
    meta[static_cast<std::size_t>(2 * r + d)] = fixed ? xs[static_cast<std::size_t>(xd)] : -1;
    meta[static_cast<std::size_t>(3 * r + d)] = fixed ? x.dim(xd) : 1;
  }
  DeviceBuffer mb = upload_meta(std::move(meta), where);
  const int64_t* m = static_cast<const int64_t*>(mb.get());
  for_each_index(x.numel(), TL_BODY(int64_t e) {
    int64_t base = 0, copies = 1;
    for (int64_t d = 0; d < r; ++d) {
      if (m[2 * r + d] >= 0) base += ((e / m[2 * r + d]) % m[3 * r + d]) * m[r + d];
      else copies *= m[d];
    }
    T acc = T(0);
    for (int64_t t = 0; t < copies; ++t) {  // ascending t over the free axes = ascending output offset
      int64_t off = base, rest = t;
      for (int64_t d = r - 1; d >= 0; --d) {
        if (m[2 * r + d] >= 0) continue;
        off += (rest % m[d]) * m[r + d];
        rest /= m[d];
      }
      acc = acc + gv[off];
    }
    dv[e] = acc;
  }, where);
}

// ---- concat / slice: (outer, axis, inner) blocks --------------------------------------------------
int64_t inner_of(const Shape& s, int64_t axis) {
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < s.rank(); ++d) inner *= s.dim(d);
  return inner;
}

// Input k of concat covers axis positions [start, start + len) of y; to_part: copy y's block into the
// part (backward), else the part into y (forward).
template <class T> void concat_part(T* part, T* whole, int64_t part_numel, int64_t len, int64_t start,
                                    int64_t total, int64_t inner, bool to_part, const std::string& where) {
  const int64_t blk = len * inner;
  for_each_index(part_numel, TL_BODY(int64_t e) {
    int64_t at = ((e / blk) * total + start) * inner + e % blk;
    if (to_part) part[e] = whole[at];
    else whole[at] = part[e];
  }, where);
}

template <class T> void concat_forward(const Node& n, const DevInputs& in, DeviceTensor& y, const std::string& where) {
  const int64_t axis = std::get<AxisAttrs>(n.attrs).axis, inner = inner_of(y.shape, axis);
  int64_t start = 0;
  for (const DeviceTensor* t : in) {
    const int64_t len = t->shape.dim(axis);
    concat_part(t->data<T>(), y.data<T>(), t->numel(), len, start, y.shape.dim(axis), inner, false, where);
    start += len;
  }
}

template <class T> void concat_backward(const Node& n, const DevInputs& in, const DeviceTensor& g, DevGrads& dx,
                                        const std::vector<bool>& wanted, const std::string& where) {
  const int64_t axis = std::get<AxisAttrs>(n.attrs).axis, inner = inner_of(g.shape, axis);
  int64_t start = 0;
  for (std::size_t k = 0; k < in.size(); ++k) {
    const int64_t len = in[k]->shape.dim(axis);
    if (wanted[k]) {
      DeviceTensor d = empty_tensor(in[k]->dtype, in[k]->shape, where);
      concat_part(d.data<T>(), g.data<T>(), d.numel(), len, start, g.shape.dim(axis), inner, true, where);
      dx[k] = std::move(d);
    }
    start += len;
  }
}

template <class T> void slice_forward(const SliceAttrs a, const Shape& x, const T* xv, T* out, int64_t count,
                                      const std::string& where) {
  const int64_t inner = inner_of(x, a.axis), lx = x.dim(a.axis), blk = (a.end - a.start) * inner;
  for_each_index(count, TL_BODY(int64_t j) {
    out[j] = xv[((j / blk) * lx + a.start) * inner + j % blk];
  }, where);
}

template <class T> void slice_backward(const SliceAttrs a, const Shape& x, const T* gv, T* dv,
                                       const std::string& where) {
  const int64_t inner = inner_of(x, a.axis), blkx = x.dim(a.axis) * inner, blk = (a.end - a.start) * inner;
  for_each_index(x.numel(), TL_BODY(int64_t e) {
    const int64_t o = e / blkx, rest = e % blkx, pos = rest / inner;
    dv[e] = pos >= a.start && pos < a.end ? gv[o * blk + rest - a.start * inner] : T(0);
  }, where);
}

// ---- gather_rows / scatter_add_rows ------------------------------------------------------------------
// out[i*rs + c] = src[idx[i]*rs + c]: gather_rows forward and scatter_add_rows backward.
template <class T> void gather_copy(const std::vector<int64_t>& idx, int64_t rs, const T* src, T* out,
                                    int64_t count, const std::string& where) {
  if (count == 0) return;
  DeviceBuffer ib = upload_indices(idx, where);
  const int64_t* ip = static_cast<const int64_t*>(ib.get());
  for_each_index(count, TL_BODY(int64_t j) { out[j] = src[ip[j / rs] * rs + j % rs]; }, where);
}

// out[r*rs + c] = left fold from +0 of src[i*rs + c] over i ascending with idx[i] == r: scatter_add_rows
// forward and gather_rows backward. csr = [first position of row r (rows + 1 entries), positions].
template <class T> void grouped_sum(const std::vector<int64_t>& idx, int64_t rows, const T* src, T* out,
                                    int64_t count, const std::string& where) {
  if (count == 0) return;
  const int64_t rs = count / rows;
  std::vector<int64_t> csr(static_cast<std::size_t>(rows + 1) + idx.size(), 0);
  for (int64_t r : idx) ++csr[static_cast<std::size_t>(r + 1)];
  for (int64_t r = 0; r < rows; ++r) csr[static_cast<std::size_t>(r + 1)] += csr[static_cast<std::size_t>(r)];
  std::vector<int64_t> next(csr.begin(), csr.begin() + rows);
  for (std::size_t i = 0; i < idx.size(); ++i) {
    csr[static_cast<std::size_t>(rows + 1 + next[static_cast<std::size_t>(idx[i])]++)] = static_cast<int64_t>(i);
  }
  DeviceBuffer cb = upload_indices(csr, where);
  const int64_t* cp = static_cast<const int64_t*>(cb.get());
  for_each_index(count, TL_BODY(int64_t j) {
    const int64_t r = j / rs, c = j % rs;
    T acc = T(0);
    for (int64_t q = cp[r]; q < cp[r + 1]; ++q) acc = acc + src[cp[rows + 1 + q] * rs + c];
    out[j] = acc;
  }, where);
}

int64_t rows_bound(const Node& n, const DevInputs& in) {
  return n.op == OpId::gather_rows ? in[0]->shape.dim(0) : std::get<ScatterAttrs>(n.attrs).rows;
}

template <class T> void rows_forward(const Node& n, const DevInputs& in, DeviceTensor& y, const std::string& where) {
  const int64_t rows = rows_bound(n, in);
  std::vector<int64_t> idx = checked_indices(*in[1], rows, where);
  if (n.op == OpId::scatter_add_rows) return grouped_sum(idx, rows, in[0]->data<T>(), y.data<T>(), y.numel(), where);
  const int64_t n_idx = static_cast<int64_t>(idx.size());
  gather_copy(idx, n_idx ? y.numel() / n_idx : 0, in[0]->data<T>(), y.data<T>(), y.numel(), where);
}

template <class T> DeviceTensor rows_backward(const Node& n, const DevInputs& in, const DeviceTensor& g,
                                              const std::string& where) {
  const int64_t rows = rows_bound(n, in);
  std::vector<int64_t> idx = checked_indices(*in[1], rows, where);
  DeviceTensor d = empty_tensor(in[0]->dtype, in[0]->shape, where);
  if (n.op == OpId::gather_rows) {
    grouped_sum(idx, rows, g.data<T>(), d.data<T>(), d.numel(), where);
  } else {
    const int64_t n_idx = static_cast<int64_t>(idx.size());
    gather_copy(idx, n_idx ? d.numel() / n_idx : 0, g.data<T>(), d.data<T>(), d.numel(), where);
  }
  return d;
}

}  // namespace

template <class T>
void shape_forward(const Node& n, const DevInputs& in, DeviceTensor& y, const std::string& where) {
  const OpId op = n.op;
  if (op == OpId::reshape || op == OpId::flatten) return copy_elems(in[0]->data<T>(), y.data<T>(), y.numel(), where);
  if (op == OpId::permute || op == OpId::transpose || op == OpId::broadcast_to) {
    return mapped_copy(n, in[0]->shape, y.shape, in[0]->data<T>(), y.data<T>(), false, where);
  }
  if (op == OpId::concat) return concat_forward<T>(n, in, y, where);
  if (op == OpId::slice) {
    return slice_forward(std::get<SliceAttrs>(n.attrs), in[0]->shape, in[0]->data<T>(), y.data<T>(), y.numel(), where);
  }
  if (op == OpId::gather_rows || op == OpId::scatter_add_rows) return rows_forward<T>(n, in, y, where);
  throw_internal(where + ": shape_forward given an op of another family");
}

template <class T>
void shape_backward(const Node& n, const DevInputs& in, const DeviceTensor& /*y*/, const DeviceTensor& g,
                    DevGrads& dx, const std::vector<bool>& wanted, const std::string& where) {
  const OpId op = n.op;
  const bool ours = op == OpId::reshape || op == OpId::flatten || op == OpId::permute || op == OpId::transpose ||
                    op == OpId::broadcast_to || op == OpId::concat || op == OpId::slice ||
                    op == OpId::gather_rows || op == OpId::scatter_add_rows;
  if (!ours) throw_internal(where + ": shape_backward given an op of another family");
  if (op == OpId::concat) return concat_backward<T>(n, in, g, dx, wanted, where);
  if (!wanted[0]) return;
  if (op == OpId::gather_rows || op == OpId::scatter_add_rows) {
    dx[0] = rows_backward<T>(n, in, g, where);
    return;
  }
  const Shape& xs = in[0]->shape;
  DeviceTensor d = empty_tensor(in[0]->dtype, xs, where);
  T* dv = d.data<T>();
  const T* gv = g.data<T>();
  if (op == OpId::reshape || op == OpId::flatten) copy_elems(gv, dv, d.numel(), where);
  else if (op == OpId::permute || op == OpId::transpose) mapped_copy(n, xs, g.shape, gv, dv, true, where);
  else if (op == OpId::broadcast_to) broadcast_backward(xs, g.shape, gv, dv, where);
  else slice_backward(std::get<SliceAttrs>(n.attrs), xs, gv, dv, where);
  dx[0] = std::move(d);
}

TL_CUDA_INSTANTIATE_FAMILY(shape)

}  // namespace tl::cuda::TL_CUDA_NS

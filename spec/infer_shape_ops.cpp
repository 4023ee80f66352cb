// Shape rules for the shape, indexing and loss families.
#include <algorithm>

#include "spec/error.h"
#include "spec/infer_rules.h"

namespace tl::infer {
namespace {
Shape make(Dims dims, const Ctx& c) { return Shape(std::move(dims), std::string(c.where)); }
}  // namespace

Shape reshape(const Ctx& c, const ShapeAttrs& a) {
  Shape target = make(a.shape, c);
  if (target.numel() != c.input(0).numel()) {
    c.fail("cannot reshape " + c.input(0).str() + " (" + std::to_string(c.input(0).numel()) +
           " elements) to " + target.str() + " (" + std::to_string(target.numel()) + " elements)");
  }
  return target;
}

Shape flatten(const Ctx& c, const FlattenAttrs& a) {
  const Shape& x = c.input(0);
  if (a.axis < 0 || a.axis > x.rank()) {
    c.fail("attribute axis = " + std::to_string(a.axis) + " is out of range [0, " +
           std::to_string(x.rank()) + "] for input " + x.str());
  }
  Dims out(x.dims().begin(), x.dims().begin() + a.axis);
  int64_t rest = 1;
  for (int64_t i = a.axis; i < x.rank(); ++i) rest *= x.dim(i);  // cannot overflow: numel fits
  out.push_back(rest);
  return make(out, c);
}

Shape permute(const Ctx& c, const PermuteAttrs& a) {
  const Shape& x = c.input(0);
  if (static_cast<int64_t>(a.perm.size()) != x.rank()) {
    c.fail("perm has " + std::to_string(a.perm.size()) + " entries for rank " +
           std::to_string(x.rank()) + " input " + x.str());
  }
  std::vector<bool> seen(a.perm.size(), false);
  Dims out;
  for (int64_t p : a.perm) {
    if (p < 0 || p >= x.rank() || seen[static_cast<std::size_t>(p)]) {
      c.fail("perm entry " + std::to_string(p) + " is out of range or repeated");
    }
    seen[static_cast<std::size_t>(p)] = true;
    out.push_back(x.dim(p));
  }
  return make(out, c);
}

Shape transpose(const Ctx& c, const TransposeAttrs& a) {
  const Shape& x = c.input(0);
  c.check_axis(a.axis0, x.rank(), "axis0");
  c.check_axis(a.axis1, x.rank(), "axis1");
  Dims out = x.dims();
  std::swap(out[static_cast<std::size_t>(a.axis0)], out[static_cast<std::size_t>(a.axis1)]);
  return make(out, c);
}

Shape broadcast_to(const Ctx& c, const ShapeAttrs& a) {
  const Shape& x = c.input(0);
  Shape target = make(a.shape, c);
  if (x.rank() > target.rank()) {
    c.fail("cannot broadcast " + x.str() + " to lower-rank " + target.str());
  }
  int64_t offset = target.rank() - x.rank();
  for (int64_t i = 0; i < x.rank(); ++i) {
    if (x.dim(i) != 1 && x.dim(i) != target.dim(i + offset)) {
      c.fail("cannot broadcast dim " + std::to_string(i) + " of " + x.str() + " (" +
             std::to_string(x.dim(i)) + ") to dim " + std::to_string(i + offset) + " of " +
             target.str() + " (" + std::to_string(target.dim(i + offset)) + ")");
    }
  }
  return target;
}

Shape concat(const Ctx& c, const AxisAttrs& a) {
  const Shape& first = c.input(0);
  c.check_axis(a.axis, first.rank(), "axis");
  Dims out = first.dims();
  for (std::size_t i = 1; i < c.in.size(); ++i) {
    const Shape& s = c.input(i);
    if (s.rank() != first.rank()) {
      c.fail("input " + std::to_string(i) + " has rank " + std::to_string(s.rank()) +
             ", input 0 has rank " + std::to_string(first.rank()));
    }
    for (int64_t d = 0; d < s.rank(); ++d) {
      if (d != a.axis && s.dim(d) != first.dim(d)) {
        c.fail("dim " + std::to_string(d) + " of input " + std::to_string(i) + " " + s.str() +
               " != dim " + std::to_string(d) + " of input 0 " + first.str());
      }
    }
    int64_t& joined = out[static_cast<std::size_t>(a.axis)];
    if (__builtin_add_overflow(joined, s.dim(a.axis), &joined)) c.fail("concat size overflows");
  }
  return make(out, c);
}

Shape slice(const Ctx& c, const SliceAttrs& a) {
  const Shape& x = c.input(0);
  c.check_axis(a.axis, x.rank(), "axis");
  if (a.start < 0 || a.start > a.end || a.end > x.dim(a.axis)) {
    c.fail("slice [" + std::to_string(a.start) + ", " + std::to_string(a.end) +
           ") is not within dim " + std::to_string(a.axis) + " of " + x.str() + " (" +
           std::to_string(x.dim(a.axis)) + ")");
  }
  Dims out = x.dims();
  out[static_cast<std::size_t>(a.axis)] = a.end - a.start;
  return make(out, c);
}

Shape gather_rows(const Ctx& c) {
  const Shape& table = c.input(0);
  const Shape& idx = c.input(1);
  if (table.rank() < 1) c.fail("table has rank 0; expected [rows, ...]");
  Dims out = idx.dims();
  out.insert(out.end(), table.dims().begin() + 1, table.dims().end());
  return make(out, c);
}

Shape scatter_add_rows(const Ctx& c, const ScatterAttrs& a) {
  const Shape& src = c.input(0);
  const Shape& idx = c.input(1);
  if (a.rows < 0) c.fail("attribute rows is " + std::to_string(a.rows) + ", must be >= 0");
  bool prefix = src.rank() >= idx.rank() &&
                std::equal(idx.dims().begin(), idx.dims().end(), src.dims().begin());
  if (!prefix) {
    c.fail("src " + src.str() + " must start with the index shape " + idx.str());
  }
  Dims out{a.rows};
  out.insert(out.end(), src.dims().begin() + idx.rank(), src.dims().end());
  return make(out, c);
}

Shape pairwise_loss(const Ctx& c) {
  same_shape(c);
  return Shape{};
}

Shape labelled_loss(const Ctx& c) {
  const Shape& scores = c.input(0);
  const Shape& labels = c.input(1);
  if (scores.rank() != 2) c.fail("scores " + scores.str() + " must be [N, C]");
  if (scores.dim(1) < 1) c.fail("scores " + scores.str() + " have no classes (C = 0)");
  if (!(labels == Shape(Dims{scores.dim(0)}))) {
    c.fail("labels " + labels.str() + " must be [" + std::to_string(scores.dim(0)) +
           "] to match dim 0 of scores " + scores.str());
  }
  return Shape{};
}

}  // namespace tl::infer

// Shape rules by op family. Each rule checks its inputs and attributes and names the offending
// dimension in its message.
#include "spec/infer_rules.h"

#include <cmath>

#include "spec/error.h"

namespace tl::infer {
namespace {

std::string dim_of(std::string_view tensor, int64_t axis, const Shape& s) {
  return "dim " + std::to_string(axis) + " of " + std::string(tensor) + " " + s.str() + " (" +
         std::to_string(s.dim(axis)) + ")";
}

Shape make(Dims dims, const Ctx& c) { return Shape(std::move(dims), std::string(c.where)); }

void expect_rank(const Ctx& c, std::size_t i, std::string_view tensor, int64_t lo, int64_t hi) {
  int64_t r = c.input(i).rank();
  if (r >= lo && r <= hi) return;
  std::string want = lo == hi ? std::to_string(lo) : std::to_string(lo) + " to " + std::to_string(hi);
  c.fail(std::string(tensor) + " (input " + std::to_string(i) + ") has rank " + std::to_string(r) +
         " with shape " + c.input(i).str() + ", expected rank " + want);
}

void expect_vector(const Ctx& c, std::size_t i, std::string_view tensor, int64_t length) {
  if (c.input(i) == Shape(Dims{length})) return;
  c.fail(std::string(tensor) + " (input " + std::to_string(i) + ") has shape " + c.input(i).str() +
         ", expected [" + std::to_string(length) + "]");
}

void check_non_negative(const Ctx& c, int64_t v, std::string_view field) {
  if (v < 0) c.fail("attribute " + std::string(field) + " is " + std::to_string(v) + ", must be >= 0");
}

void check_at_least_one(const Ctx& c, int64_t v, std::string_view field) {
  if (v < 1) c.fail("attribute " + std::string(field) + " is " + std::to_string(v) + ", must be >= 1");
}

// Output size of a sliding window: floor((size + 2 pad - window) / stride) + 1.
int64_t window_output(const Ctx& c, int64_t size, int64_t window, int64_t stride, int64_t pad,
                      std::string_view axis_name) {
  if (size + 2 * pad < window) {
    c.fail("window " + std::to_string(window) + " is larger than padded " + std::string(axis_name) +
           " " + std::to_string(size) + " + 2*" + std::to_string(pad));
  }
  return (size + 2 * pad - window) / stride + 1;
}

}  // namespace

void Ctx::fail(const std::string& problem) const {
  throw UserError(std::string(where) + ": " + problem);
}

void Ctx::check_axis(int64_t axis, int64_t rank, std::string_view field) const {
  if (axis < 0 || axis >= rank) {
    fail("attribute " + std::string(field) + " = " + std::to_string(axis) +
         " is out of range for rank " + std::to_string(rank) + " input " + in[0].str());
  }
}

void Ctx::check_positive(double x, std::string_view field) const {
  if (!(x > 0.0) || !std::isfinite(x)) {
    fail("attribute " + std::string(field) + " = " + std::to_string(x) + " must be finite and > 0");
  }
}

Shape same_shape(const Ctx& c) {
  const Shape& a = c.input(0);
  const Shape& b = c.input(1);
  if (!(a == b)) {
    c.fail("input shapes " + a.str() + " and " + b.str() +
           " differ (broadcasting must be explicit: insert broadcast_to)");
  }
  return a;
}

Shape reduce_axis(const Ctx& c, int64_t axis) {
  const Shape& x = c.input(0);
  c.check_axis(axis, x.rank(), "axis");
  Dims out = x.dims();
  out.erase(out.begin() + axis);
  return make(out, c);
}

Shape matmul(const Ctx& c) {
  const Shape& a = c.input(0);
  const Shape& b = c.input(1);
  expect_rank(c, 0, "a", 2, 3);
  if (a.rank() != b.rank()) {
    c.fail("a " + a.str() + " and b " + b.str() + " must both be rank 2 or both rank 3");
  }
  int64_t r = a.rank();
  if (r == 3 && a.dim(0) != b.dim(0)) {
    c.fail("batch " + dim_of("a", 0, a) + " != " + dim_of("b", 0, b));
  }
  if (a.dim(r - 1) != b.dim(r - 2)) {
    c.fail("inner " + dim_of("a", r - 1, a) + " != " + dim_of("b", r - 2, b));
  }
  Dims out = a.dims();
  out[static_cast<std::size_t>(r - 1)] = b.dim(r - 1);
  return make(out, c);
}

Shape linear(const Ctx& c) {
  const Shape& x = c.input(0);
  const Shape& w = c.input(1);
  expect_rank(c, 0, "x", 1, 8);
  expect_rank(c, 1, "W", 2, 2);
  if (x.dim(x.rank() - 1) != w.dim(1)) {
    c.fail(dim_of("x", x.rank() - 1, x) + " != " + dim_of("W", 1, w) + " (W is [out, in])");
  }
  if (c.in.size() == 3) expect_vector(c, 2, "b", w.dim(0));
  Dims out = x.dims();
  out.back() = w.dim(0);
  return make(out, c);
}

Shape layer_norm(const Ctx& c, const LayerNormAttrs& a) {
  const Shape& x = c.input(0);
  c.check_axis(a.axis, x.rank(), "axis");
  c.check_positive(a.eps, "eps");
  Shape normalized(Dims(x.dims().begin() + a.axis, x.dims().end()));
  for (std::size_t i = 1; i <= 2; ++i) {
    if (!(c.input(i) == normalized)) {
      c.fail(std::string(i == 1 ? "gamma" : "beta") + " has shape " + c.input(i).str() +
             ", expected the normalised shape " + normalized.str());
    }
  }
  return x;
}

Shape batch_norm(const Ctx& c, const BatchNormAttrs& a) {
  const Shape& x = c.input(0);
  if (x.rank() != 2 && x.rank() != 4) {
    c.fail("x has shape " + x.str() + ", expected [N,C] or [N,C,H,W]");
  }
  std::size_t want_arity = a.training ? 3 : 5;
  if (c.in.size() != want_arity) {
    c.fail(std::string(a.training ? "training" : "eval") + " form takes " +
           std::to_string(want_arity) + " inputs but has " + std::to_string(c.in.size()));
  }
  c.check_positive(a.eps, "eps");
  if (!(a.momentum >= 0.0 && a.momentum <= 1.0)) c.fail("attribute momentum is not in [0, 1]");
  const char* names[] = {"x", "gamma", "beta", "running_mean", "running_var"};
  for (std::size_t i = 1; i < c.in.size(); ++i) expect_vector(c, i, names[i], x.dim(1));
  return x;
}

Shape conv2d(const Ctx& c, const Conv2dAttrs& a) {
  expect_rank(c, 0, "x", 4, 4);
  expect_rank(c, 1, "w", 4, 4);
  const Shape& x = c.input(0);
  const Shape& w = c.input(1);
  if (x.dim(1) != w.dim(1)) c.fail("channels: " + dim_of("x", 1, x) + " != " + dim_of("w", 1, w));
  if (c.in.size() == 3) expect_vector(c, 2, "b", w.dim(0));
  check_at_least_one(c, a.stride_h, "stride_h");
  check_at_least_one(c, a.stride_w, "stride_w");
  check_non_negative(c, a.pad_h, "pad_h");
  check_non_negative(c, a.pad_w, "pad_w");
  int64_t oh = window_output(c, x.dim(2), w.dim(2), a.stride_h, a.pad_h, "height");
  int64_t ow = window_output(c, x.dim(3), w.dim(3), a.stride_w, a.pad_w, "width");
  return make({x.dim(0), w.dim(0), oh, ow}, c);
}

Shape pool2d(const Ctx& c, const Pool2dAttrs& a) {
  expect_rank(c, 0, "x", 4, 4);
  const Shape& x = c.input(0);
  check_at_least_one(c, a.kernel_h, "kernel_h");
  check_at_least_one(c, a.kernel_w, "kernel_w");
  check_at_least_one(c, a.stride_h, "stride_h");
  check_at_least_one(c, a.stride_w, "stride_w");
  check_non_negative(c, a.pad_h, "pad_h");
  check_non_negative(c, a.pad_w, "pad_w");
  if (2 * a.pad_h > a.kernel_h || 2 * a.pad_w > a.kernel_w) {
    c.fail("padding must be at most half the kernel (pad_h=" + std::to_string(a.pad_h) +
           ", pad_w=" + std::to_string(a.pad_w) + ")");
  }
  int64_t oh = window_output(c, x.dim(2), a.kernel_h, a.stride_h, a.pad_h, "height");
  int64_t ow = window_output(c, x.dim(3), a.kernel_w, a.stride_w, a.pad_w, "width");
  return make({x.dim(0), x.dim(1), oh, ow}, c);
}

}  // namespace tl::infer

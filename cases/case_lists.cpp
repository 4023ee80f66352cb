// Case lists per op: shapes and attribute sets by op family (one switch, no default), with sizes
// taken on both sides of the declared code paths. Every entry is validated by infer_shape when it is
// made; a list entry that an op refuses is an internal error (tests/spec/case_lists_test.cpp).
#include "cases/case_lists.h"

#include <algorithm>
#include <set>

#include "spec/error.h"
#include "spec/infer.h"
#include "spec/op_family.h"
#include "spec/print.h"

namespace tl::oracle {
namespace {

// The largest size the lists take along each axis (the reference evaluates every element in
// interval arithmetic): a declared path beyond it is named by uncrossed_paths(), never dropped.
int64_t axis_cap(PathAxis axis) {
  switch (axis) {
    case PathAxis::elements: return kMaxCaseElements;
    case PathAxis::reduced: return 1024;
    case PathAxis::outputs: return 512;
    case PathAxis::gemm_m: return 200;
    case PathAxis::gemm_n: return 300;
    case PathAxis::gemm_k: return 600;
  }
  throw_internal("bad PathAxis value");
}

// Sizes on both sides of each declared path of `axis` (size - 1, size, size + 1, and for sizes up to
// 64, which are blocks and tiles, 2·size + 1: two blocks and a ragged tail), plus `base`, at most
// the axis's cap.
std::vector<int64_t> sizes_across(const CodePaths& paths, PathAxis axis, std::set<int64_t> base) {
  const int64_t cap = axis_cap(axis);
  for (const CodePath& p : paths) {
    if (p.axis != axis) continue;
    for (int64_t s : {p.size - 1, p.size, p.size + 1}) base.insert(s);
    if (p.size <= 64) base.insert(2 * p.size + 1);  // a vector block or tile: two of them and a tail
  }
  std::vector<int64_t> out;
  for (int64_t s : base)
    if (s >= 0 && s <= cap) out.push_back(s);
  return out;
}

// Adds one case; the output shape is inferred (the hand-checked shapes are op_examples.cpp's).
struct ListBuilder {
  OpId op;
  std::vector<ShapeCase> out;
  std::set<std::string> seen;

  void add(std::vector<Shape> inputs, Attrs attrs, Shape declared = Shape{}) {
    OpExample ex{std::move(inputs), std::move(attrs), declared, Shape{}};
    ex.expected = infer_shape(op, ex.attrs, ex.inputs, declared, "case list");
    std::string label = shape_case_label(ex);
    if (seen.insert(label).second) out.push_back(ShapeCase{std::move(ex), std::move(label)});
  }
};

// The paths along a reduced axis: the declared `reduced` ones and the vector widths (elements paths
// of at most 64, which a loop over the axis may use too).
CodePaths reduced_paths(const CodePaths& paths) {
  CodePaths out;
  for (const CodePath& p : paths)
    if (p.axis == PathAxis::reduced || (p.axis == PathAxis::elements && p.size <= 64)) out.push_back({p.what, PathAxis::reduced, p.size});
  return out;
}

// The matrix-product sizes (m, n, k): each across its declared paths with the others small, then
// one case past every path at once (the thread split of rows needs N*K large too).
template <class F> void gemm_sweeps(const CodePaths& paths, F add) {
  for (int64_t m : sizes_across(paths, PathAxis::gemm_m, {2})) add(m, 5, 7);
  for (int64_t n : sizes_across(paths, PathAxis::gemm_n, {2})) add(3, n, 7);
  for (int64_t k : sizes_across(paths, PathAxis::gemm_k, {2})) add(3, 5, k);
  int64_t past[3] = {1, 1, 1};
  const PathAxis axes[3] = {PathAxis::gemm_m, PathAxis::gemm_n, PathAxis::gemm_k};
  for (const CodePath& p : paths)
    for (int a = 0; a < 3; ++a)
      if (p.axis == axes[a] && p.size < axis_cap(p.axis)) past[a] = std::max(past[a], p.size + 1);
  add(past[0], past[1], past[2]);
}

int64_t numel(const std::vector<Shape>& shapes) {
  int64_t n = 0;
  for (const Shape& s : shapes) n += s.numel();
  return n;
}

void elementwise_cases(ListBuilder& b, const CodePaths& paths, const Attrs& attrs, int arity) {
  auto add = [&](Shape s) { b.add(std::vector<Shape>(static_cast<std::size_t>(arity), s), attrs); };
  for (int64_t n : sizes_across(paths, PathAxis::elements, {0, 1, 2, 3, 5})) add(Shape{n});
  add(Shape{3, 1, 5});
  add(Shape{1, 1});
}

void unary_attr_variants(ListBuilder& b, OpId op) {
  const Shape s{17};
  if (op == OpId::scale) for (double c : {-3.0, 0x1p-10, 0.0}) b.add({s}, ScaleAttrs{c});
  if (op == OpId::clamp) for (auto [lo, hi] : {std::pair{0.0, 0.0}, std::pair{-0.25, 0.5}}) b.add({s}, ClampAttrs{lo, hi});
  if (op == OpId::safe_log) for (double eps : {1e-6, 0.5}) b.add({s}, SafeLogAttrs{eps});
}

// Every axis of rank-1..3 shapes, the reduced length across `reduced` and the vector widths, and
// the number of outputs across `outputs` (as the outer and as the inner extent).
void axis_cases(ListBuilder& b, const CodePaths& paths, bool empty_axis_ok) {
  for (int64_t axis = 0; axis < 3; ++axis) b.add({Shape{2, 3, 4}}, AxisAttrs{axis});
  b.add({Shape{1}}, AxisAttrs{0});
  b.add({Shape{3, 1}}, AxisAttrs{1});
  if (empty_axis_ok) b.add({Shape{2, 0}}, AxisAttrs{1});
  for (int64_t n : sizes_across(reduced_paths(paths), PathAxis::reduced, {2, 5})) {
    b.add({Shape{2, n}}, AxisAttrs{1});
    if (n <= 33) b.add({Shape{n, 3}}, AxisAttrs{0});
  }
  for (int64_t rows : sizes_across(paths, PathAxis::outputs, {})) {
    if (rows < 2) continue;
    b.add({Shape{rows, 5}}, AxisAttrs{1});
    b.add({Shape{3, rows}}, AxisAttrs{0});
  }
}

// [B, M, K] x [B, K, N]: size-1 and empty products, a batch, then the sweeps of gemm_sweeps().
void matmul_cases(ListBuilder& b, const CodePaths& paths) {
  auto add = [&](int64_t batch, int64_t m, int64_t n, int64_t k) { b.add({Shape{batch, m, k}, Shape{batch, k, n}}, NoAttrs{}); };
  add(1, 1, 1, 1);
  add(2, 3, 0, 4);
  add(1, 2, 3, 0);
  add(3, 4, 5, 6);
  gemm_sweeps(paths, [&](int64_t m, int64_t n, int64_t k) { add(1, m, n, k); });
}

// x [rows, in] (or rank 3), W [out, in], with a bias [out] except where said.
void linear_cases(ListBuilder& b, const CodePaths& paths) {
  auto add = [&](int64_t rows, int64_t out, int64_t in, bool bias) {
    std::vector<Shape> s{Shape{rows, in}, Shape{out, in}};
    if (bias) s.push_back(Shape{out});
    b.add(s, NoAttrs{});
  };
  add(1, 1, 1, true);
  add(4, 3, 5, false);
  b.add({Shape{2, 3, 4}, Shape{5, 4}, Shape{5}}, NoAttrs{});
  gemm_sweeps(paths, [&](int64_t m, int64_t n, int64_t k) { add(m, n, k, true); });
}

void norm_cases(ListBuilder& b, OpId op, const CodePaths& paths) {
  if (op == OpId::layer_norm) {
    for (int64_t axis = 0; axis < 3; ++axis) {
      Shape x{2, 3, 4};
      Dims affine(x.dims().begin() + axis, x.dims().end());
      b.add({x, Shape(affine), Shape(affine)}, LayerNormAttrs{axis, 1e-5});
    }
    for (int64_t n : sizes_across(reduced_paths(paths), PathAxis::reduced, {1, 2})) b.add({Shape{3, n}, Shape{n}, Shape{n}}, LayerNormAttrs{1, 1e-5});
    for (int64_t rows : sizes_across(paths, PathAxis::outputs, {1})) b.add({Shape{rows, 8}, Shape{8}, Shape{8}}, LayerNormAttrs{1, 0.25});
    return;
  }
  auto add = [&](Shape x, bool training) {
    Shape c{x.dim(1)};
    if (training) b.add({x, c, c}, BatchNormAttrs{true, 1e-5, 0.1});
    else b.add({x, c, c, c, c}, BatchNormAttrs{false, 1e-5, 0.1});
  };
  for (bool training : {true, false}) {
    add(Shape{16, 4}, training);
    add(Shape{2, 3, 4, 5}, training);
    add(Shape{1, 2, 3, 3}, training);
  }
  for (int64_t n : sizes_across(reduced_paths(paths), PathAxis::reduced, {2})) add(Shape{n, 3}, true);
  for (int64_t c : sizes_across(paths, PathAxis::outputs, {})) add(Shape{4, c, 2, 2}, true);
}

void conv_cases(ListBuilder& b) {
  struct C { Shape x, w; bool bias; Conv2dAttrs a; };
  const C list[] = {
      {Shape{1, 1, 3, 3}, Shape{1, 1, 1, 1}, true, {}},           // 1x1 kernel
      {Shape{2, 3, 5, 5}, Shape{4, 3, 3, 3}, false, {}},          // no bias
      {Shape{1, 2, 6, 9}, Shape{3, 2, 2, 3}, true, {1, 2, 0, 1}},  // non-square input and kernel, stride (1, 2)
      {Shape{2, 2, 7, 7}, Shape{2, 2, 3, 3}, true, {3, 3, 2, 2}},  // stride 3, padding 2 (ragged)
      {Shape{1, 3, 8, 5}, Shape{5, 3, 5, 5}, true, {1, 1, 2, 2}},  // 5x5 kernel, same padding
      {Shape{3, 1, 4, 4}, Shape{1, 1, 4, 4}, true, {}},           // kernel as large as the input
      {Shape{1, 4, 9, 9}, Shape{8, 4, 3, 3}, true, {2, 2, 1, 1}},
  };
  for (const C& c : list) {
    std::vector<Shape> in{c.x, c.w};
    if (c.bias) in.push_back(Shape{c.w.dim(0)});
    b.add(in, c.a);
  }
}

void pool_cases(ListBuilder& b) {
  const std::pair<Shape, Pool2dAttrs> list[] = {
      {Shape{1, 1, 1, 1}, {1, 1, 1, 1, 0, 0}},
      {Shape{2, 3, 6, 7}, {3, 3, 2, 2, 1, 1}},  // ragged windows over the padding
      {Shape{1, 2, 5, 5}, {2, 2, 1, 1, 0, 0}},  // overlapping windows
      {Shape{1, 1, 8, 8}, {3, 3, 3, 3, 0, 0}},  // the last rows and columns are in no window
      {Shape{2, 1, 4, 9}, {2, 3, 1, 2, 1, 1}},  // non-square kernel and strides
      {Shape{1, 3, 7, 7}, {7, 7, 1, 1, 0, 0}},  // one window over everything
  };
  for (const auto& [x, a] : list) b.add({x}, a);
}

void move_cases(ListBuilder& b, OpId op) {
  switch (*as_member<Move>(op)) {
    case Move::reshape:
      b.add({Shape{0, 3}}, ShapeAttrs{{3, 0}});
      b.add({Shape{5}}, ShapeAttrs{{1, 5, 1}});
      b.add({Shape{65, 67}}, ShapeAttrs{{67, 65}});
      return;
    case Move::flatten:
      for (int64_t axis = 0; axis < 3; ++axis) b.add({Shape{2, 3, 4}}, FlattenAttrs{axis});
      return;
    case Move::permute:
      b.add({Shape{2, 3, 4}}, PermuteAttrs{{0, 1, 2}});
      b.add({Shape{2, 3, 4}}, PermuteAttrs{{1, 2, 0}});
      b.add({Shape{33, 65}}, PermuteAttrs{{1, 0}});
      return;
    case Move::transpose:
      b.add({Shape{2, 3, 4}}, TransposeAttrs{1, 2});
      b.add({Shape{65, 67}}, TransposeAttrs{0, 1});
      return;
    case Move::broadcast_to:  // every rank pattern: size-1 axes, new leading axes, both, a scalar
      b.add({Shape{}}, ShapeAttrs{{2, 3}});
      b.add({Shape{1}}, ShapeAttrs{{17}});
      b.add({Shape{3}}, ShapeAttrs{{2, 3}});
      b.add({Shape{1, 4}}, ShapeAttrs{{3, 4}});
      b.add({Shape{2, 1, 3}}, ShapeAttrs{{2, 5, 3}});
      b.add({Shape{4, 1}}, ShapeAttrs{{2, 4, 33}});
      b.add({Shape{2, 3}}, ShapeAttrs{{2, 3}});
      return;
    case Move::concat:
      b.add({Shape{2, 3}, Shape{4, 3}}, AxisAttrs{0});
      b.add({Shape{2, 0}, Shape{2, 5}}, AxisAttrs{1});
      b.add({Shape{2, 3, 1}, Shape{2, 3, 17}}, AxisAttrs{2});
      b.add({Shape{5}}, AxisAttrs{0});
      return;
    case Move::slice:
      b.add({Shape{4, 6}}, SliceAttrs{0, 0, 4});
      b.add({Shape{4, 6}}, SliceAttrs{1, 3, 3});
      b.add({Shape{2, 3, 40}}, SliceAttrs{2, 7, 33});
      return;
  }
}

void indexing_cases(ListBuilder& b, OpId op) {
  if (op == OpId::gather_rows) {
    b.add({Shape{1, 1}, Shape{5}}, NoAttrs{});
    b.add({Shape{3, 17}, Shape{4, 2}}, NoAttrs{});
    b.add({Shape{6, 2}, Shape{0}}, NoAttrs{});
    return;
  }
  b.add({Shape{5, 3}, Shape{5}}, ScatterAttrs{2});  // many indices into few rows: repeated rows add up
  b.add({Shape{4, 2, 17}, Shape{4, 2}}, ScatterAttrs{9});
  b.add({Shape{0, 4}, Shape{0}}, ScatterAttrs{3});
}

void loss_cases(ListBuilder& b, OpId op, const CodePaths& paths) {
  for (Reduction r : {Reduction::mean, Reduction::sum}) {
    if (op == OpId::cross_entropy || op == OpId::nll) {
      b.add({Shape{1, 3}, Shape{1}}, LossAttrs{r});
      b.add({Shape{3, 33}, Shape{3}}, LossAttrs{r});
      for (int64_t rows : sizes_across(reduced_paths(paths), PathAxis::reduced, {17})) b.add({Shape{rows, 2}, Shape{rows}}, LossAttrs{r});
    } else {
      b.add({Shape{1}, Shape{1}}, LossAttrs{r});
      b.add({Shape{3, 5}, Shape{3, 5}}, LossAttrs{r});
      for (int64_t n : sizes_across(reduced_paths(paths), PathAxis::reduced, {17})) b.add({Shape{n}, Shape{n}}, LossAttrs{r});
    }
  }
}

}  // namespace

std::string shape_case_label(const OpExample& ex) {
  std::string s;
  for (const Shape& in : ex.inputs) s += (s.empty() ? "" : " x ") + in.str();
  if (ex.inputs.empty()) s = ex.declared.str();
  std::string attrs = attrs_to_text(ex.attrs);
  return attrs.empty() ? s : s + "; " + attrs;
}

std::vector<ShapeCase> case_list(OpId op, const CodePaths& paths) {
  ListBuilder b{op, {}, {}};
  OpExample first = valid_example(op);
  b.add(first.inputs, first.attrs, first.declared);
  switch (op_family(op)) {
    case OpFamily::source: break;  // inputs and generators: their one declared shape
    case OpFamily::unary:
      elementwise_cases(b, paths, first.attrs, 1);
      unary_attr_variants(b, op);
      break;
    case OpFamily::binary: elementwise_cases(b, paths, first.attrs, 2); break;
    case OpFamily::full_reduce:
      for (int64_t n : sizes_across(paths, PathAxis::elements, {0, 1, 2, 5})) b.add({Shape{n}}, NoAttrs{});
      for (int64_t n : sizes_across(paths, PathAxis::reduced, {})) b.add({Shape{n}}, NoAttrs{});
      b.add({Shape{3, 1, 4}}, NoAttrs{});
      break;
    case OpFamily::axis_reduce: axis_cases(b, paths, op == OpId::reduce_sum); break;
    case OpFamily::softmax: axis_cases(b, paths, false); break;
    case OpFamily::linalg: op == OpId::matmul ? matmul_cases(b, paths) : linear_cases(b, paths); break;
    case OpFamily::norm: norm_cases(b, op, paths); break;
    case OpFamily::conv: conv_cases(b); break;
    case OpFamily::pool: pool_cases(b); break;
    case OpFamily::move: move_cases(b, op); break;
    case OpFamily::indexing: indexing_cases(b, op); break;
    case OpFamily::loss: loss_cases(b, op, paths); break;
  }
  std::stable_sort(b.out.begin() + 1, b.out.end(),
                   [](const ShapeCase& x, const ShapeCase& y) { return numel(x.example.inputs) < numel(y.example.inputs); });
  return std::move(b.out);
}

std::vector<CodePath> uncrossed_paths(OpId op, const CodePaths& paths) {
  auto uses = [&](PathAxis a) {
    switch (op_family(op)) {
      case OpFamily::unary: case OpFamily::binary: return a == PathAxis::elements;
      case OpFamily::full_reduce: return a == PathAxis::elements || a == PathAxis::reduced;
      case OpFamily::loss: return a == PathAxis::reduced;  // their kernels are single loops, never split
      case OpFamily::axis_reduce: case OpFamily::softmax: case OpFamily::norm: return a == PathAxis::reduced || a == PathAxis::outputs;
      case OpFamily::linalg: return a == PathAxis::gemm_m || a == PathAxis::gemm_n || a == PathAxis::gemm_k;
      case OpFamily::source: case OpFamily::conv: case OpFamily::pool: case OpFamily::move: case OpFamily::indexing: return false;
    }
    return false;
  };
  std::vector<CodePath> out;
  for (const CodePath& p : paths)
    if (uses(p.axis) && p.size + 1 > axis_cap(p.axis)) out.push_back(p);
  return out;
}

}  // namespace tl::oracle

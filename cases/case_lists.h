// Case lists per op (the OpInfo sample-inputs / test-backend-ops idea): several shapes and attribute
// sets for every op — empty and size-1 tensors, every axis of the reductions, conv2d over strides,
// paddings and kernel shapes, ragged pooling windows, batch_norm in both forms, broadcasts of every
// rank pattern — and sizes on both sides of every code-path threshold that the run's backends
// declare (spec/code_paths.h), so a new kernel path gets cases without anyone editing numbers here.
// The first entry is always op_examples.cpp's hand-checked example; the rest follow, smallest first,
// so the smoke tier's few cases stay small.
#pragma once

#include <string>
#include <vector>

#include "cases/op_examples.h"
#include "spec/code_paths.h"

namespace tl::oracle {

struct ShapeCase {
  OpExample example;  // inputs, attributes and the output shape (declared for source ops)
  std::string label;  // "[2,3] x [2,3]; axis=1": what report rows list as checked
};

// The largest element count an elementwise case takes. Each axis has such a cap (case_lists.cpp:
// elements 2^13, reduced 1024, outputs 512, gemm m/n/k 200/300/600), because the reference evaluates
// every element in interval arithmetic; a declared path beyond its axis's cap (e.g. the GPU's
// grid-stride wrap at 2^24 elements) is listed by uncrossed_paths() and named in the report's trust
// boundary instead.
constexpr int64_t kMaxCaseElements = int64_t{1} << 13;

// Every case of `op` for a run whose backends declare `paths` (their union).
std::vector<ShapeCase> case_list(OpId op, const CodePaths& paths);

// The declared paths of an axis that op's kernels use which its list cannot cross within the axis's
// cap (empty where all are crossed): said in the report, never silently dropped.
std::vector<CodePath> uncrossed_paths(OpId op, const CodePaths& paths);

// "[2,3] x [2,3]; axis=1".
std::string shape_case_label(const OpExample& example);

}  // namespace tl::oracle

// Code-path thresholds (DESIGN §12): the sizes at which a backend's implementation changes path —
// vector widths, parallel grains, GEMM blocking and tile sizes, block and grid limits. A backend
// declares them (backend::Backend::code_paths); the case lists (cases/case_lists.h) make cases on
// both sides of each one, so a new kernel path gets cases without anyone editing numbers there.
// Like a contract, a code path is a backend's declaration, kept here as vocabulary only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tl {

// What a threshold counts.
enum class PathAxis {
  elements,  // the element count of an elementwise op's tensor (vector blocks, parallel splits)
  reduced,   // the length of the axis an op reduces or normalises over (sums, softmax, norm groups)
  outputs,   // the number of independent outputs of a reduction (rows split across threads)
  gemm_m,    // rows of a matrix product's output
  gemm_n,    // columns of a matrix product's output
  gemm_k,    // terms of each dot product of a matrix product
};
inline constexpr PathAxis kPathAxes[] = {PathAxis::elements, PathAxis::reduced, PathAxis::outputs,
                                         PathAxis::gemm_m,   PathAxis::gemm_n,  PathAxis::gemm_k};

inline std::string_view path_axis_name(PathAxis a) {
  switch (a) {
    case PathAxis::elements: return "elements";
    case PathAxis::reduced: return "reduced";
    case PathAxis::outputs: return "outputs";
    case PathAxis::gemm_m: return "gemm_m";
    case PathAxis::gemm_n: return "gemm_n";
    case PathAxis::gemm_k: return "gemm_k";
  }
  return "?";
}

// One path change: sizes below `size` take one path, `size` and above another (a vector block of
// `size` lanes, a split into two parallel chunks, a second K block, a second CUDA block). Cases are
// made at size - 1, size, size + 1 and past a second multiple (two blocks and a ragged tail).
struct CodePath {
  std::string what;  // "AVX-512 float vector functions: blocks of 8 lanes"
  PathAxis axis = PathAxis::elements;
  int64_t size = 1;
};

using CodePaths = std::vector<CodePath>;

}  // namespace tl

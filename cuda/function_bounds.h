// The double-precision math functions the cuda backend calls (cuda/math.h) and the ulp bounds its
// float64 contract rows are derived from (cuda/contracts.cpp, docs/contracts.md "The cuda backend"):
// the CUDA C++ Programming Guide's, raised where a measurement found more. The guide counts ulps to
// the correctly rounded value, the oracle to the exact value: a guide bound of k allows k + 1/2 here.
//  - log1p, cosh (and tanh, 1.43): CUDA's own code (libdevice) compiled for the host (cuda/libdevice/)
//    measured above the guide's 1 ulp, within its 1 + 1/2: 1.46 and 1.13 ulp over 10^6 samples
//    (bench/libdevice_survey 1000000), then 1.4997 (x near -0.5) and 1.29 (|x| near 7) over 2-3 * 10^6
//    samples where the errors cluster (reports/cuda/libdevice-host.md). Used: the guide's 1 + 1/2.
//  - exp, log, sin, cos: measured within the guide's number itself (0.83, 0.53, 1.47, 1.45), which the
//    rows keep; the guide alone would give k + 1/2 (a sampled claim, not a documented one).
//  - tanh: glibc's (the emulated engine's math where libdevice is not found) measured 2.04 ulp
//    (bench/ulp_survey --cuda); 2.5 covers both.
// bench/libdevice_survey fails when a function exceeds its bound here.
#pragma once

#include <string_view>

namespace tl::cuda {

struct DoubleFunctionBound {
  std::string_view name;
  double guide_ulps;    // CUDA C++ Programming Guide, double-precision mathematical functions
  double derived_ulps;  // what the float64 rows are derived from
};

inline constexpr DoubleFunctionBound kDoubleFunctionBounds[] = {
    {"exp", 1, 1}, {"log", 1, 1},    {"log1p", 1, 1.5}, {"sin", 2, 2},
    {"cos", 2, 2}, {"tanh", 1, 2.5}, {"cosh", 1, 1.5},
};

// The bound the rows derive from for the function `name` (a compile-time error for an unknown name
// where it is used in a constant expression).
constexpr double derived_function_ulps(std::string_view name) {
  for (const DoubleFunctionBound& b : kDoubleFunctionBounds)
    if (b.name == name) return b.derived_ulps;
  throw "no bound for this function in cuda/function_bounds.h";
}

}  // namespace tl::cuda

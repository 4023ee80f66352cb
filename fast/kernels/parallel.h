// Parallel loops for the fast kernels. Work is split over independent outputs only (rows, output
// elements) — never over the terms of one reduction — so every result is the same whatever the
// thread count (DESIGN §7, "determinism by construction").
#pragma once

#include <cstdint>
#include <functional>

namespace tl::fast {

// Number of threads the kernels use (default: 1; set_threads(0) means the hardware count).
int threads();
void set_threads(int n);

// Calls body(begin, end) on disjoint ranges covering [0, n). Ranges hold at least `grain` items,
// so small loops stay on the calling thread.
// Number of parallel_for calls so far that were split across the pool (tests use it to show that a
// thread-count comparison really ran in parallel).
int64_t pool_regions();

void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& body);

// The kernels' grains (items per chunk at least): a loop of n items is split when n > grain and more
// than one thread runs. Declared as code paths by the backend (backend/fast_backends.cpp), so that
// tl-check's case lists cross each one.
inline constexpr int64_t kElementwiseGrain = 4096;  // elementwise ops and their VJPs: elements
inline constexpr int64_t kReduceGrain = 64;         // axis reductions: independent outputs
inline constexpr int64_t kSoftmaxGrain = 16;        // softmax family: rows
inline constexpr int64_t kLinearBiasGrain = 64;     // linear's bias added to the product: rows

}  // namespace tl::fast

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

}  // namespace tl::fast

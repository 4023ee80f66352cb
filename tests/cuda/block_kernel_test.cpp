// The GPU's block kernels (cuda/launch.h: threads that share memory and meet at barriers), run on the
// host under the emulated build's block emulator, from the same source nvcc compiles:
//  - the tree sum computes its declared order (written out here as plain loops);
//  - the tiled GEMM computes the declared FMA chain of gemm() (the emulated engine's one body per
//    element) bit for bit, over shapes off the 16 x 16 tiles, both operand layouts, and grids smaller
//    than the tile count (so the kernel's grid-stride loops are taken);
//  - the grid-stride kernel of for_each_index visits every index once, for any grid;
//  - the emulator itself: a missing barrier shows in one of the two thread orders (every kernel above
//    runs in both), and barrier divergence is an internal error naming the op.
// Seeds are printed; TL_SEED=N replays.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "../common/bit_exact.h"
#include "../common/seed.h"
#include "cuda/gemm_tiled.h"
#include "cuda/kernels.h"
#include "cuda/tree_sum.h"
#include "spec/error.h"
#include "spec/splitmix.h"

namespace tl::cuda::emulated {
namespace {

constexpr ThreadOrder kOrders[] = {ThreadOrder::ascending, ThreadOrder::descending};

// Restores ascending order after a test that changed it.
struct OrderGuard {
  ~OrderGuard() { set_thread_order(ThreadOrder::ascending); }
};

// Values that make order matter: signs mixed, magnitudes over many binades (sums cancel and round);
// when `specials`, three elements replaced by a signed zero, a subnormal and an infinity (one each:
// more infinities would turn most GEMM outputs into inf or NaN).
template <class T> std::vector<T> draw_values(SplitMix64& rng, int64_t n, bool specials) {
  std::vector<T> v(static_cast<std::size_t>(n));
  for (T& e : v) e = static_cast<T>((rng.uniform() * 2 - 1) * std::ldexp(1.0, static_cast<int>(rng.below(40)) - 20));
  if (specials && n > 0) {
    v[rng.below(n)] = T(0) * (rng.below(2) ? T(1) : T(-1));
    v[rng.below(n)] = std::numeric_limits<T>::denorm_min() * T(rng.below(1000) + 1);
    v[rng.below(n)] = rng.below(2) ? std::numeric_limits<T>::infinity() : -std::numeric_limits<T>::infinity();
  }
  return v;
}

// The declared order of tree_sum, written out (cuda/tree_sum.h).
template <class T> T declared_tree_sum(const std::vector<T>& x) {
  T p[kTreeWidth];
  for (int t = 0; t < kTreeWidth; ++t) {
    T acc = T(0);
    for (std::size_t i = static_cast<std::size_t>(t); i < x.size(); i += kTreeWidth) acc = acc + x[i];
    p[t] = acc;
  }
  for (int s = kTreeWidth / 2; s > 0; s /= 2)
    for (int t = 0; t < s; ++t) p[t] = p[t] + p[t + s];
  return p[0];
}

template <class T> void check_tree_sum(uint64_t seed) {
  SplitMix64 rng(seed);
  OrderGuard guard;
  for (int64_t n : {0, 1, 2, 255, 256, 257, 511, 4099}) {
    std::vector<T> x = draw_values<T>(rng, n, false);
    const T want = declared_tree_sum(x);
    for (ThreadOrder order : kOrders) {
      set_thread_order(order);
      T got = std::numeric_limits<T>::quiet_NaN();
      tree_sum(x.data(), n, &got, "sum");
      EXPECT_TRUE(testing::same_value_bits(got, want)) << "n=" << n << " order " << static_cast<int>(order) << ": " << got
                                        << " vs declared " << want;
    }
  }
}

TEST(TreeSumKernel, ComputesTheDeclaredOrderInFloat32) { check_tree_sum<float>(testing::test_seed()); }
TEST(TreeSumKernel, ComputesTheDeclaredOrderInFloat64) { check_tree_sum<double>(testing::test_seed()); }

struct GemmShape {
  int64_t M, N, K;
  bool a_transposed, b_transposed;  // A stored K x M, B stored N x K (matmul's and linear's VJPs)
};

// One product through the tiled kernel on `grid` against gemm()'s loop; C has a padded row so
// writes outside the M x N result show.
template <class T> void check_tiled_gemm(const GemmShape& s, Dim3 grid, SplitMix64& rng) {
  const std::vector<T> A = draw_values<T>(rng, s.M * s.K, true), B = draw_values<T>(rng, s.K * s.N, true);
  const int64_t a_row = s.a_transposed ? 1 : s.K, a_k = s.a_transposed ? s.M : 1;
  const int64_t b_col = s.b_transposed ? s.K : 1, b_k = s.b_transposed ? 1 : s.N;
  const int64_t c_row = s.N + 3;
  const T sentinel = T(-12345.5);
  std::vector<T> want(static_cast<std::size_t>(s.M * c_row), sentinel);
  gemm<T>(s.M, s.N, s.K, A.data(), a_row, a_k, B.data(), b_col, b_k, want.data(), c_row, "matmul");
  for (ThreadOrder order : kOrders) {
    set_thread_order(order);
    std::vector<T> got(want.size(), sentinel);
    launch_blocks(grid, Dim3(kGemmTile, kGemmTile), "matmul", gemm_tiled_kernel<T>, s.M, s.N, s.K, A.data(), a_row,
                  a_k, B.data(), b_col, b_k, got.data(), c_row);
    int64_t wrong = 0, first = -1;
    for (std::size_t e = 0; e < got.size(); ++e)
      if (!testing::same_value_bits(got[e], want[e])) wrong += 1, first = first < 0 ? static_cast<int64_t>(e) : first;
    EXPECT_EQ(wrong, 0) << s.M << "x" << s.K << " by " << s.K << "x" << s.N << " (A^T " << s.a_transposed
                        << ", B^T " << s.b_transposed << ") on grid (" << grid.x << ", " << grid.y << "), order "
                        << static_cast<int>(order) << ": first difference at element " << first;
  }
}

template <class T> void check_tiled_gemm_shapes(uint64_t seed) {
  SplitMix64 rng(seed);
  OrderGuard guard;
  const std::vector<GemmShape> shapes = {{1, 1, 1, false, false},   {16, 16, 16, false, false}, {17, 15, 33, false, true},
                                         {33, 17, 15, true, false}, {15, 33, 1, true, true},    {40, 9, 0, false, false},
                                         {5, 70, 47, false, true}};
  for (const GemmShape& s : shapes) {
    check_tiled_gemm<T>(s, gemm_tiled_grid(s.M, s.N), rng);
    check_tiled_gemm<T>(s, Dim3(1, 1), rng);  // one block walks every tile
    check_tiled_gemm<T>(s, Dim3(2, 3), rng);
  }
}

TEST(TiledGemmKernel, ComputesGemmsDeclaredChainInFloat32) { check_tiled_gemm_shapes<float>(testing::test_seed()); }
TEST(TiledGemmKernel, ComputesGemmsDeclaredChainInFloat64) { check_tiled_gemm_shapes<double>(testing::test_seed()); }

TEST(TiledGemmKernel, GridCoversEveryTileWithinCudasLimits) {
  Dim3 g = gemm_tiled_grid(1100000, 1);  // linear with 1.1 million rows: 68 750 row tiles
  EXPECT_EQ(g.x, 1u);
  EXPECT_EQ(g.y, 65535u);
  g = gemm_tiled_grid(33, 17);
  EXPECT_EQ(g.x, 2u);
  EXPECT_EQ(g.y, 3u);
}

TEST(EachIndexKernel, VisitsEveryIndexOnceOnAnyGrid) {
  for (int64_t n : {0, 1, 255, 256, 257, 1000}) {
    for (unsigned blocks : {1u, 2u, 5u}) {
      for (unsigned threads : {32u, static_cast<unsigned>(kEachIndexThreads)}) {
        std::vector<int> visits(static_cast<std::size_t>(n), 0);
        int* v = visits.data();
        auto body = TL_BODY(int64_t i) { v[i] += 1; };
        launch_blocks(Dim3(blocks), Dim3(threads), "each", each_index_kernel<decltype(body)>, n, body);
        for (int64_t i = 0; i < n; ++i)
          ASSERT_EQ(visits[i], 1) << "index " << i << " of " << n << ", " << blocks << " blocks of " << threads;
      }
    }
  }
}

// Thread t publishes salt + t and reads its upper neighbour's (the last thread its own); racy unless
// `with_barrier`: without it, threads run in ascending order read slots not yet written.
TL_GLOBAL void neighbour_kernel(int salt, bool with_barrier, int* out) {
  TL_SHARED int slots[64];
  const int t = static_cast<int>(threadIdx.x);
  slots[t] = salt + t;
  if (with_barrier) sync_block();
  out[t] = slots[t < 63 ? t + 1 : t];
}

TEST(BlockEmulator, AMissingBarrierShowsInOneOfTheTwoThreadOrders) {
  OrderGuard guard;
  int salt = 1000;
  for (bool with_barrier : {true, false}) {
    int orders_right = 0;
    for (ThreadOrder order : kOrders) {
      set_thread_order(order);
      std::vector<int> out(64, -1);
      salt += 1000;  // what a previous launch left in shared memory is never this launch's value
      launch_blocks(Dim3(1), Dim3(64), "neighbours", neighbour_kernel, salt, with_barrier, out.data());
      bool right = true;
      for (int t = 0; t < 64; ++t) right = right && out[t] == salt + (t < 63 ? t + 1 : t);
      orders_right += right;
    }
    EXPECT_EQ(orders_right, with_barrier ? 2 : 1) << (with_barrier ? "with" : "without") << " the barrier";
  }
}

TL_GLOBAL void early_return_kernel(int* out) {
  if (threadIdx.x == 3) return;
  sync_block();
  out[threadIdx.x] = 1;
}

TEST(BlockEmulator, BarrierDivergenceIsAnInternalErrorNamingTheOp) {
  std::vector<int> out(8, 0);
  try {
    launch_blocks(Dim3(2), Dim3(8), "my_op", early_return_kernel, out.data());
    FAIL() << "no error";
  } catch (const InternalError& e) {
    EXPECT_NE(std::string(e.what()).find("my_op"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("1 of 8 threads returned"), std::string::npos) << e.what();
  }
  // The emulator is usable again after the error.
  std::vector<float> x(300, 0.5f);
  float s = 0;
  tree_sum(x.data(), 300, &s, "sum");
  EXPECT_EQ(s, 150.0f);
}

TEST(BlockEmulator, RefusesLaunchesCudaRefuses) {
  std::vector<int> out(2048, 0);
  EXPECT_THROW(launch_blocks(Dim3(1), Dim3(1025), "big", early_return_kernel, out.data()), InternalError);
  EXPECT_THROW(launch_blocks(Dim3(0), Dim3(8), "empty", early_return_kernel, out.data()), InternalError);
  EXPECT_THROW(launch_blocks(Dim3(1, 65536), Dim3(8), "grid y", early_return_kernel, out.data()), InternalError);
  EXPECT_THROW(launch_blocks(Dim3(1, 1, 65536), Dim3(8), "grid z", early_return_kernel, out.data()), InternalError);
  EXPECT_THROW(launch_blocks(Dim3(1), Dim3(1, 1, 65), "block z", early_return_kernel, out.data()), InternalError);
}

}  // namespace
}  // namespace tl::cuda::emulated

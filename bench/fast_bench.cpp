// Fast backend benchmarks (issue 4): the machine's FMA peak (a register-only microbenchmark, per
// core), GEMM 512^3 and 1024^3 in float and double through the strict-order GEMM, and training
// steps of a 2-16-1 tanh MLP (batch 32, MSE, SGD) and a 784-256-10 ReLU MLP (batch 64,
// cross-entropy, SGD) on the compiled backend — the latter also with its weight gradients dense (no
// zero skipping) — and that weight-gradient GEMM at 30/50/70% zeros. Single thread unless --threads
// N. Prints one line per result: name value unit.
#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <vector>

#include "fast/compiled/plan.h"
#include "fast/kernels/gemm.h"
#include "fast/kernels/parallel.h"
#include "bench/mlp_step.h"
#include "spec/builder.h"
#include "spec/splitmix.h"

using namespace tl;

namespace {

double median_seconds(int runs, const std::function<void()>& f) {
  std::vector<double> t;
  for (int r = 0; r < runs; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    f();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

// 16 independent chains of 512-bit FMAs: the core's FMA throughput with no memory traffic.
__attribute__((target("avx512f"))) double peak_f32_avx512(long iters) {
  __m512 acc[16];
  for (int i = 0; i < 16; ++i) acc[i] = _mm512_set1_ps(1.0f + i * 1e-3f);
  const __m512 m = _mm512_set1_ps(0.999999f), a = _mm512_set1_ps(1e-7f);
  auto t0 = std::chrono::steady_clock::now();
  for (long it = 0; it < iters; ++it)
    for (int i = 0; i < 16; ++i) acc[i] = _mm512_fmadd_ps(acc[i], m, a);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  float sink[16];
  __m512 total = acc[0];
  for (int i = 1; i < 16; ++i) total = _mm512_add_ps(total, acc[i]);
  _mm512_storeu_ps(sink, total);
  if (sink[0] == 42.0f) std::printf("#");
  return 16.0 * 16 * 2 * static_cast<double>(iters) / s / 1e9;
}

// The same for float64 (8 lanes per FMA): the peak the DGEMM fraction is measured against.
__attribute__((target("avx512f"))) double peak_f64_avx512(long iters) {
  __m512d acc[16];
  for (int i = 0; i < 16; ++i) acc[i] = _mm512_set1_pd(1.0 + i * 1e-3);
  const __m512d m = _mm512_set1_pd(0.999999), a = _mm512_set1_pd(1e-7);
  auto t0 = std::chrono::steady_clock::now();
  for (long it = 0; it < iters; ++it)
    for (int i = 0; i < 16; ++i) acc[i] = _mm512_fmadd_pd(acc[i], m, a);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double sink[8];
  __m512d total = acc[0];
  for (int i = 1; i < 16; ++i) total = _mm512_add_pd(total, acc[i]);
  _mm512_storeu_pd(sink, total);
  if (sink[0] == 42.0) std::printf("#");
  return 16.0 * 8 * 2 * static_cast<double>(iters) / s / 1e9;
}

template <class T>
double gemm_gflops(int64_t n, int runs) {
  SplitMix64 rng(1);
  std::vector<T> a(static_cast<std::size_t>(n * n)), b(a.size()), c(a.size());
  for (auto& v : a) v = static_cast<T>(rng.uniform() - 0.5);
  for (auto& v : b) v = static_cast<T>(rng.uniform() - 0.5);
  double s = median_seconds(runs, [&] { fast::gemm<T>(n, n, n, a.data(), n, 1, b.data(), 1, n, c.data(), n); });
  return 2.0 * static_cast<double>(n) * n * n / s / 1e9;
}

// steps/s of forward + backward + SGD update on the compiled backend.
double mlp_steps_per_second(const std::vector<int64_t>& widths, int64_t batch, bool classifier, OpId act, int steps) {
  bench::MlpStep m = bench::make_mlp_step(widths, batch, classifier, act);
  Graph& g = m.graph;
  auto& in = m.inputs;
  const auto& params = m.params;
  NodeId loss = m.loss;
  compiled::Plan plan = compiled::Plan::compile(g, {true});
  HostTensor seed = HostTensor::from_values(Shape{}, std::vector<float>{1.0f});
  const float lr = 0.01f;
  auto step = [&] {
    auto grads = plan.gradients(in, loss, seed, params);
    bench::sgd_update(g, params, grads, lr, in);
  };
  for (int i = 0; i < 20; ++i) step();
  double s = median_seconds(5, [&] { for (int i = 0; i < steps; ++i) step(); });
  return steps / s;
}

// The weight-gradient GEMM of the 784 MLP's first layer (256 x 784 x 64: dW = g^T x) with a given
// fraction of g's terms zero at random, dense and with the zero terms skipped (median of 51).
void print_zero_skipping_gemms() {
  const int64_t M = 256, N = 784, K = 64;
  SplitMix64 rng(3);
  HostTensor g(DType::f32, Shape{K, M}), x(DType::f32, Shape{K, N}), c(DType::f32, Shape{M, N});  // 64-byte aligned
  for (auto& v : x.values<float>()) v = static_cast<float>(rng.uniform() - 0.5);
  for (double zeros : {0.3, 0.5, 0.7}) {
    for (auto& v : g.values<float>()) v = rng.uniform() < zeros ? 0.0f : static_cast<float>(rng.uniform() - 0.5);
    auto run = [&](bool skip) {
      fast::set_skip_zero_terms(skip);
      return median_seconds(51, [&] {
        fast::gemm_skipping_zero_a<float>(M, N, K, g.values<float>().data(), 1, M, x.values<float>().data(), 1, N,
                                          c.values<float>().data(), N);
      });
    };
    double dense = run(false), skipping = run(true);
    std::printf("weight_grad_256x784x64_zeros_%02d %.1f us (dense %.1f us)\n", static_cast<int>(zeros * 100), skipping * 1e6,
                dense * 1e6);
  }
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 1;
  for (int i = 1; i + 1 < argc; ++i) if (std::strcmp(argv[i], "--threads") == 0) threads = std::atoi(argv[i + 1]);
  fast::set_threads(threads);
  std::printf("gemm_path %s\nthreads %d\n", fast::gemm_path().c_str(), threads);
  if (__builtin_cpu_supports("avx512f")) {
    std::printf("peak_fma_f32_per_core %.1f GFLOP/s\n", peak_f32_avx512(100000000L));
    std::printf("peak_fma_f64_per_core %.1f GFLOP/s\n", peak_f64_avx512(100000000L));
  }
  std::printf("sgemm_512 %.1f GFLOP/s\n", gemm_gflops<float>(512, 5));
  std::printf("sgemm_1024 %.1f GFLOP/s\n", gemm_gflops<float>(1024, 3));
  std::printf("dgemm_512 %.1f GFLOP/s\n", gemm_gflops<double>(512, 5));
  std::printf("dgemm_1024 %.1f GFLOP/s\n", gemm_gflops<double>(1024, 3));
  std::printf("tiny_mlp_2_16_1_steps %.0f steps/s\n", mlp_steps_per_second({2, 16, 1}, 32, false, OpId::tanh, 2000));
  std::printf("mlp_784_256_10_steps %.0f steps/s\n", mlp_steps_per_second({784, 256, 10}, 64, true, OpId::relu, 50));
  fast::set_skip_zero_terms(false);  // the same bits, every weight gradient a dense GEMM
  std::printf("mlp_784_256_10_steps_dense %.0f steps/s\n", mlp_steps_per_second({784, 256, 10}, 64, true, OpId::relu, 50));
  fast::set_skip_zero_terms(true);
  print_zero_skipping_gemms();
  return 0;
}

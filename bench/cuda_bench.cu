// CUDA backend benchmarks (issue 7), run only on a machine with a usable GPU: the own tiled SGEMM /
// DGEMM (strict FMA-chain order) at 1024^3 and 4096^3, timed with CUDA events on the device; and
// training steps of the 2-16-1 tanh MLP (batch 32, MSE) and the 784-256-10 ReLU MLP (batch 64,
// cross-entropy) through the device engine as `torchlean --cuda` runs them (parameters uploaded,
// gradients downloaded and the SGD update done on the host every step). Prints one line per result:
// name value unit. Exit 3 without a usable GPU.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "bench/mlp_step.h"
#include "cuda/device.h"
#include "cuda/engine.h"
#include "cuda/kernels.h"

using namespace tl;

namespace {

template <class T> double gemm_gflops(int64_t n, int runs) {
  using namespace tl::cuda::device;
  SplitMix64 rng(1);
  std::vector<T> host(static_cast<std::size_t>(n * n));
  for (auto& v : host) v = static_cast<T>(rng.uniform() - 0.5);
  std::size_t bytes = host.size() * sizeof(T);
  DeviceBuffer a(bytes, "bench"), b(bytes, "bench"), c(bytes, "bench");
  check_call(cudaMemcpy(a.get(), host.data(), bytes, cudaMemcpyHostToDevice), "cudaMemcpy", "bench");
  check_call(cudaMemcpy(b.get(), host.data(), bytes, cudaMemcpyHostToDevice), "cudaMemcpy", "bench");
  const T* pa = static_cast<const T*>(a.get());
  const T* pb = static_cast<const T*>(b.get());
  T* pc = static_cast<T*>(c.get());
  gemm<T>(n, n, n, pa, n, 1, pb, 1, n, pc, n, "bench");  // warm-up
  cudaEvent_t start, stop;
  check_call(cudaEventCreate(&start), "cudaEventCreate", "bench");
  check_call(cudaEventCreate(&stop), "cudaEventCreate", "bench");
  std::vector<float> ms;
  for (int r = 0; r < runs; ++r) {
    check_call(cudaEventRecord(start, current_stream()), "cudaEventRecord", "bench");
    gemm<T>(n, n, n, pa, n, 1, pb, 1, n, pc, n, "bench");
    check_call(cudaEventRecord(stop, current_stream()), "cudaEventRecord", "bench");
    check_call(cudaEventSynchronize(stop), "cudaEventSynchronize", "bench");
    float t = 0;
    check_call(cudaEventElapsedTime(&t, start, stop), "cudaEventElapsedTime", "bench");
    ms.push_back(t);
  }
  check_call(cudaEventDestroy(start), "cudaEventDestroy", "bench");
  check_call(cudaEventDestroy(stop), "cudaEventDestroy", "bench");
  std::sort(ms.begin(), ms.end());
  return 2.0 * static_cast<double>(n) * n * n / (ms[ms.size() / 2] * 1e-3) / 1e9;
}

double mlp_steps_per_second(cuda::Engine& engine, const std::vector<int64_t>& widths, int64_t batch, bool classifier,
                            OpId act, int steps) {
  bench::MlpStep m = bench::make_mlp_step(widths, batch, classifier, act);
  HostTensor seed = HostTensor::from_values(Shape{}, std::vector<float>{1.0f});
  auto step = [&] {
    cuda::GraphRun r = engine.run(m.graph, m.inputs, {}, m.loss, &seed, m.params);
    bench::sgd_update(m.graph, m.params, r.grads, 0.01f, m.inputs);
  };
  for (int i = 0; i < 20; ++i) step();
  std::vector<double> t;
  for (int r = 0; r < 5; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < steps; ++i) step();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(t.begin(), t.end());
  return steps / t[t.size() / 2];
}

}  // namespace

int run_benchmarks() {
  cuda::DeviceStatus s = cuda::probe_devices();
  if (!s.usable) {
    std::fprintf(stderr, "cuda_bench: no usable CUDA device: %s\n", s.message.c_str());
    return 3;
  }
  std::printf("gpu %s\n", s.message.c_str());
  std::unique_ptr<cuda::Engine> engine = cuda::make_device_engine();  // its stream is current only inside run()
  std::printf("cuda_sgemm_1024 %.1f GFLOP/s\n", gemm_gflops<float>(1024, 5));
  std::printf("cuda_sgemm_4096 %.1f GFLOP/s\n", gemm_gflops<float>(4096, 3));
  std::printf("cuda_dgemm_4096 %.1f GFLOP/s\n", gemm_gflops<double>(4096, 3));
  std::printf("cuda_tiny_mlp_2_16_1_steps %.0f steps/s\n", mlp_steps_per_second(*engine, {2, 16, 1}, 32, false, OpId::tanh, 200));
  std::printf("cuda_mlp_784_256_10_steps %.0f steps/s\n", mlp_steps_per_second(*engine, {784, 256, 10}, 64, true, OpId::relu, 100));
  return 0;
}

int main() {
  try {
    return run_benchmarks();
  } catch (const std::exception& e) {  // a failing CUDA call names itself (DeviceError)
    std::fprintf(stderr, "cuda_bench: error: %s\n", e.what());
    return 1;
  }
}

// Benchmarks of the reference (issue 3): 64x64x64 matmul in Interval at 128 bits; one forward +
// backward step of a 784-256-10 MLP (batch 64, ReLU, cross-entropy) in Interval at 128 bits;
// Strict<float> throughput of elementwise ops. Single thread. Prints a Markdown table with medians.
// Usage: reference_bench [--quick]   (--quick: fewer repetitions, for smoke runs)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <vector>

#include "reference/eval.h"
#include "spec/builder.h"
#include "spec/splitmix.h"

using namespace tl;
using namespace tl::ref;

namespace {

double seconds(const std::function<void()>& f) {
  auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

struct Timing { double median, min, max; int runs; };

Timing repeat(int runs, const std::function<void()>& f) {
  std::vector<double> t;
  for (int i = 0; i < runs; ++i) t.push_back(seconds(f));
  std::sort(t.begin(), t.end());
  return {t[t.size() / 2], t.front(), t.back(), runs};
}

HostTensor random_tensor(Shape s, SplitMix64& rng, double scale) {
  HostTensor t(DType::f32, std::move(s));
  for (auto& v : t.values<float>()) v = static_cast<float>((rng.uniform() * 2 - 1) * scale);
  return t;
}

Timing bench_matmul(int runs) {
  SplitMix64 rng(1);
  GraphBuilder b(DType::f32, "matmul64");
  Ref a = b.input("a", {64, 64});
  Ref c = b.input("b", {64, 64});
  b.output("y", b.matmul(a, c));
  Graph g = b.finish();
  std::map<std::string, HostTensor> in{{"a", random_tensor({64, 64}, rng, 1)}, {"b", random_tensor({64, 64}, rng, 1)}};
  IntervalPrecision p(128);
  return repeat(runs, [&] { evaluate<Interval>(g, in); });
}

Timing bench_mlp(int runs) {
  SplitMix64 rng(2);
  GraphBuilder b(DType::f32, "mlp784");
  Ref x = b.input("x", {64, 784});
  Ref labels = b.input("labels", {64});
  Ref w1 = b.param("w1", {256, 784});
  Ref b1 = b.param("b1", {256});
  Ref w2 = b.param("w2", {10, 256});
  Ref b2 = b.param("b2", {10});
  Ref logits = b.linear(b.unary(OpId::relu, b.linear(x, w1, b1)), w2, b2);
  Ref loss = b.loss(OpId::cross_entropy, logits, labels);
  b.output("loss", loss);
  Graph g = b.finish();
  HostTensor lab(DType::f32, Shape{64});
  for (auto& v : lab.values<float>()) v = static_cast<float>(rng.below(10));
  std::map<std::string, HostTensor> in{{"x", random_tensor({64, 784}, rng, 1)}, {"labels", lab},
                                       {"w1", random_tensor({256, 784}, rng, 0.05)}, {"b1", random_tensor({256}, rng, 0.05)},
                                       {"w2", random_tensor({10, 256}, rng, 0.1)}, {"b2", random_tensor({10}, rng, 0.1)}};
  IntervalPrecision p(128);
  return repeat(runs, [&] {
    auto v = evaluate<Interval>(g, in);
    RefTensor<Interval> seed(Shape{});
    seed[0] = Interval::from_int(1);
    gradients<Interval>(g, v, loss.id, seed, {w1.id, b1.id, w2.id, b2.id});
  });
}

Timing bench_strict(OpId op, int64_t n, int runs) {
  SplitMix64 rng(3);
  GraphBuilder b(DType::f32, "elementwise");
  Ref x = b.input("x", {n});
  Ref y = b.input("y", {n});
  Ref out = op_info(op).min_arity == 2 ? b.binary(op, x, y) : b.unary(op, x);
  b.output("out", out);
  Graph g = b.finish();
  std::map<std::string, HostTensor> in{{"x", random_tensor({n}, rng, 4)}, {"y", random_tensor({n}, rng, 4)}};
  return repeat(runs, [&] { evaluate<Strict<float>>(g, in); });
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  int runs = quick ? 1 : 5;
  std::printf("| benchmark | median | min | max | runs | per unit |\n|---|---|---|---|---|---|\n");
  Timing m = bench_matmul(runs);
  std::printf("| Interval 128-bit matmul 64x64x64 | %.4f s | %.4f s | %.4f s | %d | %.1f ns/MAC |\n",
              m.median, m.min, m.max, m.runs, m.median / (64.0 * 64 * 64) * 1e9);
  Timing mlp = bench_mlp(quick ? 1 : 3);
  // forward (x.W1, h.W2) + backward (dW1, dW2, dh); dx of the data input is not formed: 26.2 M
  double macs = 2.0 * 64 * 784 * 256 + 3.0 * 64 * 256 * 10;
  std::printf("| Interval 128-bit MLP 784-256-10 b64 CE, forward + backward | %.3f s | %.3f s | %.3f s | %d | %.1f ns/MAC |\n",
              mlp.median, mlp.min, mlp.max, mlp.runs, mlp.median / macs * 1e9);
  int64_t n = quick ? 10000 : 100000;
  for (OpId op : {OpId::add, OpId::mul, OpId::div, OpId::sqrt, OpId::exp, OpId::tanh, OpId::sigmoid, OpId::gelu}) {
    Timing t = bench_strict(op, n, runs);
    std::printf("| Strict<float> %s, %lld elements | %.4f s | %.4f s | %.4f s | %d | %.1f ns/element |\n",
                std::string(op_name(op)).c_str(), static_cast<long long>(n), t.median, t.min, t.max, t.runs,
                t.median / static_cast<double>(n) * 1e9);
  }
  return 0;
}

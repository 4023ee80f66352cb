// `torchlean reference_tour`: the teaching mode of the reference. A tiny MLP with float32 inputs is
// evaluated, with its parameter gradients, three ways — exactly as fractions (Rational), as
// enclosures (Interval at a low precision, to show widths), and in strict float32 — and each strict
// value is compared with the exact one in ULPs. It prints a lesson, not a log.
#include "examples/reference_tour.h"

#include <cmath>
#include <cstdio>
#include <string>

#include "reference/eval.h"
#include "spec/builder.h"

namespace tl {
namespace {

using ref::Interval;
using ref::Rational;
using ref::RefTensor;
using ref::Strict;

HostTensor f32(Shape s, std::vector<float> v) { return HostTensor::from_values(std::move(s), v); }

struct Tour {
  Graph graph;
  std::map<std::string, HostTensor> inputs;
  std::vector<NodeId> params;
  NodeId loss = 0;
};

Tour build_tour() {
  GraphBuilder b(DType::f32, "tour_mlp_2_3_1");
  Ref x = b.input("x", {2, 2});
  Ref t = b.input("t", {2, 1});
  Ref w1 = b.param("w1", {3, 2});
  Ref b1 = b.param("b1", {3});
  Ref w2 = b.param("w2", {1, 3});
  Ref b2 = b.param("b2", {1});
  Ref h = b.unary(OpId::relu, b.linear(x, w1, b1));
  Ref y = b.linear(h, w2, b2);
  Ref loss = b.loss(OpId::mse_loss, y, t);
  b.output("y", y);
  b.output("loss", loss);
  Tour tour{b.finish(), {}, {w1.id, b1.id, w2.id, b2.id}, loss.id};
  tour.inputs.emplace("x", f32({2, 2}, {0.1f, -0.5f, 0.75f, 0.3f}));
  tour.inputs.emplace("t", f32({2, 1}, {0.2f, -0.1f}));
  tour.inputs.emplace("w1", f32({3, 2}, {0.5f, -0.25f, 0.125f, 0.625f, -0.375f, 0.25f}));
  tour.inputs.emplace("b1", f32({3}, {0.1f, 0.0f, -0.05f}));
  tour.inputs.emplace("w2", f32({1, 3}, {0.8f, -0.6f, 0.4f}));
  tour.inputs.emplace("b2", f32({1}, {0.01f}));
  return tour;
}

std::string label(const Graph& g, NodeId id) {
  std::string name(node_name(g.node(id)));
  return name.empty() ? "%" + std::to_string(id) + " " + std::string(op_json_name(g.node(id).op)) : name;
}

template <class S, class F>
void print_tensor(const std::string& title, const RefTensor<S>& t, F show) {
  std::printf("    %-14s %s = [", title.c_str(), t.shape.str().c_str());
  for (int64_t i = 0; i < t.numel(); ++i) std::printf("%s%s", i ? ", " : "", show(t[i]).c_str());
  std::printf("]\n");
}

// Distance of a float32 value from an exact rational, in units of the float32 ulp at the exact
// value (2^(e-23) for |q| in [2^e, 2^(e+1)), at least 2^-149).
double ulp_distance(float v, const Rational& exact) {
  Rational diff = Rational::from_double(v) - exact;
  mpfr_t q, d;
  mpfr_inits2(256, q, d, static_cast<mpfr_ptr>(nullptr));
  mpfr_set_q(q, exact.q.backend().data(), MPFR_RNDN);
  mpfr_set_q(d, diff.q.backend().data(), MPFR_RNDN);
  long e = mpfr_zero_p(q) ? -1000 : static_cast<long>(mpfr_get_exp(q)) - 1;  // |q| in [2^e, 2^(e+1))
  long ulp_exp = std::max(e - 23, -149L);
  mpfr_abs(d, d, MPFR_RNDN);
  mpfr_div_2si(d, d, ulp_exp, MPFR_RNDN);
  double out = mpfr_get_d(d, MPFR_RNDN);
  mpfr_clears(q, d, static_cast<mpfr_ptr>(nullptr));
  return out;
}

void lesson_inputs(const Tour& t) {
  std::printf("\n1. The inputs are float32 numbers, and every float is an exact fraction.\n");
  std::printf("   0.1 cannot be stored in binary; what the network receives is the nearest float:\n");
  for (const char* name : {"x", "b1"}) {
    const HostTensor& v = t.inputs.at(name);
    for (int64_t i = 0; i < v.numel(); ++i) {
      float f = v.values<float>()[static_cast<std::size_t>(i)];
      std::printf("    %s[%lld] = %-6g  is exactly  %s\n", name, static_cast<long long>(i), f,
                  Rational::from_double(f).str().c_str());
    }
  }
}

}  // namespace

int run_reference_tour() {
  Tour t = build_tour();
  std::printf("TorchLean reference tour: what a tiny network computes, exactly\n");
  std::printf("================================================================\n");
  std::printf("The network: y = w2 . relu(w1 . x + b1) + b2,  loss = mean((y - t)^2), batch of 2.\n");
  lesson_inputs(t);

  std::printf("\n2. The forward pass in exact rational arithmetic: the real meaning, no rounding.\n");
  auto vq = ref::evaluate<Rational>(t.graph, t.inputs);
  for (NodeId id = 0; id < t.graph.size(); ++id) {
    if (t.graph.node(id).op == OpId::input) continue;
    print_tensor(label(t.graph, id), vq[static_cast<std::size_t>(id)], [](const Rational& r) { return r.str(); });
  }
  RefTensor<Rational> seed_q(Shape{});
  seed_q[0] = Rational::from_int(1);
  auto gq = ref::gradients<Rational>(t.graph, vq, t.loss, seed_q, t.params);
  std::printf("\n3. The gradients of the loss with respect to the parameters, exactly:\n");
  for (NodeId p : t.params) print_tensor("dloss/d" + label(t.graph, p), gq.at(p), [](const Rational& r) { return r.str(); });

  std::printf("\n4. The same in interval arithmetic with 20-bit endpoints. Each result is an enclosure\n"
              "   that provably contains the exact fraction; low precision makes the widths visible:\n");
  {
    ref::IntervalPrecision low(20);
    auto vi = ref::evaluate<Interval>(t.graph, t.inputs);
    RefTensor<Interval> seed_i(Shape{});
    seed_i[0] = Interval::from_int(1);
    auto gi = ref::gradients<Interval>(t.graph, vi, t.loss, seed_i, t.params);
    print_tensor("loss", vi[static_cast<std::size_t>(t.loss)], [](const Interval& i) { return i.str(8); });
    for (NodeId p : t.params) print_tensor("dloss/d" + label(t.graph, p), gi.at(p), [](const Interval& i) { return i.str(8); });
    int64_t enclosures = 0, containing = 0;
    auto count = [&](const RefTensor<Interval>& i, const RefTensor<Rational>& q) {
      for (int64_t e = 0; e < q.numel(); ++e) {
        ++enclosures;
        containing += mpfr_cmp_q(&i[e].raw()->left, q[e].q.backend().data()) <= 0 &&
                      mpfr_cmp_q(&i[e].raw()->right, q[e].q.backend().data()) >= 0;
      }
    };
    for (NodeId id = 0; id < t.graph.size(); ++id) count(vi[static_cast<std::size_t>(id)], vq[static_cast<std::size_t>(id)]);
    for (NodeId p : t.params) count(gi.at(p), gq.at(p));
    std::printf("    checked: %lld of %lld enclosures (every node and every gradient) contain the exact fraction.\n",
                static_cast<long long>(containing), static_cast<long long>(enclosures));
  }

  std::printf("\n5. Strict float32: every op rounded once to float32, sums left to right, dot products as\n"
              "   FMA chains. Beside each value, its distance from the exact value in float32 ulps:\n");
  auto vs = ref::evaluate<Strict<float>>(t.graph, t.inputs);
  RefTensor<Strict<float>> seed_s(Shape{});
  seed_s[0] = Strict<float>{1.0f};
  auto gs = ref::gradients<Strict<float>>(t.graph, vs, t.loss, seed_s, t.params);
  double worst = 0;
  int64_t values = 0, exact = 0;
  auto report = [&](const std::string& name, const RefTensor<Strict<float>>& s, const RefTensor<Rational>& q) {
    for (int64_t i = 0; i < s.numel(); ++i) {
      double u = ulp_distance(s[i].v, q[i]);
      worst = std::max(worst, u);
      ++values;
      exact += u == 0;
      std::printf("    %-14s[%lld] = %-16s %.9g   %.3f ulp\n", name.c_str(), static_cast<long long>(i),
                  hex_float(s[i].v).c_str(), static_cast<double>(s[i].v), u);
    }
  };
  report("loss", vs[static_cast<std::size_t>(t.loss)], vq[static_cast<std::size_t>(t.loss)]);
  for (NodeId p : t.params) report("dloss/d" + label(t.graph, p), gs.at(p), gq.at(p));
  std::printf("\nOf %lld float32 results, %lld equal the exact value; the largest error is %.3f ulp.\n"
              "A correctly rounded result would be within 0.5 ulp; the rest is rounding that\n"
              "accumulates through the network — what tl-check measures against each backend's contract.\n",
              static_cast<long long>(values), static_cast<long long>(exact), worst);
  return 0;
}

}  // namespace tl

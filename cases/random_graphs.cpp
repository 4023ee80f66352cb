// Random graph generator for the fast backend tests.
#include "cases/random_graphs.h"

namespace tl::oracle {
namespace {

struct Gen {
  SplitMix64& rng;
  GraphBuilder b;
  GraphCase out;
  int counter = 0;

  HostTensor values(const Dims& dims, double scale) {
    HostTensor t(b.dtype(), Shape(dims));
    for (int64_t i = 0; i < t.numel(); ++i) {
      double v = (rng.uniform() * 2 - 1) * scale;
      t.set_from_double(i, v);
    }
    return t;
  }
  Ref param(const Dims& dims, double scale) {
    std::string name = "p" + std::to_string(counter++);
    Ref r = b.param(name, dims);
    out.inputs.emplace(name, values(dims, scale));
    out.params.push_back(r.id);
    return r;
  }
  Ref layer(Ref h) {
    const Dims d = b.shape(h).dims();
    switch (rng.below(9)) {
      case 0: {
        OpId ops[] = {OpId::tanh, OpId::sigmoid, OpId::relu, OpId::gelu, OpId::softplus, OpId::neg,
                      OpId::abs, OpId::square, OpId::sin, OpId::exp};
        Ref r = b.unary(ops[rng.below(10)], h);
        return rng.below(2) ? b.unary(OpId::tanh, r) : r;  // chains exercise fusion
      }
      case 1: return b.linear(h, param({d[1] + 1, d[1]}, 0.5), param({d[1] + 1}, 0.1));
      case 2: return b.binary(rng.below(2) ? OpId::add : OpId::mul, h, param({d[1]}, 1.0));
      case 3: return b.binary(OpId::maximum, h, param(d, 1.0));
      case 4: return b.reduce(OpId::softmax, h, -1);
      case 5: return b.layer_norm(h, param({d[1]}, 1.0), param({d[1]}, 0.1), 1, 1e-5);
      case 6: return b.transpose(b.transpose(h));
      case 7: return b.scale(b.clamp(h, -0.75, 0.75), 1.5);
      default: return b.binary(OpId::sub, b.reduce(OpId::log_softmax, h, 1), h);
    }
  }
};

}  // namespace

GraphCase random_graph(SplitMix64& rng, DType dtype) {
  Gen g{rng, GraphBuilder(dtype, "random"), {}};
  int64_t batch = 2 + static_cast<int64_t>(rng.below(4)), width = 2 + static_cast<int64_t>(rng.below(5));
  Ref x = g.b.input("x", {batch, width});
  g.out.inputs.emplace("x", g.values({batch, width}, 1.0));
  Ref h = x;
  int layers = 2 + static_cast<int>(rng.below(6));
  for (int i = 0; i < layers; ++i) h = g.layer(h);
  Ref loss;
  if (rng.below(2)) {
    Dims d = g.b.shape(h).dims();
    Ref t = g.b.input("target", d);
    g.out.inputs.emplace("target", g.values(d, 1.0));
    loss = g.b.loss(OpId::mse_loss, h, t);
  } else {
    loss = g.b.sum(h);
  }
  g.b.output("h", h);
  g.b.output("loss", loss);
  g.out.loss = loss.id;
  g.out.graph = g.b.finish();
  return std::move(g.out);
}

}  // namespace tl::oracle

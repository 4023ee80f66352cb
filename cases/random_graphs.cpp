// Random graphs shaped like small real models, in two styles:
//   MLP   a batch [N, D] through 2–7 layers (elementwise chains, linear, broadcast binary ops with
//         parameters, maximum, softmax, layer_norm, batch_norm in training form, transposes, clamp,
//         log_softmax) with residual adds around shape-keeping layers, ending in mse, sum,
//         cross-entropy over labels or bce with logits;
//   conv  an image batch [N, C, H, W] (non-square) through conv2d (kernel 1–3, stride 1–2, padding
//         0–1), batch_norm (training), an activation, max or average pooling (ragged windows
//         included), a residual conv block, flatten and linear, ending in cross-entropy or mse.
// Widths include sizes past the vector blocks (9, 17) and GEMM row tiles (5, 7); inputs are
// non-centred (one sign, offset ≫ spread) in a third of the graphs, as real activations are.
#include "cases/random_graphs.h"

#include <cmath>

namespace tl::oracle {
namespace {

constexpr int64_t kBatches[] = {2, 3, 4, 5, 7};
constexpr int64_t kWidths[] = {2, 3, 4, 5, 6, 9, 17};

template <std::size_t N> int64_t pick(SplitMix64& rng, const int64_t (&from)[N]) { return from[rng.below(N)]; }

struct Gen {
  SplitMix64& rng;
  GraphBuilder b;
  GraphCase out;
  int counter = 0;

  // Uniform in ±scale, or (non-centred) one sign at offset `scale` with a spread of scale/16.
  HostTensor values(const Dims& dims, double scale, bool centred = true) {
    HostTensor t(b.dtype(), Shape(dims));
    const double sign = rng.below(2) ? 1 : -1;
    for (int64_t i = 0; i < t.numel(); ++i) {
      double u = rng.uniform() * 2 - 1;
      t.set_from_double(i, centred ? u * scale : sign * scale * (1 + u / 16));
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
  Ref data(const std::string& name, const Dims& dims) {
    Ref r = b.input(name, dims);
    out.inputs.emplace(name, values(dims, 1.0, rng.below(3) != 0));
    return r;
  }
  // Class labels in [0, classes) for cross_entropy, or bce targets in [0, 1] (multiples of 1/8).
  Ref labels(const Dims& dims, int64_t classes) {
    Ref r = b.input("labels", dims);
    HostTensor t(b.dtype(), Shape(dims));
    for (int64_t i = 0; i < t.numel(); ++i)
      t.set_from_double(i, classes > 0 ? static_cast<double>(rng.below(static_cast<uint64_t>(classes)))
                                       : static_cast<double>(rng.below(9)) / 8);
    out.inputs.emplace("labels", std::move(t));
    return r;
  }
  Ref activation(Ref h) {
    OpId ops[] = {OpId::tanh, OpId::sigmoid, OpId::relu, OpId::gelu, OpId::softplus, OpId::neg,
                  OpId::abs, OpId::square, OpId::sin, OpId::exp};
    return b.unary(ops[rng.below(10)], h);
  }
  Ref mlp_layer(Ref h) {
    const Dims d = b.shape(h).dims();
    switch (rng.below(11)) {
      case 0: {
        Ref r = activation(h);
        return rng.below(2) ? b.unary(OpId::tanh, r) : r;  // chains exercise fusion
      }
      case 1: return b.linear(h, param({d[1] + 1, d[1]}, 0.5), param({d[1] + 1}, 0.1));
      case 2: return b.binary(rng.below(2) ? OpId::add : OpId::mul, h, param({d[1]}, 1.0));
      case 3: return b.binary(OpId::maximum, h, param(d, 1.0));
      case 4: return b.reduce(OpId::softmax, h, -1);
      case 5: return b.layer_norm(h, param({d[1]}, 1.0), param({d[1]}, 0.1), 1, 1e-5);
      case 6: return b.transpose(b.transpose(h));
      case 7: return b.scale(b.clamp(h, -0.75, 0.75), 1.5);
      case 8: return b.apply(OpId::batch_norm, {h, param({d[1]}, 1.0), param({d[1]}, 0.1)}, BatchNormAttrs{});
      case 9: return b.add(h, b.unary(OpId::tanh, b.linear(h, param({d[1], d[1]}, 0.5))));  // residual
      default: return b.binary(OpId::sub, b.reduce(OpId::log_softmax, h, 1), h);
    }
  }
  // The loss of logits h [N, C]: mse against a target, the plain sum, cross-entropy or bce.
  Ref loss(Ref h) {
    const Dims d = b.shape(h).dims();
    switch (rng.below(4)) {
      case 0: return b.loss(OpId::mse_loss, h, data("target", d));
      case 1: return b.sum(h);
      case 2: return b.loss(OpId::cross_entropy, h, labels({d[0]}, d[1]));
      default: return b.loss(OpId::bce_with_logits, h, labels(d, 0));
    }
  }
  Ref mlp() {
    const int64_t batch = pick(rng, kBatches), width = pick(rng, kWidths);
    Ref h = data("x", {batch, width});
    const int layers = 2 + static_cast<int>(rng.below(6));
    for (int i = 0; i < layers; ++i) h = mlp_layer(h);
    return h;
  }
  // conv2d with a random kernel (at most the padded input), stride and padding.
  Ref conv(Ref h, int64_t out_channels, bool same) {
    const Dims d = b.shape(h).dims();
    const int64_t pad = same ? 1 : static_cast<int64_t>(rng.below(2)), stride = same ? 1 : 1 + static_cast<int64_t>(rng.below(2));
    const int64_t kh = same ? 3 : std::min<int64_t>(1 + static_cast<int64_t>(rng.below(3)), d[2] + 2 * pad);
    const int64_t kw = same ? 3 : std::min<int64_t>(1 + static_cast<int64_t>(rng.below(3)), d[3] + 2 * pad);
    Ref w = param({out_channels, d[1], kh, kw}, 1 / std::sqrt(static_cast<double>(d[1] * kh * kw)));
    Conv2dAttrs a{stride, stride, pad, pad};
    return rng.below(2) ? b.conv2d(h, w, param({out_channels}, 0.1), a) : b.conv2d(h, w, a);
  }
  Ref pool(Ref h) {
    const Dims d = b.shape(h).dims();
    const OpId op = rng.below(2) ? OpId::max_pool2d : OpId::avg_pool2d;
    if (d[2] >= 3 && d[3] >= 3 && rng.below(2)) return b.pool2d(op, h, Pool2dAttrs{3, 3, 2, 2, 1, 1});  // ragged
    if (d[2] >= 2 && d[3] >= 2) return b.pool2d(op, h, Pool2dAttrs{});
    return h;
  }
  Ref conv_net() {
    const int64_t n = 2 + static_cast<int64_t>(rng.below(2)), c = 1 + static_cast<int64_t>(rng.below(3));
    Ref h = data("x", {n, c, 4 + static_cast<int64_t>(rng.below(5)), 4 + static_cast<int64_t>(rng.below(5))});
    const int64_t channels = 2 + static_cast<int64_t>(rng.below(3));
    h = conv(h, channels, false);
    if (rng.below(2)) h = b.apply(OpId::batch_norm, {h, param({channels}, 1.0), param({channels}, 0.1)}, BatchNormAttrs{});
    h = activation(h);
    if (rng.below(2)) h = pool(h);
    if (rng.below(2)) h = b.add(h, b.unary(OpId::relu, conv(h, channels, true)));  // residual block
    h = b.flatten(h, 1);
    const int64_t features = b.shape(h).dims()[1];
    const int64_t classes = 2 + static_cast<int64_t>(rng.below(3));
    return b.linear(h, param({classes, features}, 1 / std::sqrt(static_cast<double>(features))), param({classes}, 0.1));
  }
};

}  // namespace

GraphCase random_graph(SplitMix64& rng, DType dtype) {
  Gen g{rng, GraphBuilder(dtype, "random"), {}};
  Ref h = rng.below(3) == 0 ? g.conv_net() : g.mlp();
  Ref loss = g.loss(h);
  g.b.output("h", h);
  g.b.output("loss", loss);
  g.out.loss = loss.id;
  g.out.graph = g.b.finish();
  return std::move(g.out);
}

}  // namespace tl::oracle

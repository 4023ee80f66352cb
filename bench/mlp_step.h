// The MLP training step the benchmarks time (fast_bench on the CPU, cuda_bench on the GPU): the graph
// of a float32 MLP with bias, activation `act` between layers and an MSE or cross-entropy loss, its
// inputs (fixed seed) and parameters, and the SGD update p <- p - lr * g. One definition, so both
// benchmarks (and PyTorch's in torch_bench.py) time the same model.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "spec/builder.h"
#include "spec/splitmix.h"

namespace tl::bench {

struct MlpStep {
  Graph graph;
  std::map<std::string, HostTensor> inputs;  // x, labels or t, and every parameter
  std::vector<NodeId> params;
  NodeId loss = -1;
};

inline HostTensor random_tensor(Shape s, SplitMix64& rng, double scale) {
  HostTensor t(DType::f32, std::move(s));
  for (auto& v : t.values<float>()) v = static_cast<float>((rng.uniform() * 2 - 1) * scale);
  return t;
}

inline MlpStep make_mlp_step(const std::vector<int64_t>& widths, int64_t batch, bool classifier, OpId act) {
  SplitMix64 rng(2);
  MlpStep m;
  GraphBuilder b(DType::f32, "mlp");
  Ref h = b.input("x", {batch, widths[0]});
  m.inputs.emplace("x", random_tensor(Shape{batch, widths[0]}, rng, 1));
  for (std::size_t l = 1; l < widths.size(); ++l) {
    std::string w = "w" + std::to_string(l), bias = "b" + std::to_string(l);
    Ref wr = b.param(w, {widths[l], widths[l - 1]});
    Ref br = b.param(bias, {widths[l]});
    m.inputs.emplace(w, random_tensor(Shape{widths[l], widths[l - 1]}, rng, 0.1));
    m.inputs.emplace(bias, random_tensor(Shape{widths[l]}, rng, 0.1));
    m.params.push_back(wr.id);
    m.params.push_back(br.id);
    h = b.linear(h, wr, br);
    if (l + 1 < widths.size()) h = b.unary(act, h);
  }
  Ref loss;
  if (classifier) {
    Ref labels = b.input("labels", {batch});
    HostTensor lab(DType::f32, Shape{batch});
    for (auto& v : lab.values<float>()) v = static_cast<float>(rng.below(static_cast<uint64_t>(widths.back())));
    m.inputs.emplace("labels", lab);
    loss = b.loss(OpId::cross_entropy, h, labels);
  } else {
    Ref t = b.input("t", {batch, widths.back()});
    m.inputs.emplace("t", random_tensor(Shape{batch, widths.back()}, rng, 1));
    loss = b.loss(OpId::mse_loss, h, t);
  }
  b.output("loss", loss);
  m.graph = b.finish();
  m.loss = loss.id;
  return m;
}

// SGD on the parameters held in `inputs`: p <- p - lr * g.
inline void sgd_update(const Graph& g, const std::vector<NodeId>& params, const std::map<NodeId, HostTensor>& grads,
                       float lr, std::map<std::string, HostTensor>& inputs) {
  for (NodeId p : params) {
    HostTensor& value = inputs.at(std::string(node_name(g.node(p))));
    const float* gv = grads.at(p).values<float>().data();
    float* pv = value.values<float>().data();
    for (int64_t i = 0; i < value.numel(); ++i) pv[i] -= lr * gv[i];
  }
}

}  // namespace tl::bench

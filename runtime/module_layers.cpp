// The nn modules with shapes of their own: LayerNorm, Conv2d, pooling, Flatten, Embedding, and
// Sequential.
#include "runtime/module.h"

#include "spec/error.h"

namespace tl::rt {
namespace {

class LayerNormModule : public Module {
 public:
  LayerNormModule(int64_t features, double eps) : features_(features), eps_(eps) {}
  Ref forward(Scope& s, Ref x) const override {
    Ref gamma = s.param("weight", {features_}, Init::ones());
    Ref beta = s.param("bias", {features_}, Init::zeros());
    return s.builder().layer_norm(x, gamma, beta, -1, eps_);
  }
  std::string describe() const override { return "LayerNorm(" + std::to_string(features_) + ")"; }

 private:
  int64_t features_;
  double eps_;
};

class Conv2dModule : public Module {
 public:
  Conv2dModule(int64_t in, int64_t out, int64_t k, int64_t stride, int64_t pad)
      : in_(in), out_(out), k_(k), stride_(stride), pad_(pad) {}
  Ref forward(Scope& s, Ref x) const override {
    Ref w = s.param("weight", {out_, in_, k_, k_}, Init::kaiming_uniform(in_ * k_ * k_));
    Ref b = s.param("bias", {out_}, Init::zeros());
    return s.builder().conv2d(x, w, b, Conv2dAttrs{stride_, stride_, pad_, pad_});
  }
  std::string describe() const override {
    return "Conv2d(" + std::to_string(in_) + " -> " + std::to_string(out_) + ", kernel " + std::to_string(k_) +
           ", stride " + std::to_string(stride_) + ", padding " + std::to_string(pad_) + ")";
  }

 private:
  int64_t in_, out_, k_, stride_, pad_;
};

class PoolModule : public Module {
 public:
  PoolModule(OpId op, int64_t k, int64_t stride) : op_(op), k_(k), stride_(stride ? stride : k) {}
  Ref forward(Scope& s, Ref x) const override {
    return s.builder().pool2d(op_, x, Pool2dAttrs{k_, k_, stride_, stride_, 0, 0});
  }
  std::string describe() const override {
    return std::string(op_ == OpId::max_pool2d ? "MaxPool2d(" : "AvgPool2d(") + std::to_string(k_) + ")";
  }

 private:
  OpId op_;
  int64_t k_, stride_;
};

class FlattenModule : public Module {
 public:
  explicit FlattenModule(int64_t axis) : axis_(axis) {}
  Ref forward(Scope& s, Ref x) const override { return s.builder().flatten(x, axis_); }
  std::string describe() const override { return "Flatten()"; }

 private:
  int64_t axis_;
};

// Rows of a table selected by integer indices (the input holds the indices as exact integers).
class EmbeddingModule : public Module {
 public:
  EmbeddingModule(int64_t count, int64_t dim) : count_(count), dim_(dim) {}
  Ref forward(Scope& s, Ref idx) const override {
    Ref table = s.param("weight", {count_, dim_}, Init::uniform(-1, 1));
    return s.builder().apply(OpId::gather_rows, {table, idx}, NoAttrs{});
  }
  std::string describe() const override { return "Embedding(" + std::to_string(count_) + ", " + std::to_string(dim_) + ")"; }

 private:
  int64_t count_, dim_;
};

class SequentialModule : public Module {
 public:
  explicit SequentialModule(std::vector<ModulePtr> layers) : layers_(std::move(layers)) {}
  Ref forward(Scope& s, Ref x) const override {
    for (std::size_t i = 0; i < layers_.size(); ++i) {
      s.push_prefix(std::to_string(i));
      x = layers_[i]->forward(s, x);
      s.pop_prefix();
    }
    return x;
  }
  std::string describe() const override {
    std::string out = "Sequential(";
    for (std::size_t i = 0; i < layers_.size(); ++i) out += (i ? ", " : "") + layers_[i]->describe();
    return out + ")";
  }

 private:
  std::vector<ModulePtr> layers_;
};

}  // namespace

namespace nn {

ModulePtr LayerNorm(int64_t features, double eps) { return std::make_shared<LayerNormModule>(features, eps); }
ModulePtr Conv2d(int64_t in, int64_t out, int64_t k, int64_t stride, int64_t pad) {
  return std::make_shared<Conv2dModule>(in, out, k, stride, pad);
}
ModulePtr MaxPool2d(int64_t k, int64_t stride) { return std::make_shared<PoolModule>(OpId::max_pool2d, k, stride); }
ModulePtr AvgPool2d(int64_t k, int64_t stride) { return std::make_shared<PoolModule>(OpId::avg_pool2d, k, stride); }
ModulePtr Flatten(int64_t axis) { return std::make_shared<FlattenModule>(axis); }
ModulePtr Embedding(int64_t count, int64_t dim) { return std::make_shared<EmbeddingModule>(count, dim); }
ModulePtr Sequential(std::vector<ModulePtr> layers) { return std::make_shared<SequentialModule>(std::move(layers)); }

}  // namespace nn
}  // namespace tl::rt

// nn modules: a model is a function that emits graph nodes, so one definition gives the same
// mathematical object under every dtype, backend and device (issue 6). A module's forward appends
// its ops to a GraphBuilder through a Scope, which also owns the model's named state: parameters
// (created once with their initialiser, then reused by every graph built), buffers (BatchNorm running
// statistics) and per-step inputs (dropout masks). Train and eval mode build different graphs, as
// in PyTorch: Dropout is the identity in eval; BatchNorm uses batch statistics in train (and the
// runner updates the running ones) and running statistics in eval.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "runtime/init.h"
#include "spec/builder.h"

namespace tl::rt {

enum class Mode { train, eval };

// The named state a model's graphs read, in the model's dtype.
struct ModelState {
  explicit ModelState(DType d, uint64_t seed) : dtype(d), seeds(seed) {}
  DType dtype;
  std::vector<std::string> param_names;  // creation order
  std::map<std::string, HostTensor> params;
  std::vector<std::string> buffer_names;
  std::map<std::string, HostTensor> buffers;
  SeedStream seeds;
};

// A dropout mask the runner must supply each training step (keep with probability 1 - p, scaled).
struct DropoutSite {
  std::string input;  // graph input name
  double p = 0;
  Dims shape;
};

// A BatchNorm whose running statistics the runner updates after each training step.
struct BatchNormSite {
  NodeId input = -1;  // the node normalised (its value gives the batch statistics)
  std::string running_mean, running_var;
  double momentum = 0.1;
};

class Scope {
 public:
  Scope(GraphBuilder& b, Mode mode, ModelState& state) : b_(b), mode_(mode), state_(state) {}
  GraphBuilder& builder() { return b_; }
  Mode mode() const { return mode_; }
  // A trained parameter named prefix + name: created with `init` the first time, reused afterwards.
  Ref param(const std::string& name, Dims shape, const Init& init);
  // A buffer (no gradient), created filled with `fill` the first time.
  Ref buffer(const std::string& name, Dims shape, double fill);
  Ref dropout_mask(Dims shape, double p);
  void batch_norm_site(BatchNormSite site) { batch_norms_.push_back(std::move(site)); }
  // The full name of this module's state `name` ("2.running_mean").
  std::string full_name(const std::string& name) const;
  // Child modules name their state under "<index>."
  void push_prefix(const std::string& part) { prefix_.push_back(part); }
  void pop_prefix() { prefix_.pop_back(); }
  const std::vector<DropoutSite>& dropouts() const { return dropouts_; }
  const std::vector<BatchNormSite>& batch_norms() const { return batch_norms_; }

 private:
  Ref state_input(const std::string& name, const Dims& shape, InputRole role);
  GraphBuilder& b_;
  Mode mode_;
  ModelState& state_;
  std::vector<std::string> prefix_;
  std::vector<DropoutSite> dropouts_;
  std::vector<BatchNormSite> batch_norms_;
};

class Module {
 public:
  virtual ~Module() = default;
  virtual Ref forward(Scope& s, Ref x) const = 0;
  virtual std::string describe() const = 0;
};

using ModulePtr = std::shared_ptr<const Module>;

namespace nn {

ModulePtr Linear(int64_t in, int64_t out, bool bias = true);
ModulePtr ReLU();
ModulePtr Tanh();
ModulePtr Sigmoid();
ModulePtr GELU();
ModulePtr Softplus();
ModulePtr Dropout(double p);
ModulePtr BatchNorm1d(int64_t channels, double eps = 1e-5, double momentum = 0.1);
ModulePtr BatchNorm2d(int64_t channels, double eps = 1e-5, double momentum = 0.1);
ModulePtr LayerNorm(int64_t features, double eps = 1e-5);
ModulePtr Conv2d(int64_t in_channels, int64_t out_channels, int64_t kernel, int64_t stride = 1, int64_t padding = 0);
ModulePtr MaxPool2d(int64_t kernel, int64_t stride = 0);
ModulePtr AvgPool2d(int64_t kernel, int64_t stride = 0);
ModulePtr Flatten(int64_t axis = 1);
ModulePtr Embedding(int64_t count, int64_t dim);
ModulePtr Sequential(std::vector<ModulePtr> layers);

}  // namespace nn
}  // namespace tl::rt

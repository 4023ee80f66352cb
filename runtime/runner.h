// The runner (TorchLean's Runner α task): owns a model's parameters and buffers, its graphs for
// train and eval mode — predictors and losses, built once per batch size and executed by the chosen
// backend — the current mode, and the update helpers. Runner<T> for T = float or double.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "runtime/data.h"
#include "backend/backend.h"
#include "runtime/module.h"
#include "runtime/optim.h"

namespace tl::rt {

enum class LossKind { mse, cross_entropy, bce_with_logits, nll };

struct Task {
  std::string name;
  ModulePtr model;
  Dims input_shape;   // one sample, e.g. {2} or {1, 8, 8}
  LossKind loss = LossKind::mse;
  Reduction reduction = Reduction::mean;
  int64_t classes = 0;  // cross_entropy / nll: targets are labels [N] in [0, classes)
  Dims target_shape;    // otherwise: one sample's target, e.g. {1}
};

struct RunConfig {
  DType dtype = DType::f64;
  std::string backend = "compiled";  // a name of backend::backend_names()
  uint64_t seed = 0;
  bool show_backend = false;
};

// A graph's inputs for one run. The model's parameters and buffers are moved in from its state and
// moved back by give_back() (or the destructor, also after an exception), so a step copies none of
// them.
class LentInputs {
 public:
  explicit LentInputs(ModelState& state) : state_(&state) {}
  LentInputs(const LentInputs&) = delete;
  LentInputs& operator=(const LentInputs&) = delete;
  LentInputs(LentInputs&& other) noexcept : map(std::move(other.map)), state_(other.state_) { other.state_ = nullptr; }
  ~LentInputs() { give_back(); }
  void lend(const std::string& name, HostTensor& from) { map.emplace(name, std::move(from)); }
  void give_back();
  std::map<std::string, HostTensor> map;

 private:
  ModelState* state_;
};

class RunnerCore {
 public:
  RunnerCore(Task task, RunConfig config);
  const Task& task() const { return task_; }
  const RunConfig& config() const { return config_; }
  const backend::Backend& backend() const { return *backend_; }
  ModelState& state() { return state_; }
  const ModelState& state() const { return state_; }

  void train_mode() { mode_ = Mode::train; }
  void eval_mode() { mode_ = Mode::eval; }
  bool training() const { return mode_ == Mode::train; }

  // Loss on a batch in the current mode (no update; in train mode it draws fresh dropout masks, so
  // the masks of later steps move on by one).
  double loss(const Batch& b);
  // Mean loss over a dataset in eval mode, in batches of `batch` rows (the mode is restored).
  double mean_loss(const Dataset& d, int64_t batch);
  // The model's output for inputs x [N, ...] in the current mode.
  HostTensor predict(const HostTensor& x);
  // Fraction of rows whose arg-max prediction equals the label (classification tasks), eval mode.
  double accuracy(const Dataset& d, int64_t batch);
  // Loss (before the update) and gradients of every parameter on a batch; switches the runner to
  // train mode (and leaves it there, as training loops expect) and updates BatchNorm running
  // statistics. The gradients are returned, never stored on the parameters.
  std::pair<double, std::map<std::string, HostTensor>> backward(const Batch& b);
  // backward, then one optimizer update at learning rate lr; returns the pre-update loss.
  double train_step(const Batch& b, Optimizer& opt, double lr);
  int64_t steps_taken() const { return steps_; }
  std::string describe() const;

 private:
  struct Graphs {
    Graph graph;
    NodeId pred = -1, loss = -1;
    std::vector<NodeId> params;  // parameter input nodes, in state_.param_names order
    std::vector<DropoutSite> dropouts;
    std::vector<BatchNormSite> batch_norms;
  };
  Graphs& graphs(Mode mode, int64_t batch, bool with_loss);
  Graphs build(Mode mode, int64_t batch, bool with_loss);
  LentInputs inputs_for(const Graphs& g, const HostTensor& x, const HostTensor* y);
  void update_running_stats(const Graphs& g, const backend::Result& e);
  // Runs one of this runner's graphs (kept alive in graphs_): the values of `keep`, and with `loss`
  // the gradients of that scalar node (seed 1) w.r.t. `wrt`.
  backend::Result execute(const Graph& g, const backend::Inputs& in, std::vector<NodeId> keep,
                          std::optional<NodeId> loss, std::vector<NodeId> wrt);
  void check_batch(const Batch& b) const;
  void show_contracts(const Graph& g) const;

  Task task_;
  RunConfig config_;
  ModelState state_;
  Mode mode_ = Mode::eval;
  std::unique_ptr<backend::Backend> backend_;
  std::map<std::tuple<int, int64_t, bool>, std::unique_ptr<Graphs>> graphs_;
  int64_t steps_ = 0;
  uint64_t dropout_counter_ = 0;
};

template <class T>
class Runner : public RunnerCore {
 public:
  Runner(Task task, RunConfig config) : RunnerCore(std::move(task), with_dtype(std::move(config))) {}

 private:
  static RunConfig with_dtype(RunConfig c) {
    c.dtype = dtype_of<T>();
    return c;
  }
};

}  // namespace tl::rt

// The runner: graphs per mode and batch size, inputs, steps, running statistics.
#include "runtime/runner.h"

#include <cmath>
#include <cstdio>
#include <set>

#include "spec/error.h"
#include "spec/splitmix.h"

namespace tl::rt {
namespace {

constexpr uint64_t kDropoutStream = 0xD50u;  // dropout masks: keys splitmix_key(seed ^ this, counter)

OpId loss_op(LossKind k) {
  switch (k) {
    case LossKind::mse: return OpId::mse_loss;
    case LossKind::cross_entropy: return OpId::cross_entropy;
    case LossKind::bce_with_logits: return OpId::bce_with_logits;
    case LossKind::nll: return OpId::nll;
  }
  throw_internal("bad LossKind value");
}

Dims with_batch(int64_t batch, const Dims& sample) {
  Dims d{batch};
  d.insert(d.end(), sample.begin(), sample.end());
  return d;
}

}  // namespace

RunnerCore::RunnerCore(Task task, RunConfig config)
    : task_(std::move(task)), config_(config), state_(config.dtype, config.seed), backend_(backend::make_backend(config.backend)) {
  TL_CHECK_USER(task_.model != nullptr, "task '" + task_.name + "' has no model");
  graphs(Mode::train, 1, true);  // creates the parameters and buffers, in module order
  if (config_.show_backend) {
    std::printf("backend: %s, device: %s, dtype: %s\n", backend_->name().c_str(), backend_->device().c_str(),
                std::string(dtype_name(config_.dtype)).c_str());
    show_contracts(graphs(Mode::train, 1, true).graph);
  }
}

RunnerCore::Graphs RunnerCore::build(Mode mode, int64_t batch, bool with_loss) {
  GraphBuilder b(config_.dtype, task_.name + (mode == Mode::train ? "_train" : "_eval"));
  Scope scope(b, mode, state_);
  Ref x = b.input("x", with_batch(batch, task_.input_shape));
  Ref pred = task_.model->forward(scope, x);
  b.output("pred", pred);
  Graphs g;
  g.pred = pred.id;
  if (with_loss) {
    Dims target = task_.classes > 0 ? Dims{batch} : with_batch(batch, task_.target_shape);
    Ref loss = b.loss(loss_op(task_.loss), pred, b.input("target", target), task_.reduction);
    b.output("loss", loss);
    g.loss = loss.id;
  }
  g.dropouts = scope.dropouts();
  g.batch_norms = scope.batch_norms();
  g.graph = b.finish();
  for (const std::string& name : state_.param_names) {
    std::optional<NodeId> id = g.graph.find_named(name);
    TL_CHECK_INTERNAL(id.has_value(), "parameter " + name + " missing from a graph");
    g.params.push_back(*id);
  }
  return g;
}

RunnerCore::Graphs& RunnerCore::graphs(Mode mode, int64_t batch, bool with_loss) {
  auto key = std::make_tuple(static_cast<int>(mode), batch, with_loss);
  auto it = graphs_.find(key);
  if (it == graphs_.end()) it = graphs_.emplace(key, std::make_unique<Graphs>(build(mode, batch, with_loss))).first;
  return *it->second;
}

void LentInputs::give_back() {
  if (!state_) return;
  for (auto* store : {&state_->params, &state_->buffers}) {
    for (auto& [name, t] : *store) {
      auto it = map.find(name);
      if (it != map.end()) t = std::move(it->second);
    }
  }
  state_ = nullptr;
}

LentInputs RunnerCore::inputs_for(const Graphs& g, const HostTensor& x, const HostTensor* y) {
  LentInputs lent(state_);
  auto& in = lent.map;
  in.emplace("x", x);
  if (y) in.emplace("target", *y);
  for (auto& [name, t] : state_.params) lent.lend(name, t);
  for (auto& [name, t] : state_.buffers) {
    if (g.graph.find_named(name)) lent.lend(name, t);
  }
  for (const DropoutSite& d : g.dropouts) {
    HostTensor mask(config_.dtype, Shape(d.shape));
    uint64_t key = splitmix_key(config_.seed ^ kDropoutStream, dropout_counter_++);
    double keep_scale = 1.0 / (1.0 - d.p);
    for (int64_t i = 0; i < mask.numel(); ++i)
      mask.set_from_double(i, splitmix_uniform(key, static_cast<uint64_t>(i)) >= d.p ? keep_scale : 0.0);
    in.emplace(d.input, std::move(mask));
  }
  return lent;
}

void RunnerCore::check_batch(const Batch& b) const {
  TL_CHECK_USER(b.x.dtype() == config_.dtype && b.y.dtype() == config_.dtype,
                task_.name + ": batch dtype differs from the runner's (" + std::string(dtype_name(config_.dtype)) + ")");
  TL_CHECK_USER(b.x.shape().rank() >= 1 && b.x.shape().dim(0) > 0, task_.name + ": empty batch");
  TL_CHECK_USER(b.y.shape().rank() >= 1 && b.y.shape().dim(0) == b.x.shape().dim(0),
                task_.name + ": inputs and targets have different row counts");
}

backend::Result RunnerCore::execute(const Graph& g, const backend::Inputs& in, std::vector<NodeId> keep,
                                    std::optional<NodeId> loss, std::vector<NodeId> wrt) {
  backend::Request r;
  r.values = std::move(keep);
  r.output = loss;
  r.wrt = std::move(wrt);
  r.graph_is_kept = true;
  return backend_->run(g, in, r);
}

double RunnerCore::loss(const Batch& b) {
  check_batch(b);
  Graphs& g = graphs(mode_, b.x.shape().dim(0), true);
  backend::Result e = execute(g.graph, inputs_for(g, b.x, &b.y).map, {g.loss}, std::nullopt, {});
  return e.values.at(g.loss).value_as_double(0);
}

HostTensor RunnerCore::predict(const HostTensor& x) {
  TL_CHECK_USER(x.dtype() == config_.dtype && x.shape().rank() >= 1, task_.name + ": predict needs a batch of inputs of the runner's dtype");
  Graphs& g = graphs(mode_, x.shape().dim(0), false);
  return execute(g.graph, inputs_for(g, x, nullptr).map, {g.pred}, std::nullopt, {}).values.at(g.pred);
}

std::pair<double, std::map<std::string, HostTensor>> RunnerCore::backward(const Batch& b) {
  check_batch(b);
  train_mode();
  Graphs& g = graphs(Mode::train, b.x.shape().dim(0), true);
  std::vector<NodeId> keep{g.loss};
  for (const BatchNormSite& s : g.batch_norms) keep.push_back(s.input);
  LentInputs in = inputs_for(g, b.x, &b.y);
  backend::Result e = execute(g.graph, in.map, keep, g.loss, g.params);
  in.give_back();  // the running statistics are updated in the state
  update_running_stats(g, e);
  std::map<std::string, HostTensor> grads;
  for (std::size_t i = 0; i < g.params.size(); ++i) grads.emplace(state_.param_names[i], e.grads.at(g.params[i]));
  return {e.values.at(g.loss).value_as_double(0), std::move(grads)};
}

double RunnerCore::train_step(const Batch& b, Optimizer& opt, double lr) {
  auto [loss, grads] = backward(b);
  opt.step(state_.params, grads, lr);
  ++steps_;
  return loss;
}

}  // namespace tl::rt

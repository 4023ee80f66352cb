// Optimizers and learning-rate schedulers with TorchLean's defaults (PyTorch's update rules):
//   SGD          p -= lr * g;  with momentum: buf = mu * buf + g; p -= lr * buf (dampening 0)
//   Adam         m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; p -= lr * m_hat / (sqrt(v_hat) + eps)
//   AdamW        p -= lr * wd * p, then the Adam step (torch.optim.AdamW order)
//   RMSProp      v = d v + (1 - d) g^2; p -= lr * g / (sqrt(v) + eps)
//   AdaGrad      G += g^2; p -= lr * g / (sqrt(G) + eps)
// Arithmetic in the parameters' dtype, element by element in index order, so eager, compiled and
// reference training give the same parameters whenever their gradients agree.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "spec/tensor.h"

namespace tl::rt {

enum class OptimizerKind { sgd, adam, adamw, rmsprop, adagrad };

struct OptimizerConfig {
  OptimizerKind kind = OptimizerKind::sgd;
  double lr = 0.01;
  double momentum = 0;          // sgd
  double beta1 = 0.9, beta2 = 0.999;
  double eps = 1e-8;            // adam, adamw, rmsprop (adagrad: 1e-10)
  double weight_decay = 0.01;   // adamw
  double decay = 0.99;          // rmsprop

  static OptimizerConfig sgd(double lr, double momentum = 0);
  static OptimizerConfig adam(double lr);
  static OptimizerConfig adamw(double lr, double weight_decay = 0.01);
  static OptimizerConfig rmsprop(double lr);
  static OptimizerConfig adagrad(double lr);
  std::string describe() const;  // "Adam(lr=0.03)"
};

enum class SchedulerKind { constant, step, exponential, warmup_cosine };

struct SchedulerConfig {
  SchedulerKind kind = SchedulerKind::constant;
  int64_t step_size = 1;  // step
  double gamma = 0.1;     // step, exponential
  int64_t warmup = 0, total = 1;
  double min_lr = 0;      // warmup_cosine
  // The learning rate at step (or epoch) t for base rate lr.
  double lr_at(double lr, int64_t t) const;
};

class Optimizer {
 public:
  explicit Optimizer(OptimizerConfig c) : config_(c) {}
  const OptimizerConfig& config() const { return config_; }
  // One update of every parameter from its gradient, at learning rate lr.
  void step(std::map<std::string, HostTensor>& params, const std::map<std::string, HostTensor>& grads, double lr);
  int64_t steps() const { return t_; }

 private:
  template <class T> void update(const std::string& name, HostTensor& p, const HostTensor& g, double lr);
  OptimizerConfig config_;
  int64_t t_ = 0;
  std::map<std::string, HostTensor> first_, second_;  // momentum / m, and v / G
};

}  // namespace tl::rt

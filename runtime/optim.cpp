// Optimizer updates and schedules.
#include "runtime/optim.h"

#include <cmath>
#include <cstdio>

#include "spec/error.h"

namespace tl::rt {

namespace {

OptimizerConfig config_of(OptimizerKind kind, double lr) {
  OptimizerConfig c;
  c.kind = kind;
  c.lr = lr;
  return c;
}

}  // namespace

OptimizerConfig OptimizerConfig::sgd(double lr, double momentum) {
  OptimizerConfig c = config_of(OptimizerKind::sgd, lr);
  c.momentum = momentum;
  return c;
}
OptimizerConfig OptimizerConfig::adam(double lr) { return config_of(OptimizerKind::adam, lr); }
OptimizerConfig OptimizerConfig::adamw(double lr, double weight_decay) {
  OptimizerConfig c = config_of(OptimizerKind::adamw, lr);
  c.weight_decay = weight_decay;
  return c;
}
OptimizerConfig OptimizerConfig::rmsprop(double lr) { return config_of(OptimizerKind::rmsprop, lr); }
OptimizerConfig OptimizerConfig::adagrad(double lr) {
  OptimizerConfig c = config_of(OptimizerKind::adagrad, lr);
  c.eps = 1e-10;
  return c;
}

std::string OptimizerConfig::describe() const {
  char buf[128];
  switch (kind) {
    case OptimizerKind::sgd: std::snprintf(buf, sizeof buf, "SGD(lr=%g, momentum=%g)", lr, momentum); break;
    case OptimizerKind::adam: std::snprintf(buf, sizeof buf, "Adam(lr=%g, betas=(%g, %g), eps=%g)", lr, beta1, beta2, eps); break;
    case OptimizerKind::adamw:
      std::snprintf(buf, sizeof buf, "AdamW(lr=%g, betas=(%g, %g), eps=%g, weight_decay=%g)", lr, beta1, beta2, eps, weight_decay);
      break;
    case OptimizerKind::rmsprop: std::snprintf(buf, sizeof buf, "RMSProp(lr=%g, decay=%g, eps=%g)", lr, decay, eps); break;
    case OptimizerKind::adagrad: std::snprintf(buf, sizeof buf, "AdaGrad(lr=%g, eps=%g)", lr, eps); break;
  }
  return buf;
}

double SchedulerConfig::lr_at(double lr, int64_t t) const {
  switch (kind) {
    case SchedulerKind::constant: return lr;
    case SchedulerKind::step: return lr * std::pow(gamma, static_cast<double>(t / std::max<int64_t>(1, step_size)));
    case SchedulerKind::exponential: return lr * std::pow(gamma, static_cast<double>(t));
    case SchedulerKind::warmup_cosine: {
      if (t < warmup) return lr * static_cast<double>(t + 1) / static_cast<double>(warmup);
      double span = static_cast<double>(std::max<int64_t>(1, total - warmup));
      double progress = std::min(1.0, static_cast<double>(t - warmup) / span);
      return min_lr + (lr - min_lr) * 0.5 * (1 + std::cos(M_PI * progress));
    }
  }
  throw_internal("bad SchedulerKind value");
}

template <class T>
void Optimizer::update(const std::string& name, HostTensor& p, const HostTensor& g, double lr_d) {
  auto pv = p.values<T>();
  auto gv = g.values<T>();
  HostTensor& a = first_.try_emplace(name, p.dtype(), p.shape()).first->second;
  HostTensor& b = second_.try_emplace(name, p.dtype(), p.shape()).first->second;
  auto av = a.values<T>();
  auto bv = b.values<T>();
  const OptimizerConfig& c = config_;
  const T lr = static_cast<T>(lr_d), b1 = static_cast<T>(c.beta1), b2 = static_cast<T>(c.beta2), eps = static_cast<T>(c.eps);
  const T bc1 = static_cast<T>(1 - std::pow(c.beta1, static_cast<double>(t_)));
  const T bc2 = static_cast<T>(1 - std::pow(c.beta2, static_cast<double>(t_)));
  for (std::size_t i = 0; i < pv.size(); ++i) {
    T gi = gv[i];
    switch (c.kind) {
      case OptimizerKind::sgd:
        if (c.momentum != 0) { av[i] = static_cast<T>(c.momentum) * av[i] + gi; gi = av[i]; }
        pv[i] -= lr * gi;
        break;
      case OptimizerKind::adamw: pv[i] -= lr * static_cast<T>(c.weight_decay) * pv[i]; [[fallthrough]];
      case OptimizerKind::adam:
        av[i] = b1 * av[i] + (T(1) - b1) * gi;
        bv[i] = b2 * bv[i] + (T(1) - b2) * gi * gi;
        pv[i] -= lr * (av[i] / bc1) / (std::sqrt(bv[i] / bc2) + eps);
        break;
      case OptimizerKind::rmsprop:
        bv[i] = static_cast<T>(c.decay) * bv[i] + (T(1) - static_cast<T>(c.decay)) * gi * gi;
        pv[i] -= lr * gi / (std::sqrt(bv[i]) + eps);
        break;
      case OptimizerKind::adagrad:
        bv[i] += gi * gi;
        pv[i] -= lr * gi / (std::sqrt(bv[i]) + eps);
        break;
    }
  }
}

void Optimizer::step(std::map<std::string, HostTensor>& params, const std::map<std::string, HostTensor>& grads, double lr) {
  for (const auto& [name, p] : params) {  // all checked before anything changes
    auto it = grads.find(name);
    TL_CHECK_USER(it != grads.end(), "optimizer: no gradient for parameter " + name);
    TL_CHECK_USER(it->second.shape() == p.shape() && it->second.dtype() == p.dtype(),
                  "optimizer: gradient of " + name + " has shape " + it->second.shape().str() + ", the parameter " + p.shape().str());
  }
  ++t_;
  for (auto& [name, p] : params) {
    if (p.dtype() == DType::f32) update<float>(name, p, grads.at(name), lr);
    else update<double>(name, p, grads.at(name), lr);
  }
}

}  // namespace tl::rt

// The nn modules.
#include "runtime/module.h"

#include "spec/error.h"

namespace tl::rt {

std::string Scope::full_name(const std::string& name) const {
  std::string out;
  for (const std::string& p : prefix_) out += p + ".";
  return out + name;
}

Ref Scope::state_input(const std::string& name, const Dims& shape, InputRole role) {
  return role == InputRole::param ? b_.param(name, shape) : b_.input(name, shape);
}

Ref Scope::param(const std::string& name, Dims shape, const Init& init) {
  std::string full = full_name(name);
  if (!state_.params.count(full)) {
    state_.params.emplace(full, initialise(init, state_.dtype, Shape(shape), state_.seeds.next()));
    state_.param_names.push_back(full);
  }
  return state_input(full, shape, InputRole::param);
}

Ref Scope::buffer(const std::string& name, Dims shape, double fill) {
  std::string full = full_name(name);
  if (!state_.buffers.count(full)) {
    state_.buffers.emplace(full, initialise(Init::uniform(fill, fill), state_.dtype, Shape(shape), 0));
    state_.buffer_names.push_back(full);
  }
  return state_input(full, shape, InputRole::data);
}

Ref Scope::dropout_mask(Dims shape, double p) {
  std::string name = "dropout_mask." + std::to_string(dropouts_.size());
  dropouts_.push_back({name, p, shape});
  return b_.input(name, shape);
}

namespace {

class Unary : public Module {
 public:
  Unary(OpId op, std::string name) : op_(op), name_(std::move(name)) {}
  Ref forward(Scope& s, Ref x) const override { return s.builder().unary(op_, x); }
  std::string describe() const override { return name_ + "()"; }

 private:
  OpId op_;
  std::string name_;
};

class LinearModule : public Module {
 public:
  LinearModule(int64_t in, int64_t out, bool bias) : in_(in), out_(out), bias_(bias) {}
  Ref forward(Scope& s, Ref x) const override {
    Ref w = s.param("weight", {out_, in_}, Init::xavier_uniform(in_, out_));
    if (!bias_) return s.builder().linear(x, w);
    return s.builder().linear(x, w, s.param("bias", {out_}, Init::zeros()));
  }
  std::string describe() const override {
    return "Linear(" + std::to_string(in_) + " -> " + std::to_string(out_) + (bias_ ? "" : ", no bias") + ")";
  }

 private:
  int64_t in_, out_;
  bool bias_;
};

class DropoutModule : public Module {
 public:
  explicit DropoutModule(double p) : p_(p) {
    TL_CHECK_USER(p >= 0 && p < 1, "Dropout: p must be in [0, 1), got " + std::to_string(p));
  }
  Ref forward(Scope& s, Ref x) const override {
    if (s.mode() == Mode::eval || p_ == 0) return x;
    return s.builder().mul(x, s.dropout_mask(s.builder().shape(x).dims(), p_));
  }
  std::string describe() const override { return "Dropout(p=" + std::to_string(p_) + ")"; }

 private:
  double p_;
};

class BatchNormModule : public Module {
 public:
  BatchNormModule(int64_t channels, double eps, double momentum, int rank)
      : channels_(channels), eps_(eps), momentum_(momentum), rank_(rank) {}
  Ref forward(Scope& s, Ref x) const override {
    TL_CHECK_USER(s.builder().shape(x).rank() == rank_ && s.builder().shape(x).dim(1) == channels_,
                  describe() + ": input must be " + (rank_ == 2 ? "[N, C]" : "[N, C, H, W]") + " with C = " +
                      std::to_string(channels_) + ", got " + s.builder().shape(x).str());
    Ref gamma = s.param("weight", {channels_}, Init::ones());
    Ref beta = s.param("bias", {channels_}, Init::zeros());
    Ref mean = s.buffer("running_mean", {channels_}, 0.0);
    Ref var = s.buffer("running_var", {channels_}, 1.0);
    if (s.mode() == Mode::eval) {
      return s.builder().apply(OpId::batch_norm, {x, gamma, beta, mean, var}, BatchNormAttrs{false, eps_, momentum_});
    }
    s.batch_norm_site({x.id, s.full_name("running_mean"), s.full_name("running_var"), momentum_});
    return s.builder().apply(OpId::batch_norm, {x, gamma, beta}, BatchNormAttrs{true, eps_, momentum_});
  }
  std::string describe() const override {
    return std::string(rank_ == 2 ? "BatchNorm1d(" : "BatchNorm2d(") + std::to_string(channels_) + ")";
  }

 private:
  int64_t channels_;
  double eps_, momentum_;
  int rank_;
};

}  // namespace

namespace nn {

ModulePtr Linear(int64_t in, int64_t out, bool bias) { return std::make_shared<LinearModule>(in, out, bias); }
ModulePtr ReLU() { return std::make_shared<Unary>(OpId::relu, "ReLU"); }
ModulePtr Tanh() { return std::make_shared<Unary>(OpId::tanh, "Tanh"); }
ModulePtr Sigmoid() { return std::make_shared<Unary>(OpId::sigmoid, "Sigmoid"); }
ModulePtr GELU() { return std::make_shared<Unary>(OpId::gelu, "GELU"); }
ModulePtr Softplus() { return std::make_shared<Unary>(OpId::softplus, "Softplus"); }
ModulePtr Dropout(double p) { return std::make_shared<DropoutModule>(p); }
ModulePtr BatchNorm1d(int64_t c, double eps, double momentum) { return std::make_shared<BatchNormModule>(c, eps, momentum, 2); }
ModulePtr BatchNorm2d(int64_t c, double eps, double momentum) { return std::make_shared<BatchNormModule>(c, eps, momentum, 4); }

}  // namespace nn
}  // namespace tl::rt

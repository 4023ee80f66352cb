// Parameter initialisers, seeded through SplitMix64 as TorchLean does: a layer's tensor gets a key
// splitmix64(seed + counter) from the model's seed stream, and element i the uniform
// u_i = low 32 bits of splitmix64(key + i) / 2^32; a scheme maps u_i into its range.
#pragma once

#include <cstdint>

#include "spec/tensor.h"

namespace tl::rt {

enum class InitKind { zeros, ones, uniform, xavier_uniform, kaiming_uniform };

struct Init {
  InitKind kind = InitKind::zeros;
  double lo = 0, hi = 0;        // uniform
  int64_t fan_in = 1, fan_out = 1;

  static Init zeros() { return {InitKind::zeros}; }
  static Init ones() { return {InitKind::ones}; }
  static Init uniform(double lo, double hi) { return {InitKind::uniform, lo, hi}; }
  // limit sqrt(6 / (fan_in + fan_out)) (Glorot and Bengio): Linear's default weights.
  static Init xavier_uniform(int64_t fan_in, int64_t fan_out) { return {InitKind::xavier_uniform, 0, 0, fan_in, fan_out}; }
  // limit sqrt(6 / fan_in) (He et al., gain sqrt 2): Conv2d's default weights.
  static Init kaiming_uniform(int64_t fan_in) { return {InitKind::kaiming_uniform, 0, 0, fan_in, 1}; }
};

// A tensor of `dtype` and `shape` filled by `init` from stream key `key`.
HostTensor initialise(const Init& init, DType dtype, const Shape& shape, uint64_t key);

// The model's seed stream (TorchLean's SeedStream): next() = splitmix_key(seed, counter++).
class SeedStream {
 public:
  explicit SeedStream(uint64_t seed) : seed_(seed) {}
  uint64_t next();

 private:
  uint64_t seed_;
  uint64_t counter_ = 0;
};

}  // namespace tl::rt

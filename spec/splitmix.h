// SplitMix64 (Steele, Lea, Flood 2014; Vigna's constants), the one source of seeded randomness in
// the project, as in TorchLean so that masks, uniforms and initialisations line up:
//   splitmix64(x) = mix(x + 0x9E3779B97F4A7C15)
//   key           = splitmix64(seed + counter)
//   uniform(i)    = low 32 bits of splitmix64(key + i) / 2^32        (exact in float64, in [0,1))
#pragma once

#include <cstdint>

namespace tl {

inline constexpr uint64_t kSplitMixGamma = 0x9E3779B97F4A7C15ull;

constexpr uint64_t splitmix64(uint64_t x) {
  uint64_t z = x + kSplitMixGamma;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Key of a stream: TorchLean's keyOf(seed, counter).
constexpr uint64_t splitmix_key(uint64_t seed, uint64_t counter = 0) {
  return splitmix64(seed + counter);
}

// Element `index` of the uniform stream with `key`; a multiple of 2^-32 in [0, 1).
constexpr double splitmix_uniform(uint64_t key, uint64_t index) {
  return static_cast<double>(splitmix64(key + index) & 0xFFFFFFFFull) * 0x1p-32;
}

// Sequential generator: next() returns splitmix64(s), splitmix64(s + gamma), ... (the classic
// SplitMix64 sequence for state s).
class SplitMix64 {
 public:
  explicit constexpr SplitMix64(uint64_t seed) : state_(seed) {}
  constexpr uint64_t next() {
    uint64_t out = splitmix64(state_);
    state_ += kSplitMixGamma;
    return out;
  }
  // Uniform integer in [0, bound) by rejection (no modulo bias); bound > 0.
  constexpr uint64_t below(uint64_t bound) {
    uint64_t limit = ~uint64_t{0} - (~uint64_t{0} % bound);
    uint64_t x = next();
    while (x >= limit) x = next();
    return x % bound;
  }
  // Uniform double in [0, 1) with 53 random bits.
  constexpr double uniform() { return static_cast<double>(next() >> 11) * 0x1p-53; }

 private:
  uint64_t state_;
};

}  // namespace tl

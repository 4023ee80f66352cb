// The seed of a random test: TL_SEED from the environment, or the suite's fixed default. It is
// printed with the replay command so every failure can be reproduced.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace tl::testing {

inline uint64_t test_seed(uint64_t fallback = 20261125) {
  const char* env = std::getenv("TL_SEED");
  uint64_t s = env ? std::strtoull(env, nullptr, 10) : fallback;
  std::printf("seed=%llu (replay: TL_SEED=%llu)\n", static_cast<unsigned long long>(s), static_cast<unsigned long long>(s));
  return s;
}

}  // namespace tl::testing

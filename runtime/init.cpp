// Initialisers.
#include "runtime/init.h"

#include <cmath>

#include "spec/error.h"
#include "spec/splitmix.h"

namespace tl::rt {
namespace {

// The interval [lo, hi) that uniform u in [0, 1) is mapped onto.
void range_of(const Init& init, double& lo, double& hi) {
  switch (init.kind) {
    case InitKind::zeros: lo = hi = 0; return;
    case InitKind::ones: lo = hi = 1; return;
    case InitKind::uniform: lo = init.lo; hi = init.hi; return;
    case InitKind::xavier_uniform: {
      double limit = std::sqrt(6.0 / static_cast<double>(init.fan_in + init.fan_out));
      lo = -limit; hi = limit;
      return;
    }
    case InitKind::kaiming_uniform: {
      double limit = std::sqrt(6.0 / static_cast<double>(init.fan_in));
      lo = -limit; hi = limit;
      return;
    }
  }
  throw_internal("bad InitKind value");
}

}  // namespace

HostTensor initialise(const Init& init, DType dtype, const Shape& shape, uint64_t key) {
  double lo = 0, hi = 0;
  range_of(init, lo, hi);
  HostTensor t(dtype, shape);
  for (int64_t i = 0; i < t.numel(); ++i) {
    double v = lo + (hi - lo) * splitmix_uniform(key, static_cast<uint64_t>(i));
    t.set_from_double(i, v);
  }
  return t;
}

uint64_t SeedStream::next() { return splitmix_key(seed_, counter_++); }

}  // namespace tl::rt

// Whether a usable GPU is present (tests that expect exit status 3 without one skip on a GPU).
#pragma once

#ifdef TL_HAVE_CUDA
#include "cuda/device.h"
#endif

namespace tl::testing {

inline bool cuda_usable() {
#ifdef TL_HAVE_CUDA
  return cuda::probe_devices().usable;
#else
  return false;
#endif
}

}  // namespace tl::testing

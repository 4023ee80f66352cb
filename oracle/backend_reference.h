// The strict meaning (reference/ Strict<float> and Strict<double>) run as a backend, so tl-check can
// measure the reference itself against the real meaning (Interval). Kept in its own translation
// unit because it instantiates the reference evaluator.
#pragma once

#include <memory>

#include "oracle/backend.h"

namespace tl::oracle {

std::unique_ptr<Backend> make_reference_backend();

}  // namespace tl::oracle

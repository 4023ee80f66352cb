// Directions of a case that a backend failed before any value could be judged: it threw (or its
// rounding stayed undecided), or it returned a gradient that is missing or of the wrong shape.
// Each becomes a failing (or undecided) DirectionResult with a discrepancy record naming why.
#pragma once

#include <string>
#include <vector>

#include "backend/backend.h"
#include "checking/case_result.h"

namespace tl::oracle {

// A backend that throws fails the case — except the reference's own UndecidedRounding, which is
// a distinct outcome (undecided), never a failure of the backend.
DirectionResult backend_failure(const Contract& c, Direction dir, const backend::Backend& b, const OpCase& oc,
                                const std::string& message, const CaseOptions& opt, bool undecided = false);

// A gradient the op promises but the backend did not return, or returned with the wrong shape or
// dtype, fails its direction; the misshapen one is dropped so nothing judges it further.
void drop_misshapen_gradients(backend::Backend& b, const OpCase& c, const std::vector<const HostTensor*>& in,
                              const std::vector<Contract>& contracts, const CaseOptions& opt, backend::MaybeTensors& grads,
                              CaseResult& out);

}  // namespace tl::oracle
